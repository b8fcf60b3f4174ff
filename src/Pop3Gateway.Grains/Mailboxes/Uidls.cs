namespace Pop3Gateway.Grains.Mailboxes;

/// <summary>The UIDL rule of RFC 1939 section 7: 1 to 70 characters in the range 0x21 to 0x7E.</summary>
public static class Uidls
{
    public const int MaxLength = 70;

    public static bool IsValid(string? uidl)
    {
        if (string.IsNullOrEmpty(uidl) || uidl.Length > MaxLength)
        {
            return false;
        }
        foreach (var c in uidl)
        {
            if (c is < '\x21' or > '\x7E')
            {
                return false;
            }
        }
        return true;
    }
}
