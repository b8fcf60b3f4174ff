namespace Pop3Gateway.Integration.Tests.Infrastructure;

/// <summary>
/// A private Postfix started from a temporary configuration directory (<c>postfix -c DIR</c>):
/// smtpd on a free loopback port, mail for <c>example.com</c> relayed to an LMTP port, its log
/// in a file. Needs root (Postfix's master runs as root and drops to the <c>postfix</c> user).
/// </summary>
public sealed class PostfixInstance : IAsyncDisposable
{
    public const string Domain = "example.com";

    private PostfixInstance(string directory, int smtpPort)
    {
        Directory = directory;
        SmtpPort = smtpPort;
    }

    public string Directory { get; }

    public int SmtpPort { get; }

    public string LogFile => Path.Combine(Directory, "maillog");

    /// <summary>Starts an instance in a new short temporary directory (Unix socket paths are limited to 107 bytes).</summary>
    public static async Task<PostfixInstance> StartAsync(int lmtpPort)
    {
        var directory = Path.Combine("/tmp", $"pfx-{Guid.NewGuid():N}"[..12]);
        var postfix = ExternalTool.Require("postfix", "postfix");
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "queue"));
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "data"));
        var smtpPort = FreePorts.Allocate(1)[0];
        await File.WriteAllTextAsync(Path.Combine(directory, "main.cf"), $"""
            compatibility_level = 3.6
            queue_directory = {directory}/queue
            data_directory = {directory}/data
            mail_owner = postfix
            inet_interfaces = loopback-only
            inet_protocols = ipv4
            myhostname = mta.test.invalid
            mydomain = test.invalid
            myorigin = test.invalid
            mydestination =
            mynetworks = 127.0.0.0/8
            relay_domains = {Domain}
            relay_recipient_maps =
            relay_transport = lmtp:inet:127.0.0.1:{lmtpPort}
            default_transport = error:no delivery outside the test domain
            smtpd_relay_restrictions = permit_mynetworks, reject
            maillog_file = {directory}/maillog
            maillog_file_prefixes = {directory}
            smtputf8_enable = no
            biff = no
            alias_maps =
            alias_database =
            local_recipient_maps =
            """);
        await File.WriteAllTextAsync(Path.Combine(directory, "master.cf"), $"""
            127.0.0.1:{smtpPort} inet n - n - - smtpd
            pickup    unix  n - n 60 1 pickup
            cleanup   unix  n - n - 0 cleanup
            qmgr      unix  n - n 300 1 qmgr
            rewrite   unix  - - n - - trivial-rewrite
            bounce    unix  - - n - 0 bounce
            defer     unix  - - n - 0 bounce
            trace     unix  - - n - 0 bounce
            verify    unix  - - n - 1 verify
            flush     unix  n - n 1000? 0 flush
            proxymap  unix  - - n - - proxymap
            showq     unix  n - n - - showq
            error     unix  - - n - - error
            retry     unix  - - n - - error
            discard   unix  - - n - - discard
            lmtp      unix  - - n - - lmtp
            smtp      unix  - - n - - smtp
            anvil     unix  - - n - 1 anvil
            scache    unix  - - n - 1 scache
            postlog   unix-dgram n - n - 1 postlogd
            """);
        var chown = await ProcessRunner.RunAsync("chown", ["postfix", Path.Combine(directory, "data")]);
        Assert.True(chown.ExitCode == 0, $"Postfix needs root to run a private instance: {chown}");
        var started = await ProcessRunner.RunAsync(postfix, ["-c", directory, "start"]);
        var instance = new PostfixInstance(directory, smtpPort);
        await instance.WaitForPortAsync(started);
        return instance;
    }

    private async Task WaitForPortAsync(ProcessResult started)
    {
        try
        {
            await Eventually.UntilAsync($"Postfix to listen on 127.0.0.1:{SmtpPort}", TimeSpan.FromSeconds(60),
                () => TcpProbe.WhyNotListeningAsync(SmtpPort), TimeSpan.FromMilliseconds(250));
        }
        catch (TimeoutException e)
        {
            var log = File.Exists(LogFile) ? await File.ReadAllTextAsync(LogFile) : "(no log)";
            // Postfix writes its own errors only to a terminal or its log: ask again through script(1) to see them.
            var check = await ProcessRunner.RunAsync("script", ["-qc", $"postfix -c {Directory} check", "/dev/null"]);
            Assert.Fail($"{e.Message}: {started}\n{log}\n{check}");
        }
    }

    /// <summary>Waits until the log has a final status line for every recipient; returns those lines.</summary>
    public async Task<IReadOnlyDictionary<string, string>> WaitForStatusAsync(IReadOnlyList<string> recipients, TimeSpan timeout)
    {
        var found = new Dictionary<string, string>();
        try
        {
            await Eventually.UntilAsync("Postfix to log a final status for every recipient", timeout, async () =>
            {
                foreach (var line in File.Exists(LogFile) ? await File.ReadAllLinesAsync(LogFile) : [])
                {
                    foreach (var recipient in recipients.Where(r => line.Contains($"to=<{r}>", StringComparison.Ordinal)
                        && (line.Contains("status=sent", StringComparison.Ordinal) || line.Contains("status=bounced", StringComparison.Ordinal))))
                    {
                        found[recipient] = line;
                    }
                }
                return found.Count == recipients.Count ? null : $"none yet for {string.Join(", ", recipients.Except(found.Keys))}";
            }, TimeSpan.FromMilliseconds(500));
        }
        catch (TimeoutException e)
        {
            var log = File.Exists(LogFile) ? await File.ReadAllTextAsync(LogFile) : "(no log)";
            Assert.Fail($"{e.Message}\n{log}");
        }
        return found;
    }

    public async ValueTask DisposeAsync()
    {
        await ProcessRunner.RunAsync("postfix", ["-c", Directory, "stop"]);
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A Postfix process still finishing: the directory is left in /tmp.
        }
    }
}
