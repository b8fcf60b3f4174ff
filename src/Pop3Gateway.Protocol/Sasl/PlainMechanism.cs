using System.Text;
using Pop3Gateway.Protocol.Commands;
using Pop3Gateway.Protocol.Commands.Handlers;
using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Protocol.Sasl;

/// <summary>SASL PLAIN (RFC 4616): one message, <c>[authzid] NUL authcid NUL passwd</c>, UTF-8.</summary>
internal sealed class PlainMechanism : ISaslMechanism
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public byte[] InitialChallenge => [];

    public async Task<SaslStep> StepAsync(Pop3SessionContext context, byte[] response, CancellationToken cancellationToken)
    {
        if (!TryParse(response, out var authzid, out var authcid, out var password)
            || !SaslIdentity.TryResolve(authcid, authzid, context.Options.NetbiosDomains, out var user))
        {
            return SaslStep.Done(CommandResult.Neutral(Pop3Replies.AuthenticationFailed));
        }

        var result = await context.Backend.LoginAsync(user, password, cancellationToken).ConfigureAwait(false);
        return SaslStep.Done(await LoginCompletion.CompleteAsync(context, result).ConfigureAwait(false));
    }

    public Task CancelAsync() => Task.CompletedTask;

    internal static bool TryParse(byte[] message, out string authzid, out string authcid, out string password)
    {
        authzid = authcid = password = "";
        var parts = message.AsSpan();
        var first = parts.IndexOf((byte)0);
        if (first < 0)
        {
            return false;
        }

        var second = parts[(first + 1)..].IndexOf((byte)0);
        if (second < 0)
        {
            return false;
        }

        second += first + 1;
        try
        {
            authzid = StrictUtf8.GetString(parts[..first]);
            authcid = StrictUtf8.GetString(parts[(first + 1)..second]);
            password = StrictUtf8.GetString(parts[(second + 1)..]);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        return authcid.Length > 0 && password.Length > 0 && !password.Contains('\0');
    }
}
