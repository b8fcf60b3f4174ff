using Microsoft.Extensions.Logging;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Frontend.Telemetry;
using Pop3Gateway.Protocol.Backend;

namespace Pop3Gateway.Frontend.Backend;

/// <summary>
/// A logged-in session's mailbox: every call is one mailbox-grain round trip; bodies are
/// read from the body store directly. Renews the lease in the background while the
/// connection lives, so a vanished front-end loses the lock when the lease runs out.
/// </summary>
public sealed class GrainMaildrop : IMaildrop
{
    private readonly IMailboxGrain _grain;
    private readonly Guid _sessionId;
    private readonly IBodyStore _bodies;
    private readonly Action _onSessionLost;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _renewal = new();
    private int _ended;

    public GrainMaildrop(string name, IMailboxGrain grain, Guid sessionId, IBodyStore bodies,
        TimeSpan renewInterval, Action onSessionLost, ILogger logger)
    {
        Name = name;
        _grain = grain;
        _sessionId = sessionId;
        _bodies = bodies;
        _onSessionLost = onSessionLost;
        _logger = logger;
        _ = RenewLeaseAsync(renewInterval, _renewal.Token);
    }

    public string Name { get; }

    public Task<MaildropResult<MaildropStat>> StatAsync(CancellationToken cancellationToken) =>
        CallAsync("STAT", async () =>
        {
            var stat = await _grain.Stat(_sessionId);
            return Result(stat.Status, new MaildropStat(stat.MessageCount, stat.Octets));
        }, cancellationToken);

    public Task<MaildropResult<IReadOnlyList<MessageListing>>> ListAsync(int? messageNumber, CancellationToken cancellationToken) =>
        CallAsync("LIST", async () =>
        {
            var listing = await _grain.List(_sessionId, messageNumber);
            IReadOnlyList<MessageListing> items = listing.Items.Select(i => new MessageListing(i.Number, i.Size, i.Uidl)).ToArray();
            return Result(listing.Status, items);
        }, cancellationToken);

    public Task<MaildropResult<MessageContent>> FetchAsync(int messageNumber, CancellationToken cancellationToken) =>
        CallAsync("RETR", async () =>
        {
            var fetched = await _grain.Fetch(_sessionId, messageNumber);
            if (fetched.Status != MailboxStatus.Ok || fetched.BodyId is not { } bodyId)
            {
                return MaildropResult<MessageContent>.Fail(Map(fetched.Status));
            }
            return MaildropResult<MessageContent>.Ok(
                new MessageContent(fetched.Size, ct => _bodies.OpenReadAsync(Name, bodyId, ct)));
        }, cancellationToken);

    public Task<MaildropStatus> DeleteAsync(int messageNumber, CancellationToken cancellationToken) =>
        StatusCallAsync("DELE", () => _grain.MarkDeleted(_sessionId, messageNumber), cancellationToken);

    public Task<MaildropStatus> ResetAsync(CancellationToken cancellationToken) =>
        StatusCallAsync("RSET", () => _grain.ResetMarks(_sessionId), cancellationToken);

    public Task<MaildropStatus> KeepAliveAsync(CancellationToken cancellationToken) =>
        StatusCallAsync("NOOP", () => _grain.Renew(_sessionId), cancellationToken);

    public async Task<MaildropResult<int>> CommitAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return MaildropResult<int>.Fail(MaildropStatus.SessionLost);
        }
        _renewal.Cancel();
        return await CallAsync("QUIT", async () =>
        {
            var commit = await _grain.Commit(_sessionId);
            return Result(commit.Status, commit.Deleted);
        }, cancellationToken);
    }

    public async Task ReleaseAsync()
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return;
        }
        _renewal.Cancel();
        try
        {
            await _grain.Release(_sessionId);
        }
        catch (Exception e)
        {
            // The lease runs out by itself; nothing was deleted.
            FrontendLog.ClusterCallFailed(_logger, "release", e);
        }
    }

    private async Task RenewLeaseAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (await KeepAliveAsync(cancellationToken) == MaildropStatus.SessionLost)
                {
                    _onSessionLost();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private Task<MaildropStatus> StatusCallAsync(string operation, Func<Task<MailboxStatus>> call, CancellationToken cancellationToken) =>
        CallAsync(operation, async () => Map(await call()), MaildropStatus.Unavailable, cancellationToken);

    private Task<MaildropResult<T>> CallAsync<T>(string operation, Func<Task<MaildropResult<T>>> call, CancellationToken cancellationToken) =>
        CallAsync(operation, call, MaildropResult<T>.Fail(MaildropStatus.Unavailable), cancellationToken);

    private async Task<T> CallAsync<T>(string operation, Func<Task<T>> call, T unavailable, CancellationToken cancellationToken)
    {
        try
        {
            return await call().WaitAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            FrontendLog.ClusterCallFailed(_logger, operation, e);
            FrontendTelemetry.StorageErrors.Add(1, new KeyValuePair<string, object?>("operation", operation));
            // The call's outcome is unknown and the grain may have lost the session with its silo: end the session.
            _onSessionLost();
            return unavailable;
        }
    }

    private static MaildropResult<T> Result<T>(MailboxStatus status, T value) =>
        status == MailboxStatus.Ok ? MaildropResult<T>.Ok(value) : MaildropResult<T>.Fail(Map(status));

    private static MaildropStatus Map(MailboxStatus status) => status switch
    {
        MailboxStatus.Ok => MaildropStatus.Ok,
        MailboxStatus.NoSuchMessage => MaildropStatus.NoSuchMessage,
        MailboxStatus.MessageDeleted => MaildropStatus.MessageDeleted,
        MailboxStatus.SessionLost or MailboxStatus.InUse or MailboxStatus.NoSuchMailbox => MaildropStatus.SessionLost,
        _ => MaildropStatus.Unavailable,
    };
}
