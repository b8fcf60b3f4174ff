using System.Collections.Immutable;

namespace Pop3Gateway.Grains.Ldap;

/// <summary>
/// A store outside the gateway that checks passwords (LDAP / Active Directory). When one is registered,
/// <see cref="Accounts.AccountGrain"/> asks it instead of its own hash, and keeps every other defence.
/// </summary>
public interface IPasswordDirectory
{
    /// <summary>False for the builtin account store: the account grain checks its own hash.</summary>
    bool IsEnabled { get; }

    /// <summary>Checks <paramref name="password"/> for <paramref name="login"/> (normalized, as typed: <c>alice</c> or <c>alice@example.com</c>).</summary>
    Task<DirectoryAnswer> CheckAsync(string login, string password, CancellationToken cancellationToken);
}

public enum DirectoryVerdict
{
    Ok = 0,
    /// <summary>Unknown user, wrong password, disabled or locked entry: never told apart.</summary>
    Failed,
    /// <summary>The directory did not answer (down, timeout, service account refused): <c>[SYS/TEMP]</c>, never a failure count.</summary>
    Unavailable,
    /// <summary>Too many checks wait already (<see cref="LdapOptions.QueueLength"/>): nothing was asked; <c>[SYS/TEMP]</c>, never a failure count.</summary>
    Busy,
}

/// <summary>The outcome of a directory check: on success, the user's mailbox and the mailboxes the directory delegates.</summary>
public sealed record DirectoryAnswer(DirectoryVerdict Verdict, string? Mailbox, ImmutableArray<string> Delegated)
{
    public static readonly DirectoryAnswer Failed = new(DirectoryVerdict.Failed, null, []);

    public static readonly DirectoryAnswer Unavailable = new(DirectoryVerdict.Unavailable, null, []);

    public static readonly DirectoryAnswer Busy = new(DirectoryVerdict.Busy, null, []);
}

/// <summary>The builtin account store: no directory.</summary>
public sealed class NoPasswordDirectory : IPasswordDirectory
{
    public static readonly NoPasswordDirectory Instance = new();

    public bool IsEnabled => false;

    public Task<DirectoryAnswer> CheckAsync(string login, string password, CancellationToken cancellationToken) =>
        Task.FromResult(DirectoryAnswer.Unavailable);
}
