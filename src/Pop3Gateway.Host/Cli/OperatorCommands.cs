using System.CommandLine;
using System.Globalization;
using Pop3Gateway.Host.Cli.Export;
using Pop3Gateway.Host.Cli.Mailboxes;
using Pop3Gateway.Host.Cli.Sessions;

namespace Pop3Gateway.Host.Cli;

/// <summary>
/// The doveadm-like operator commands: who and kick (sessions), mailbox expunge and export (mail), config show.
/// Each parses and validates its arguments here and hands them to the command's own class.
/// </summary>
public static class OperatorCommands
{
    /// <summary>The ISO-8601 forms <c>--before</c> accepts; without an offset the time is UTC.</summary>
    private static readonly string[] IsoFormats =
    [
        "yyyy-MM-dd",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    /// <summary><c>who [MAILBOX] [--json]</c>: open sessions cluster-wide.</summary>
    public static Command Who(CliContext context)
    {
        var mailbox = new Argument<string?>("MAILBOX") { Description = "Only sessions on this mailbox", Arity = ArgumentArity.ZeroOrOne };
        var json = CliContext.JsonOption();
        var command = new Command("who", "List open POP3 sessions") { mailbox, json };
        command.SetAction(async (result, ct) =>
        {
            await using var admin = await context.ConnectAsync(result, ct);
            return await SessionCommands.WhoAsync(admin, result.GetValue(mailbox), result.GetValue(json), context.Stdout, ct);
        });
        return command;
    }

    /// <summary><c>kick MAILBOX</c>: end the session holding the mailbox.</summary>
    public static Command Kick(CliContext context)
    {
        var mailbox = CliContext.Name("MAILBOX", "Mailbox whose session to end");
        var command = new Command("kick", "End the POP3 session holding a mailbox") { mailbox };
        command.SetAction(async (result, ct) =>
        {
            await using var admin = await context.ConnectAsync(result, ct);
            return await SessionCommands.KickAsync(admin, result.GetRequiredValue(mailbox), context.Stdout, ct);
        });
        return command;
    }

    /// <summary><c>mailbox expunge MAILBOX (--all | --before DATE | --uidl U...) [--kick]</c>: exactly one selector.</summary>
    public static Command MailboxExpunge(CliContext context)
    {
        var mailbox = CliContext.Name("MAILBOX", "Mailbox to remove messages from");
        var all = new Option<bool>("--all") { Description = "Every message" };
        var before = new Option<DateTimeOffset?>("--before")
        {
            Description = "Messages delivered before DATE (ISO-8601 date or date-time; UTC unless an offset is given)",
            HelpName = "DATE",
            CustomParser = ParseDate,
        };
        var uidls = new Option<string[]>("--uidl")
        {
            Description = "The messages with these UIDLs",
            HelpName = "U",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = true,
        };
        var kick = new Option<bool>("--kick") { Description = "End the session holding the mailbox first" };
        var command = new Command("expunge", "Remove messages from a mailbox") { mailbox, all, before, uidls, kick };
        command.Validators.Add(result =>
        {
            var given = new Option[] { all, before, uidls }.Count(o => result.GetResult(o) is { Implicit: false });
            if (given != 1)
            {
                result.AddError(given == 0
                    ? "say which messages to expunge: --all, --before DATE or --uidl U..."
                    : "give only one of --all, --before DATE and --uidl U...");
            }
        });
        command.SetAction(async (result, ct) =>
        {
            ExpungeSelection selection = result.GetValue(before) is { } date ? new ExpungeSelection.Before(date)
                : result.GetValue(uidls) is { Length: > 0 } chosen ? new ExpungeSelection.Uidls(chosen)
                : new ExpungeSelection.All();
            await using var admin = await context.ConnectAsync(result, ct);
            return await ExpungeCommand.RunAsync(admin, result.GetRequiredValue(mailbox), selection, result.GetValue(kick), context.Stdout, ct);
        });
        return command;
    }

    /// <summary><c>export MAILBOX DIR --format maildir|mbox</c>.</summary>
    public static Command Export(CliContext context)
    {
        var mailbox = CliContext.Name("MAILBOX", "Mailbox to export");
        var directory = new Argument<string>("DIR") { Description = "Directory to write into" };
        var format = new Option<string>("--format") { Description = "maildir or mbox", HelpName = "FORMAT", Required = true };
        format.AcceptOnlyFromAmong("maildir", "mbox");
        var command = new Command("export", "Write a mailbox's messages to a Maildir or an mbox file, with their UIDLs") { mailbox, directory, format };
        command.SetAction(async (result, ct) =>
        {
            var chosen = Enum.Parse<ExportFormat>(result.GetRequiredValue(format), ignoreCase: true);
            await using var admin = await context.ConnectAsync(result, ct);
            return await ExportCommand.RunAsync(admin, result.GetRequiredValue(mailbox), result.GetRequiredValue(directory), chosen, context.Stdout, ct);
        });
        return command;
    }

    /// <summary><c>config show [--changed] [--json]</c>: the effective configuration.</summary>
    public static Command Config(CliContext context)
    {
        var changed = new Option<bool>("--changed") { Description = "Only settings that differ from their default" };
        var json = CliContext.JsonOption();
        var show = new Command("show", "Print the effective configuration, secrets redacted") { changed, json };
        show.SetAction(result => ConfigShowCommand.Run(context.Overrides(result), result.GetValue(changed), result.GetValue(json), context.Stdout));
        return new Command("config", "Inspect the configuration") { show };
    }

    private static DateTimeOffset? ParseDate(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = result.Tokens[0].Value;
        if (DateTimeOffset.TryParseExact(text, IsoFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            return value;
        }
        result.AddError($"--before takes an ISO-8601 date or date-time (2024-05-31 or 2024-05-31T12:00:00Z), not '{text}'");
        return null;
    }
}
