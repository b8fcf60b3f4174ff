using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Frontends;
using Pop3Gateway.Frontend.Backend;
using Pop3Gateway.Frontend.Pop3;
using Pop3Gateway.Protocol.Backend;

namespace Pop3Gateway.Frontend.Tests;

/// <summary>
/// Mailboxes larger than one snapshot piece (<see cref="FrontendFixture.PieceMessages"/>): the commands work across
/// piece boundaries with the same replies, a whole listing reads piece by piece with bounded memory, and a
/// listing that loses its session part way is cut and the connection ends.
/// </summary>
[Collection(FrontendCollection.Name)]
public sealed class SnapshotPieceTests(FrontendFixture fixture)
{
    private const string Password = "correct horse";

    /// <summary>Two full pieces and a part.</summary>
    private const int Messages = (2 * FrontendFixture.PieceMessages) + 2;

    private static string NewLogin() => "p" + Guid.NewGuid().ToString("N")[..12];

    private static string Message(int n) => $"Subject: {n}\r\n\r\nbody {n}\r\n";

    private async Task<string[]> CreateAsync(string login) =>
        await fixture.CreateMailboxAsync(login, Password, [.. Enumerable.Range(1, Messages).Select(Message)]);

    [Fact]
    public async Task Commands_AcrossPieceBoundaries_RepliesAsForOnePiece()
    {
        var login = NewLogin();
        var uidls = await CreateAsync(login);
        var sizes = Enumerable.Range(1, Messages).Select(n => Message(n).Length).ToArray();
        await using var connection = await fixture.LoginAsync(login, Password);

        await connection.SendAsync("STAT\r\nLIST\r\nUIDL\r\nUIDL 7\r\nLIST 10\r\nRETR 9\r\nTOP 5 0\r\n");

        Assert.Equal($"+OK {Messages} {sizes.Sum()}\r\n", await connection.ReadLineAsync());
        Assert.Equal($"+OK {Messages} messages ({sizes.Sum()} octets)\r\n" + string.Concat(sizes.Select((s, i) => $"{i + 1} {s}\r\n")) + ".\r\n",
            await connection.ReadMultiLineAsync());
        Assert.Equal("+OK Unique-ID listing follows.\r\n" + string.Concat(uidls.Select((u, i) => $"{i + 1} {u}\r\n")) + ".\r\n",
            await connection.ReadMultiLineAsync());
        Assert.Equal($"+OK 7 {uidls[6]}\r\n", await connection.ReadLineAsync());
        Assert.Equal($"+OK 10 {sizes[9]}\r\n", await connection.ReadLineAsync());
        Assert.Equal($"+OK {sizes[8]} octets\r\n{Message(9)}.\r\n", await connection.ReadMultiLineAsync());
        Assert.Equal("+OK Top of message follows.\r\nSubject: 5\r\n\r\n.\r\n", await connection.ReadMultiLineAsync());
    }

    [Fact]
    public async Task DeleAllThenQuit_AcrossPieces_MailboxEmptied()
    {
        var login = NewLogin();
        await CreateAsync(login);
        await using var connection = await fixture.LoginAsync(login, Password);

        await connection.SendAsync(string.Concat(Enumerable.Range(1, Messages).Select(n => $"DELE {Messages + 1 - n}\r\n")) + "STAT\r\nUIDL\r\nQUIT\r\n");

        for (var n = Messages; n >= 1; n--)
        {
            Assert.Equal($"+OK Message {n} deleted.\r\n", await connection.ReadLineAsync());
        }
        Assert.Equal("+OK 0 0\r\n", await connection.ReadLineAsync());
        Assert.Equal("+OK Unique-ID listing follows.\r\n.\r\n", await connection.ReadMultiLineAsync());
        Assert.StartsWith("+OK", await connection.ReadLineAsync());
        Assert.Equal(0, (await fixture.Grains.GetGrain<IMailboxGrain>(login).Describe()).MessageCount);
    }

    [Fact]
    public async Task ListAllAsync_ManyPieces_OneReadPerFurtherPieceAndBoundedMemory()
    {
        var login = NewLogin();
        var uidls = await CreateAsync(login);
        var (maildrop, _) = await OpenAsync(login);

        var listing = await maildrop.ListAllAsync(CancellationToken.None);
        var listed = new List<string>();
        await foreach (var item in listing.Value!.Listings)
        {
            listed.Add(item.Uidl);
        }

        Assert.Equal(uidls, listed);
        var (reads, largest) = maildrop.PieceUse;
        Assert.Equal(2, reads);
        Assert.InRange(largest, 1, SnapshotCache.Capacity * FrontendFixture.PieceMessages * (SnapshotPieces.MaxEntryBytes + 4));
        await maildrop.ReleaseAsync();
    }

    [Fact]
    public async Task Commands_OnePieceMailbox_NoReadAfterLogin()
    {
        var login = NewLogin();
        await fixture.CreateMailboxAsync(login, Password, [.. Enumerable.Range(1, FrontendFixture.PieceMessages).Select(Message)]);
        var (maildrop, _) = await OpenAsync(login);

        await foreach (var _ in (await maildrop.ListAllAsync(CancellationToken.None)).Value!.Listings)
        {
        }
        Assert.True((await maildrop.FetchAsync(FrontendFixture.PieceMessages, CancellationToken.None)).IsOk);
        Assert.Equal(MaildropStatus.Ok, await maildrop.DeleteAsync(1, CancellationToken.None));

        Assert.Equal(0, maildrop.PieceUse.Reads);
        Assert.Equal(1, (await maildrop.CommitAsync(CancellationToken.None)).Value);
    }

    [Fact]
    public async Task Uidl_SessionLostBeforeTheSecondPiece_ReplyCutAndConnectionEnds()
    {
        var login = NewLogin();
        var uidls = await CreateAsync(login);
        await using var connection = await fixture.LoginAsync(login, Password);
        Assert.NotNull(await fixture.Grains.GetGrain<IMailboxGrain>(login).Kick());

        await connection.SendAsync("UIDL\r\nSTAT\r\n");
        var rest = await connection.ReadToEndAsync();

        Assert.Equal("+OK Unique-ID listing follows.\r\n" + string.Concat(uidls.Take(FrontendFixture.PieceMessages).Select((u, i) => $"{i + 1} {u}\r\n")), rest);
        Assert.Equal(Messages, (await fixture.Grains.GetGrain<IMailboxGrain>(login).Describe()).MessageCount);
    }

    /// <summary>A session opened on the mailbox grain as a login would, and the front-end's maildrop over it.</summary>
    private async Task<(GrainMaildrop Maildrop, SessionSnapshot Snapshot)> OpenAsync(string login)
    {
        var grain = fixture.Grains.GetGrain<IMailboxGrain>(login);
        var lease = new SessionLease(Guid.NewGuid(), "test");
        var snapshot = await grain.OpenSession(lease, LockPolicy.Exclusive);
        Assert.Equal(MailboxStatus.Ok, snapshot.Status);
        var shared = new Pop3BackendFactory(fixture.Grains, fixture.Bodies, Options.Create(new Pop3ServerOptions()),
            FrontendFixture.Trusting(new Frontend.Security.LimitsOptions()), TimeProvider.System, NullLogger<GrainPop3Backend>.Instance);
        var open = new OpenSession(lease.SessionId, login, login, "127.0.0.1", "test", DateTimeOffset.UtcNow, false);
        return (new GrainMaildrop(grain, open, snapshot, shared, _ => { }), snapshot);
    }
}
