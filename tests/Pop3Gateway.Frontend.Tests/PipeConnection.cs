using System.IO.Pipelines;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Connections;

namespace Pop3Gateway.Frontend.Tests;

/// <summary>
/// A client end and a server end joined by two in-memory pipes; the handler runs on the
/// server end exactly as Kestrel would run it on a socket.
/// </summary>
public sealed class PipeConnection : IAsyncDisposable
{
    private readonly Pipe _toServer = new();
    private readonly Pipe _toClient = new();
    private readonly DefaultConnectionContext _context;
    private readonly Task _handler;
    private readonly StringBuilder _received = new();

    /// <param name="remote">The client's end point as the server sees it; 127.0.0.1 when not given.</param>
    public PipeConnection(ConnectionHandler handler, EndPoint? remote = null)
    {
        _context = new DefaultConnectionContext(Guid.NewGuid().ToString("N"),
            new DuplexPipe(_toServer.Reader, _toClient.Writer), new DuplexPipe(_toClient.Reader, _toServer.Writer))
        {
            RemoteEndPoint = remote ?? new IPEndPoint(IPAddress.Loopback, 40000),
        };
        _handler = Task.Run(async () =>
        {
            try
            {
                await handler.OnConnectedAsync(_context);
            }
            finally
            {
                await _toClient.Writer.CompleteAsync();
            }
        });
    }

    public Task Completion => _handler;

    public async Task SendAsync(string text) => await SendAsync(Encoding.Latin1.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        await _toServer.Writer.WriteAsync(bytes);
    }

    /// <summary>Closes the client's sending side, as a dropped connection does.</summary>
    public async Task DropAsync()
    {
        await _toServer.Writer.CompleteAsync();
        _context.Abort();
    }

    /// <summary>Reads until <paramref name="terminator"/> arrives; returns the text up to and including it and keeps the rest.</summary>
    public async Task<string> ReadUntilAsync(string terminator, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        int end;
        while ((end = _received.ToString().IndexOf(terminator, StringComparison.Ordinal)) < 0)
        {
            var result = await _toClient.Reader.ReadAsync(cts.Token);
            foreach (var segment in result.Buffer)
            {
                _received.Append(Encoding.Latin1.GetString(segment.Span));
            }
            _toClient.Reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted && !_received.ToString().Contains(terminator, StringComparison.Ordinal))
            {
                throw new EndOfStreamException($"connection closed; received so far: {_received}; handler: {_handler.Exception?.ToString() ?? "ok"}");
            }
        }
        var text = _received.ToString(0, end + terminator.Length);
        _received.Remove(0, end + terminator.Length);
        return text;
    }

    public Task<string> ReadLineAsync() => ReadUntilAsync("\r\n");

    public Task<string> ReadMultiLineAsync() => ReadUntilAsync("\r\n.\r\n");

    /// <summary>Reads everything until the server closes the connection.</summary>
    public async Task<string> ReadToEndAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var result = await _toClient.Reader.ReadAsync(cts.Token);
            foreach (var segment in result.Buffer)
            {
                _received.Append(Encoding.Latin1.GetString(segment.Span));
            }
            _toClient.Reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                var text = _received.ToString();
                _received.Clear();
                return text;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _toServer.Writer.CompleteAsync();
        try
        {
            await _handler.WaitAsync(TimeSpan.FromSeconds(20));
        }
        catch (Exception)
        {
        }
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }
}
