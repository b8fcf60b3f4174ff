using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Pop3Gateway.Grains.Mailboxes;
using Pop3Gateway.Host.Cli;
using Pop3Gateway.Host.Configuration;
using Pop3Gateway.Host.Configuration.Cluster;
using Pop3Gateway.Host.Configuration.Settings;

namespace Pop3Gateway.Host.Serve;

/// <summary>
/// <c>pop3gw serve [--role combined|silo|frontend]</c>: one process of the gateway. Every role has the
/// management port; the silo part and the front-end part are set up in <see cref="SiloRole"/> and
/// <see cref="FrontendRole"/>.
/// </summary>
public static class ServeCommand
{
    public static async Task<int> RunAsync(CliArguments arguments)
    {
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
        var builder = WebHostSetup.CreateBuilder(arguments);
        SettingsValidation.Validate(builder.Configuration);
        var role = ServeRoles.Resolve(arguments.Role, builder.Configuration);
        var storage = StorageSettings.From(builder.Configuration);
        var orleans = OrleansSettings.From(builder.Configuration);
        var auth = AuthRegistration.Read(builder.Configuration);
        var tls = ClusterTls.ForNode(ClusterSettings.From(builder.Configuration), storage);

        if (role.HostsSilo())
        {
            SiloRole.AddSilo(builder, storage, orleans, tls);
            AuthRegistration.AddPasswordDirectory(builder.Services, auth);
        }
        else
        {
            FrontendRole.AddClusterClient(builder, storage, orleans, tls);
        }
        var telemetry = WebHostSetup.AddManagement(builder, role);
        // Grains delete bodies after a commit; front-ends stream and write them.
        StorageRegistration.AddBodyStore(builder.Services, storage);
        builder.Services.Configure<MailboxSweepOptions>(builder.Configuration.GetSection(MailboxSweepOptions.Section));
        builder.Services.Configure<QuotaOptions>(builder.Configuration.GetSection(QuotaOptions.Section));
        builder.Services.Configure<DeliveryOptions>(builder.Configuration.GetSection(DeliveryOptions.Section));
        var listen = role.HostsListeners() ? FrontendRole.AddListeners(builder) : null;
        AuthRegistration.ConfigureFrontendLogin(builder.Services, auth);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            listen?.Invoke(kestrel);
            WebHostSetup.ListenManagement(kestrel, builder.Configuration);
        });
        return WebHostSetup.Build(builder, telemetry);
    }
}
