using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;

namespace Pop3Gateway.Host.Cli;

/// <summary><c>pop3gw --version</c>: this assembly's informational version (also when the CLI runs inside another program).</summary>
public sealed class VersionAction : SynchronousCommandLineAction
{
    public static string Version { get; } =
        typeof(VersionAction).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(VersionAction).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    public override int Invoke(ParseResult parseResult)
    {
        if (parseResult.Tokens.Count > 1)
        {
            throw new UsageException("--version takes no command or other option");
        }
        parseResult.InvocationConfiguration.Output.WriteLine(Version);
        return CommandLine.Success;
    }
}
