using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Host.Cli;

/// <summary>The account, mailbox and delivery commands. Each validates its input before touching the cluster.</summary>
/// <param name="overrides">Configuration given on the command line (<c>--data DIR</c>).</param>
public sealed partial class AdminCommands(IReadOnlyDictionary<string, string?> overrides, TextReader stdin, TextWriter stdout)
{
    public async Task<int> AddAccountAsync(string login, IReadOnlyList<string> addresses, bool passwordFromStdin)
    {
        var name = NormalizeName(login, "login");
        var normalized = addresses.Select(NormalizeAddress).ToArray();
        var password = ReadPassword(passwordFromStdin);
        await using var admin = await ConnectAsync();
        var account = admin.Grains.GetGrain<IAccountGrain>(name);
        if (normalized.Length == 0)
        {
            Check(await Call(() => account.Create(password)), $"account '{name}'");
        }
        else
        {
            if (await Call(() => account.Describe()) is not null)
            {
                throw new UsageException($"account '{name}' already exists");
            }
            await CheckAddressesFreeAsync(admin, name, normalized);
            Check(await Call(() => account.Provision(new ProvisionRequest(password, null, normalized))), $"account '{name}'");
        }
        var receives = normalized.Length == 0 ? "" : $", receiving mail for {string.Join(", ", normalized)}";
        stdout.WriteLine($"account {name} created with mailbox {name}{receives}");
        return CommandLine.Success;
    }

    public async Task<int> SetPasswordAsync(string login, bool passwordFromStdin)
    {
        var name = NormalizeName(login, "login");
        var password = ReadPassword(passwordFromStdin);
        await using var admin = await ConnectAsync();
        var result = await Call(() => admin.Grains.GetGrain<IAccountGrain>(name).SetPassword(password));
        Check(result, $"account '{name}'");
        stdout.WriteLine($"password of {name} changed");
        return CommandLine.Success;
    }

    public async Task<int> GrantAsync(string login, string mailbox)
    {
        var name = NormalizeName(login, "login");
        var target = NormalizeName(mailbox, "mailbox");
        await using var admin = await ConnectAsync();
        var result = await Call(() => admin.Grains.GetGrain<IAccountGrain>(name).Grant(target));
        Check(result, result.Status == AdminStatus.NoSuchMailbox ? $"mailbox '{target}'" : $"account '{name}'");
        stdout.WriteLine($"{name} may now open {target} as {name}\\{target}");
        return CommandLine.Success;
    }

    /// <param name="dedupe">Skip messages already delivered (<c>--dedupe</c>); not yet used by the delivery path.</param>
    public async Task<int> DeliverAsync(string mailbox, IReadOnlyList<string> files, bool dedupe)
    {
        var name = NormalizeName(mailbox, "mailbox");
        if (files.Count(f => f == "-") > 1)
        {
            throw new UsageException("'-' (stdin) can be given only once");
        }
        foreach (var file in files.Where(f => f != "-" && !File.Exists(f)))
        {
            throw new UsageException($"cannot read '{file}': no such file");
        }
        await using var admin = await ConnectAsync();
        var grain = admin.Grains.GetGrain<IMailboxGrain>(name);
        if (!(await Call(() => grain.Describe())).Exists)
        {
            throw new UsageException($"no such mailbox: {name}");
        }
        foreach (var file in files)
        {
            var uidl = await new Delivery(admin, name, dedupe).DeliverAsync(file, stdin);
            stdout.WriteLine(uidl);
        }
        return CommandLine.Success;
    }

    private Task<AdminClient> ConnectAsync() => AdminClient.ConnectAsync(overrides, CancellationToken.None);

    private string ReadPassword(bool fromStdin)
    {
        if (!fromStdin)
        {
            throw new UsageException("give the password on standard input with --password-stdin (never on the command line)");
        }
        var password = stdin.ReadLine();
        if (string.IsNullOrEmpty(password))
        {
            throw new UsageException("no password on standard input");
        }
        return password;
    }

    internal static string NormalizeName(string value, string what) =>
        MailboxNames.TryNormalize(value, out var name, out var error)
            ? name
            : throw new UsageException($"invalid {what} '{value}': {error}");

    internal static void Check(AdminResult result, string subject)
    {
        switch (result.Status)
        {
            case AdminStatus.Ok:
                return;
            case AdminStatus.StorageUnavailable:
                throw new ClusterUnreachableException($"storage unavailable: {result.Error}");
            case AdminStatus.AlreadyExists:
                throw new UsageException($"{subject} already exists");
            case AdminStatus.NoSuchAccount or AdminStatus.NoSuchMailbox:
                throw new UsageException($"{subject} does not exist");
            default:
                throw new UsageException(result.Error ?? $"{subject}: {result.Status}");
        }
    }

    /// <summary>Runs a grain call; a failure to reach the cluster becomes exit code 2.</summary>
    internal static async Task<T> Call<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is OrleansException or TimeoutException or SiloUnavailableException)
        {
            throw new ClusterUnreachableException($"the cluster did not answer: {e.Message}", e);
        }
    }
}
