using Microsoft.Extensions.Options;
using Pop3Gateway.Grains.Ldap;
using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Host.Configuration.Settings;

/// <summary>With <c>Auth:Backend</c> <c>Ldap</c>, the directory settings can work (without reaching the server).</summary>
internal sealed class LdapRule : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        if (options.Backend != AuthBackend.Ldap)
        {
            return ValidateOptionsResult.Success;
        }
        try
        {
            LdapDirectory.Validate(options.Ldap);
        }
        catch (InvalidOperationException e)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }
        return Array.Find(options.Ldap.Domains, domain => domain.Length == 0 || domain.Contains(Pop3UserName.Separator)) is { } bad
            ? ValidateOptionsResult.Fail($"Auth:Ldap:Domains entry '{bad}' is not a domain name (empty, or contains '{Pop3UserName.Separator}')")
            : ValidateOptionsResult.Success;
    }
}
