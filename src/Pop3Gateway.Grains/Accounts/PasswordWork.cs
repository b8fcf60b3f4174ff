using Microsoft.Extensions.Options;
using Pop3Gateway.Grains.Security;

namespace Pop3Gateway.Grains.Accounts;

/// <summary>
/// Runs the deliberately slow password hashing on the thread pool instead of an Orleans scheduler
/// thread: a burst of logins that miss the verified-password cache would otherwise hold the silo's
/// scheduler threads for about 50 ms of CPU each and stall every other grain. The account
/// activation still waits (it is not reentrant), only the thread is freed. One hash runs per core;
/// at most <see cref="GrainsOptions.PasswordQueuePerCore"/> per core wait for one, and a login
/// beyond that is refused at once instead of waiting ever longer (see <see cref="BoundedWork"/>).
/// </summary>
public sealed class PasswordWork
{
    private readonly BoundedWork _work;

    public PasswordWork(IOptions<GrainsOptions> options)
        : this(Environment.ProcessorCount, Environment.ProcessorCount * options.Value.PasswordQueuePerCore)
    {
    }

    internal PasswordWork(int slots, int queueLimit) => _work = new BoundedWork(slots, queueLimit, "password");

    /// <summary>Runs <paramref name="work"/> in a hashing slot; <see cref="Admission{T}.Refused"/> when the wait line is full.</summary>
    public Task<Admission<T>> TryRunAsync<T>(Func<T> work) => _work.TryRunAsync(() => Task.Run(work));
}
