using Pop3Gateway.Grains.Mailboxes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using Orleans.TestingHost;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Storage;
using Pop3Gateway.Storage.Embedded;

namespace Pop3Gateway.Grains.Tests;

/// <summary>One in-process silo with the embedded storage on a temp directory, shared by the grain tests.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private const string InnerStorage = "embedded";

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "pop3gw-grains-" + Guid.NewGuid().ToString("N"));

    public ShiftingTimeProvider Clock { get; } = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IBodyStore Bodies { get; private set; } = null!;

    public FaultInjectingGrainStorage Faults { get; private set; } = null!;

    public CountingSegmentStore Segments { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>Messages per snapshot piece on this cluster.</summary>
    public const int PieceMessages = 500;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<TimeProvider>(Clock);
            silo.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
            silo.Services.AddEmbeddedGrainStorage(InnerStorage, o => o.DataDirectory = DataDirectory);
            silo.Services.AddKeyedSingleton<IGrainStorage>(
                StorageNames.Mailboxes,
                (sp, _) => new FaultInjectingGrainStorage(sp.GetRequiredKeyedService<IGrainStorage>(InnerStorage)));
            silo.Services.AddKeyedSingleton<IGrainStateCatalog>(
                StorageNames.Mailboxes, (sp, _) => sp.GetRequiredKeyedService<IGrainStateCatalog>(InnerStorage));
            silo.Services.AddEmbeddedBodyStore(o => o.DataDirectory = DataDirectory);
            silo.Services.AddSingleton<IMailboxSegmentStore>(
                _ => new CountingSegmentStore(new EmbeddedSegmentStore(Options.Create(new EmbeddedStorageOptions { DataDirectory = DataDirectory }))));
            silo.Services.AddPop3Grains();
            // Small pieces, so that a mailbox of a few hundred messages crosses piece boundaries.
            silo.Services.Configure<SnapshotPieceOptions>(o => o.Messages = PieceMessages);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();

        Faults = (FaultInjectingGrainStorage)Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(StorageNames.Mailboxes);
        Segments = (CountingSegmentStore)Cluster.GetSiloServiceProvider().GetRequiredService<IMailboxSegmentStore>();
        Bodies = new EmbeddedBodyStore(Options.Create(new EmbeddedStorageOptions { DataDirectory = DataDirectory }), TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
