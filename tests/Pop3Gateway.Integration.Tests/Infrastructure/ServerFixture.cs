using Xunit.Sdk;

namespace Pop3Gateway.Integration.Tests.Infrastructure;

/// <summary>An account a test created for itself; the login is also the name of its mailbox.</summary>
public sealed record TestAccount(string Login, string Password);

/// <summary>An account whose mailbox holds <see cref="Messages"/>, delivered in order, with the UIDLs <c>deliver</c> printed.</summary>
public sealed record SeededMailbox(string Login, string Password, IReadOnlyList<TestMessage> Messages, IReadOnlyList<string> Uidls)
{
    public TestAccount Account => new(Login, Password);
}

/// <summary>
/// One running server shared by the tests of a class (server starts cost seconds).
/// Tests stay independent by creating their own accounts with unique logins.
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public ServerFixture()
        : this(new ServerProcess())
    {
    }

    /// <summary>A fixture around a server with extra settings (for fixtures that wrap this one).</summary>
    internal ServerFixture(ServerProcess server)
    {
        Server = server;
    }

    public ServerProcess Server { get; }

    public int Pop3Port => Server.Pop3Port;

    public Task InitializeAsync() => Server.StartAsync();

    public Task DisposeAsync() => Server.DisposeAsync().AsTask();

    /// <summary>A login nobody else uses: letters and digits only, so it fits in URLs and rc files unquoted.</summary>
    public static string UniqueLogin(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 12, 40)];

    public static string NewPassword() => $"Pw{Guid.NewGuid():N}"[..20];

    /// <summary>Runs a test body; when it fails, the server's log tail is added to the failure message.</summary>
    public async Task GuardAsync(Func<Task> test)
    {
        try
        {
            await test();
        }
        catch (Exception e)
        {
            throw new XunitException($"{e.GetType().Name}: {e.Message}\n{Server.LogTail()}\n--- original stack ---\n{e.StackTrace}");
        }
    }

    public Task<ProcessResult> CliAsync(params string[] args) => Server.CliAsync(args);

    public Task<ProcessResult> CliWithStdinAsync(string stdin, params string[] args) => Server.CliAsync(args, stdin);

    /// <summary>Runs a CLI command that must succeed; returns its stdout.</summary>
    public async Task<string> CliOkAsync(string? stdin, params string[] args)
    {
        var result = await Server.CliAsync(args, stdin);
        if (result.ExitCode != 0)
        {
            throw new XunitException($"CLI command failed: {result}");
        }
        return result.Stdout;
    }

    public async Task<TestAccount> CreateAccountAsync(string prefix)
    {
        var account = new TestAccount(UniqueLogin(prefix), NewPassword());
        await CliOkAsync(account.Password + "\n", "account", "add", account.Login, "--password-stdin");
        return account;
    }

    /// <summary>Delivers the messages through files in one <c>deliver</c> call; returns the printed UIDLs.</summary>
    public async Task<IReadOnlyList<string>> DeliverAsync(string mailbox, IReadOnlyList<TestMessage> messages)
    {
        var directory = Path.Combine(Server.Root, "outgoing", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var files = new List<string>();
        foreach (var (message, index) in messages.Select((m, i) => (m, i)))
        {
            var file = Path.Combine(directory, $"{index + 1:D3}-{message.Name}.eml");
            await File.WriteAllBytesAsync(file, message.Raw);
            files.Add(file);
        }
        var stdout = await CliOkAsync(null, ["deliver", mailbox, .. files]);
        var uidls = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(uidls.Length == messages.Count, $"deliver printed {uidls.Length} lines for {messages.Count} messages:\n{stdout}");
        return uidls;
    }

    public async Task<SeededMailbox> CreateMailboxAsync(string prefix, IReadOnlyList<TestMessage> messages)
    {
        var account = await CreateAccountAsync(prefix);
        var uidls = await DeliverAsync(account.Login, messages);
        return new SeededMailbox(account.Login, account.Password, messages, uidls);
    }

    /// <summary>A fresh scratch directory under the server's temp root.</summary>
    public string NewScratchDirectory(string name)
    {
        var directory = Path.Combine(Server.Root, "scratch", $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        return directory;
    }
}
