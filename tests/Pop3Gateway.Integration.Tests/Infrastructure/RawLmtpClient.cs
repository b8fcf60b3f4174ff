using System.Net.Sockets;
using System.Text;

namespace Pop3Gateway.Integration.Tests.Infrastructure;

/// <summary>A bare TCP LMTP client that sends exactly the bytes it is given: for malformed and byte-exact input.</summary>
public sealed class RawLmtpClient : IAsyncDisposable
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(30);

    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly List<byte> _pending = [];

    private RawLmtpClient(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public static async Task<RawLmtpClient> ConnectAsync(int port)
    {
        var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var lmtp = new RawLmtpClient(client);
        Assert.StartsWith("220 ", await lmtp.ReadLineAsync());
        return lmtp;
    }

    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    public async Task SendAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>Reads one reply line including its CRLF; a multi-line reply takes several calls.</summary>
    public async Task<string> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        var buffer = new byte[4096];
        while (true)
        {
            var lf = _pending.IndexOf((byte)'\n');
            if (lf >= 0)
            {
                var line = Encoding.Latin1.GetString(_pending.GetRange(0, lf + 1).ToArray());
                _pending.RemoveRange(0, lf + 1);
                return line;
            }
            var read = await _stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                throw new IOException($"connection closed; pending: {Encoding.Latin1.GetString(_pending.ToArray())}");
            }
            _pending.AddRange(buffer.AsSpan(0, read));
        }
    }

    /// <summary>Reads a whole reply (through its last line, the one with a space after the code).</summary>
    public async Task<string> ReadReplyAsync()
    {
        var reply = new StringBuilder();
        string line;
        do
        {
            line = await ReadLineAsync();
            reply.Append(line);
        }
        while (line.Length > 3 && line[3] == '-');
        return reply.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _client.Dispose();
    }
}
