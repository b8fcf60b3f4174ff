using Pop3Gateway.Abstractions.Frontends;
using Pop3Gateway.Frontend.Lmtp;
using Pop3Gateway.Frontend.Pop3;
using Pop3Gateway.Frontend.Proxy;
using Pop3Gateway.Frontend.Security;
using Pop3Gateway.Frontend.Shutdown;
using Pop3Gateway.Frontend.Tls;
using Pop3Gateway.Grains;
using Pop3Gateway.Grains.Ldap;
using Pop3Gateway.Grains.Mailboxes;
using Pop3Gateway.Host.Configuration.Cluster;
using Pop3Gateway.Host.Management;

namespace Pop3Gateway.Host.Configuration.Settings;

/// <summary>
/// Every configuration section of the gateway, in the order of docs/configuration.md. A new options class
/// is one line here: it is then checked at start, shown by <c>pop3gw config show</c> and documented.
/// </summary>
public static class GatewaySettings
{
    public static IReadOnlyList<SettingsSection> Sections { get; } =
    [
        SettingsSection.Of<Pop3ServerOptions>(Pop3ServerOptions.Section, excluded: [nameof(Pop3ServerOptions.NetbiosDomains)]),
        SettingsSection.Of<TlsOptions>(TlsOptions.Section, rules: new TlsCertificateRule()),
        SettingsSection.Of<SecurityOptions>(SecurityOptions.Section),
        SettingsSection.Of<LimitsOptions>(LimitsOptions.Section),
        SettingsSection.Of<NetworkOptions>(NetworkOptions.Section),
        SettingsSection.Of<SessionLivenessOptions>(SessionLivenessOptions.Section, rules: new SessionLivenessRule()),
        SettingsSection.Of<LmtpServerOptions>(LmtpServerOptions.Section),
        SettingsSection.Of<AuthOptions>(AuthOptions.Section, rules: new LdapRule()),
        SettingsSection.Of<QuotaOptions>(QuotaOptions.Section),
        SettingsSection.Of<DeliveryOptions>(DeliveryOptions.Section),
        SettingsSection.Of<StorageSettings>(StorageSettings.Section),
        SettingsSection.Of<MailboxSweepOptions>(MailboxSweepOptions.Section),
        SettingsSection.Of<GrainsOptions>(GrainsOptions.Section),
        SettingsSection.Of<OrleansSettings>(OrleansSettings.Section),
        SettingsSection.Of<ClusterSettings>(ClusterSettings.Section, rules: new ClusterPathsRule()),
        SettingsSection.Of<ShutdownOptions>(ShutdownOptions.Section),
        SettingsSection.Of<ManagementOptions>(ManagementOptions.Section),
        SettingsSection.Of<TelemetryOptions>(TelemetryOptions.Section),
        SettingsSection.Of<LoggingOptions>(LoggingOptions.Section, openSubsections: true),
    ];
}
