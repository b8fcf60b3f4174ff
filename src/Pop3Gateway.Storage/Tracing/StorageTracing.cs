using System.Diagnostics;
using Pop3Gateway.Abstractions.Telemetry;

namespace Pop3Gateway.Storage.Tracing;

/// <summary>
/// Spans around every storage operation (source <see cref="TelemetryNames.ActivitySource"/>), so
/// that a POP3 command's trace continues through the grain call into the store it reaches.
/// Tags name the provider, the mailbox and object ids; never message content.
/// </summary>
public static class StorageTracing
{
    public const string BodyWrite = "storage.body.write";
    public const string BodyRead = "storage.body.read";
    public const string BodyExists = "storage.body.exists";
    public const string BodyDelete = "storage.body.delete";
    public const string BodyList = "storage.body.list";
    public const string SegmentWrite = "storage.segment.write";
    public const string SegmentRead = "storage.segment.read";
    public const string SegmentDelete = "storage.segment.delete";
    public const string SegmentList = "storage.segment.list";
    public const string StateRead = "storage.state.read";
    public const string StateWrite = "storage.state.write";
    public const string StateClear = "storage.state.clear";

    public const string ProviderTag = "storage.provider";
    public const string MailboxTag = "pop3.mailbox";
    public const string ObjectTag = "storage.object";
    public const string OctetsTag = "storage.octets";

    private static readonly ActivitySource Source = new(TelemetryNames.ActivitySource);

    /// <summary>Starts a client span, or returns null when nobody listens (the usual case without an exporter).</summary>
    public static Activity? Start(string operation, string provider, string? mailbox, string? storedObject = null)
    {
        var activity = Source.StartActivity(operation, ActivityKind.Client);
        if (activity is null)
        {
            return null;
        }
        activity.SetTag(ProviderTag, provider);
        if (mailbox is not null)
        {
            activity.SetTag(MailboxTag, mailbox);
        }
        if (storedObject is not null)
        {
            activity.SetTag(ObjectTag, storedObject);
        }
        return activity;
    }

    /// <summary>Marks the span failed with the exception's type (its message may name paths, so it is left out).</summary>
    public static void Fail(Activity? activity, Exception exception) =>
        activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);

    /// <summary>Runs <paramref name="operation"/> inside a span.</summary>
    public static async Task<T> TraceAsync<T>(string name, string provider, string? mailbox, string? storedObject, Func<Task<T>> operation)
    {
        using var activity = Start(name, provider, mailbox, storedObject);
        try
        {
            return await operation();
        }
        catch (Exception e)
        {
            Fail(activity, e);
            throw;
        }
    }

    /// <summary>Runs <paramref name="operation"/> inside a span.</summary>
    public static async Task TraceAsync(string name, string provider, string? mailbox, string? storedObject, Func<Task> operation)
    {
        using var activity = Start(name, provider, mailbox, storedObject);
        try
        {
            await operation();
        }
        catch (Exception e)
        {
            Fail(activity, e);
            throw;
        }
    }

    /// <summary>Enumerates <paramref name="items"/> inside one span that ends with the enumeration.</summary>
    public static async IAsyncEnumerable<T> TraceAsync<T>(string name, string provider, string mailbox, IAsyncEnumerable<T> items)
    {
        using var activity = Start(name, provider, mailbox);
        await using var enumerator = items.GetAsyncEnumerator();
        while (true)
        {
            T current;
            try
            {
                if (!await enumerator.MoveNextAsync())
                {
                    yield break;
                }
                current = enumerator.Current;
            }
            catch (Exception e)
            {
                Fail(activity, e);
                throw;
            }
            yield return current;
        }
    }
}
