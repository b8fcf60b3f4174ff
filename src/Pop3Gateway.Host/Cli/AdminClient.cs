using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Host.Configuration;

namespace Pop3Gateway.Host.Cli;

/// <summary>An Orleans client connected to the running cluster's gateway, for admin commands.</summary>
public sealed class AdminClient : IAsyncDisposable
{
    private readonly IHost _host;

    private AdminClient(IHost host)
    {
        _host = host;
        Grains = host.Services.GetRequiredService<IClusterClient>();
        Bodies = host.Services.GetRequiredService<IBodyStore>();
    }

    public IClusterClient Grains { get; }

    public IBodyStore Bodies { get; }

    public static async Task<AdminClient> ConnectAsync(IReadOnlyDictionary<string, string?> overrides, CancellationToken cancellationToken)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        GatewayConfiguration.AddSources(builder.Configuration, overrides);
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Critical);
        var orleans = OrleansSettings.From(builder.Configuration);
        builder.UseOrleansClient(client => client.UseLocalhostClustering(orleans.GatewayPort, orleans.ServiceId, orleans.ClusterId));
        StorageRegistration.AddBodyStore(builder.Services, StorageSettings.From(builder.Configuration));
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            host.Dispose();
            throw new ClusterUnreachableException(
                $"cannot reach the cluster gateway at 127.0.0.1:{orleans.GatewayPort} (is 'pop3gw serve' running?): {e.Message}", e);
        }
        return new AdminClient(host);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(TimeSpan.FromSeconds(5));
        }
        finally
        {
            _host.Dispose();
        }
    }
}
