using Pop3Gateway.Abstractions;
using Pop3Gateway.Frontend.Security;

namespace Pop3Gateway.Frontend.Tests.Security;

[Collection(FrontendCollection.Name)]
public sealed class LimitsTests(FrontendFixture fixture)
{
    private const string Password = "correct horse";

    [Fact]
    public void ConnectionLimiter_TotalAndPerAddress_RefusedThenFreedOnDispose()
    {
        var limiter = new ConnectionLimiter(new LimitsOptions { MaxConnections = 3, MaxConnectionsPerIp = 2 });
        var a1 = limiter.TryOpenConnection("a");
        var a2 = limiter.TryOpenConnection("a");
        Assert.NotNull(a1);
        Assert.NotNull(a2);
        Assert.Null(limiter.TryOpenConnection("a"));
        var b1 = limiter.TryOpenConnection("b");
        Assert.NotNull(b1);
        Assert.Null(limiter.TryOpenConnection("c"));
        Assert.Equal(3, limiter.Total);

        a1!.Dispose();
        a1.Dispose();
        Assert.Equal(2, limiter.Total);
        Assert.NotNull(limiter.TryOpenConnection("a"));
    }

    [Fact]
    public async Task TooManyConnections_SysTempAndClosed()
    {
        var security = FrontendFixture.Trusting(new LimitsOptions { MaxConnections = 1 });
        var handler = fixture.Handler(security: security);
        await using var first = new PipeConnection(handler);
        Assert.StartsWith("+OK", await first.ReadLineAsync());

        await using var second = new PipeConnection(handler);
        Assert.Equal("-ERR [SYS/TEMP] Too many connections; try again later.\r\n", await second.ReadToEndAsync());
    }

    [Fact]
    public async Task SessionsPerAccount_LimitHit_ThenFreedWhenTheFirstEnds()
    {
        var login = "u" + Guid.NewGuid().ToString("N")[..12];
        var shared = "s" + Guid.NewGuid().ToString("N")[..12];
        await fixture.CreateMailboxAsync(login, Password);
        await fixture.CreateMailboxAsync(shared, Password);
        Assert.True((await fixture.Grains.GetGrain<IAccountGrain>(login).Grant(shared)).IsOk);
        var security = FrontendFixture.Trusting(new LimitsOptions { MaxConnectionsPerAccount = 1 });
        var handler = fixture.Handler(security: security);

        var first = new PipeConnection(handler);
        Assert.StartsWith("+OK", await first.ReadLineAsync());
        await first.SendAsync($"USER {login}\r\nPASS {Password}\r\n");
        await first.ReadLineAsync();
        Assert.Equal("+OK Logged in.\r\n", await first.ReadLineAsync());

        await using (var second = new PipeConnection(handler))
        {
            await second.ReadLineAsync();
            await second.SendAsync($"USER {login}\\{shared}\r\nPASS {Password}\r\n");
            await second.ReadLineAsync();
            Assert.Equal("-ERR [SYS/TEMP] Too many sessions for this account; try again later.\r\n", await second.ReadToEndAsync());
        }

        await first.SendAsync("QUIT\r\n");
        await first.ReadToEndAsync();
        await first.DisposeAsync();

        await using var third = new PipeConnection(handler);
        await third.ReadLineAsync();
        await third.SendAsync($"USER {login}\\{shared}\r\nPASS {Password}\r\n");
        await third.ReadLineAsync();
        Assert.Equal("+OK Logged in.\r\n", await third.ReadLineAsync());
    }
}
