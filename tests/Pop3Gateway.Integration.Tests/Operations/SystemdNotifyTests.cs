namespace Pop3Gateway.Integration.Tests.Operations;

/// <summary>
/// <c>Type=notify</c> end to end: <c>serve</c> with <c>NOTIFY_SOCKET</c> set sends <c>READY=1</c> to it, and only once its
/// POP3 port accepts connections.
/// </summary>
[Collection(OperationsCollection.Name)]
public sealed class SystemdNotifyTests(OperationsServerFixture fixture)
{
    [Fact]
    public Task Serve_NotifySocket_ReadyOnceListening() => fixture.Inner.GuardAsync(async () =>
    {
        await Eventually.UntilAsync("READY=1 on the notify socket", TimeSpan.FromSeconds(30),
            () => Task.FromResult(fixture.Notify.ListeningAtReady is null ? $"messages: [{string.Join(", ", fixture.Notify.Messages)}]" : null));

        Assert.True(fixture.Notify.ListeningAtReady, "the POP3 port did not accept a connection when READY=1 arrived");
        Assert.Single(fixture.Notify.Messages, m => m.Split('\n').Contains("READY=1"));
    });
}
