using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Pop3Gateway.Abstractions.Security;
using Pop3Gateway.Frontend.Security;
using Pop3Gateway.Grains.Accounts;

namespace Pop3Gateway.Frontend.Tests.Security;

/// <summary>A login the silo refuses because its password-hashing wait line is full.</summary>
[Collection(FrontendCollection.Name)]
public sealed class BusyHashingTests(FrontendFixture fixture)
{
    [Fact]
    public async Task Pass_HashingLineFull_SysTempAndNoFailureCounted()
    {
        const string client = "203.0.113.77";
        var login = "busy" + Guid.NewGuid().ToString("N")[..8];
        await fixture.CreateMailboxAsync(login, "secret");
        // One counted failure would ban the address: the refusal must leave it clear.
        var security = new ConnectionSecurity(
            new SecurityOptions { TrustedNetworks = "", AllowCleartextAuth = true, FailureDelay = TimeSpan.Zero, BanAfterFailures = 1 },
            new LimitsOptions(), null);
        var work = fixture.Cluster.GetSiloServiceProvider().GetRequiredService<PasswordWork>();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = new List<Task>();
        string reply;
        try
        {
            // Blocked hashes until one is refused: the slots and the wait line are then all taken.
            for (var offered = Block(work, gate); !offered.IsCompleted; offered = Block(work, gate))
            {
                held.Add(offered);
            }
            await using var connection = new PipeConnection(fixture.Handler(security: security), new IPEndPoint(IPAddress.Parse(client), 40000));
            Assert.StartsWith("+OK", await connection.ReadLineAsync());
            await connection.SendAsync($"USER {login}\r\nPASS secret\r\n");
            Assert.StartsWith("+OK", await connection.ReadLineAsync());
            reply = await connection.ReadLineAsync();
        }
        finally
        {
            gate.TrySetResult();
            await Task.WhenAll(held);
        }

        Assert.Equal("-ERR [SYS/TEMP] Service temporarily unavailable, try again later.\r\n", reply);
        var throttle = fixture.Grains.GetGrain<ILoginThrottleGrain>(ILoginThrottleGrain.ForAddress(client));
        Assert.Null((await throttle.Check(security.Policy)).BannedUntil);
        // The same address with a wrong password, the line free again: that one is counted, and bans.
        await using var wrong = new PipeConnection(fixture.Handler(security: security), new IPEndPoint(IPAddress.Parse(client), 40001));
        Assert.StartsWith("+OK", await wrong.ReadLineAsync());
        await wrong.SendAsync($"USER {login}\r\nPASS wrong\r\n");
        Assert.StartsWith("+OK", await wrong.ReadLineAsync());
        Assert.StartsWith("-ERR", await wrong.ReadLineAsync());
        Assert.NotNull((await throttle.Check(security.Policy)).BannedUntil);
    }

    private static Task Block(PasswordWork work, TaskCompletionSource gate) =>
        work.TryRunAsync(() => gate.Task.Wait(TimeSpan.FromMinutes(1)));
}
