using System.Net.Sockets;
using System.Text;

namespace Pop3Gateway.Integration.Tests.Infrastructure;

/// <summary>
/// A deliberately small POP3 client over a raw socket: it sends exactly the bytes a test
/// gives it and reads replies line by line, so malformed input can be sent.
/// </summary>
public sealed class RawPop3Client : IAsyncDisposable
{
    public static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(30);

    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private RawPop3Client(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public string Greeting { get; private set; } = "";

    public static async Task<RawPop3Client> ConnectAsync(int port, int? receiveBufferSize = null)
    {
        var tcp = new TcpClient { NoDelay = true };
        if (receiveBufferSize is { } size)
        {
            tcp.ReceiveBufferSize = size;
        }
        await tcp.ConnectAsync("127.0.0.1", port);
        var client = new RawPop3Client(tcp);
        client.Greeting = await client.ReadLineAsync() ?? throw new IOException("connection closed before the greeting");
        Assert.StartsWith("+OK", client.Greeting);
        return client;
    }

    /// <summary>Connects and logs in with USER/PASS; fails the test unless both answer +OK.</summary>
    public static async Task<RawPop3Client> LoginAsync(int port, string user, string password, int? receiveBufferSize = null)
    {
        var client = await ConnectAsync(port, receiveBufferSize);
        await client.ExpectOkAsync($"USER {user}");
        await client.ExpectOkAsync($"PASS {password}");
        return client;
    }

    public Task SendRawAsync(string text) => SendRawAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendRawAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Sends one command with CRLF and returns the first line of the reply.</summary>
    public async Task<string> CommandAsync(string command)
    {
        await SendRawAsync(command + "\r\n");
        return await ReadLineAsync() ?? throw new IOException($"connection closed instead of a reply to '{Redact(command)}'");
    }

    public async Task<string> ExpectOkAsync(string command)
    {
        var reply = await CommandAsync(command);
        Assert.True(reply.StartsWith("+OK", StringComparison.Ordinal), $"'{Redact(command)}' got '{reply}'");
        return reply;
    }

    public async Task<string> ExpectErrAsync(string command)
    {
        var reply = await CommandAsync(command);
        Assert.True(reply.StartsWith("-ERR", StringComparison.Ordinal), $"'{Redact(command)}' got '{reply}'");
        return reply;
    }

    /// <summary>Reads one line without its line ending; null when the server closed the connection.</summary>
    public async Task<string?> ReadLineAsync()
    {
        var line = await ReadLineBytesAsync();
        return line is null ? null : Encoding.UTF8.GetString(line).TrimEnd('\r', '\n');
    }

    /// <summary>Reads the lines of a multi-line reply up to ".CRLF", undoes byte-stuffing, returns the raw bytes (CRLFs kept).</summary>
    public async Task<byte[]> ReadMultilineAsync()
    {
        var data = new MemoryStream();
        while (true)
        {
            var line = await ReadLineBytesAsync() ?? throw new IOException("connection closed inside a multi-line reply");
            if (line is [(byte)'.', (byte)'\r', (byte)'\n'])
            {
                return data.ToArray();
            }
            Assert.True(line.Length >= 2 && line[^2] == '\r', "a multi-line reply line does not end in CRLF");
            var offset = line[0] == '.' ? 1 : 0;
            data.Write(line, offset, line.Length - offset);
        }
    }

    /// <summary>Reads the next chunk of whatever the server sends (for a test that drops the connection midway).</summary>
    public async Task<int> ReadSomeAsync(int atLeast)
    {
        var total = _end - _start;
        _start = _end = 0;
        while (total < atLeast)
        {
            var read = await ReadWithTimeoutAsync(_buffer, 0, _buffer.Length);
            if (read == 0)
            {
                break;
            }
            total += read;
        }
        return total;
    }

    /// <summary>True when the server closed the connection (reads end) within the timeout.</summary>
    public async Task<bool> IsClosedByServerAsync()
    {
        try
        {
            while (true)
            {
                if (await ReadLineBytesAsync() is null)
                {
                    return true;
                }
            }
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>Ends the connection with a TCP reset, without QUIT: the client vanishes.</summary>
    public void Abort()
    {
        _client.Client.LingerState = new LingerOption(true, 0);
        _client.Close();
    }

    public async ValueTask DisposeAsync()
    {
        await Task.CompletedTask;
        _client.Dispose();
    }

    private async Task<byte[]?> ReadLineBytesAsync()
    {
        var line = new MemoryStream();
        while (true)
        {
            for (var i = _start; i < _end; i++)
            {
                if (_buffer[i] == '\n')
                {
                    line.Write(_buffer, _start, i + 1 - _start);
                    _start = i + 1;
                    return line.ToArray();
                }
            }
            line.Write(_buffer, _start, _end - _start);
            _start = _end = 0;
            var read = await ReadWithTimeoutAsync(_buffer, 0, _buffer.Length);
            if (read == 0)
            {
                return line.Length == 0 ? null : line.ToArray();
            }
            _end = read;
        }
    }

    private async Task<int> ReadWithTimeoutAsync(byte[] buffer, int offset, int count)
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        try
        {
            return await _stream.ReadAsync(buffer.AsMemory(offset, count), timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no data from the server within {ReplyTimeout.TotalSeconds} s");
        }
    }

    private static string Redact(string command) =>
        command.StartsWith("PASS ", StringComparison.OrdinalIgnoreCase) ? "PASS ***" : command;
}
