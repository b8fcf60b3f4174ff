namespace Pop3Gateway.Grains.Accounts;

/// <summary>
/// Runs the deliberately slow password hashing on the thread pool instead of an Orleans scheduler
/// thread: a burst of logins that miss the verified-password cache would otherwise hold the silo's
/// scheduler threads for about 50 ms of CPU each and stall every other grain. The account
/// activation still waits (it is not reentrant), only the thread is freed.
/// </summary>
internal static class PasswordWork
{
    /// <summary>Hashes at once: one per core, so cold logins cannot take every thread-pool thread either.</summary>
    private static readonly SemaphoreSlim Slots = new(Environment.ProcessorCount);

    public static async Task<T> RunAsync<T>(Func<T> work)
    {
        await Slots.WaitAsync();
        try
        {
            return await Task.Run(work);
        }
        finally
        {
            Slots.Release();
        }
    }
}
