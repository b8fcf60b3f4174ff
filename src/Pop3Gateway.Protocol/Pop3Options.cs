namespace Pop3Gateway.Protocol;

/// <summary>Protocol settings (configuration section <c>Pop3</c>).</summary>
public sealed record Pop3Options
{
    /// <summary>Longest command line accepted, CRLF included. RFC 2449 requires at least 255.</summary>
    public int MaxLineLength { get; init; } = 1024;

    /// <summary>Bad commands in a row after which the session is closed.</summary>
    public int MaxBadCommands { get; init; } = 20;

    /// <summary>Advertised in CAPA as IMPLEMENTATION.</summary>
    public string Implementation { get; init; } = "Pop3Gateway";

    /// <summary>Whether USER/PASS is offered (advertised as the USER capability).</summary>
    public bool AllowUserPass { get; init; } = true;
}
