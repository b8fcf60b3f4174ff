using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests.Security;

/// <summary>
/// No client can pin a connection: commands do not extend the login deadline, and replies the client does
/// not read end the connection at the idle timeout, releasing the mailbox with nothing deleted.
/// </summary>
public sealed class ConnectionPinningTests(PinningServerFixture fixture) : IClassFixture<PinningServerFixture>
{
    private const string Autologout = "-ERR Autologout; idle for too long. Nothing was deleted.";

    /// <summary>How often the pinning client sends CAPA when the server says nothing.</summary>
    private static readonly TimeSpan CapaInterval = TimeSpan.FromSeconds(3);

    /// <summary>How much earlier than its due time a server timer may be seen to fire.</summary>
    private static readonly TimeSpan ClockTolerance = TimeSpan.FromMilliseconds(100);

    [Fact]
    public Task CapaEveryThreeSeconds_LoginTimeoutFiveSeconds_CutAtTheDeadline() => fixture.Inner.GuardAsync(async () =>
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var started = Stopwatch.GetTimestamp();
        await socket.ConnectAsync(IPAddress.Loopback, fixture.Pop3Port);
        var lines = new LineReader(socket);
        Assert.StartsWith("+OK", await lines.NextAsync(TimeSpan.FromSeconds(30)));

        var capaReplies = 0;
        string? last;
        while (true)
        {
            // The client's whole behaviour: CAPA whenever the server has been quiet for 3 s.
            last = await lines.NextAsync(CapaInterval);
            if (last is null)
            {
                await socket.SendAsync("CAPA\r\n"u8.ToArray());
                continue;
            }
            if (last == "+OK Capability list follows.")
            {
                capaReplies++;
                while (await lines.NextAsync(TimeSpan.FromSeconds(30)) is not ".")
                {
                }
                continue;
            }
            break;
        }
        var elapsed = Stopwatch.GetElapsedTime(started);

        Assert.Equal(Autologout, last);
        Assert.True(await lines.ClosedAsync(), "the connection stays open after the autologout");
        Assert.Equal(1, capaReplies);
        // The server's timer may fire a clock tick early; the 3 s CAPA cadence never moved the deadline.
        Assert.InRange(elapsed, PinningServerFixture.LoginTimeout - ClockTolerance, PinningServerFixture.LoginTimeout + CapaInterval);
    });

    [Fact]
    public Task NeverReadingClient_IdleTimeoutFiveSeconds_CutAndTheMailboxOpensAgain() => fixture.Inner.GuardAsync(async () =>
    {
        var mailbox = await fixture.Inner.CreateMailboxAsync("pin", [TestMessages.Plain()]);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync(IPAddress.Loopback, fixture.Pop3Port);
        var lines = new LineReader(socket);
        Assert.StartsWith("+OK", await lines.NextAsync(TimeSpan.FromSeconds(30)));
        await socket.SendAsync(Encoding.ASCII.GetBytes($"USER {mailbox.Login}\r\nPASS {mailbox.Password}\r\nDELE 1\r\n"));
        for (var i = 0; i < 3; i++)
        {
            Assert.StartsWith("+OK", await lines.NextAsync(TimeSpan.FromSeconds(30)));
        }

        // Far more CAPA than the buffers on both sides hold: the send can only end when the server resets the connection.
        var flood = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("CAPA\r\n", 32 * 1024 * 1024 / 6)));
        var started = Stopwatch.GetTimestamp();
        var sending = Task.Run(async () => await socket.SendAsync(flood));
        await using (var second = await RawPop3Client.ConnectAsync(fixture.Pop3Port))
        {
            await second.ExpectOkAsync($"USER {mailbox.Login}");
            Assert.StartsWith("-ERR [IN-USE]", await second.CommandAsync($"PASS {mailbox.Password}"));
        }
        var reset = await Record.ExceptionAsync(() => sending.WaitAsync(TimeSpan.FromSeconds(60)));
        var elapsed = Stopwatch.GetElapsedTime(started);

        Assert.True(reset is SocketException or IOException, $"the flood ended with {reset?.GetType().Name ?? "no error"}");
        Assert.InRange(elapsed, PinningServerFixture.IdleTimeout - ClockTolerance, PinningServerFixture.IdleTimeout * 4);
        await using var again = await RawPop3Client.LoginAsync(fixture.Pop3Port, mailbox.Login, mailbox.Password);
        Assert.StartsWith("+OK 1 ", await again.CommandAsync("STAT"));
    });

    /// <summary>Reads CRLF lines from a socket, each read bounded by a timeout that loses no data.</summary>
    private sealed class LineReader(Socket socket)
    {
        private readonly byte[] _buffer = new byte[4096];
        private readonly StringBuilder _pending = new();
        private bool _closed;

        /// <summary>The next line, or null when none arrived within <paramref name="timeout"/> or the connection closed.</summary>
        public async Task<string?> NextAsync(TimeSpan timeout)
        {
            using var wait = new CancellationTokenSource(timeout);
            while (true)
            {
                var text = _pending.ToString();
                var end = text.IndexOf("\r\n", StringComparison.Ordinal);
                if (end >= 0)
                {
                    _pending.Remove(0, end + 2);
                    return text[..end];
                }
                if (_closed)
                {
                    return null;
                }
                int read;
                try
                {
                    read = await socket.ReceiveAsync(_buffer, SocketFlags.None, wait.Token);
                }
                catch (OperationCanceledException)
                {
                    return null;
                }
                _closed = read == 0;
                _pending.Append(Encoding.ASCII.GetString(_buffer, 0, read));
            }
        }

        /// <summary>Whether the server closed the connection (within 30 s) without sending anything more.</summary>
        public async Task<bool> ClosedAsync()
        {
            try
            {
                return await NextAsync(TimeSpan.FromSeconds(30)) is null && _closed;
            }
            catch (SocketException)
            {
                return true;
            }
        }
    }
}
