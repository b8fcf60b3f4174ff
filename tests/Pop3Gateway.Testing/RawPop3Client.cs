namespace Pop3Gateway.Testing;

/// <summary>
/// POP3 on a <see cref="LineClient"/>: the greeting, USER/PASS, +OK/-ERR checks and multi-line replies
/// with dot-stuffing undone. Everything is sent byte for byte, so malformed input can be sent too.
/// </summary>
public sealed class RawPop3Client : IAsyncDisposable
{
    private readonly LineClient _lines;

    private RawPop3Client(LineClient lines, string greeting)
    {
        _lines = lines;
        Greeting = greeting;
    }

    public string Greeting { get; }

    public static async Task<RawPop3Client> ConnectAsync(int port, int? receiveBufferSize = null)
    {
        var lines = await LineClient.ConnectAsync(port, receiveBufferSize: receiveBufferSize);
        var greeting = await lines.ReadLineAsync() ?? throw new IOException("connection closed before the greeting");
        Assert.StartsWith("+OK", greeting);
        return new RawPop3Client(lines, greeting);
    }

    /// <summary>Connects and logs in with USER/PASS; fails the test unless both answer +OK.</summary>
    public static async Task<RawPop3Client> LoginAsync(int port, string user, string password, int? receiveBufferSize = null)
    {
        var client = await ConnectAsync(port, receiveBufferSize);
        await client.ExpectOkAsync($"USER {user}");
        await client.ExpectOkAsync($"PASS {password}");
        return client;
    }

    /// <summary>
    /// Logs in with USER/PASS as soon as the server lets it: PASS is tried again while it answers
    /// <c>[IN-USE]</c> (a session that just ended still holds the mailbox) or <c>[SYS/TEMP]</c> (the
    /// cluster is not serving yet), until <paramref name="within"/> has passed. Any other answer fails at once.
    /// </summary>
    public static Task<RawPop3Client> LoginSoonAsync(int port, string user, string password, TimeSpan within) =>
        Eventually.GetAsync($"a login as {user} on port {port}", within, async () =>
        {
            var client = await ConnectAsync(port);
            await client.ExpectOkAsync($"USER {user}");
            var reply = await client.CommandAsync($"PASS {password}");
            if (reply.StartsWith("+OK", StringComparison.Ordinal))
            {
                return (client, reply);
            }
            await client.DisposeAsync();
            Assert.True(reply.StartsWith("-ERR [IN-USE]", StringComparison.Ordinal) || reply.StartsWith("-ERR [SYS/TEMP]", StringComparison.Ordinal),
                $"login as {user} got '{reply}'");
            return (null, $"PASS got '{reply}'");
        });

    public Task SendRawAsync(string text) => _lines.SendRawAsync(text);

    public Task SendRawAsync(byte[] bytes) => _lines.SendRawAsync(bytes);

    /// <summary>Sends one command with CRLF and returns the first line of the reply.</summary>
    public Task<string> CommandAsync(string command) => _lines.CommandAsync(command);

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
    public Task<string?> ReadLineAsync() => _lines.ReadLineAsync();

    /// <summary>Reads the lines of a multi-line reply up to ".CRLF", undoes byte-stuffing, returns the raw bytes (CRLFs kept).</summary>
    public async Task<byte[]> ReadMultilineAsync()
    {
        var data = new MemoryStream();
        while (true)
        {
            var line = await _lines.ReadLineBytesAsync() ?? throw new IOException("connection closed inside a multi-line reply");
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
    public Task<int> ReadSomeAsync(int atLeast) => _lines.ReadSomeAsync(atLeast);

    /// <summary>Whether the server closes the connection (within the timeout) without sending another line.</summary>
    public Task<bool> IsClosedByServerAsync() => _lines.IsClosedByServerAsync();

    /// <summary>Ends the connection with a TCP reset, without QUIT: the client vanishes.</summary>
    public void Abort() => _lines.Abort();

    public ValueTask DisposeAsync() => _lines.DisposeAsync();

    private static string Redact(string command) =>
        command.StartsWith("PASS ", StringComparison.OrdinalIgnoreCase) ? "PASS ***" : command;
}
