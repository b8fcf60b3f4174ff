using Pop3Gateway.Protocol.Backend;
using Pop3Gateway.Protocol.Tests.Support;

namespace Pop3Gateway.Protocol.Tests.Session;

public sealed class AbortDuringLoginTests
{
    private sealed class SlowBackend : IPop3Backend
    {
        public TaskCompletionSource<LoginResult> Result { get; } = new();

        public Task<LoginResult> LoginAsync(Protocol.Session.Pop3UserName user, string password, CancellationToken cancellationToken)
            => Result.Task;

        public Task<ScramParameters> GetScramParametersAsync(Protocol.Session.Pop3UserName user, CancellationToken cancellationToken)
            => Task.FromResult(new ScramParameters(new byte[16], 4096));

        public Task<LoginResult> LoginScramAsync(Protocol.Session.Pop3UserName user, string authMessage, byte[] clientProof, CancellationToken cancellationToken)
            => Result.Task;
    }

    [Fact]
    public async Task AbortAsync_WhileLoginPending_ReleasesTheMailboxWhenLoginCompletes()
    {
        var backend = new SlowBackend();
        var session = new Protocol.Session.Pop3Session(backend, new Protocol.Pop3Options());
        await session.HandleLineAsync(Bytes.Sequence("USER alice"), CancellationToken.None);
        var pass = session.HandleLineAsync(Bytes.Sequence("PASS secret"), CancellationToken.None);

        await session.AbortAsync();
        var maildrop = new FakeMaildrop("alice", FakeBackend.AliceMessages);
        backend.Result.SetResult(LoginResult.Success(maildrop));

        Assert.True((await pass).CloseConnection);
        Assert.Equal(["RELEASE"], maildrop.Calls);
        Assert.Equal(Protocol.Session.Pop3State.Authorization, session.State);
    }
}
