using Pop3Gateway.Grains.Telemetry;

namespace Pop3Gateway.Grains.Security;

/// <summary>The result of work offered to a <see cref="BoundedWork"/>: its value, or that it was refused unrun.</summary>
public readonly record struct Admission<T>(bool Admitted, T Value)
{
    public static Admission<T> Refused => default;
}

/// <summary>
/// A fixed number of slots and a wait line of bounded length in front of them. Work that finds the
/// line full is refused at once, and work that waits longer than <see cref="MaxWait"/> is refused
/// then: under a login storm a client is better served by a quick <c>[SYS/TEMP]</c> it can retry
/// than by a wait that outlasts its own timeout. Admission is decided synchronously, when the work
/// is offered.
/// </summary>
internal sealed class BoundedWork
{
    /// <summary>
    /// Longest wait for a slot. The line's length bounds the wait only while the CPU is as fast as assumed; this bounds
    /// it on a starved machine too, well inside Orleans's 30 s response timeout, so the login is answered rather than lost.
    /// </summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _slots;
    private readonly int _capacity;
    private readonly KeyValuePair<string, object?> _queueTag;
    private int _admitted;

    /// <param name="slots">Work run at once.</param>
    /// <param name="queueLimit">Work that may wait for a slot; 0: refused whenever every slot is busy.</param>
    /// <param name="queue">The <c>queue</c> tag of the telemetry.</param>
    public BoundedWork(int slots, int queueLimit, string queue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(queueLimit);
        _slots = new SemaphoreSlim(slots);
        _capacity = slots + queueLimit;
        _queueTag = new KeyValuePair<string, object?>("queue", queue);
    }

    public async Task<Admission<T>> TryRunAsync<T>(Func<Task<T>> work)
    {
        if (Interlocked.Increment(ref _admitted) > _capacity)
        {
            Interlocked.Decrement(ref _admitted);
            LoginTelemetry.QueueRefusals.Add(1, _queueTag);
            return Admission<T>.Refused;
        }
        try
        {
            LoginTelemetry.QueueWaiting.Add(1, _queueTag);
            bool entered;
            try
            {
                entered = await _slots.WaitAsync(MaxWait);
            }
            finally
            {
                LoginTelemetry.QueueWaiting.Add(-1, _queueTag);
            }
            if (!entered)
            {
                LoginTelemetry.QueueRefusals.Add(1, _queueTag);
                return Admission<T>.Refused;
            }
            try
            {
                return new Admission<T>(true, await work());
            }
            finally
            {
                _slots.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _admitted);
        }
    }
}
