using Pop3Gateway.Protocol.Backend;
using Pop3Gateway.Protocol.Sasl;
using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Protocol.Commands;

/// <summary>The mutable state of one session, shared by the command handlers.</summary>
internal sealed class Pop3SessionContext(IPop3Backend backend, Pop3Options options)
{
    public IPop3Backend Backend { get; } = backend;

    public Pop3Options Options { get; } = options;

    public Pop3State State { get; set; } = Pop3State.Authorization;

    /// <summary>The connection is encrypted: implicit TLS, or STLS completed.</summary>
    public bool IsTls { get; set; } = options.IsTls;

    /// <summary>USER/PASS, PLAIN and LOGIN may be used: the connection is TLS, or the policy allows cleartext here.</summary>
    public bool CleartextAuthAllowed => IsTls || Options.AllowCleartextAuth;

    /// <summary>The client sent UTF8 (RFC 6856).</summary>
    public bool Utf8 { get; set; }

    /// <summary>A SASL exchange in progress: the next lines are its responses, not commands.</summary>
    public ISaslMechanism? Sasl { get; set; }

    /// <summary>The user named by the last USER, until PASS uses it.</summary>
    public Pop3UserName? PendingUser { get; set; }

    /// <summary>The opened mailbox; set only in TRANSACTION and UPDATE.</summary>
    public IMaildrop? Maildrop { get; set; }

    /// <summary>QUIT committed the delete marks: nothing is left to release.</summary>
    public bool Committed { get; set; }

    /// <summary>A reply closed the connection; later lines are refused.</summary>
    public bool Closed { get; set; }

    /// <summary>The maildrop; only handlers valid in TRANSACTION alone may call this.</summary>
    public IMaildrop OpenMaildrop => Maildrop ?? throw new InvalidOperationException("No mailbox is open.");

    /// <summary>The reply for a maildrop call that did not succeed.</summary>
    public static CommandResult Failure(MaildropStatus status, int messageNumber = 0) => status switch
    {
        MaildropStatus.NoSuchMessage => CommandResult.Bad(Pop3Replies.NoSuchMessage),
        MaildropStatus.MessageDeleted => CommandResult.Bad(Pop3Replies.MessageDeleted(messageNumber)),
        MaildropStatus.SessionLost => CommandResult.Neutral(Pop3Replies.SessionLost),
        MaildropStatus.Unavailable => CommandResult.Neutral(Pop3Replies.Unavailable),
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not a failure."),
    };
}
