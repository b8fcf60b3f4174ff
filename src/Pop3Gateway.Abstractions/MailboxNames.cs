namespace Pop3Gateway.Abstractions;

/// <summary>
/// Rules for account logins and mailbox names. Both are case-insensitive and stored
/// lower-case; they are also file and blob names, so the alphabet is kept small.
/// </summary>
public static class MailboxNames
{
    /// <summary>Longest accepted login or mailbox name, in characters (an e-mail address fits).</summary>
    public const int MaxLength = 128;

    public static bool TryNormalize(string? value, out string normalized, out string error)
    {
        normalized = "";
        if (string.IsNullOrEmpty(value))
        {
            error = "name is empty";
            return false;
        }
        if (value.Length > MaxLength)
        {
            error = $"name is longer than {MaxLength} characters";
            return false;
        }
        if (!char.IsAsciiLetterOrDigit(value[0]))
        {
            error = "name must start with a letter or a digit";
            return false;
        }
        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-' or '@' or '+'))
            {
                error = $"name contains '{(char.IsControl(c) ? '?' : c)}'; allowed are ASCII letters, digits and . _ - @ +";
                return false;
            }
        }
        normalized = value.ToLowerInvariant();
        error = "";
        return true;
    }
}
