using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.TestingHost;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Frontend.Backend;
using Pop3Gateway.Frontend.Pop3;
using Pop3Gateway.Frontend.Security;
using Pop3Gateway.Frontend.Sessions;
using Pop3Gateway.Grains;
using Pop3Gateway.Grains.Mailboxes;
using Pop3Gateway.Abstractions.Storage;
using Pop3Gateway.Storage.Embedded;

namespace Pop3Gateway.Frontend.Tests;

/// <summary>Real grains on an in-process silo with the embedded store; connections are in-memory pipes.</summary>
public sealed class FrontendFixture : IAsyncLifetime
{
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "pop3gw-frontend-" + Guid.NewGuid().ToString("N"));

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IBodyStore Bodies { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>Messages per snapshot piece on this cluster: mailboxes of up to this many are one piece.</summary>
    public const int PieceMessages = 4;

    private ServiceProvider? _services;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddEmbeddedGrainStorage(StorageNames.Mailboxes, o => o.DataDirectory = DataDirectory);
            silo.Services.AddEmbeddedBodyStore(o => o.DataDirectory = DataDirectory);
            silo.Services.AddEmbeddedSegmentStore(o => o.DataDirectory = DataDirectory);
            silo.Services.AddPop3Grains();
            // Small pieces, so that a mailbox of a few messages crosses piece boundaries.
            silo.Services.Configure<SnapshotPieceOptions>(o => o.Messages = PieceMessages);
            silo.AddActivityPropagation();
        });
        builder.ConfigureClient(client => client.AddActivityPropagation());
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        // Resolved the way the host resolves it, so the front-end's store is the traced one.
        _services = new ServiceCollection().AddEmbeddedBodyStore(o => o.DataDirectory = DataDirectory).BuildServiceProvider();
        Bodies = _services.GetRequiredService<IBodyStore>();
    }

    /// <summary>A POP3 listener's pipeline without its socket: the admission middleware, then the handler.</summary>
    public ConnectionHandler Handler(
        Action<Pop3ServerOptions>? configure = null, ConnectionSecurity? security = null, TimeProvider? time = null, FrontendSessions? sessions = null)
    {
        var options = new Pop3ServerOptions();
        configure?.Invoke(options);
        var wrapped = Options.Create(options);
        security ??= Trusting(new LimitsOptions());
        time ??= TimeProvider.System;
        var backends = new Pop3BackendFactory(Grains, Bodies, wrapped, security, time, NullLogger<GrainPop3Backend>.Instance, sessions);
        return new AdmittedPipeline(
            new ConnectionAdmissionMiddleware(Grains, security, time, NullLogger<ConnectionAdmissionMiddleware>.Instance),
            new Pop3ConnectionHandler(backends, wrapped, security, time, NullLogger<Pop3ConnectionHandler>.Instance));
    }

    /// <summary>Connects through <see cref="Handler"/> and logs in with USER/PASS; fails the test unless both answer +OK.</summary>
    public async Task<PipeConnection> LoginAsync(
        string login, string password, Action<Pop3ServerOptions>? configure = null, TimeProvider? time = null, FrontendSessions? sessions = null)
    {
        var connection = new PipeConnection(Handler(configure, time: time, sessions: sessions));
        Assert.StartsWith("+OK", await connection.ReadLineAsync());
        await connection.SendAsync($"USER {login}\r\nPASS {password}\r\n");
        Assert.StartsWith("+OK", await connection.ReadLineAsync());
        Assert.StartsWith("+OK", await connection.ReadLineAsync());
        return connection;
    }

    /// <summary>
    /// Security as the single-host default has it: loopback (where <see cref="PipeConnection"/>s come from
    /// unless told otherwise) is trusted with cleartext logins and spared delays.
    /// </summary>
    public static ConnectionSecurity Trusting(LimitsOptions limits)
        => new(new SecurityOptions { TrustedNetworks = "127.0.0.0/8,::1/128" }, limits, null);

    /// <summary>Creates an account with its mailbox and delivers <paramref name="messages"/>; returns their UIDLs.</summary>
    public async Task<string[]> CreateMailboxAsync(string login, string password, params string[] messages)
    {
        var created = await Grains.GetGrain<IAccountGrain>(login).Create(password);
        Assert.True(created.IsOk, created.Error);
        var uidls = new List<string>();
        foreach (var message in messages)
        {
            using var source = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(message));
            var body = await Bodies.WriteAsync(login, source, CancellationToken.None);
            var delivered = await Grains.GetGrain<IMailboxGrain>(login).Deliver(new DeliveryRequest(body.BodyId, body.Size, null));
            Assert.Equal(MailboxStatus.Ok, delivered.Status);
            uidls.Add(delivered.Uidl!);
        }
        return uidls.ToArray();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>What <c>Pop3Listeners</c> puts on a listener after TLS: admission, then the POP3 handler.</summary>
internal sealed class AdmittedPipeline(ConnectionAdmissionMiddleware admission, Pop3ConnectionHandler handler) : ConnectionHandler
{
    public override Task OnConnectedAsync(ConnectionContext connection) => admission.OnConnectionAsync(connection, handler.OnConnectedAsync);
}

[CollectionDefinition(Name)]
public sealed class FrontendCollection : ICollectionFixture<FrontendFixture>
{
    public const string Name = "frontend";
}
