using System.Diagnostics;
using System.Globalization;

namespace Pop3Gateway.Integration.Tests.Infrastructure;

/// <summary>
/// A private Dovecot POP3 server on a loopback port serving one user's Maildir (as bench/compare.sh runs
/// it: its own base and state directories, plaintext login, no TLS). A missing Dovecot is a failure, never
/// a skip. Dovecot refuses mail access as root, so under root the Maildir is handed to <c>nobody</c>.
/// </summary>
public sealed class DovecotPop3 : IAsyncDisposable
{
    private Process? _process;

    public DovecotPop3()
    {
        Root = Path.Combine(Path.GetTempPath(), $"pop3gw-dovecot-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Root);
        Port = FreePorts.Allocate(1)[0];
    }

    public string Root { get; }

    public int Port { get; }

    /// <summary>Where the Maildir of <paramref name="user"/> goes; fill it before <see cref="StartAsync"/>.</summary>
    public string MaildirOf(string user) => Path.Combine(Root, "mail", user);

    public async Task StartAsync(string user, string password)
    {
        var dovecot = ExternalTool.Require("dovecot", "dovecot-core");
        Assert.True(File.Exists("/usr/lib/dovecot/pop3"), "Dovecot's POP3 server is not installed; install the Debian package 'dovecot-pop3d' (tests/run.sh does as root)");
        var runAs = Environment.UserName;
        if (runAs == "root")
        {
            runAs = "nobody";
            var chown = await ProcessRunner.RunAsync("chown", ["-R", "nobody", Path.Combine(Root, "mail")]);
            Assert.True(chown.ExitCode == 0, chown.ToString());
        }
        var group = await ProcessRunner.RunAsync("id", ["-gn", runAs]);
        Assert.True(group.ExitCode == 0, group.ToString());
        var passwd = Path.Combine(Root, "passwd");
        await File.WriteAllTextAsync(passwd, $"{user}:{{PLAIN}}{password}\n");
        var config = Path.Combine(Root, "dovecot.conf");
        await File.WriteAllTextAsync(config, Config(runAs, group.Stdout.Trim(), passwd));
        var info = new ProcessStartInfo(dovecot) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-F", "-c", config })
        {
            info.ArgumentList.Add(argument);
        }
        _process = Process.Start(info)!;
        await Eventually.UntilAsync("Dovecot to listen", TimeSpan.FromSeconds(10), async () =>
            _process.HasExited ? $"dovecot exited with {_process.ExitCode}: {await _process.StandardError.ReadToEndAsync()} {Log()}" : await TcpProbe.WhyNotListeningAsync(Port));
    }

    /// <summary>Dovecot's log, for a failure message.</summary>
    public string Log()
    {
        var path = Path.Combine(Root, "dovecot.log");
        return File.Exists(path) ? File.ReadAllText(path) : "(no log)";
    }

    /// <summary>
    /// Dovecot's default UIDL format on purpose: the UIDLs must come from the <c>P</c> field of dovecot-uidlist,
    /// not from a format, and not from X-UIDL headers (<c>pop3_reuse_xuidl</c> stays off).
    /// </summary>
    private string Config(string user, string group, string passwd) => string.Create(CultureInfo.InvariantCulture, $$"""
        base_dir = {{Root}}/run
        state_dir = {{Root}}/state
        instance_name = pop3gw-{{Port}}
        log_path = {{Root}}/dovecot.log
        protocols = pop3
        listen = 127.0.0.1
        ssl = no
        disable_plaintext_auth = no
        auth_mechanisms = plain
        mail_location = maildir:{{Root}}/mail/%u:INDEX=MEMORY
        first_valid_uid = 1
        default_internal_user = {{(user == "nobody" ? "dovecot" : user)}}
        default_login_user = {{(user == "nobody" ? "dovenull" : user)}}
        passdb {
          driver = passwd-file
          args = scheme=PLAIN username_format=%u {{passwd}}
        }
        userdb {
          driver = static
          args = uid={{user}} gid={{group}} home={{Root}}/mail/%u
        }
        pop3_uidl_format = %08Xu%08Xv
        pop3_reuse_xuidl = no
        service pop3-login {
          inet_listener pop3 {
            address = 127.0.0.1
            port = {{Port}}
          }
        }

        """);

    public async ValueTask DisposeAsync() => await ChildProcessCleanup.StopAndDeleteAsync(_process, Root);
}
