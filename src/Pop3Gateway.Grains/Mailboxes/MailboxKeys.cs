using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Grains.Mailboxes;

/// <summary>The UIDLs and body ids of a set of index entries, for the duplicate checks of a delivery.</summary>
internal sealed class MailboxKeys
{
    private readonly HashSet<string> _uidls = new(StringComparer.Ordinal);
    private readonly HashSet<string> _bodyIds = new(StringComparer.Ordinal);

    public static MailboxKeys Of(IEnumerable<MessageEntry> entries)
    {
        var keys = new MailboxKeys();
        foreach (var entry in entries)
        {
            keys.Add(entry);
        }
        return keys;
    }

    public void Add(MessageEntry entry)
    {
        _uidls.Add(entry.Uidl);
        _bodyIds.Add(entry.BodyId);
    }

    public void Remove(MessageEntry entry)
    {
        _uidls.Remove(entry.Uidl);
        _bodyIds.Remove(entry.BodyId);
    }

    public bool HasUidl(string uidl) => _uidls.Contains(uidl);

    public bool HasBody(string bodyId) => _bodyIds.Contains(bodyId);
}
