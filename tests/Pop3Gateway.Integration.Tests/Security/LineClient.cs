using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Pop3Gateway.Integration.Tests.Security;

/// <summary>
/// A raw POP3 client for the security tests: it can write a PROXY header before anything else,
/// and switch its stream to TLS after STLS. Lines are read one byte at a time, so no byte that
/// arrives after a line is consumed before the handshake.
/// </summary>
public sealed class LineClient : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly TcpClient _tcp;
    private Stream _stream;

    private LineClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public bool IsTls => _stream is SslStream;

    /// <summary>Connects to 127.0.0.1:<paramref name="port"/> and sends <paramref name="preamble"/> (a PROXY header) first.</summary>
    public static async Task<LineClient> ConnectAsync(int port, byte[]? preamble = null)
    {
        var tcp = new TcpClient { NoDelay = true };
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

    public async Task<string> CommandAsync(string command)
    {
        await SendRawAsync(command + "\r\n");
        return await ReadLineAsync() ?? throw new IOException($"connection closed after '{command.Split(' ')[0]}'");
    }

    /// <summary>One line without its CRLF; null when the server closed the connection.</summary>
    public async Task<string?> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var line = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            var read = await _stream.ReadAsync(one, timeout.Token);
            if (read == 0)
            {
                return line.Count == 0 ? null : Encoding.UTF8.GetString(line.ToArray());
            }
            if (one[0] == '\n')
            {
                return Encoding.UTF8.GetString(line.ToArray()).TrimEnd('\r');
            }
            line.Add(one[0]);
        }
    }

    /// <summary>The lines of a multi-line reply up to the terminating dot.</summary>
    public async Task<List<string>> ReadMultilineAsync()
    {
        var lines = new List<string>();
        while (await ReadLineAsync() is { } line && line != ".")
        {
            lines.Add(line);
        }
        return lines;
    }

    /// <summary>Negotiates TLS on the current connection, trusting only <paramref name="certificatePath"/>'s certificate.</summary>
    public async Task StartTlsAsync(string certificatePath)
    {
        var expected = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(certificatePath));
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false,
            (_, certificate, _, _) => certificate is not null && certificate.GetCertHashString() == expected.GetCertHashString());
        using var timeout = new CancellationTokenSource(Timeout);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, timeout.Token);
        _stream = ssl;
    }

    /// <summary>Whether the server closes the connection (within the timeout) without sending anything more.</summary>
    public async Task<bool> IsClosedByServerAsync()
    {
        try
        {
            return await ReadLineAsync() is null;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }
}
