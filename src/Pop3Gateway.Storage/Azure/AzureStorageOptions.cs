namespace Pop3Gateway.Storage.Azure;

/// <summary>Options of the Azure storage profile (Blob storage for bodies, index segments and grain state; Table storage for clustering).</summary>
public sealed class AzureStorageOptions
{
    public string ConnectionString { get; set; } = "UseDevelopmentStorage=true";

    /// <summary>Container of message bodies, one blob per body: <c>{mailbox}/{bodyId}</c>.</summary>
    public string BlobContainer { get; set; } = "pop3-messages";

    /// <summary>Container of mailbox index segments: <c>{mailbox}/{segment}</c>.</summary>
    public string IndexContainer { get; set; } = "pop3-index";

    /// <summary>Container of grain state (account records, mailbox index headers).</summary>
    public string StateContainer { get; set; } = "pop3-state";

    /// <summary>Table of the cluster membership.</summary>
    public string ClusterTable { get; set; } = "pop3cluster";

    /// <summary>
    /// Time limit of one storage request before it counts as failed: short, so that a POP3 command
    /// answers <c>-ERR [SYS/TEMP]</c> within seconds when storage is down instead of hanging.
    /// </summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries of a failed request: a couple absorb a transient fault without stretching an outage.</summary>
    public int MaxRetries { get; set; } = 2;
}
