using System.Text;

namespace Pop3Gateway.Testing;

/// <summary>
/// LMTP on a <see cref="LineClient"/>: the 220 greeting, Latin-1 text sent byte for byte (for malformed and
/// byte-exact input), reply lines with their CRLF and whole multi-line replies.
/// </summary>
public sealed class RawLmtpClient : IAsyncDisposable
{
    private readonly LineClient _lines;

    private RawLmtpClient(LineClient lines) => _lines = lines;

    public static async Task<RawLmtpClient> ConnectAsync(int port)
    {
        var lmtp = new RawLmtpClient(await LineClient.ConnectAsync(port));
        Assert.StartsWith("220 ", await lmtp.ReadLineAsync());
        return lmtp;
    }

    public Task SendAsync(string text) => _lines.SendRawAsync(Encoding.Latin1.GetBytes(text));

    public Task SendAsync(byte[] bytes) => _lines.SendRawAsync(bytes);

    /// <summary>Reads one reply line including its CRLF; a multi-line reply takes several calls.</summary>
    public async Task<string> ReadLineAsync() =>
        Encoding.Latin1.GetString(await _lines.ReadLineBytesAsync() ?? throw new IOException("connection closed instead of a reply line"));

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

    public ValueTask DisposeAsync() => _lines.DisposeAsync();
}
