using System.Text;

namespace Pop3Gateway.Protocol.Lmtp;

/// <summary>
/// One LMTP reply: a code, an enhanced status code (RFC 3463) and text; more than one
/// line makes a multi-line reply. <see cref="Close"/> ends the connection after it is written.
/// </summary>
public sealed record LmtpReply(int Code, string? Enhanced, IReadOnlyList<string> Lines, bool Close = false)
{
    public LmtpReply(int code, string? enhanced, string text, bool close = false)
        : this(code, enhanced, [text], close)
    {
    }

    public bool IsPositive => Code is >= 200 and < 400;

    /// <summary>The exact wire form, every line ending in CRLF.</summary>
    public string ToWire()
    {
        var builder = new StringBuilder();
        for (var i = 0; i < Lines.Count; i++)
        {
            builder.Append(Code).Append(i == Lines.Count - 1 ? ' ' : '-');
            if (Enhanced is not null && i == 0)
            {
                builder.Append(Enhanced).Append(' ');
            }
            builder.Append(Lines[i]).Append("\r\n");
        }
        return builder.ToString();
    }
}
