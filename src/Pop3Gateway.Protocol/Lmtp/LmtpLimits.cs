namespace Pop3Gateway.Protocol.Lmtp;

/// <summary>Session settings, enforced by the session and its connection handler.</summary>
public sealed record LmtpLimits
{
    /// <summary>Largest message accepted, in octets after unstuffing (advertised as SIZE).</summary>
    public long MaxMessageSize { get; init; } = 50L * 1024 * 1024;

    /// <summary>Recipients per transaction; RFC 5321 §4.5.3.1.8 requires accepting at least 100.</summary>
    public int MaxRecipients { get; init; } = 100;

    /// <summary>Bad commands in a row before the connection is closed.</summary>
    public int MaxBadCommands { get; init; } = 20;

    /// <summary>Name in the greeting and the LHLO reply.</summary>
    public string HostName { get; init; } = "localhost";
}
