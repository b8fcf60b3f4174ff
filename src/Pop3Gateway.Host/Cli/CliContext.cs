using System.CommandLine;

namespace Pop3Gateway.Host.Cli;

/// <summary>
/// What every command's action reaches for: the standard streams and the global <c>--data DIR</c> option
/// (before or after the command, <c>--data DIR</c> or <c>--data=DIR</c>).
/// </summary>
public sealed class CliContext(TextReader stdin, TextWriter stdout)
{
    /// <summary>The configuration key <c>--data</c> sets.</summary>
    public const string DataDirectoryKey = "Storage:DataDirectory";

    public TextReader Stdin { get; } = stdin;

    public TextWriter Stdout { get; } = stdout;

    public Option<string> Data { get; } = new("--data")
    {
        Description = "Data directory (sets Storage:DataDirectory)",
        HelpName = "DIR",
        Recursive = true,
    };

    /// <summary>Configuration overrides from the command line, on top of appsettings.json and POP3GW__ variables.</summary>
    public IReadOnlyDictionary<string, string?> Overrides(ParseResult result) =>
        result.GetValue(Data) is { } directory
            ? new Dictionary<string, string?> { [DataDirectoryKey] = directory }
            : new Dictionary<string, string?>();

    public AdminCommands Admin(ParseResult result) => new(Overrides(result), Stdin, Stdout);

    /// <summary>A client of the running cluster, for commands that talk to grains themselves.</summary>
    public Task<AdminClient> ConnectAsync(ParseResult result, CancellationToken cancellationToken) =>
        AdminClient.ConnectAsync(Overrides(result), cancellationToken);

    /// <summary><c>--json</c>: one JSON document on standard output instead of text.</summary>
    public static Option<bool> JsonOption() => new("--json") { Description = "Write one JSON document (camelCase fields) instead of text" };

    /// <summary>A required positional name (login, mailbox).</summary>
    public static Argument<string> Name(string name, string description) => new(name) { Description = description };
}
