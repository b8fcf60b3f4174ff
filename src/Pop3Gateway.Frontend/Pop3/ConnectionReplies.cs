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
}
