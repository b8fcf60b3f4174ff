using System.CommandLine;
using System.Reflection;
using Pop3Gateway.Host.Cli;

namespace Pop3Gateway.Integration.Tests;

/// <summary>
/// The pop3gw command line parsed in-process, no server: help, version, unknown and misplaced options, the global
/// <c>--data</c> option, completion, and the validation of commands whose work runs elsewhere.
/// </summary>
public sealed class CliParserTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"pop3gw-parser-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private sealed record Run(int ExitCode, string Stdout, string Stderr)
    {
        public string[] ErrorLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }

    private static async Task<Run> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CommandLine.RunAsync(args, new StringReader(""), stdout, stderr);
        return new Run(exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Every command of the tree by its words, e.g. "account address add".</summary>
    public static TheoryData<string> AllCommands()
    {
        var data = new TheoryData<string>();
        void Walk(Command command, string path)
        {
            foreach (var sub in command.Subcommands)
            {
                var words = path.Length == 0 ? sub.Name : $"{path} {sub.Name}";
                data.Add(words);
                Walk(sub, words);
            }
        }
        Walk(CommandTree.Build(new CliContext(TextReader.Null, TextWriter.Null)), "");
        return data;
    }

    [Theory]
    [MemberData(nameof(AllCommands))]
    public async Task Help_EveryCommand_ExitZeroWithItsOwnUsage(string command)
    {
        var result = await RunAsync([.. command.Split(' '), "--help"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        // The usage line starts with the executable's name: pop3gw, or the test host in-process.
        Assert.Contains($" {command} ", result.Stdout);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public async Task Help_AccountAdd_ListsOnlyItsOwnOptions()
    {
        var result = await RunAsync("account", "add", "--help");

        Assert.Contains("--password-stdin", result.Stdout);
        Assert.Contains("--address", result.Stdout);
        Assert.Contains("--data", result.Stdout);
        Assert.DoesNotContain("--keep-mail", result.Stdout);
        Assert.DoesNotContain("--role", result.Stdout);
    }

    [Fact]
    public async Task HelpWord_BeforeCommand_SameAsHelpOption()
    {
        var word = await RunAsync("help", "account", "remove");
        var option = await RunAsync("account", "remove", "--help");

        Assert.Equal(0, word.ExitCode);
        Assert.Equal(option.Stdout, word.Stdout);
    }

    [Fact]
    public async Task NoArguments_HelpOnStdoutExitOne()
    {
        var result = await RunAsync();

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("account", result.Stdout);
        Assert.Contains("--version", result.Stdout);
    }

    [Fact]
    public async Task Version_PrintsInformationalVersion()
    {
        var expected = typeof(CommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

        var result = await RunAsync("--version");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(expected, result.Stdout.Trim());
    }

    [Fact]
    public async Task Version_WithCommand_ExitOne()
    {
        var result = await RunAsync("account", "list", "--version");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("--version", Assert.Single(result.ErrorLines));
    }

    [Theory]
    [InlineData("--keep-mail", "account", "list", "--keep-mail")]
    [InlineData("--no-such-option", "account", "list", "--no-such-option")]
    [InlineData("--role", "account", "add", "x", "--password-stdin", "--role", "silo")]
    [InlineData("--octets", "mailbox", "show", "m", "--octets", "5")]
    [InlineData("--password-stdin", "serve", "--password-stdin")]
    [InlineData("--force", "deliver", "m", "file", "--force")]
    [InlineData("--role", "account", "add", "--role", "silo")]
    [InlineData("--bogus", "mailbox", "expunge", "m", "--uidl", "a", "--bogus")]
    [InlineData("--json", "account", "add", "x", "--json")]
    [InlineData("frobnicate", "frobnicate")]
    public async Task UnknownOrMisplacedOption_ExitOneWithOneLineNamingIt(string named, params string[] args)
    {
        var result = await RunAsync(args);

        Assert.True(result.ExitCode == 1, result.ToString());
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("pop3gw: ", line);
        Assert.Contains($"'{named}'", line);
        Assert.Equal("", result.Stdout);
    }

    [Theory]
    [InlineData("account", "remove")]
    [InlineData("deliver", "onlymailbox")]
    [InlineData("account")]
    [InlineData("account", "grant", "one")]
    [InlineData("serve", "--role")]
    public async Task IncompleteCommand_ExitOneWithOneLine(params string[] args)
    {
        var result = await RunAsync(args);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("pop3gw: ", Assert.Single(result.ErrorLines));
    }

    [Theory]
    [InlineData("--data=DIR", "cert", "dev")]
    [InlineData("cert", "dev", "--data=DIR")]
    [InlineData("--data", "DIR", "cert", "dev")]
    [InlineData("cert", "dev", "--data", "DIR")]
    public async Task DataOption_AnyFormAnyPlace_CommandUsesThatDirectory(params string[] args)
    {
        var result = await RunAsync([.. args.Select(a => a.Replace("DIR", _directory, StringComparison.Ordinal))]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(File.Exists(Path.Combine(_directory, CertCommand.Folder, "dev-key.pem")), result.ToString());
    }

    [Theory]
    [InlineData("--limit", "0")]
    [InlineData("--limit", "1001")]
    [InlineData("--limit", "ten")]
    public async Task Listing_LimitOutOfRange_ExitOneNamingLimit(string option, string value)
    {
        foreach (var listing in new[] { "account", "mailbox" })
        {
            var result = await RunAsync(listing, "list", option, value);

            Assert.True(result.ExitCode == 1, result.ToString());
            Assert.Contains("--limit", Assert.Single(result.ErrorLines));
        }
    }

    [Theory]
    [InlineData("deliver", "m", "missing.eml", "--dedupe")]
    [InlineData("import", "m", "missing.mbox", "--dedupe", "--mbox-format", "mboxo")]
    public async Task Dedupe_Accepted_CommandRunsToItsOwnCheck(params string[] args)
    {
        var result = await RunAsync([.. args.Select(a => a.Contains('.') ? Path.Combine(_directory, a) : a)]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("cannot read", Assert.Single(result.ErrorLines));
    }

    [Theory]
    [InlineData("mailbox", "expunge", "m", "--all")]
    [InlineData("mailbox", "expunge", "m", "--all", "--kick")]
    [InlineData("mailbox", "expunge", "m", "--before", "2024-05-31")]
    [InlineData("mailbox", "expunge", "m", "--before", "2024-05-31T12:00:00Z")]
    [InlineData("mailbox", "expunge", "m", "--before", "2024-05-31T12:00:00+02:00")]
    [InlineData("mailbox", "expunge", "m", "--uidl", "a", "b", "--kick")]
    [InlineData("export", "m", "dir", "--format", "maildir")]
    [InlineData("export", "m", "dir", "--format", "mbox")]
    [InlineData("who")]
    [InlineData("who", "m", "--json")]
    [InlineData("kick", "m")]
    public async Task OperatorCommand_ValidArguments_GoOnToTheCluster(params string[] args)
    {
        var data = Directory.CreateTempSubdirectory("pop3gw-cli-").FullName;
        try
        {
            var result = await RunAsync(["--data", data, .. args]);

            // Parsed and validated; the next step is the admin credential, which an empty data directory lacks.
            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.StartsWith("no admin credential at ", Assert.Single(result.ErrorLines).Replace("pop3gw: ", ""));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Theory]
    [InlineData("--all", "mailbox", "expunge", "m")]
    [InlineData("only one", "mailbox", "expunge", "m", "--all", "--uidl", "a")]
    [InlineData("only one", "mailbox", "expunge", "m", "--before", "2024-05-31", "--all")]
    [InlineData("ISO-8601", "mailbox", "expunge", "m", "--before", "31/05/2024")]
    [InlineData("ISO-8601", "mailbox", "expunge", "m", "--before", "2024-13-01")]
    [InlineData("--format", "export", "m", "dir")]
    [InlineData("zip", "export", "m", "dir", "--format", "zip")]
    [InlineData("--kick", "kick", "m", "--kick")]
    public async Task OperatorCommand_InvalidArguments_ExitOneWithClearLine(string expected, params string[] args)
    {
        var result = await RunAsync(args);

        Assert.True(result.ExitCode == 1, result.ToString());
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains(expected, line);
    }

    [Fact]
    public async Task SuggestDirective_PartialCommand_OffersSubcommandsAndOptions()
    {
        var commands = await RunAsync("[suggest:8]", "account ");
        var options = await RunAsync("[suggest:14]", "mailbox list -");

        Assert.Equal(0, commands.ExitCode);
        Assert.Contains("show", commands.Stdout.Split('\n', StringSplitOptions.TrimEntries));
        Assert.Contains("--after", options.Stdout.Split('\n', StringSplitOptions.TrimEntries));
    }
}
