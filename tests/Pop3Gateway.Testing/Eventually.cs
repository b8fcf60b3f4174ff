using System.Diagnostics;

namespace Pop3Gateway.Testing;

/// <summary>
/// Waiting for an event with a deadline: look, and look again after a short pause, until it has
/// happened or the deadline has passed. Tests wait for what they need this way, never for a fixed time.
/// An exception from a look ends the wait at once: a look throws when waiting longer cannot help.
/// </summary>
public static class Eventually
{
    /// <summary>The pause between two looks: short against any deadline, long enough not to spin.</summary>
    public static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Looks with <paramref name="whyNot"/> (null once <paramref name="what"/> has happened, else what it saw)
    /// until it returns null; returns how long that took, or throws a <see cref="TimeoutException"/> with the last sighting.
    /// </summary>
    public static async Task<TimeSpan> UntilAsync(string what, TimeSpan within, Func<Task<string?>> whyNot, TimeSpan? pause = null)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var seen = await whyNot();
            if (seen is null)
            {
                return watch.Elapsed;
            }
            if (watch.Elapsed >= within)
            {
                throw new TimeoutException($"waited {within.TotalSeconds} s for {what}; last: {seen}");
            }
            await Task.Delay(pause ?? Pause);
        }
    }

    /// <summary>
    /// Looks with <paramref name="attempt"/> until it returns a value, and returns that value; the text
    /// beside a null value says what it saw instead, for the <see cref="TimeoutException"/> at the deadline.
    /// </summary>
    public static async Task<T> GetAsync<T>(string what, TimeSpan within, Func<Task<(T? Value, string Seen)>> attempt, TimeSpan? pause = null)
        where T : class
    {
        T? result = null;
        await UntilAsync(what, within, async () =>
        {
            (result, var seen) = await attempt();
            return result is null ? seen : null;
        }, pause);
        return result!;
    }
}
