using System.CommandLine;

namespace Pop3Gateway.Host.Cli;

/// <summary><c>pop3gw mailbox ...</c>.</summary>
public static partial class CommandTree
{
    private static Command Mailbox(CliContext context) => new("mailbox", "Inspect mailboxes and set quotas")
    {
        MailboxShow(context),
        PagedListing(context, "list", $"List mailboxes, {AdminCommands.DefaultPageSize} per page unless --limit is given",
            (admin, paging, json) => admin.ListMailboxesAsync(paging.Prefix, paging.Limit, paging.After, json)),
        MailboxQuota(context),
        OperatorCommands.MailboxExpunge(context),
    };

    private static Command MailboxShow(CliContext context)
    {
        var mailbox = CliContext.Name("MAILBOX", "Mailbox name");
        var json = CliContext.JsonOption();
        var command = new Command("show", "Messages, octets, quota and the session holding the mailbox") { mailbox, json };
        command.SetAction(result => context.Admin(result).ShowMailboxAsync(result.GetRequiredValue(mailbox), result.GetValue(json)));
        return command;
    }

    private static Command MailboxQuota(CliContext context)
    {
        var mailbox = CliContext.Name("MAILBOX", "Mailbox name");
        var octets = new Option<string>("--octets") { Description = "Octet limit: N (0 = unlimited) or 'default'", HelpName = "N|default" };
        var messages = new Option<string>("--messages") { Description = "Message limit: N (0 = unlimited) or 'default'", HelpName = "N|default" };
        var command = new Command("quota", "Set a mailbox's quota") { mailbox, octets, messages };
        command.SetAction(result => context.Admin(result).SetQuotaAsync(
            result.GetRequiredValue(mailbox), result.GetValue(octets), result.GetValue(messages)));
        return command;
    }
}
