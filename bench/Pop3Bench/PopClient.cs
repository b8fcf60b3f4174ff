using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Pop3Bench;

/// <summary>
/// A minimal POP3 client over a raw socket with one receive buffer: reads status lines,
/// multi-line listings and message bodies (undoing dot-stuffing while it counts octets).
/// </summary>
public sealed class PopClient : IAsyncDisposable
{
    private const int BufferSize = 64 * 1024;

    // IP_BIND_ADDRESS_NO_PORT: a socket bound to a source address gets its port at connect, per destination.
    private const int SolIp = 0, IpBindAddressNoPort = 24;

    private readonly Socket _socket;
    private readonly SslStream? _tls;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _start;
    private int _end;

    private PopClient(Socket socket, SslStream? tls)
    {
        _socket = socket;
        _tls = tls;
    }

    public static Task<PopClient> ConnectAsync(IPEndPoint server, CancellationToken cancel) => ConnectAsync(server, null, null, null, cancel);

    /// <summary>Connects from <paramref name="source"/> (when given), over implicit TLS with <paramref name="tls"/> (when given).</summary>
    public static async Task<PopClient> ConnectAsync(IPEndPoint server, IPAddress? source, SslClientAuthenticationOptions? tls, TlsHandshakeLog? log, CancellationToken cancel)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        SslStream? stream = null;
        try
        {
            if (source is not null)
            {
                socket.SetRawSocketOption(SolIp, IpBindAddressNoPort, BitConverter.GetBytes(1));
                socket.Bind(new IPEndPoint(source, 0));
            }
            await socket.ConnectAsync(server, cancel);
            if (tls is not null)
            {
                var counted = new CountingStream(new NetworkStream(socket, ownsSocket: false));
                stream = new SslStream(counted, leaveInnerStreamOpen: false);
                await stream.AuthenticateAsClientAsync(tls, cancel);
                log?.Add(counted.BytesRead);
            }
        }
        catch
        {
            stream?.Dispose();
            socket.Dispose();
            throw;
        }
        var client = new PopClient(socket, stream);
        await client.ExpectOkAsync("greeting", cancel);
        return client;
    }

    public async Task LoginAsync(string login, string password, CancellationToken cancel)
    {
        await CommandAsync($"USER {login}", cancel);
        await CommandAsync($"PASS {password}", cancel);
    }

    /// <summary>Sends a command and returns its +OK line; throws on -ERR.</summary>
    public async Task<string> CommandAsync(string command, CancellationToken cancel)
    {
        await SendAsync(command, cancel);
        return await ExpectOkAsync(command.StartsWith("PASS ", StringComparison.Ordinal) ? "PASS" : command, cancel);
    }

    public async Task SendAsync(string command, CancellationToken cancel)
    {
        var bytes = Encoding.ASCII.GetBytes(command + "\r\n");
        if (_tls is not null)
        {
            await _tls.WriteAsync(bytes, cancel);
            return;
        }
        await _socket.SendAsync(bytes, SocketFlags.None, cancel);
    }

    public async Task<string> ExpectOkAsync(string what, CancellationToken cancel)
    {
        var line = await ReadLineAsync(cancel);
        if (!line.StartsWith("+OK", StringComparison.Ordinal))
        {
            throw new PopException($"{what}: {line}");
        }
        return line;
    }

    /// <summary>Reads a multi-line listing (after its +OK line) up to the terminating dot.</summary>
    public async Task<List<string>> ReadListingAsync(CancellationToken cancel)
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync(cancel);
            if (line == ".")
            {
                return lines;
            }
            lines.Add(line.StartsWith("..", StringComparison.Ordinal) ? line[1..] : line);
        }
    }

    /// <summary>Counts the listing lines without keeping them.</summary>
    public async Task<int> CountListingAsync(CancellationToken cancel)
    {
        var count = 0;
        while (true)
        {
            var (length, dot) = await SkipLineAsync(cancel);
            if (dot && length == 1)
            {
                return count;
            }
            count++;
        }
    }

    /// <summary>Reads a message body after RETR's +OK line and returns its octets with dot-stuffing undone.</summary>
    public async Task<long> ReadBodyAsync(CancellationToken cancel)
    {
        long octets = 0;
        while (true)
        {
            var (length, dot) = await SkipLineAsync(cancel);
            if (dot && length == 1)
            {
                return octets;
            }
            octets += length + 2 - (dot ? 1 : 0);
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancel)
    {
        while (true)
        {
            var span = _buffer.AsSpan(_start, _end - _start);
            var lf = span.IndexOf((byte)'\n');
            if (lf >= 0)
            {
                var length = lf > 0 && span[lf - 1] == '\r' ? lf - 1 : lf;
                var line = Encoding.ASCII.GetString(span[..length]);
                _start += lf + 1;
                return line;
            }
            await FillAsync(cancel);
        }
    }

    /// <summary>Consumes one line; returns its length without CRLF and whether it starts with a dot.</summary>
    private async ValueTask<(long Length, bool Dot)> SkipLineAsync(CancellationToken cancel)
    {
        long length = 0;
        var first = true;
        var dot = false;
        var pendingCr = false;
        while (true)
        {
            if (_start == _end)
            {
                await FillAsync(cancel);
            }
            var span = _buffer.AsSpan(_start, _end - _start);
            if (first)
            {
                dot = span[0] == '.';
                first = false;
            }
            var lf = span.IndexOf((byte)'\n');
            if (lf >= 0)
            {
                length += lf;
                var endsWithCr = lf > 0 ? span[lf - 1] == '\r' : pendingCr;
                _start += lf + 1;
                return (length - (endsWithCr ? 1 : 0), dot);
            }
            length += span.Length;
            pendingCr = span[^1] == '\r';
            _start = _end;
        }
    }

    private async ValueTask FillAsync(CancellationToken cancel)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            throw new PopException("line longer than the receive buffer");
        }
        var read = _tls is not null
            ? await _tls.ReadAsync(_buffer.AsMemory(_end), cancel)
            : await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancel);
        if (read == 0)
        {
            throw new PopException("connection closed by the server");
        }
        _end += read;
    }

    public async ValueTask DisposeAsync()
    {
        if (_tls is not null)
        {
            await _tls.DisposeAsync();
        }
        _socket.Dispose();
    }
}

public sealed class PopException(string message) : Exception(message);
