using System.Buffers;
using Pop3Gateway.Protocol.Backend;

namespace Pop3Gateway.Protocol.Session;

/// <summary>
/// One POP3 session, without I/O: it takes command lines and returns replies.
/// The host writes the replies and streams message bodies.
/// </summary>
public sealed class Pop3Session
{
    public Pop3Session(IPop3Backend backend, Pop3Options options)
    {
        throw new NotImplementedException();
    }

    public Pop3State State => throw new NotImplementedException();

    /// <summary>The opened mailbox's name once logged in; for logs.</summary>
    public string? Mailbox => throw new NotImplementedException();

    public Pop3Reply Greeting() => throw new NotImplementedException();

    /// <summary>Handles one command line (without its CRLF or LF; never longer than the line limit).</summary>
    public Task<Pop3Reply> HandleLineAsync(ReadOnlySequence<byte> line, CancellationToken cancellationToken)
        => throw new NotImplementedException();

    /// <summary>The framer found a line over <see cref="Pop3Options.MaxLineLength"/>; it counts as a bad command.</summary>
    public Pop3Reply LineTooLong() => throw new NotImplementedException();

    /// <summary>The connection ended (dropped, timed out, shut down) without QUIT: releases the mailbox, deletes nothing.</summary>
    public Task AbortAsync() => throw new NotImplementedException();
}
