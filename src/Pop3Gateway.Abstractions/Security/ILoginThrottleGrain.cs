namespace Pop3Gateway.Abstractions.Security;

/// <summary>
/// Failed-login counters for one client address (key <c>ip:ADDRESS</c>) or one login (key
/// <c>account:LOGIN</c>), shared by every front-end of the cluster. Kept in memory only: a
/// silo restart forgets them, which costs an attacker nothing and a user nothing.
/// </summary>
[Alias("Pop3Gateway.ILoginThrottleGrain")]
public interface ILoginThrottleGrain : IGrainWithStringKey
{
    [Alias("Check")] Task<ThrottleStatus> Check(ThrottlePolicy policy);

    /// <summary>Counts a failure; returns the delay to impose before answering it, and a ban if it started one.</summary>
    [Alias("RecordFailure")] Task<ThrottleStatus> RecordFailure(ThrottlePolicy policy);

    /// <summary>A successful login: the failure delay starts over (a running ban stays).</summary>
    [Alias("RecordSuccess")] Task RecordSuccess();

    public static string ForAddress(string address) => "ip:" + address;

    public static string ForAccount(string login) => "account:" + login;
}

/// <summary>How failures are punished (configuration section <c>Security</c>).</summary>
[GenerateSerializer, Immutable]
public sealed record ThrottlePolicy(
    [property: Id(0)] TimeSpan FirstDelay,
    [property: Id(1)] TimeSpan MaxDelay,
    [property: Id(2)] int BanAfterFailures,
    [property: Id(3)] TimeSpan BanWindow,
    [property: Id(4)] TimeSpan BanDuration);

/// <summary>The delay for the failure just counted (zero when none), and the end of a running ban.</summary>
[GenerateSerializer, Immutable]
public sealed record ThrottleStatus(
    [property: Id(0)] TimeSpan Delay,
    [property: Id(1)] DateTimeOffset? BannedUntil)
{
    public static readonly ThrottleStatus Clear = new(TimeSpan.Zero, null);
}
