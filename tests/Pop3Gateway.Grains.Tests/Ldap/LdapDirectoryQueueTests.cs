using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Pop3Gateway.Grains.Ldap;

namespace Pop3Gateway.Grains.Tests.Ldap;

public sealed class LdapDirectoryQueueTests
{
    [Fact]
    public async Task CheckAsync_EveryCheckSlotTakenNoWaitLine_BusyAtOnce()
    {
        // A directory that accepts connections and never answers: the first check holds the only slot.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var options = new LdapOptions
        {
            Url = $"ldap://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}",
            SearchBase = "dc=example,dc=org",
            PoolSize = 1,
            QueueLength = 0,
            ConnectTimeout = TimeSpan.FromSeconds(2),
            OperationTimeout = TimeSpan.FromSeconds(2),
        };
        using var directory = new LdapDirectory(options, NullLogger<LdapDirectory>.Instance);

        var first = directory.CheckAsync("alice", "secret", CancellationToken.None);
        var second = await directory.CheckAsync("bob", "secret", CancellationToken.None);

        Assert.Equal(DirectoryVerdict.Busy, second.Verdict);
        Assert.Equal(DirectoryVerdict.Unavailable, (await first).Verdict);
    }
}
