using System.Collections.Concurrent;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Grains.Accounts;

namespace Pop3Gateway.Host.Cli;

/// <summary>
/// <c>pop3gw account import FILE</c>: lines <c>LOGIN PASSWORD [ADDRESS...]</c>, each account created or
/// updated idempotently. PASSWORD is plaintext (hashed here, on all cores) or a hash in the form
/// <see cref="PasswordHashText"/> (stored as is: the fast path for large imports).
/// </summary>
public sealed partial class AdminCommands
{
    /// <summary>
    /// Grain calls in flight at once: enough to hide round trips and to fill the store's group commits
    /// (rounds of many files, see GroupCommit), few enough not to swamp a silo.
    /// </summary>
    private const int ImportCallConcurrency = 128;

    /// <summary>Logins sent to the account directory per call (it writes each shard they fall in once).</summary>
    private const int DirectoryBatchSize = 5000;

    /// <summary>Directory calls in flight at once; each one writes its shards in parallel too.</summary>
    private const int DirectoryCallConcurrency = 4;

    /// <summary>Progress is reported on stderr every this many accounts.</summary>
    private const int AccountProgressInterval = 1000;

    private sealed record AccountLine(int Number, string Login, string Password, string[] Addresses);

    public async Task<int> ImportAccountsAsync(string file)
    {
        var (lines, bad) = ParseAccountLines(ReadAccountFile(file));
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var admin = await ConnectAsync();
        var directory = admin.Grains.GetGrain<IAccountDirectoryGrain>(IAccountDirectoryGrain.DefaultKey);
        // Batches ordered by shard, so each shard is written about once for the whole import, not once per account.
        var batches = lines.Select(l => l.Login).OrderBy(AccountDirectoryShards.IndexOf).Chunk(DirectoryBatchSize);
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = DirectoryCallConcurrency }, async (batch, _) =>
            await Call(async () =>
            {
                await directory.AddMany(batch);
                return true;
            }));
        var failures = new ConcurrentBag<(int Line, string Error)>();
        var done = 0;
        using var hashing = new SemaphoreSlim(Environment.ProcessorCount);
        await Parallel.ForEachAsync(lines, new ParallelOptions { MaxDegreeOfParallelism = ImportCallConcurrency }, async (line, cancellationToken) =>
        {
            string hash;
            if (PasswordHashText.IsHashText(line.Password))
            {
                hash = line.Password;
            }
            else
            {
                await hashing.WaitAsync(cancellationToken);
                try
                {
                    hash = PasswordHashText.Format(PasswordHasher.Hash(line.Password));
                }
                finally
                {
                    hashing.Release();
                }
            }
            var result = await Call(() => admin.Grains.GetGrain<IAccountGrain>(line.Login).Provision(new ProvisionRequest(null, hash, line.Addresses) { AlreadyListed = true }));
            if (!result.IsOk)
            {
                failures.Add((line.Number, $"{line.Login}: {result.Error ?? result.Status.ToString()}"));
            }
            if (Interlocked.Increment(ref done) % AccountProgressInterval == 0)
            {
                Console.Error.WriteLine($"account import: {done}/{lines.Count}");
            }
        });
        foreach (var (number, error) in bad.Concat(failures).OrderBy(f => f.Item1))
        {
            Console.Error.WriteLine($"pop3gw: line {number}: {error}");
        }
        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        stdout.WriteLine($"{lines.Count - failures.Count} accounts created or updated, {bad.Count + failures.Count} lines refused, in {seconds:F1} s");
        return bad.Count + failures.Count == 0 ? CommandLine.Success : CommandLine.UserError;
    }

    /// <summary><c>pop3gw account hash --password-stdin</c>: prints the hash text an import file may carry instead of the password.</summary>
    public int HashPassword(bool passwordFromStdin)
    {
        stdout.WriteLine(PasswordHashText.Format(PasswordHasher.Hash(ReadPassword(passwordFromStdin))));
        return CommandLine.Success;
    }

    private IEnumerable<string> ReadAccountFile(string file)
    {
        if (file == "-")
        {
            return ReadAll(stdin);
        }
        try
        {
            return File.ReadAllLines(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read '{file}': {e.Message}");
        }

        static IEnumerable<string> ReadAll(TextReader reader)
        {
            while (reader.ReadLine() is { } line)
            {
                yield return line;
            }
        }
    }

    private static (List<AccountLine> Good, List<(int, string)> Bad) ParseAccountLines(IEnumerable<string> lines)
    {
        var good = new List<AccountLine>();
        var bad = new List<(int, string)>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var fields = raw.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0 || fields[0].StartsWith('#'))
            {
                continue;
            }
            if (fields.Length < 2)
            {
                bad.Add((number, "expected LOGIN PASSWORD [ADDRESS...]"));
                continue;
            }
            if (!MailboxNames.TryNormalize(fields[0], out var login, out var error))
            {
                bad.Add((number, $"invalid login '{fields[0]}': {error}"));
                continue;
            }
            if (PasswordHashText.IsHashText(fields[1]) && !PasswordHashText.TryParse(fields[1], out _, out error))
            {
                bad.Add((number, error));
                continue;
            }
            var addresses = new List<string>();
            foreach (var address in fields.Skip(2))
            {
                if (!MailAddresses.TryNormalize(address, out var normalized, out error))
                {
                    bad.Add((number, $"invalid address '{address}': {error}"));
                    addresses = null;
                    break;
                }
                addresses.Add(normalized);
            }
            if (addresses is null)
            {
                continue;
            }
            if (!seen.TryAdd(login, number))
            {
                bad.Add((number, $"login '{login}' is already on line {seen[login]}"));
                continue;
            }
            good.Add(new AccountLine(number, login, fields[1], [.. addresses]));
        }
        return (good, bad);
    }
}
