using Pop3Gateway.Integration.Tests.Infrastructure;
using Xunit.Sdk;

namespace Pop3Gateway.Integration.Tests.Cluster;

/// <summary>A <c>silo</c> process and a <c>frontend</c> process joined to it, shared by the tests of a class.</summary>
public sealed class RolesFixture : IAsyncLifetime
{
    public RolesFixture()
    {
        Silo = RoleProcesses.Silo();
        Frontend = new ServerFixture(RoleProcesses.Frontend(Silo));
    }

    public ServerProcess Silo { get; }

    /// <summary>The front-end; its CLI calls reach the silo's gateway.</summary>
    public ServerFixture Frontend { get; }

    public async Task InitializeAsync()
    {
        await Silo.StartAsync();
        await Frontend.InitializeAsync();
        await RoleProcesses.WaitForReadinessAsync(Frontend.Server, ready: true, TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await Frontend.DisposeAsync();
        await Silo.DisposeAsync();
    }

    /// <summary>Runs a test body; when it fails, both processes' log tails are added to the message.</summary>
    public Task GuardAsync(Func<Task> test) => GuardAsync(test, Frontend.Server, Silo);

    public static async Task GuardAsync(Func<Task> test, params ServerProcess[] servers)
    {
        try
        {
            await test();
        }
        catch (Exception e)
        {
            var logs = string.Join("\n", servers.Select(s => $"=== {s.Role} ===\n{s.LogTail()}"));
            throw new XunitException($"{e.GetType().Name}: {e.Message}\n{logs}\n--- original stack ---\n{e.StackTrace}");
        }
    }
}
