using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pop3Gateway.Frontend.Shutdown;
using Pop3Gateway.Host.Cli;
using Pop3Gateway.Host.Configuration;
using Pop3Gateway.Host.Management;
using Pop3Gateway.Host.Telemetry;

namespace Pop3Gateway.Host.Serve;

/// <summary>What every role shares: configuration, logging, telemetry, the management port and the shutdown budget.</summary>
internal static class WebHostSetup
{
    private const string NoConfigurationReload = "--hostBuilder:reloadConfigOnChange=false";

    public static WebApplicationBuilder CreateBuilder(CliArguments arguments)
    {
        // The framework's default appsettings.json source would watch the current directory, subfolders
        // included, for changes: with the data directory below it, every file the store writes woke the
        // watcher. Its sources are replaced just below anyway, and none of ours reloads on change.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [NoConfigurationReload] });
        builder.Configuration.Sources.Clear();
        GatewayConfiguration.AddSources(builder.Configuration, arguments.ConfigurationOverrides);
        LoggingSetup.AddConsoleLogging(builder.Logging, builder.Configuration);
        SystemdNotify.Add(builder.Services);
        // The one clock of the process: every timeout, delay and lease is measured on it.
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>Telemetry, health, the operator page's services and the shutdown budget; returns whether telemetry is on.</summary>
    public static bool AddManagement(WebApplicationBuilder builder, ServeRole role)
    {
        var telemetry = TelemetryOptions.From(builder.Configuration).Enabled;
        if (telemetry)
        {
            builder.Services.AddGatewayTelemetry(builder.Logging, role.Name());
        }
        builder.Services.AddSingleton<Readiness>();
        builder.Services.AddSingleton<OperatorMetrics>();
        builder.Services.AddSingleton<ClusterStatus>();

        var shutdown = builder.Configuration.GetSection(ShutdownOptions.Section).Get<ShutdownOptions>() ?? new ShutdownOptions();
        builder.Services.Configure<ShutdownOptions>(builder.Configuration.GetSection(ShutdownOptions.Section));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = shutdown.HostShutdownTimeout);
        return telemetry;
    }

    public static void ListenManagement(KestrelServerOptions kestrel, IConfiguration configuration)
    {
        var management = configuration.GetSection(ManagementOptions.Section).Get<ManagementOptions>() ?? new ManagementOptions();
        if (management.Port != 0)
        {
            kestrel.Listen(ParseAddress(management.Address, "Management:Address"), management.Port);
        }
    }

    public static WebApplication Build(WebApplicationBuilder builder, bool telemetry)
    {
        var app = builder.Build();
        // Created now, not at the first probe, so that it sees the host's start and stop.
        app.Services.GetRequiredService<Readiness>();
        app.MapManagement(metrics: telemetry);
        return app;
    }

    public static IPAddress ParseAddress(string value, string key) =>
        IPAddress.TryParse(value, out var parsed) ? parsed : throw new UsageException($"{key} '{value}' is not an IP address");
}
