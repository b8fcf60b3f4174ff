using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Frontend.Pop3;

/// <summary>Replies that only the connection layer can give (it owns the clock and the body bytes).</summary>
internal static class ConnectionReplies
{
    public static readonly Pop3Reply Autologout = new()
    {
        IsOk = false,
        Text = "Autologout; idle for too long. Nothing was deleted.",
        CloseConnection = true,
    };

    public static readonly Pop3Reply TooManyConnections = new()
    {
        IsOk = false,
        Text = "[SYS/TEMP] Too many connections; try again later.",
        CloseConnection = true,
    };

    public static readonly Pop3Reply AddressBanned = new()
    {
        IsOk = false,
        Text = "[LOGIN-DELAY] Too many failed logins from your address; try again later.",
        CloseConnection = true,
    };

    public static readonly Pop3Reply BodyUnavailable = new()
    {
        IsOk = false,
        Text = "[SYS/TEMP] The message cannot be read right now; try again later.",
    };

    /// <summary>A cluster call failed mid-session: its outcome is unknown, so the session ends; marks die with it.</summary>
    public static readonly Pop3Reply ClusterLost = new()
    {
        IsOk = false,
        Text = "[SYS/TEMP] Mailbox unavailable; session ended, nothing was deleted.",
        CloseConnection = true,
    };

    /// <summary>An operator ended the session (<c>pop3gw kick</c>): marks discarded, the mailbox is free for the next login.</summary>
    public static readonly Pop3Reply Kicked = new()
    {
        IsOk = false,
        Text = "[SYS/TEMP] Session ended by the administrator; nothing was deleted.",
        CloseConnection = true,
    };

    /// <summary>The drain after SIGTERM is over: sessions still open are closed without committing.</summary>
    public static readonly Pop3Reply ShuttingDown = new()
    {
        IsOk = false,
        Text = "[SYS/TEMP] server shutting down, nothing was deleted.",
        CloseConnection = true,
    };
}
