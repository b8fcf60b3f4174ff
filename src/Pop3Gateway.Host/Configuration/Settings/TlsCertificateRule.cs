using Microsoft.Extensions.Options;
using Pop3Gateway.Frontend.Tls;

namespace Pop3Gateway.Host.Configuration.Settings;

/// <summary>The configured server certificate (and key) can be read, as the listeners will read it.</summary>
internal sealed class TlsCertificateRule : IValidateOptions<TlsOptions>
{
    private const string LoaderSuffix = " (invalid configuration)";

    public ValidateOptionsResult Validate(string? name, TlsOptions options)
    {
        try
        {
            using var certificate = TlsCertificateLoader.Load(options);
            return ValidateOptionsResult.Success;
        }
        catch (InvalidOperationException e)
        {
            var message = e.Message.EndsWith(LoaderSuffix, StringComparison.Ordinal) ? e.Message[..^LoaderSuffix.Length] : e.Message;
            return ValidateOptionsResult.Fail(message);
        }
    }
}
