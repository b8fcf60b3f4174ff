using Pop3Gateway.Grains.Accounts;

namespace Pop3Gateway.Grains.Tests;

/// <summary>
/// Fills a <see cref="PasswordWork"/>: offers hashes that block until disposed, until one is refused.
/// Admission is decided when work is offered, so the line is full when <see cref="Fill"/> returns.
/// </summary>
public sealed class HashingLine : IAsyncDisposable
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Task> _held = [];

    private HashingLine()
    {
    }

    /// <summary>Hashes admitted and blocked: the slots plus the wait line.</summary>
    public int Held => _held.Count;

    public static HashingLine Fill(PasswordWork work)
    {
        var line = new HashingLine();
        while (true)
        {
            var offered = work.TryRunAsync(() => line._gate.Task.Wait(TimeSpan.FromMinutes(1)));
            if (offered.IsCompletedSuccessfully && !offered.Result.Admitted)
            {
                return line;
            }
            line._held.Add(offered);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _gate.TrySetResult();
        await Task.WhenAll(_held);
    }
}
