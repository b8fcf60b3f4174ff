using Pop3Gateway.Abstractions.Storage;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Storage;
using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Storage.Embedded;

/// <summary>
/// Grain state as one file per grain: <c>{DataDirectory}/grains/{stateName}/{grainType}/{key}.state</c>.
/// Writes are atomic and durable (temp file, then <see cref="GroupCommit"/>) and guarded by the ETag, a
/// version number in the file header that grows with every write. Meant for one silo process
/// per data directory: the ETag check is exact within the process, not across processes.
/// </summary>
public sealed class EmbeddedGrainStorage : IGrainStorage
{
    private const string Extension = ".state";

    /// <summary>Per-file write locks, striped so their number stays fixed.</summary>
    private readonly SemaphoreSlim[] _locks = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();
    private readonly string _root;
    private readonly GroupCommit _commit;
    private readonly IGrainStorageSerializer _serializer;
    private readonly TimeProvider _timeProvider;

    public EmbeddedGrainStorage(EmbeddedStorageOptions options, IGrainStorageSerializer serializer, TimeProvider timeProvider)
    {
        _root = Path.GetFullPath(Path.Combine(options.DataDirectory, "grains"));
        _commit = new GroupCommit(_root);
        _serializer = serializer;
        _timeProvider = timeProvider;
    }

    /// <summary>Creates the provider registered under <paramref name="name"/>.</summary>
    public static EmbeddedGrainStorage Create(IServiceProvider services, string name)
    {
        var options = services.GetRequiredService<IOptionsMonitor<EmbeddedStorageOptions>>().Get(name);
        var serializer = options.GrainStorageSerializer
            ?? new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());
        return new EmbeddedGrainStorage(options, serializer, services.GetService<TimeProvider>() ?? TimeProvider.System);
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = StatePath(stateName, grainId);
        byte[]? content;
        try
        {
            // A new grain has no file (an import activates two per account): skip the failing open and its exception.
            content = DurableFiles.IsMissing(path) ? null : await File.ReadAllBytesAsync(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            content = null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StorageUnavailableException($"could not read grain state '{path}': {e.Message}", e);
        }
        if (content is null)
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        var version = StateFile.ReadVersion(content, path);
        var payload = new BinaryData(content.AsMemory(StateFile.HeaderLength));
        grainState.State = _serializer.Deserialize<T>(payload) ?? Activator.CreateInstance<T>();
        grainState.ETag = FormatETag(version);
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = StatePath(stateName, grainId);
        var payload = _serializer.Serialize(grainState.State);
        var gate = LockFor(path);
        await gate.WaitAsync();
        try
        {
            var current = await ReadVersionAsync(path);
            CheckETag(path, current, grainState.ETag);
            // A new record starts at the current time in ticks, not at 1, so an ETag from
            // before a ClearStateAsync can never match the recreated record.
            var version = current is { } v ? v + 1 : _timeProvider.GetUtcNow().UtcTicks;

            var directory = Path.GetDirectoryName(path)!;
            PrivateFiles.CreateDirectory(directory);
            var tempPath = DurableFiles.NewTempPath(directory);
            try
            {
                await using (var file = PrivateFiles.CreateNew(tempPath, bufferSize: 0, FileOptions.Asynchronous))
                {
                    var header = new byte[StateFile.HeaderLength];
                    StateFile.WriteHeader(header, version);
                    await file.WriteAsync(header);
                    await file.WriteAsync(payload.ToMemory());
                }
                await _commit.PublishAsync(tempPath, path, overwrite: true);
            }
            catch
            {
                DurableFiles.TryDelete(tempPath);
                throw;
            }

            grainState.ETag = FormatETag(version);
            grainState.RecordExists = true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StorageUnavailableException($"could not write grain state '{path}': {e.Message}", e);
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = StatePath(stateName, grainId);
        var gate = LockFor(path);
        await gate.WaitAsync();
        try
        {
            var current = await ReadVersionAsync(path);
            CheckETag(path, current, grainState.ETag);
            if (current is not null)
            {
                File.Delete(path);
                _ = DurableFiles.SyncDirectory(Path.GetDirectoryName(path)!);
            }
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StorageUnavailableException($"could not delete grain state '{path}': {e.Message}", e);
        }
        finally
        {
            gate.Release();
        }
    }

    private static void CheckETag(string path, long? current, string? expected)
    {
        var stored = current is { } v ? FormatETag(v) : null;
        if (!string.Equals(stored, expected, StringComparison.Ordinal))
        {
            throw new InconsistentStateException(
                $"ETag mismatch on '{path}': stored {stored ?? "(none)"}, expected {expected ?? "(none)"}",
                stored ?? "",
                expected ?? "");
        }
    }

    private static async Task<long?> ReadVersionAsync(string path)
    {
        if (DurableFiles.IsMissing(path))
        {
            return null;
        }
        try
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0, FileOptions.Asynchronous);
            var header = new byte[StateFile.HeaderLength];
            await file.ReadExactlyAsync(header);
            return StateFile.ReadVersion(header, path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static string FormatETag(long version) => version.ToString(CultureInfo.InvariantCulture);

    private SemaphoreSlim LockFor(string path) =>
        _locks[(uint)StringComparer.Ordinal.GetHashCode(path) % (uint)_locks.Length];

    internal string StatePath(string stateName, GrainId grainId) => Path.Combine(
        StateDirectory(_root, stateName, grainId.Type),
        EscapeSegment(grainId.Key.ToString()!) + Extension);

    /// <summary>The directory of the states named <paramref name="stateName"/> of the grains of type <paramref name="grainType"/>.</summary>
    internal static string StateDirectory(string root, string stateName, GrainType grainType) =>
        Path.Combine(root, EscapeSegment(stateName), EscapeSegment(grainType.ToString()!));

    /// <summary>The grain key a state file of <see cref="StateDirectory"/> is named after; null for any other file.</summary>
    internal static string? KeyOfFile(string fileName) =>
        fileName.EndsWith(Extension, StringComparison.Ordinal) && !fileName.StartsWith(DurableFiles.TempPrefix, StringComparison.Ordinal)
            ? UnescapeSegment(fileName[..^Extension.Length])
            : null;

    /// <summary>
    /// Makes a path segment from any string: ASCII letters, digits and <c>- _ @ + .</c> stay,
    /// everything else (and a leading '.') becomes %XX of its UTF-8 bytes, so distinct keys stay distinct.
    /// </summary>
    internal static string EscapeSegment(string value)
    {
        var builder = new StringBuilder(value.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '@' or '+' || (c == '.' && i > 0))
            {
                builder.Append(c);
                continue;
            }
            var length = char.IsSurrogatePair(value, i)
                ? Encoding.UTF8.GetBytes(value.AsSpan(i++, 2), utf8)
                : Encoding.UTF8.GetBytes(value.AsSpan(i, 1), utf8);
            foreach (var b in utf8[..length])
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return builder.Length == 0 ? "%" : builder.ToString();
    }

    /// <summary>The string <see cref="EscapeSegment"/> made <paramref name="segment"/> from.</summary>
    internal static string UnescapeSegment(string segment)
    {
        if (segment == "%")
        {
            return "";
        }
        var bytes = new List<byte>(segment.Length);
        for (var i = 0; i < segment.Length; i++)
        {
            if (segment[i] == '%' && i + 2 < segment.Length && byte.TryParse(segment.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
            {
                bytes.Add(b);
                i += 2;
                continue;
            }
            bytes.Add((byte)segment[i]);
        }
        return Encoding.UTF8.GetString([.. bytes]);
    }
}
