using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Pop3Gateway.Testing;

/// <summary>
/// A bare TCP client for CRLF line protocols (POP3, LMTP): it sends exactly the bytes a test gives it,
/// so malformed input can be sent, and reads the server's lines one at a time. It can write a PROXY
/// header before anything else and switch to TLS after STLS. <see cref="RawPop3Client"/> and
/// <see cref="RawLmtpClient"/> add what each protocol needs on top.
/// </summary>
public sealed class LineClient : IAsyncDisposable
{
    public static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(30);

    private readonly TcpClient _tcp;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private Stream _stream;
    private int _start;
    private int _end;

    private LineClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public bool IsTls => _stream is SslStream;

    /// <summary>
    /// Connects to 127.0.0.1:<paramref name="port"/> and sends <paramref name="preamble"/> (a PROXY header) first.
    /// <paramref name="receiveBufferSize"/> shrinks the socket's receive buffer, for a client that reads slowly;
    /// <paramref name="source"/> binds the client's end to another loopback address (127.0.0.2).
    /// </summary>
    public static async Task<LineClient> ConnectAsync(int port, byte[]? preamble = null, int? receiveBufferSize = null, IPAddress? source = null)
    {
        var tcp = new TcpClient { NoDelay = true };
        if (receiveBufferSize is { } size)
        {
            tcp.ReceiveBufferSize = size;
        }
        if (source is not null)
        {
            tcp.Client.Bind(new IPEndPoint(source, 0));
        }
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var client = new LineClient(tcp);
        if (preamble is not null)
        {
            await client.SendRawAsync(preamble);
        }
        return client;
    }

    /// <summary>PROXY v1 header claiming the client is <paramref name="source"/>.</summary>
    public static byte[] ProxyV1(string source, int sourcePort = 40000) =>
        Encoding.ASCII.GetBytes($"PROXY TCP4 {source} 127.0.0.1 {sourcePort} 110\r\n");

    /// <summary>PROXY v2 header (PROXY command, TCP over IPv4) claiming the client is <paramref name="source"/>.</summary>
    public static byte[] ProxyV2(string source, int sourcePort = 40000)
    {
        byte[] signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];
        var header = new List<byte>(signature) { 0x21, 0x11, 0x00, 12 };
        header.AddRange(IPAddress.Parse(source).GetAddressBytes());
        header.AddRange(IPAddress.Loopback.GetAddressBytes());
        header.AddRange([(byte)(sourcePort >> 8), (byte)sourcePort, 0, 110]);
        return header.ToArray();
    }

    public Task SendRawAsync(string text) => SendRawAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendRawAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Sends one line with CRLF and returns the first line of the reply.</summary>
    public async Task<string> CommandAsync(string line)
    {
        await SendRawAsync(line + "\r\n");
        return await ReadLineAsync() ?? throw new IOException($"connection closed instead of a reply to '{Redact(line)}'");
    }

    /// <summary>Reads one line without its line ending; null when the server closed the connection.</summary>
    public async Task<string?> ReadLineAsync()
    {
        var line = await ReadLineBytesAsync();
        return line is null ? null : Encoding.UTF8.GetString(line).TrimEnd('\r', '\n');
    }

    /// <summary>
    /// Reads one line with its line ending, as sent; null when the server closed the connection
    /// first, the bytes so far when it closed inside a line.
    /// </summary>
    public async Task<byte[]?> ReadLineBytesAsync()
    {
        var line = new MemoryStream();
        while (true)
        {
            var lf = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (lf >= 0)
            {
                line.Write(_buffer, _start, lf + 1 - _start);
                _start = lf + 1;
                return line.ToArray();
            }
            line.Write(_buffer, _start, _end - _start);
            _start = _end = 0;
            var read = await ReadWithTimeoutAsync();
            if (read == 0)
            {
                return line.Length == 0 ? null : line.ToArray();
            }
            _end = read;
        }
    }

    /// <summary>The lines of a multi-line reply up to the terminating dot, as sent (dot-stuffing kept).</summary>
    public async Task<List<string>> ReadMultilineAsync()
    {
        var lines = new List<string>();
        while (await ReadLineAsync() is { } line && line != ".")
        {
            lines.Add(line);
        }
        return lines;
    }

    /// <summary>Reads whatever the server sends until at least <paramref name="atLeast"/> bytes or the close; returns the count.</summary>
    public async Task<int> ReadSomeAsync(int atLeast)
    {
        var total = _end - _start;
        _start = _end = 0;
        while (total < atLeast)
        {
            var read = await ReadWithTimeoutAsync();
            if (read == 0)
            {
                break;
            }
            total += read;
        }
        _end = 0;
        return total;
    }

    /// <summary>Whether the server closes the connection (within the timeout) without sending another line.</summary>
    public async Task<bool> IsClosedByServerAsync()
    {
        try
        {
            return await ReadLineBytesAsync() is null;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>Negotiates TLS on the current connection, trusting only <paramref name="certificatePath"/>'s certificate.</summary>
    public async Task StartTlsAsync(string certificatePath)
    {
        if (_start < _end)
        {
            throw new InvalidOperationException($"{_end - _start} bytes arrived before the TLS handshake");
        }
        var expected = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(certificatePath));
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false,
            (_, certificate, _, _) => certificate is not null && certificate.GetCertHashString() == expected.GetCertHashString());
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, timeout.Token);
        _stream = ssl;
    }

    /// <summary>Ends the connection with a TCP reset: the client vanishes without a word.</summary>
    public void Abort()
    {
        _tcp.Client.LingerState = new LingerOption(true, 0);
        _tcp.Close();
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }

    private async Task<int> ReadWithTimeoutAsync()
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        try
        {
            return await _stream.ReadAsync(_buffer, timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no data from the server within {ReplyTimeout.TotalSeconds} s");
        }
    }

    private static string Redact(string line) =>
        line.StartsWith("PASS ", StringComparison.OrdinalIgnoreCase) ? "PASS ***" : line;
}
