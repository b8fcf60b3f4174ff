using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Pop3Gateway.Frontend.Pop3;
using Pop3Gateway.Frontend.Telemetry;

namespace Pop3Gateway.Frontend.Tls;

/// <summary>
/// The pipes one POP3 session reads and writes: the connection's own, then TLS over them after STLS.
/// It owns the TLS stream (closed once, by <see cref="DisposeAsync"/>), counts the octets written and
/// puts every flush under the connection's <see cref="WriteDeadline"/>.
/// </summary>
internal sealed class SessionTransport : IAsyncDisposable
{
    private readonly IDuplexPipe _connection;
    private readonly WriteDeadline _deadline;
    private readonly CountingPipeWriter _plaintextOutput;
    private SslStream? _tls;

    public SessionTransport(IDuplexPipe connection, WriteDeadline deadline)
    {
        _connection = connection;
        _deadline = deadline;
        _plaintextOutput = new CountingPipeWriter(deadline.Guard(connection.Output));
        Input = connection.Input;
        Output = _plaintextOutput;
    }

    public PipeReader Input { get; private set; }

    /// <summary>Where replies go; counts the octets it passes on.</summary>
    public CountingPipeWriter Output { get; private set; }

    /// <summary>Octets written to the client, before and after STLS.</summary>
    public long BytesWritten => _plaintextOutput.BytesWritten + (Output == _plaintextOutput ? 0 : Output.BytesWritten);

    /// <summary>
    /// Negotiates TLS after STLS (RFC 2595 section 4); from then on <see cref="Input"/> and <see cref="Output"/>
    /// are the TLS pipes. The caller must already have dropped every plaintext byte it had read.
    /// </summary>
    /// <returns>The protocol negotiated.</returns>
    public async Task<SslProtocols> StartTlsAsync(X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        var (pipes, tls) = await StartTlsUpgrade.UpgradeAsync(_connection, certificate, cancellationToken);
        _tls = tls;
        Input = pipes.Input;
        Output = new CountingPipeWriter(_deadline.Guard(pipes.Output));
        return tls.SslProtocol;
    }

    /// <summary>Completes the connection's output now, so the client hears the close before anything slow that follows.</summary>
    public ValueTask CloseOutputAsync() => _connection.Output.CompleteAsync();

    public async ValueTask DisposeAsync()
    {
        _deadline.Dispose();
        if (Interlocked.Exchange(ref _tls, null) is { } tls)
        {
            await tls.DisposeAsync();
        }
    }
}
