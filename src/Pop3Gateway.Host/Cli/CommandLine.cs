using Pop3Gateway.Host.Serve;

namespace Pop3Gateway.Host.Cli;

/// <summary>The <c>pop3gw</c> command line: dispatch, and the exit-code contract (0 ok, 1 user error, 2 cluster unreachable).</summary>
public static class CommandLine
{
    public const int Success = 0;
    public const int UserError = 1;
    public const int ClusterUnreachable = 2;

    public const string Usage = """
        Usage:
          pop3gw serve [--data DIR] [--role combined|silo|frontend]
          pop3gw account add LOGIN --password-stdin [--address ADDR]...
          pop3gw account import FILE            (lines: LOGIN PASSWORD-OR-HASH [ADDRESS...]; FILE '-' is stdin)
          pop3gw account hash --password-stdin  (prints a hash for an import file)
          pop3gw account address add|remove LOGIN ADDR
          pop3gw account disable|enable LOGIN
          pop3gw account revoke LOGIN MAILBOX
          pop3gw account remove LOGIN [--keep-mail]
          pop3gw account passwd LOGIN --password-stdin
          pop3gw account grant LOGIN MAILBOX
          pop3gw account list
          pop3gw deliver MAILBOX FILE...        (FILE '-' reads one message from stdin)
          pop3gw import MAILBOX PATH [--mbox-format mboxrd|mboxo]   (PATH: a Maildir or an mbox file)
          pop3gw mailbox show MAILBOX
          pop3gw mailbox quota MAILBOX [--octets N|default] [--messages N|default]   (0 = unlimited)
          pop3gw cert dev [--force]             (self-signed certificate for localhost, written under DATA/tls;
                                                --force replaces an existing key)
          pop3gw cert cluster [--force]         (cluster CA, node and admin certificates, written under DATA/cluster;
                                                --force replaces an existing DATA/cluster)

        Settings come from appsettings.json and POP3GW__Section__Key environment variables;
        --data DIR sets Storage:DataDirectory for any command.
        """;

    public static async Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            var parsed = CliArguments.Parse(args);
            if (parsed.Help || parsed.Words is [] or ["help"])
            {
                stdout.WriteLine(Usage);
                return parsed.Words is [] && !parsed.Help ? UserError : Success;
            }
            var admin = new AdminCommands(parsed, stdin, stdout);
            return parsed.Words switch
            {
                ["serve"] => await ServeCommand.RunAsync(parsed),
                ["account", "add", var login] => await admin.AddAccountAsync(login),
                ["account", "passwd", var login] => await admin.SetPasswordAsync(login),
                ["account", "grant", var login, var mailbox] => await admin.GrantAsync(login, mailbox),
                ["account", "list"] => await admin.ListAccountsAsync(),
                ["account", "import", var file] => await admin.ImportAccountsAsync(file),
                ["account", "hash"] => admin.HashPassword(),
                ["account", "address", "add", var login, var address] => await admin.AddAddressAsync(login, address),
                ["account", "address", "remove", var login, var address] => await admin.RemoveAddressAsync(login, address),
                ["account", "disable", var login] => await admin.SetDisabledAsync(login, disabled: true),
                ["account", "enable", var login] => await admin.SetDisabledAsync(login, disabled: false),
                ["account", "revoke", var login, var mailbox] => await admin.RevokeAsync(login, mailbox),
                ["account", "remove", var login] => await admin.RemoveAccountAsync(login),
                ["mailbox", "quota", var mailbox] => await admin.SetQuotaAsync(mailbox),
                ["deliver", var mailbox, .. var files] when files.Length > 0 => await admin.DeliverAsync(mailbox, files),
                ["mailbox", "show", var mailbox] => await admin.ShowMailboxAsync(mailbox),
                ["import", var mailbox, var path] => await admin.ImportAsync(mailbox, path),
                ["cert", "dev"] => await CertCommand.DevAsync(parsed, stdout, CancellationToken.None),
                ["cert", "cluster"] => ClusterCertCommand.Run(parsed, stdout),
                _ => throw new UsageException($"unknown or incomplete command '{string.Join(' ', parsed.Words)}'; see 'pop3gw --help'"),
            };
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"pop3gw: {e.Message}");
            return UserError;
        }
        catch (ClusterUnreachableException e)
        {
            stderr.WriteLine($"pop3gw: {e.Message}");
            return ClusterUnreachable;
        }
        catch (InvalidOperationException e) when (e.Message.Contains("configuration", StringComparison.OrdinalIgnoreCase))
        {
            stderr.WriteLine($"pop3gw: invalid configuration: {e.Message}");
            return UserError;
        }
    }
}
