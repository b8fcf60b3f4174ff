namespace Pop3Gateway.Abstractions;

/// <summary>
/// Rules for recipient addresses (<c>local@domain</c>). The domain is case-insensitive
/// (RFC 5321 §2.4); the local part is also compared case-insensitively, as nearly every
/// mail system does, so both are stored lower-case. Only dot-atom local parts are accepted
/// (no quoted strings), and the whole address is the key of an address grain.
/// </summary>
public static class MailAddresses
{
    /// <summary>Longest address accepted (RFC 5321 §4.5.3.1.3: a path is at most 256 octets with its brackets).</summary>
    public const int MaxLength = 254;

    /// <summary>Longest local part (RFC 5321 §4.5.3.1.1).</summary>
    public const int MaxLocalPartLength = 64;

    private const string AtomSpecials = "!#$%&'*+-/=?^_`{|}~";

    public static bool TryNormalize(string? value, out string normalized, out string error)
    {
        normalized = "";
        if (string.IsNullOrEmpty(value))
        {
            error = "address is empty";
            return false;
        }
        if (value.Length > MaxLength)
        {
            error = $"address is longer than {MaxLength} characters";
            return false;
        }
        var at = value.LastIndexOf('@');
        if (at <= 0 || at == value.Length - 1)
        {
            error = "address must be local-part@domain";
            return false;
        }
        var local = value[..at];
        var domain = value[(at + 1)..];
        if (local.Length > MaxLocalPartLength)
        {
            error = $"local part is longer than {MaxLocalPartLength} characters";
            return false;
        }
        if (!IsDotAtom(local, c => char.IsAsciiLetterOrDigit(c) || AtomSpecials.Contains(c)))
        {
            error = "local part must be a dot-atom of ASCII letters, digits and !#$%&'*+-/=?^_`{|}~";
            return false;
        }
        if (!IsDotAtom(domain, c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            error = "domain must be ASCII labels of letters, digits and '-' separated by dots";
            return false;
        }
        normalized = value.ToLowerInvariant();
        error = "";
        return true;
    }

    private static bool IsDotAtom(string value, Func<char, bool> allowed)
    {
        if (value.Length == 0 || value[0] == '.' || value[^1] == '.' || value.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }
        foreach (var c in value)
        {
            if (c != '.' && !allowed(c))
            {
                return false;
            }
        }
        return true;
    }
}
