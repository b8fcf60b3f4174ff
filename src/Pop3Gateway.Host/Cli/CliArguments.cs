namespace Pop3Gateway.Host.Cli;

/// <summary>What <c>pop3gw serve</c> takes from its command line: configuration overrides (<c>--data DIR</c>) and the role.</summary>
public sealed record CliArguments(IReadOnlyDictionary<string, string?> ConfigurationOverrides)
{
    /// <summary><c>--role combined|silo|frontend</c>; null leaves the choice to the configuration.</summary>
    public string? Role { get; init; }
}

/// <summary>A mistake in what the user asked for: one line on stderr, exit code 1.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>The cluster could not be reached: one line on stderr, exit code 2.</summary>
public sealed class ClusterUnreachableException(string message, Exception? inner = null) : Exception(message, inner);
