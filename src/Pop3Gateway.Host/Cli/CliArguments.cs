namespace Pop3Gateway.Host.Cli;

/// <summary>The words and options of one command line. Options may appear anywhere.</summary>
public sealed record CliArguments(string[] Words, IReadOnlyDictionary<string, string?> ConfigurationOverrides)
{
    public bool PasswordFromStdin { get; init; }

    public string? Role { get; init; }

    public bool Help { get; init; }

    /// <summary>Values of the repeatable <c>--address</c> option.</summary>
    public IReadOnlyList<string> Addresses { get; init; } = [];

    /// <summary>Quota options as given (<c>--octets</c>, <c>--messages</c>): a number or <c>default</c>.</summary>
    public string? Octets { get; init; }

    public string? Messages { get; init; }

    public bool KeepMail { get; init; }

    /// <summary><c>--force</c>: <c>pop3gw cert</c> may replace an existing key.</summary>
    public bool Force { get; init; }

    /// <summary><c>--mbox-format mboxrd|mboxo</c> for <c>pop3gw import</c>.</summary>
    public string? MboxFormat { get; init; }

    public static CliArguments Parse(IReadOnlyList<string> args)
    {
        var words = new List<string>();
        var overrides = new Dictionary<string, string?>();
        var passwordStdin = false;
        var help = false;
        string? role = null;
        var addresses = new List<string>();
        string? octets = null, messages = null;
        var keepMail = false;
        var force = false;
        string? mboxFormat = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "--data":
                    overrides["Storage:DataDirectory"] = ValueOf(args, ref i);
                    break;
                case "--role":
                    role = ValueOf(args, ref i);
                    break;
                case "--password-stdin":
                    passwordStdin = true;
                    break;
                case "--address":
                    addresses.Add(ValueOf(args, ref i));
                    break;
                case "--octets":
                    octets = ValueOf(args, ref i);
                    break;
                case "--messages":
                    messages = ValueOf(args, ref i);
                    break;
                case "--mbox-format":
                    mboxFormat = ValueOf(args, ref i);
                    break;
                case "--keep-mail":
                    keepMail = true;
                    break;
                case "--force":
                    force = true;
                    break;
                case "--help" or "-h":
                    help = true;
                    break;
                case "-":
                    words.Add(arg);
                    break;
                case "--":
                    words.AddRange(args.Skip(i + 1));
                    i = args.Count;
                    break;
                default:
                    if (arg.StartsWith('-'))
                    {
                        throw new UsageException($"unknown option '{arg}'");
                    }
                    words.Add(arg);
                    break;
            }
        }
        return new CliArguments(words.ToArray(), overrides) {
            PasswordFromStdin = passwordStdin,
            Role = role,
            Help = help,
            Addresses = addresses,
            Octets = octets,
            Messages = messages,
            KeepMail = keepMail,
            Force = force,
            MboxFormat = mboxFormat,
        };
    }

    private static string ValueOf(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new UsageException($"option '{args[i]}' needs a value");
        }
        return args[++i];
    }
}

/// <summary>A mistake in what the user asked for: one line on stderr, exit code 1.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>The cluster could not be reached: one line on stderr, exit code 2.</summary>
public sealed class ClusterUnreachableException(string message, Exception? inner = null) : Exception(message, inner);
