namespace Pop3Gateway.Host.Cli.Export;

/// <summary>What <c>pop3gw export</c> writes.</summary>
public enum ExportFormat
{
    /// <summary>A Maildir (<c>cur</c>, <c>new</c>, <c>tmp</c>) with a <c>dovecot-uidlist</c> carrying each message's UIDL.</summary>
    Maildir,
    /// <summary>One mboxrd file, <c>DIR/MAILBOX.mbox</c>, each message with an <c>X-UIDL</c> header first.</summary>
    Mbox,
}

/// <summary>Where an export puts one message at a time; <see cref="CompleteAsync"/> finishes the files once all are written.</summary>
internal interface IExportWriter : IAsyncDisposable
{
    Task WriteAsync(Abstractions.IndexEntry entry, Stream body, CancellationToken cancellationToken);

    Task CompleteAsync(CancellationToken cancellationToken);
}
