using System.Buffers;
using System.Text;
using Pop3Gateway.Protocol.Sasl;
using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Protocol.Commands.Handlers;

/// <summary>AUTH (RFC 5034 section 4): starts a SASL exchange; later lines are its responses until it ends.</summary>
internal static class AuthHandler
{
    /// <summary>RFC 5034 section 4 with RFC 2449 section 4: the AUTH command line, initial response and CRLF included.</summary>
    public const int MaxAuthLineLength = 255;

    /// <summary>RFC 5034 section 4: an empty initial response is sent as a single "=".</summary>
    private const string EmptyResponse = "=";

    /// <summary>RFC 5034 section 4: a response of "*" cancels the exchange.</summary>
    private static ReadOnlySpan<byte> Cancel => "*"u8;

    public static async Task<CommandResult> AuthAsync(Pop3SessionContext context, Pop3Command command, CancellationToken cancellationToken)
    {
        var cleartext = context.CleartextAuthAllowed;
        if (command.Arguments.Count == 0)
        {
            return CommandResult.Success(Pop3Replies.MechanismsFollow with { Lines = SaslMechanisms.Advertised(cleartext, context.Options.OfferScram) });
        }

        if ("AUTH ".Length + Encoding.UTF8.GetByteCount(command.ArgumentText) + 2 > MaxAuthLineLength)
        {
            return CommandResult.Bad(Pop3Replies.AuthLineTooLong);
        }

        var name = command.Arguments[0].ToUpperInvariant();
        if (SaslMechanisms.IsCleartext(name) && !cleartext)
        {
            return CommandResult.Neutral(Pop3Replies.CleartextRefused);
        }

        if (SaslMechanisms.Create(name, context.Options) is not { } mechanism)
        {
            return CommandResult.Bad(Pop3Replies.UnsupportedMechanism(command.Arguments[0]));
        }

        context.PendingUser = null;
        context.Sasl = mechanism;
        if (command.Arguments.Count == 1)
        {
            return CommandResult.Success(Pop3Replies.Challenge(mechanism.InitialChallenge));
        }

        var initial = command.Arguments[1];
        if (initial == EmptyResponse)
        {
            return await StepAsync(context, [], cancellationToken).ConfigureAwait(false);
        }

        return TryDecode(Encoding.ASCII.GetBytes(initial), out var response)
            ? await StepAsync(context, response, cancellationToken).ConfigureAwait(false)
            : await EndAsync(context, CommandResult.Bad(Pop3Replies.InvalidBase64)).ConfigureAwait(false);
    }

    /// <summary>One client response line in a SASL exchange: base64, <c>*</c> to cancel. An empty line is an empty response.</summary>
    public static async Task<CommandResult> ContinueAsync(Pop3SessionContext context, ReadOnlySequence<byte> line, CancellationToken cancellationToken)
    {
        var bytes = line.ToArray();
        if (bytes.AsSpan().SequenceEqual(Cancel))
        {
            return await EndAsync(context, CommandResult.Neutral(Pop3Replies.AuthCancelled)).ConfigureAwait(false);
        }

        return TryDecode(bytes, out var response)
            ? await StepAsync(context, response, cancellationToken).ConfigureAwait(false)
            : await EndAsync(context, CommandResult.Bad(Pop3Replies.InvalidBase64)).ConfigureAwait(false);
    }

    /// <summary>Ends the exchange in progress with <paramref name="result"/>, releasing what the mechanism holds.</summary>
    public static async Task<CommandResult> EndAsync(Pop3SessionContext context, CommandResult result)
    {
        if (context.Sasl is { } mechanism)
        {
            context.Sasl = null;
            await mechanism.CancelAsync().ConfigureAwait(false);
        }

        return result;
    }

    private static async Task<CommandResult> StepAsync(Pop3SessionContext context, byte[] response, CancellationToken cancellationToken)
    {
        var step = await context.Sasl!.StepAsync(context, response, cancellationToken).ConfigureAwait(false);
        if (step.Challenge is { } challenge)
        {
            return CommandResult.Success(Pop3Replies.Challenge(challenge));
        }

        context.Sasl = null;
        return step.Result;
    }

    /// <summary>Strict base64 (RFC 4648): no whitespace, correct padding.</summary>
    private static bool TryDecode(byte[] ascii, out byte[] decoded)
    {
        decoded = [];
        if (ascii.Length % 4 != 0 || ascii.AsSpan().IndexOfAnyExcept(Base64Alphabet) >= 0)
        {
            return false;
        }

        var buffer = new byte[ascii.Length / 4 * 3];
        var status = System.Buffers.Text.Base64.DecodeFromUtf8(ascii, buffer, out _, out var written);
        if (status != OperationStatus.Done)
        {
            return false;
        }

        decoded = buffer[..written];
        return true;
    }

    private static readonly SearchValues<byte> Base64Alphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="u8);
}
