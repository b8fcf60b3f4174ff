using System.Collections;

namespace Pop3Gateway.Frontend;

/// <summary>
/// The logging scope of one POP3 or LMTP connection: <c>SessionId</c>, <c>ClientAddress</c> and, once a POP3 login
/// has opened one, <c>Mailbox</c>, so every event logged while serving the connection carries them (the JSON log
/// writes them as fields). The mailbox is read when an event is written, not when the scope begins.
/// </summary>
internal sealed class SessionLogScope(string sessionId, string clientAddress, Func<string?>? mailbox = null)
    : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => mailbox is null ? 2 : 3;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("SessionId", sessionId),
        1 => new("ClientAddress", clientAddress),
        2 when mailbox is not null => new("Mailbox", mailbox()),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"session {sessionId} from {clientAddress}";
}
