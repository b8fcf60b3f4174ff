using System.Diagnostics;
using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests.Ldap;

/// <summary>
/// The brute-force defence holds for directory logins: failures are delayed alike for a wrong password and
/// an unknown user and lead to a ban, while a directory outage counts as no failure at all.
/// </summary>
[Collection(LdapCollection.Name)]
public sealed class LdapThrottleTests(LdapFixture fixture)
{
    private static readonly TimeSpan FailureDelay = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Login_ThrottledLoopback_OutageCountsNothingFailuresDelayedThenBanned()
    {
        await using var server = new ServerProcess(fixture.GatewaySettings(new Dictionary<string, string>
        {
            // Loopback is not trusted here, so it is throttled; cleartext logins are allowed outright instead.
            ["POP3GW__Security__TrustedNetworks"] = "",
            ["POP3GW__Security__AllowCleartextAuth"] = "true",
            ["POP3GW__Security__FailureDelay"] = FailureDelay.ToString(),
            ["POP3GW__Security__MaxFailureDelay"] = FailureDelay.ToString(),
            ["POP3GW__Security__BanAfterFailures"] = "3",
        }));
        var gateway = new ServerFixture(server);
        await server.StartAsync();
        await gateway.GuardAsync(async () =>
        {
            await fixture.Slapd.StopAsync();
            var outage = new List<string>();
            try
            {
                for (var i = 0; i < 3; i++)
                {
                    outage.Add((await TimedLoginAsync(server.Pop3Port, "erin", "not-erins-password")).Reply);
                }
            }
            finally
            {
                await fixture.Slapd.StartAsync();
            }
            var wrong = await TimedLoginAsync(server.Pop3Port, "erin", "not-erins-password");
            var unknown = await TimedLoginAsync(server.Pop3Port, "nobody-here", "whatever-1");
            await using (await RawPop3Client.LoginAsync(server.Pop3Port, "erin", SlapdProcess.Password("erin")))
            {
            }
            var third = await TimedLoginAsync(server.Pop3Port, "erin", "not-erins-password");
            var banned = await GreetingAsync(server.Pop3Port);

            Assert.All(outage, reply => Assert.StartsWith("-ERR [SYS/TEMP]", reply));
            Assert.StartsWith("-ERR [AUTH]", wrong.Reply);
            Assert.Equal(wrong.Reply, unknown.Reply);
            Assert.True(wrong.Elapsed >= FailureDelay && unknown.Elapsed >= FailureDelay, $"wrong {wrong.Elapsed}, unknown {unknown.Elapsed}");
            Assert.StartsWith("-ERR", third.Reply);
            Assert.StartsWith("-ERR [LOGIN-DELAY]", banned);
        });
    }

    /// <summary>The first line a new connection gets: a banned address is refused in the greeting.</summary>
    private static async Task<string> GreetingAsync(int port)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        using var reader = new StreamReader(tcp.GetStream());
        return await reader.ReadLineAsync().WaitAsync(LineClient.ReplyTimeout) ?? "";
    }

    private static async Task<(string Reply, TimeSpan Elapsed)> TimedLoginAsync(int port, string user, string password)
    {
        await using var client = await RawPop3Client.ConnectAsync(port);
        await client.ExpectOkAsync("USER " + user);
        var started = Stopwatch.GetTimestamp();
        var reply = await client.CommandAsync("PASS " + password);
        return (reply, Stopwatch.GetElapsedTime(started));
    }
}
