using Pop3Gateway.Abstractions.Configuration;

namespace Pop3Gateway.Grains.Mailboxes;

/// <summary>Default mailbox quota (configuration section <c>Quota</c>); 0 means unlimited.</summary>
public sealed class QuotaOptions
{
    public const string Section = "Quota";

    /// <summary>Octets a mailbox may hold unless its own quota says otherwise.</summary>
    [NotNegative]
    public long DefaultOctets { get; set; }

    /// <summary>Messages a mailbox may hold unless its own quota says otherwise.</summary>
    [NotNegative]
    public long DefaultMessages { get; set; }
}
