namespace Pop3Gateway.Protocol.Commands;

/// <summary>A parsed command line.</summary>
/// <param name="Keyword">The command name, upper-case ASCII.</param>
/// <param name="Arguments">Space-separated arguments (repeated spaces tolerated).</param>
/// <param name="ArgumentText">Everything after the first space that follows the keyword, verbatim (PASS takes it whole).</param>
public sealed record Pop3Command(string Keyword, IReadOnlyList<string> Arguments, string ArgumentText);
