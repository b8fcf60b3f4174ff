using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Pop3Gateway.Grains.Accounts;
using Pop3Gateway.Grains.Mailboxes;
using Pop3Gateway.Host.Cli;
using Pop3Gateway.Host.Serve;

namespace Pop3Gateway.Integration.Tests;

/// <summary>The <c>Grains</c> section as the silo of <c>pop3gw serve</c> hands it to Orleans, read from the built (unstarted) process.</summary>
public sealed class GrainCollectionSettingsTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "pop3gw-collection-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Build_GrainsCollectionAges_ReachOrleansPerGrainClass()
    {
        var collection = await SiloCollectionOptions(new()
        {
            ["Grains:CollectionAge"] = "00:20:00",
            ["Grains:MailboxCollectionAge"] = "00:05:00",
            ["Grains:AccountCollectionAge"] = "01:00:00",
        });

        Assert.Equal(TimeSpan.FromMinutes(20), collection.CollectionAge);
        Assert.Equal(TimeSpan.FromMinutes(5), collection.ClassSpecificCollectionAge[typeof(MailboxGrain).FullName!]);
        Assert.Equal(TimeSpan.FromHours(1), collection.ClassSpecificCollectionAge[typeof(AccountGrain).FullName!]);
    }

    [Fact]
    public async Task Build_NoGrainsSection_OrleansDefaultAge()
    {
        var collection = await SiloCollectionOptions([]);

        Assert.Equal(new GrainCollectionOptions().CollectionAge, collection.CollectionAge);
        Assert.Equal(collection.CollectionAge, collection.ClassSpecificCollectionAge[typeof(MailboxGrain).FullName!]);
    }

    private async Task<GrainCollectionOptions> SiloCollectionOptions(Dictionary<string, string?> settings)
    {
        settings["Storage:DataDirectory"] = _data;
        await using var app = ServeCommand.Build(new CliArguments(settings) { Role = "silo" });
        return app.Services.GetRequiredService<IOptions<GrainCollectionOptions>>().Value;
    }

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }
}
