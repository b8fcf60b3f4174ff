using System.Text;
using Pop3Gateway.Protocol.Commands;
using Pop3Gateway.Protocol.Commands.Handlers;
using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Protocol.Sasl;

/// <summary>SASL LOGIN (draft-murchison-sasl-login): the user name, then the password, each prompted for.</summary>
internal sealed class LoginMechanism : ISaslMechanism
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private string? _userName;

    public static byte[] UserNamePrompt => "Username:"u8.ToArray();

    public static byte[] PasswordPrompt => "Password:"u8.ToArray();

    public byte[] InitialChallenge => UserNamePrompt;

    public async Task<SaslStep> StepAsync(Pop3SessionContext context, byte[] response, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(response);
        }
        catch (DecoderFallbackException)
        {
            return SaslStep.Done(CommandResult.Neutral(Pop3Replies.AuthenticationFailed));
        }

        if (_userName is null)
        {
            _userName = text;
            return SaslStep.Continue(PasswordPrompt);
        }

        if (text.Length == 0 || !SaslIdentity.TryResolve(_userName, null, context.Options.NetbiosDomains, out var user))
        {
            return SaslStep.Done(CommandResult.Neutral(Pop3Replies.AuthenticationFailed));
        }

        var result = await context.Backend.LoginAsync(user, text, cancellationToken).ConfigureAwait(false);
        return SaslStep.Done(await LoginCompletion.CompleteAsync(context, result).ConfigureAwait(false));
    }

    public Task CancelAsync() => Task.CompletedTask;
}
