namespace Pop3Gateway.Frontend.Sessions;

/// <summary>Why a session is ended from outside its command loop.</summary>
public enum SessionEndReason
{
    /// <summary>The lease was lost or a cluster call failed: an idle connection is dropped at once.</summary>
    Lost,

    /// <summary>An operator ended it (<c>pop3gw kick</c>): the client is told, then disconnected.</summary>
    Kicked,

    /// <summary>This front-end could not beat for too long and may be declared dead: the client is told, then disconnected.</summary>
    Fenced,
}
