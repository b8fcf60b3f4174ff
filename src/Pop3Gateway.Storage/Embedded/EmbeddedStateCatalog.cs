using System.Runtime.CompilerServices;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Storage;

namespace Pop3Gateway.Storage.Embedded;

/// <summary>The <see cref="IGrainStateCatalog"/> of <see cref="EmbeddedGrainStorage"/>: the file names of one state directory.</summary>
public sealed class EmbeddedStateCatalog(EmbeddedStorageOptions options) : IGrainStateCatalog
{
    private readonly string _root = Path.GetFullPath(Path.Combine(options.DataDirectory, "grains"));

    public async IAsyncEnumerable<string> KeysAsync(string stateName, GrainType grainType, string keyPrefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var directory = EmbeddedGrainStorage.StateDirectory(_root, stateName, grainType);
        string[] files;
        try
        {
            files = Directory.GetFiles(directory);
        }
        catch (DirectoryNotFoundException)
        {
            yield break;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StorageUnavailableException($"could not list grain states in '{directory}': {e.Message}", e);
        }
        await Task.Yield();
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (EmbeddedGrainStorage.KeyOfFile(Path.GetFileName(file)) is { } key && key.StartsWith(keyPrefix, StringComparison.Ordinal))
            {
                yield return key;
            }
        }
    }
}
