namespace Pop3Gateway.Abstractions;

/// <summary>What a login does when the mailbox is already locked by a live session.</summary>
public enum LockPolicy
{
    /// <summary>The new login is refused with <c>-ERR [IN-USE]</c> (RFC 2449).</summary>
    Exclusive = 0,

    /// <summary>The new login ends the old session; the old session's delete marks are discarded.</summary>
    Takeover = 1,
}
