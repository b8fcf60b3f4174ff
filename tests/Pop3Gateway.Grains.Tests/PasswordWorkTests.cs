using Pop3Gateway.Grains.Accounts;

namespace Pop3Gateway.Grains.Tests;

public sealed class PasswordWorkTests
{
    [Fact]
    public async Task TryRunAsync_SlotBusyNoWaitLine_RefusedAtOnce()
    {
        var work = new PasswordWork(slots: 1, queueLimit: 0);
        await using var line = HashingLine.Fill(work);

        var refused = work.TryRunAsync(() => true);

        Assert.True(refused.IsCompletedSuccessfully);
        Assert.False((await refused).Admitted);
        Assert.Equal(1, line.Held);
    }

    [Fact]
    public async Task TryRunAsync_WaitLineFull_RefusesOnlyBeyondIt()
    {
        var work = new PasswordWork(slots: 1, queueLimit: 2);

        await using var line = HashingLine.Fill(work);

        Assert.Equal(3, line.Held);
    }

    [Fact]
    public async Task TryRunAsync_LineDrained_AdmittedAgain()
    {
        var work = new PasswordWork(slots: 1, queueLimit: 0);
        await HashingLine.Fill(work).DisposeAsync();

        var result = await work.TryRunAsync(() => 42);

        Assert.Equal(new(true, 42), result);
    }
}
