namespace Pop3Gateway.Abstractions.Storage;

/// <summary>Names under which the grain storage providers are registered.</summary>
public static class StorageNames
{
    /// <summary>The grain storage that holds account, directory and mailbox state.</summary>
    public const string Mailboxes = "pop3";
}
