using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests.Security;

/// <summary>
/// The first SCRAM step counts for the brute-force defence: fetching salts without ever sending a
/// proof is delayed and banned like guessing passwords (fixture: ban after 4 failures).
/// </summary>
public sealed class ScramThrottleTests(ProxyServerFixture fixture) : IClassFixture<ProxyServerFixture>
{
    [Fact]
    public Task FirstStepWithoutProof_CountsAsFailedLogin_AddressBanned() => fixture.Inner.GuardAsync(async () =>
    {
        const string prober = "198.51.100.60";
        var account = await fixture.Inner.CreateAccountAsync("scrprobe");
        await using (var client = await ConnectAsync(prober))
        {
            for (var i = 0; i < ProxyServerFixture.BanAfterFailures; i++)
            {
                var scram = new RawScram(client, account.Login);
                Assert.Null(await scram.StartAsync());
                Assert.StartsWith("-ERR", await scram.CancelAsync());
            }
            // The fourth abandoned exchange is counted when the next one starts: the ban, and no salt.
            var refused = await new RawScram(client, account.Login).StartAsync();
            Assert.StartsWith("-ERR [LOGIN-DELAY]", refused);
            Assert.True(await client.IsClosedByServerAsync());
        }

        await using (var again = await LineClient.ConnectAsync(fixture.Pop3Port, LineClient.ProxyV1(prober)))
        {
            Assert.StartsWith("-ERR [LOGIN-DELAY]", await again.ReadLineAsync());
        }
        // Completed exchanges count as what they are: a user who logs in by SCRAM again and again is not banned.
        for (var i = 0; i <= ProxyServerFixture.BanAfterFailures; i++)
        {
            await using var user = await ConnectAsync("198.51.100.61");
            var scram = new RawScram(user, account.Login);
            Assert.Null(await scram.StartAsync());
            Assert.StartsWith("+OK", await scram.FinishAsync(account.Password));
            Assert.StartsWith("+OK", await user.CommandAsync("QUIT"));
            Assert.True(await user.IsClosedByServerAsync());
        }
    });

    private Task<LineClient> ConnectAsync(string address) => fixture.ConnectTlsAsync(address);
}
