using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Protocol.Tests.Support;

/// <summary>A session over the fake backend, driven one line at a time.</summary>
internal sealed class SessionDriver
{
    public SessionDriver(Pop3Options? options = null)
    {
        Session = new Pop3Session(Backend, options ?? new Pop3Options());
    }

    public FakeBackend Backend { get; } = new();

    public Pop3Session Session { get; }

    public FakeMaildrop Maildrop => Backend.Opened ?? throw new InvalidOperationException("Not logged in.");

    public Task<Pop3Reply> SendAsync(string line) => Session.HandleLineAsync(Bytes.Sequence(line), CancellationToken.None);

    public async Task<SessionDriver> LoginAsync(string user = "alice")
    {
        Assert.True((await SendAsync($"USER {user}")).IsOk);
        var reply = await SendAsync($"PASS {FakeBackend.Password}");
        Assert.True(reply.IsOk, reply.Text);
        return this;
    }

    public static Task<SessionDriver> LoggedInAsync(Pop3Options? options = null) => new SessionDriver(options).LoginAsync();
}
