using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests.Security;

/// <summary>A server whose login and idle timeouts are 5 s, shared by the connection-pinning tests.</summary>
public sealed class PinningServerFixture : IAsyncLifetime
{
    public static readonly TimeSpan LoginTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(5);

    public ServerFixture Inner { get; } = new(new ServerProcess(new Dictionary<string, string>
    {
        ["POP3GW__Pop3__LoginTimeout"] = LoginTimeout.ToString(),
        ["POP3GW__Pop3__IdleTimeout"] = IdleTimeout.ToString(),
    }));

    public int Pop3Port => Inner.Pop3Port;

    public Task InitializeAsync() => Inner.InitializeAsync();

    public Task DisposeAsync() => Inner.DisposeAsync();
}
