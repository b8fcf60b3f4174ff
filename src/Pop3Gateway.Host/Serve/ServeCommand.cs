using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pop3Gateway.Frontend.Lmtp;
using Pop3Gateway.Frontend.Pop3;
using Pop3Gateway.Grains.Mailboxes;
using Pop3Gateway.Host.Cli;
using Pop3Gateway.Host.Configuration;
using Pop3Gateway.Host.Management;
using Pop3Gateway.Host.Telemetry;

namespace Pop3Gateway.Host.Serve;

/// <summary><c>pop3gw serve</c>: the combined role, a silo with localhost clustering plus the POP3 listener.</summary>
public static class ServeCommand
{
    public static async Task<int> RunAsync(CliArguments arguments)
    {
        if (arguments.Role is not (null or "combined"))
        {
            throw new UsageException($"unknown role '{arguments.Role}'; this build serves the 'combined' role");
        }
        var app = Build(arguments);
        try
        {
            await app.RunAsync();
        }
        catch (IOException e) when (e.InnerException is AddressInUseException)
        {
            throw new UsageException($"cannot listen: {e.Message}");
        }
        return CommandLine.Success;
    }

    public static WebApplication Build(CliArguments arguments)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.Sources.Clear();
        GatewayConfiguration.AddSources(builder.Configuration, arguments.ConfigurationOverrides);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });
        builder.Logging.AddFilter("Orleans", LogLevel.Warning).AddFilter("Microsoft", LogLevel.Warning).AddFilter("Polly", LogLevel.Warning);

        var storage = StorageSettings.From(builder.Configuration);
        var orleans = OrleansSettings.From(builder.Configuration);
        var pop3 = builder.Configuration.GetSection(Pop3ServerOptions.Section).Get<Pop3ServerOptions>() ?? new Pop3ServerOptions();
        var management = builder.Configuration.GetSection(ManagementOptions.Section).Get<ManagementOptions>() ?? new ManagementOptions();
        var address = ParseAddress(pop3.Address, "Pop3:Address");
        var lmtp = builder.Configuration.GetSection(LmtpServerOptions.Section).Get<LmtpServerOptions>() ?? new LmtpServerOptions();
        var lmtpAddress = ParseAddress(lmtp.Address, "Lmtp:Address");
        if (storage.Provider == StorageProvider.Embedded)
        {
            Directory.CreateDirectory(storage.FullDataDirectory);
        }

        builder.UseOrleans(silo =>
        {
            StorageRegistration.AddClustering(silo, storage, orleans);
            StorageRegistration.AddGrainStorage(silo, storage);
            silo.AddActivityPropagation();
        });
        var telemetry = builder.Configuration.GetValue(TelemetrySetup.EnabledKey, true);
        if (telemetry)
        {
            builder.Services.AddGatewayTelemetry(builder.Logging, "combined");
        }
        builder.Services.AddSingleton<Readiness>();
        builder.Services.AddSingleton(new LiveStats(listen: telemetry));
        builder.Services.AddSingleton<ClusterStatus>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        StorageRegistration.AddBodyStore(builder.Services, storage);
        builder.Services.Configure<MailboxSweepOptions>(builder.Configuration.GetSection(MailboxSweepOptions.Section));
        builder.Services.Configure<Pop3ServerOptions>(builder.Configuration.GetSection(Pop3ServerOptions.Section));
        builder.Services.Configure<LmtpServerOptions>(builder.Configuration.GetSection(LmtpServerOptions.Section));
        builder.Services.Configure<QuotaOptions>(builder.Configuration.GetSection(QuotaOptions.Section));
        var (security, trustedProxies) = Pop3Listeners.AddPop3Security(builder.Services, builder.Configuration);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            Pop3Listeners.Listen(kestrel, address, pop3, security, trustedProxies);
            kestrel.Listen(lmtpAddress, lmtp.Port, listen => listen.UseConnectionHandler<LmtpConnectionHandler>());
            if (management.Port != 0)
            {
                kestrel.Listen(ParseAddress(management.Address, "Management:Address"), management.Port);
            }
        });
        var app = builder.Build();
        // Created now, not at the first probe, so that it sees the host's start and stop.
        app.Services.GetRequiredService<Readiness>();
        app.MapManagement(metrics: telemetry);
        return app;
    }

    private static IPAddress ParseAddress(string value, string key) =>
        IPAddress.TryParse(value, out var parsed) ? parsed : throw new UsageException($"{key} '{value}' is not an IP address");
}
