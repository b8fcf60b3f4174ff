using Pop3Gateway.Protocol.Backend;

namespace Pop3Gateway.Protocol.Session;

/// <summary>
/// What the session answers to one command: a status line, then optionally a multi-line
/// body (text lines, or a message to stream), then optionally the end of the connection.
/// </summary>
public sealed record Pop3Reply
{
    public required bool IsOk { get; init; }

    /// <summary>Text after <c>+OK </c> or <c>-ERR </c>, including any <c>[CODE]</c>.</summary>
    public required string Text { get; init; }

    /// <summary>Lines of a multi-line reply, not yet byte-stuffed; null for a single-line reply.</summary>
    public IReadOnlyList<string>? Lines { get; init; }

    /// <summary>
    /// Lines of a multi-line reply produced while it is written (LIST, UIDL of a whole mailbox), not yet
    /// byte-stuffed; written with <see cref="IO.Pop3ReplyWriter.WriteStreamedAsync"/>.
    /// </summary>
    public IAsyncEnumerable<string>? StreamedLines { get; init; }

    /// <summary>A message body to stream as a multi-line reply (RETR, TOP).</summary>
    public MessageContent? Message { get; init; }

    /// <summary>For TOP: body lines to send after the header; null sends the whole message.</summary>
    public int? TopBodyLines { get; init; }

    /// <summary>Close the connection after writing this reply.</summary>
    public bool CloseConnection { get; init; }

    /// <summary>A SASL challenge (RFC 5034 section 4): written as <c>+ </c> and the base64 text, not <c>+OK</c>.</summary>
    public bool IsContinuation { get; init; }

    /// <summary>
    /// STLS accepted (RFC 2595 section 4): after writing this reply the host drops any input
    /// already buffered, negotiates TLS, then calls <see cref="Pop3Session.TlsStarted"/>.
    /// </summary>
    public bool StartTls { get; init; }
}
