using System.Buffers;
using System.Text;

namespace Pop3Gateway.Protocol.Lmtp;

/// <summary>A command line split into its verb (upper case) and the rest.</summary>
public readonly record struct LmtpCommand(string Verb, string Argument);

/// <summary>A MAIL FROM or RCPT TO argument: the path's address (empty for the null path) and its parameters.</summary>
public sealed record LmtpPath(string Address, IReadOnlyDictionary<string, string?> Parameters);

/// <summary>Pure parsing of LMTP command lines (RFC 5321 §4.1 syntax, RFC 2033).</summary>
public static class LmtpCommandParser
{
    public static LmtpCommand Parse(ReadOnlySequence<byte> line)
    {
        // Latin-1 keeps every byte; addresses with 8-bit octets are then refused as bad syntax.
        var text = Encoding.Latin1.GetString(line);
        var space = text.IndexOf(' ');
        return space < 0
            ? new LmtpCommand(text.ToUpperInvariant(), "")
            : new LmtpCommand(text[..space].ToUpperInvariant(), text[(space + 1)..]);
    }

    /// <summary>
    /// Parses <c>FROM:&lt;path&gt; params</c> (keyword given without the colon). A space after the
    /// colon is tolerated, as many clients send one; a source route (<c>@a,@b:</c>) is dropped.
    /// </summary>
    public static bool TryParsePath(string argument, string keyword, out LmtpPath? path)
    {
        path = null;
        if (!argument.StartsWith(keyword + ":", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var rest = argument[(keyword.Length + 1)..].TrimStart(' ');
        if (!rest.StartsWith('<'))
        {
            return false;
        }
        var close = rest.IndexOf('>');
        if (close < 0)
        {
            return false;
        }
        var address = rest[1..close];
        var colon = address.IndexOf(':');
        if (address.StartsWith('@') && colon > 0)
        {
            address = address[(colon + 1)..];
        }
        if (address.Any(c => c is ' ' or '<' or '>' or '"' || c > 0x7E || c < 0x21))
        {
            return false;
        }
        var parameters = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in rest[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = parameter.IndexOf('=');
            var name = equals < 0 ? parameter : parameter[..equals];
            if (name.Length == 0 || !parameters.TryAdd(name, equals < 0 ? null : parameter[(equals + 1)..]))
            {
                return false;
            }
        }
        path = new LmtpPath(address, parameters);
        return true;
    }
}
