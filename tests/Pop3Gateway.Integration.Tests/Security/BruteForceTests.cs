using System.Diagnostics;
using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests.Security;

/// <summary>
/// Failure delays and bans, measured end to end. Client addresses come from PROXY headers (the
/// fixture runs with a 1 s first delay doubling to 2 s, and a ban after 4 failures). Timing
/// assertions are lower bounds or comparisons, never exact durations.
/// </summary>
public sealed class BruteForceTests(ProxyServerFixture fixture) : IClassFixture<ProxyServerFixture>
{
    private static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(150);

    [Fact]
    public Task FailedLogins_DelayDoubles_SuccessNotSlowed_SameAnswerForUnknownAccount() => fixture.Inner.GuardAsync(async () =>
    {
        var account = await fixture.Inner.CreateAccountAsync("bfdelay");
        await using var attacker = await ConnectAsync("198.51.100.30");

        var (first, firstReply) = await TimedLoginAsync(attacker, account.Login, "wrong");
        var (second, _) = await TimedLoginAsync(attacker, account.Login, "wrong");
        var (unknown, unknownReply) = await TimedLoginAsync(attacker, "nosuch" + account.Login, "wrong");

        Assert.Equal("-ERR [AUTH] Authentication failed.", firstReply);
        Assert.Equal(firstReply, unknownReply);
        Assert.True(first >= ProxyServerFixture.FailureDelay - Slack, $"first failure answered after {first}");
        Assert.True(second >= 2 * ProxyServerFixture.FailureDelay - Slack, $"second failure answered after {second}");
        Assert.True(unknown >= ProxyServerFixture.MaxFailureDelay - Slack, $"unknown account answered after {unknown}");

        // The account's own delay follows it to another address.
        await using var elsewhere = await ConnectAsync("198.51.100.32");
        var (accountDelay, _) = await TimedLoginAsync(elsewhere, account.Login, "wrong");
        Assert.True(accountDelay >= ProxyServerFixture.MaxFailureDelay - Slack, $"failure from a new address answered after {accountDelay}");

        await using var user = await ConnectAsync("198.51.100.31");
        var (success, successReply) = await TimedLoginAsync(user, account.Login, account.Password);
        Assert.Equal("+OK Logged in.", successReply);
        // The account has earned the longest delay by now: a success held back by it would take at least that.
        // (Not "faster than a failure": under load a login's own work through the grain can pass the 1 s delay.)
        Assert.True(success < ProxyServerFixture.MaxFailureDelay - Slack,
            $"successful login took {success}; the account's failure delay is {ProxyServerFixture.MaxFailureDelay}");
    });

    [Fact]
    public Task RepeatedFailures_AddressBanned_OtherAddressesServed() => fixture.Inner.GuardAsync(async () =>
    {
        const string attackerAddress = "198.51.100.40";
        var account = await fixture.Inner.CreateAccountAsync("bfban");
        await using (var attacker = await ConnectAsync(attackerAddress))
        {
            string? reply = null;
            for (var i = 0; i < ProxyServerFixture.BanAfterFailures; i++)
            {
                (_, reply) = await TimedLoginAsync(attacker, account.Login, $"guess{i}");
            }
            Assert.StartsWith("-ERR [LOGIN-DELAY]", reply);
            Assert.True(await attacker.IsClosedByServerAsync());
        }

        await using (var again = await LineClient.ConnectAsync(fixture.Pop3Port, LineClient.ProxyV1(attackerAddress)))
        {
            Assert.StartsWith("-ERR [LOGIN-DELAY]", await again.ReadLineAsync());
            Assert.True(await again.IsClosedByServerAsync());
        }

        await using var other = await ConnectAsync("198.51.100.41");
        var (_, ok) = await TimedLoginAsync(other, account.Login, account.Password);
        Assert.Equal("+OK Logged in.", ok);
    });

    private Task<LineClient> ConnectAsync(string address) => fixture.ConnectTlsAsync(address);

    private static async Task<(TimeSpan Elapsed, string Reply)> TimedLoginAsync(LineClient client, string login, string password)
    {
        Assert.StartsWith("+OK", await client.CommandAsync($"USER {login}"));
        var watch = Stopwatch.StartNew();
        var reply = await client.CommandAsync($"PASS {password}");
        return (watch.Elapsed, reply);
    }
}
