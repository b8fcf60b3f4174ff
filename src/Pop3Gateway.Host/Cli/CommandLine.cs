using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;

namespace Pop3Gateway.Host.Cli;

/// <summary>
/// The <c>pop3gw</c> command line (see <see cref="CommandTree"/>) and its exit-code contract: 0 ok, 1 user error
/// (a parse error or <see cref="UsageException"/>), 2 cluster or storage unreachable
/// (<see cref="ClusterUnreachableException"/>). Every error is one line on stderr starting with <c>pop3gw: </c>.
/// </summary>
public static class CommandLine
{
    public const int Success = 0;
    public const int UserError = 1;
    public const int ClusterUnreachable = 2;

    public static async Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        var root = CommandTree.Build(new CliContext(stdin, stdout));
        foreach (var version in root.Options.OfType<VersionOption>())
        {
            version.Action = new VersionAction();
        }
        root.SetAction(result =>
        {
            new System.CommandLine.Help.HelpAction().Invoke(result);
            return UserError;
        });
        // '@file' is an argument like any other, not a response file.
        var result = root.Parse(HelpWordAsOption(args), new ParserConfiguration { ResponseFileTokenReplacer = null });
        var error = StrayOption(result) ?? (result.Action is ParseErrorAction ? OneLine(result.Errors[0].Message) : null);
        if (error is not null)
        {
            stderr.WriteLine($"pop3gw: {error}; see 'pop3gw{CommandPath(result.CommandResult)} --help'");
            return UserError;
        }
        var invocation = new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            EnableDefaultExceptionHandler = false,
            // serve stops on SIGINT/SIGTERM through its own host lifetime.
            ProcessTerminationTimeout = null,
        };
        try
        {
            return await result.InvokeAsync(invocation, CancellationToken.None);
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"pop3gw: {e.Message}");
            return UserError;
        }
        catch (ClusterUnreachableException e)
        {
            stderr.WriteLine($"pop3gw: {e.Message}");
            return ClusterUnreachable;
        }
        catch (UnauthorizedAccessException e)
        {
            // The silo's admin-call check refused the signed call: not an admin certificate, or a clock too far off.
            stderr.WriteLine($"pop3gw: the cluster refused the call: {OneLine(e.Message)}");
            return UserError;
        }
        catch (InvalidOperationException e) when (e.Message.Contains("configuration", StringComparison.OrdinalIgnoreCase))
        {
            stderr.WriteLine($"pop3gw: invalid configuration: {e.Message}");
            return UserError;
        }
    }

    /// <summary><c>pop3gw help [COMMAND...]</c> is <c>pop3gw [COMMAND...] --help</c>.</summary>
    private static string[] HelpWordAsOption(string[] args) => args is ["help", .. var rest] ? [.. rest, "--help"] : args;

    /// <summary>
    /// An unknown option taken as a value of a list argument (<c>deliver MAILBOX FILE... --force</c>): options are
    /// refused wherever they stand; a value that starts with '-' goes after <c>--</c>.
    /// </summary>
    private static string? StrayOption(ParseResult result) => result.Tokens
        .TakeWhile(t => t.Type != TokenType.DoubleDash)
        .FirstOrDefault(t => t.Type == TokenType.Argument && t.Value.Length > 1 && t.Value[0] == '-' && !char.IsAsciiDigit(t.Value[1]))
        is { } token
            ? $"Unrecognized command or argument '{token.Value}'"
            : null;

    /// <summary>A parser message as one line, without its final full stop.</summary>
    private static string OneLine(string message) =>
        string.Join(' ', message.Split((char[])['\r', '\n', '\t', ' '], StringSplitOptions.RemoveEmptyEntries)).TrimEnd('.');

    private static string CommandPath(CommandResult command) =>
        command.Parent is CommandResult parent ? $"{CommandPath(parent)} {command.Command.Name}" : "";
}
