using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Pop3Gateway.Protocol.Backend;
using Pop3Gateway.Protocol.Commands;
using Pop3Gateway.Protocol.Commands.Handlers;
using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Protocol.Sasl;

/// <summary>
/// SCRAM-SHA-256 (RFC 5802, RFC 7677), server side, without channel binding. The keys never
/// reach the front-end: the backend checks the proof and returns the server signature.
/// </summary>
/// <remarks>
/// Steps: client-first → server-first (nonce, salt, iterations); client-final → the backend
/// checks the proof and opens the mailbox, and the server answers <c>+ v=signature</c>;
/// the client's empty response → <c>+OK</c>.
/// </remarks>
internal sealed class ScramSha256Mechanism(Func<string>? nonceFactory) : ISaslMechanism
{
    /// <summary>Random bytes in the server's part of the nonce.</summary>
    private const int ServerNonceBytes = 18;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private Step _step = Step.ClientFirst;
    private Pop3UserName? _user;
    private string _gs2Header = "";
    private string _clientFirstBare = "";
    private string _serverFirst = "";
    private string _nonce = "";
    private LoginResult? _verified;

    private enum Step
    {
        ClientFirst,
        ClientFinal,
        Acknowledge,
    }

    public byte[] InitialChallenge => [];

    public async Task<SaslStep> StepAsync(Pop3SessionContext context, byte[] response, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(response);
        }
        catch (DecoderFallbackException)
        {
            return await FailAsync().ConfigureAwait(false);
        }

        return _step switch
        {
            Step.ClientFirst => await ClientFirstAsync(context, text, cancellationToken).ConfigureAwait(false),
            Step.ClientFinal => await ClientFinalAsync(context, text, cancellationToken).ConfigureAwait(false),
            _ => await AcknowledgeAsync(context, response).ConfigureAwait(false),
        };
    }

    public async Task CancelAsync()
    {
        if (_verified?.Maildrop is { } maildrop)
        {
            _verified = null;
            await maildrop.ReleaseAsync().ConfigureAwait(false);
        }
    }

    private async Task<SaslStep> ClientFirstAsync(Pop3SessionContext context, string text, CancellationToken cancellationToken)
    {
        if (!ScramMessages.TryParseClientFirst(text, out var gs2Header, out var authzid, out var bare, out var name, out var clientNonce)
            || !SaslIdentity.TryResolve(name, authzid, context.Options.NetbiosDomains, out var user))
        {
            return SaslStep.Done(CommandResult.Neutral(Pop3Replies.SaslMalformed));
        }

        var parameters = await context.Backend.GetScramParametersAsync(user, cancellationToken).ConfigureAwait(false);
        if (parameters.Failure != LoginFailure.None)
        {
            return SaslStep.Done(await LoginCompletion.CompleteAsync(context, LoginResult.Fail(parameters.Failure)).ConfigureAwait(false));
        }
        _user = user;
        _gs2Header = gs2Header;
        _clientFirstBare = bare;
        _nonce = clientNonce + (nonceFactory?.Invoke() ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(ServerNonceBytes)));
        _serverFirst = string.Create(CultureInfo.InvariantCulture,
            $"r={_nonce},s={Convert.ToBase64String(parameters.Salt)},i={parameters.Iterations}");
        _step = Step.ClientFinal;
        return SaslStep.Continue(Encoding.UTF8.GetBytes(_serverFirst));
    }

    private async Task<SaslStep> ClientFinalAsync(Pop3SessionContext context, string text, CancellationToken cancellationToken)
    {
        if (!ScramMessages.TryParseClientFinal(text, out var channelBinding, out var nonce, out var withoutProof, out var proof)
            || channelBinding != Convert.ToBase64String(Encoding.UTF8.GetBytes(_gs2Header))
            || nonce != _nonce)
        {
            return SaslStep.Done(CommandResult.Neutral(Pop3Replies.SaslMalformed));
        }

        var authMessage = _clientFirstBare + "," + _serverFirst + "," + withoutProof;
        var result = await context.Backend.LoginScramAsync(_user!, authMessage, proof, cancellationToken).ConfigureAwait(false);
        if (result is not { Failure: LoginFailure.None, ServerSignature: { } signature })
        {
            return SaslStep.Done(await LoginCompletion.CompleteAsync(context, result).ConfigureAwait(false));
        }

        _verified = result;
        _step = Step.Acknowledge;
        return SaslStep.Continue(Encoding.UTF8.GetBytes("v=" + Convert.ToBase64String(signature)));
    }

    /// <summary>RFC 5034 section 4: no additional data with +OK, so the client answers the server-final message with an empty response.</summary>
    private async Task<SaslStep> AcknowledgeAsync(Pop3SessionContext context, byte[] response)
    {
        var verified = _verified!;
        _verified = null;
        if (response.Length != 0)
        {
            await verified.Maildrop!.ReleaseAsync().ConfigureAwait(false);
            return SaslStep.Done(CommandResult.Neutral(Pop3Replies.SaslMalformed));
        }

        return SaslStep.Done(await LoginCompletion.CompleteAsync(context, verified).ConfigureAwait(false));
    }

    private static Task<SaslStep> FailAsync() => Task.FromResult(SaslStep.Done(CommandResult.Neutral(Pop3Replies.SaslMalformed)));
}
