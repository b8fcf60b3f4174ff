using System.CommandLine;
using Pop3Gateway.Host.Serve;

namespace Pop3Gateway.Host.Cli;

/// <summary>
/// The <c>pop3gw</c> command tree: each command with its own arguments and options, and an action that calls
/// the command's method with plain values. Nothing here talks to the cluster itself.
/// </summary>
public static partial class CommandTree
{
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("""
            pop3gw: a POP3 gateway on Orleans, and its administration.
            Settings come from appsettings.json and POP3GW__Section__Key environment variables;
            --data DIR sets Storage:DataDirectory for any command.
            """);
        root.Options.Add(context.Data);
        root.Subcommands.Add(Serve(context));
        root.Subcommands.Add(Account(context));
        root.Subcommands.Add(Mailbox(context));
        root.Subcommands.Add(Deliver(context));
        root.Subcommands.Add(Import(context));
        root.Subcommands.Add(Cert(context));
        root.Subcommands.Add(OperatorCommands.Who(context));
        root.Subcommands.Add(OperatorCommands.Kick(context));
        root.Subcommands.Add(OperatorCommands.Export(context));
        root.Subcommands.Add(OperatorCommands.Config(context));
        return root;
    }

    private static Command Serve(CliContext context)
    {
        var role = new Option<string>("--role") { Description = "combined (default), silo or frontend", HelpName = "ROLE" };
        role.CompletionSources.Add("combined", "silo", "frontend");
        var command = new Command("serve", "Run the gateway (POP3, LMTP, management port) in the foreground") { role };
        command.SetAction(result => ServeCommand.RunAsync(new CliArguments(context.Overrides(result)) { Role = result.GetValue(role) }));
        return command;
    }

    private static Command Deliver(CliContext context)
    {
        var mailbox = CliContext.Name("MAILBOX", "Mailbox to deliver into");
        var files = new Argument<string[]>("FILE") { Description = "Message files; '-' reads one message from stdin", Arity = ArgumentArity.OneOrMore };
        var dedupe = DedupeOption();
        var command = new Command("deliver", "Deliver message files into a mailbox; prints one UIDL per message") { mailbox, files, dedupe };
        command.SetAction(result => context.Admin(result).DeliverAsync(
            result.GetRequiredValue(mailbox), result.GetRequiredValue(files), result.GetValue(dedupe)));
        return command;
    }

    private static Command Import(CliContext context)
    {
        var mailbox = CliContext.Name("MAILBOX", "Mailbox to import into");
        var path = new Argument<string>("PATH") { Description = "A Maildir or an mbox file" };
        var format = new Option<string>("--mbox-format") { Description = "mboxrd (default) or mboxo", HelpName = "FORMAT" };
        format.CompletionSources.Add("mboxrd", "mboxo");
        var dedupe = DedupeOption();
        var command = new Command("import", "Import a Maildir or an mbox file, in order, keeping UIDLs the source has") { mailbox, path, format, dedupe };
        command.SetAction(result => context.Admin(result).ImportAsync(
            result.GetRequiredValue(mailbox), result.GetRequiredValue(path), result.GetValue(format), result.GetValue(dedupe)));
        return command;
    }

    /// <summary>A listing with <c>--prefix</c>, <c>--limit</c>, <c>--after</c> and <c>--json</c>.</summary>
    private static Command PagedListing(
        CliContext context, string name, string description, Func<AdminCommands, PageRequest, bool, Task<int>> run)
    {
        var paging = new PagingOptions();
        var json = CliContext.JsonOption();
        var command = new Command(name, description) { json };
        paging.AddTo(command);
        command.SetAction(result => run(context.Admin(result), paging.Read(result), result.GetValue(json)));
        return command;
    }

    private static Option<bool> DedupeOption() => new("--dedupe") { Description = "Do not store a message that was delivered already" };

    private static Command Cert(CliContext context)
    {
        var devForce = new Option<bool>("--force") { Description = "Replace an existing key" };
        var dev = new Command("dev", "Self-signed certificate for localhost, written under DATA/tls") { devForce };
        dev.SetAction((result, cancellationToken) =>
            CertCommand.DevAsync(context.Overrides(result), result.GetValue(devForce), context.Stdout, cancellationToken));
        var clusterForce = new Option<bool>("--force") { Description = "Replace an existing DATA/cluster" };
        var cluster = new Command("cluster", "Cluster CA, node and admin certificates, written under DATA/cluster") { clusterForce };
        cluster.SetAction(result => ClusterCertCommand.Run(context.Overrides(result), result.GetValue(clusterForce), context.Stdout));
        return new Command("cert", "Create certificates") { dev, cluster };
    }
}
