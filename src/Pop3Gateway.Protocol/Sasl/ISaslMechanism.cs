using Pop3Gateway.Protocol.Commands;

namespace Pop3Gateway.Protocol.Sasl;

/// <summary>The server side of one SASL exchange (RFC 4422); one instance per AUTH command.</summary>
internal interface ISaslMechanism
{
    /// <summary>The challenge sent when AUTH carried no initial response (RFC 5034 section 4).</summary>
    byte[] InitialChallenge { get; }

    /// <summary>Takes one decoded client response; returns the next challenge or the final reply.</summary>
    Task<SaslStep> StepAsync(Pop3SessionContext context, byte[] response, CancellationToken cancellationToken);

    /// <summary>The exchange ends without success (cancelled, aborted): gives back anything it holds.</summary>
    Task CancelAsync();
}

/// <summary>Either a challenge to send (the exchange goes on) or the reply that ends it.</summary>
internal readonly record struct SaslStep(byte[]? Challenge, CommandResult Result)
{
    public static SaslStep Continue(byte[] challenge) => new(challenge, default);

    public static SaslStep Done(CommandResult result) => new(null, result);
}
