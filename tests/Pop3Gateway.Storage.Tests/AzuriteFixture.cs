using Pop3Gateway.Storage.Azure;

namespace Pop3Gateway.Storage.Tests;

/// <summary>One private Azurite (<see cref="AzuriteProcess"/>) for the tests of a class.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private readonly AzuriteProcess _azurite = new();

    public AzureStorageOptions Options(string prefix) => new()
    {
        ConnectionString = _azurite.ConnectionString,
        BlobContainer = $"{prefix}-messages",
        IndexContainer = $"{prefix}-index",
        StateContainer = $"{prefix}-state",
    };

    /// <summary>A connection string for loopback ports where nothing listens: storage is "down".</summary>
    public static string Unreachable()
    {
        var ports = FreePorts.Allocate(3);
        return AzuriteProcess.ConnectionStringFor(ports[0], ports[1], ports[2]);
    }

    public Task InitializeAsync() => _azurite.StartAsync();

    public Task DisposeAsync() => _azurite.DisposeAsync().AsTask();
}
