using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Pop3Gateway.Frontend.Pop3;
using Pop3Gateway.Grains.Ldap;

namespace Pop3Gateway.Host.Configuration;

/// <summary>
/// Section <c>Auth</c>: the silo gets the password directory the account grains ask, the front-end drops
/// SCRAM-SHA-256 from its offer and reads the directory's NetBIOS domains when a directory checks the passwords.
/// </summary>
internal static class AuthRegistration
{
    /// <summary>The section as configured; <see cref="Settings.LdapRule"/> checked it at start.</summary>
    public static AuthOptions Read(IConfiguration configuration) =>
        configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();

    /// <summary>For the silo: the LDAP directory when <c>Auth:Backend</c> is <c>Ldap</c>; otherwise the builtin accounts stay.</summary>
    public static void AddPasswordDirectory(IServiceCollection services, AuthOptions auth)
    {
        if (auth.Backend != AuthBackend.Ldap)
        {
            return;
        }
        services.RemoveAll<IPasswordDirectory>();
        services.AddSingleton<IPasswordDirectory>(provider => new LdapDirectory(auth.Ldap, provider.GetRequiredService<ILogger<LdapDirectory>>()));
    }

    /// <summary>
    /// For the front-end: a directory keeps no SCRAM keys, so SCRAM-SHA-256 is not offered, and the
    /// directory's NetBIOS domains (<c>Auth:Ldap:Domains</c>) are read as the domain of <c>CORP\alice</c>.
    /// Builtin accounts have no such domains: there <c>CORP\alice</c> stays login <c>corp</c> with alias <c>alice</c>.
    /// </summary>
    public static void ConfigureFrontendLogin(IServiceCollection services, AuthOptions auth)
    {
        var ldap = auth.Backend == AuthBackend.Ldap;
        services.PostConfigure<Pop3ServerOptions>(options =>
        {
            options.OfferScram &= !ldap;
            options.NetbiosDomains = ldap ? auth.Ldap.Domains : [];
        });
    }
}
