using System.Collections.Concurrent;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Frontends;

namespace Pop3Gateway.Grains.Tests;

/// <summary>Leases that name a front-end live as long as that front-end beats its front-end grain.</summary>
[Collection(ClusterCollection.Name)]
public sealed class FrontendLivenessTests(ClusterFixture fixture) : MailboxTestBase(fixture)
{
    private static readonly TimeSpan FrontendLease = SessionLivenessOptions.DefaultFrontendLease;

    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private readonly string _frontend = FrontendIds.New();

    private IFrontendGrain Frontend => Fixture.Grains.GetGrain<IFrontendGrain>(_frontend);

    private SessionLease FrontendLeaseFor(string holder) => new(Guid.NewGuid(), holder, _frontend);

    [Fact]
    public async Task OpenSession_HolderFrontendStoppedBeating_FreeAfterFrontendLease()
    {
        await CreateMailbox();
        await Deliver("one\n");
        await Frontend.Beat(Observer(new RecordingObserver()));
        var held = FrontendLeaseFor("crashed");
        await OpenEntries(held);

        Fixture.Clock.Advance(FrontendLease - Second);
        Assert.Equal(MailboxStatus.InUse, (await Mailbox.OpenSession(NewLease("early"), LockPolicy.Exclusive)).Status);
        Fixture.Clock.Advance(2 * Second);
        var next = await Mailbox.OpenSession(NewLease("next"), LockPolicy.Exclusive);

        Assert.Equal(MailboxStatus.Ok, next.Status);
        Assert.Equal(1, next.MessageCount);
        Assert.Equal(MailboxStatus.SessionLost, (await Mailbox.CommitMarks(held.SessionId, MessageMarks.Of(1))).Status);
        Assert.Equal(1, (await Mailbox.Describe()).MessageCount);
    }

    [Fact]
    public async Task OpenSession_BeatLateWithinFrontendLease_KeepsTheSession()
    {
        await CreateMailbox();
        var observer = Observer(new RecordingObserver());
        await Frontend.Beat(observer);
        var held = FrontendLeaseFor("slow");
        await OpenEntries(held);

        Fixture.Clock.Advance(FrontendLease - Second);
        await Frontend.Beat(observer);
        Fixture.Clock.Advance(FrontendLease - Second);

        Assert.Equal(MailboxStatus.InUse, (await Mailbox.OpenSession(NewLease("contender"), LockPolicy.Exclusive)).Status);
        Assert.Equal(MailboxStatus.Ok, await Mailbox.Renew(held.SessionId));
    }

    [Fact]
    public async Task OpenSession_BeatingFrontendNoLongerHasTheSession_TakenOverAtOnce()
    {
        await CreateMailbox();
        var (body, _) = await Deliver("one\n");
        var observer = new RecordingObserver();
        await Frontend.Beat(Observer(observer));
        var orphan = FrontendLeaseFor("gave up");
        await OpenEntries(orphan);
        var held = FrontendLeaseFor("open");
        Assert.Equal(MailboxStatus.InUse, (await Mailbox.OpenSession(held, LockPolicy.Exclusive)).Status);

        observer.Gone[orphan.SessionId] = 0;
        var next = await Mailbox.OpenSession(held, LockPolicy.Exclusive);

        Assert.Equal((MailboxStatus.Ok, 1), (next.Status, next.MessageCount));
        Assert.Equal(MailboxStatus.SessionLost, (await Mailbox.CommitMarks(orphan.SessionId, MessageMarks.Of(1))).Status);
        Assert.Equal(SessionPresence.Open, await Frontend.FindSession(held.SessionId));
        Assert.True(await BodyExists(body.BodyId));
    }

    [Fact]
    public async Task OpenSession_FrontendObserverFails_LeaseHolds()
    {
        await CreateMailbox();
        await Frontend.Beat(Observer(new RecordingObserver { Fails = true }));
        var held = FrontendLeaseFor("unanswered");
        await OpenEntries(held);

        Assert.Equal(MailboxStatus.InUse, (await Mailbox.OpenSession(NewLease("contender"), LockPolicy.Exclusive)).Status);
        Assert.Equal(MailboxStatus.Ok, await Mailbox.Renew(held.SessionId));
    }

    [Fact]
    public async Task OpenSession_FrontendGrainWithoutBeat_GrantsOneFrontendLeaseFromActivation()
    {
        await CreateMailbox();
        // The front-end's grain is activated by the first contender, as after its silo died.
        await OpenEntries(FrontendLeaseFor("moved"));

        Assert.Equal(MailboxStatus.InUse, (await Mailbox.OpenSession(NewLease("first"), LockPolicy.Exclusive)).Status);
        Assert.True(await Frontend.IsAlive());
        Fixture.Clock.Advance(FrontendLease - Second);
        Assert.Equal(MailboxStatus.InUse, (await Mailbox.OpenSession(NewLease("second"), LockPolicy.Exclusive)).Status);
        Fixture.Clock.Advance(2 * Second);

        Assert.False(await Frontend.IsAlive());
        Assert.Equal(MailboxStatus.Ok, (await Mailbox.OpenSession(NewLease("third"), LockPolicy.Exclusive)).Status);
    }

    [Fact]
    public async Task Kick_HeldByBeatingFrontend_FrontendToldAndCommitRefused()
    {
        await CreateMailbox();
        var (body, _) = await Deliver("one\n");
        var recording = new RecordingObserver();
        await Frontend.Beat(Observer(recording));
        var held = FrontendLeaseFor("kicked");
        await OpenEntries(held);

        Assert.Equal(held, await Mailbox.Kick());

        Assert.Equal(held.SessionId, await recording.Ended.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(MailboxStatus.SessionLost, (await Mailbox.CommitMarks(held.SessionId, MessageMarks.Of(1))).Status);
        Assert.True(await BodyExists(body.BodyId));
        Assert.Equal(1, (await Mailbox.Describe()).MessageCount);
        Assert.Equal(MailboxStatus.Ok, (await Mailbox.OpenSession(NewLease("next"), LockPolicy.Exclusive)).Status);
    }

    [Fact]
    public async Task ListSessions_BeatingFrontend_ListedInDirectoryWithItsSessions()
    {
        var session = new OpenSession(Guid.NewGuid(), Name, Name, "192.0.2.7", _frontend, DateTimeOffset.UnixEpoch, false);
        await Frontend.Beat(Observer(new RecordingObserver(session)));

        var listed = await Fixture.Grains.GetGrain<IFrontendDirectoryGrain>(IFrontendDirectoryGrain.DefaultKey).List();

        Assert.Contains(_frontend, listed);
        Assert.Equal([session], await Frontend.ListSessions());
    }

    private IFrontendObserver Observer(RecordingObserver observer) => Fixture.Grains.CreateObjectReference<IFrontendObserver>(observer);

    /// <summary>
    /// A front-end's observer that lists fixed sessions, holds every session but those in <see cref="Gone"/>, and records
    /// the session it is told to end.
    /// </summary>
    private sealed class RecordingObserver(params OpenSession[] sessions) : IFrontendObserver
    {
        public TaskCompletionSource<Guid> Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentDictionary<Guid, byte> Gone { get; } = new();

        public bool Fails { get; init; }

        public Task<IReadOnlyList<OpenSession>> ListSessions() => Task.FromResult<IReadOnlyList<OpenSession>>(sessions);

        public Task<bool> HoldsSession(Guid sessionId) =>
            Fails ? Task.FromException<bool>(new InvalidOperationException("front-end busy")) : Task.FromResult(!Gone.ContainsKey(sessionId));

        public Task<bool> EndSession(Guid sessionId) => Task.FromResult(Ended.TrySetResult(sessionId));
    }
}
