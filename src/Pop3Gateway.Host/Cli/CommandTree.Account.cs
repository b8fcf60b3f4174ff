using System.CommandLine;

namespace Pop3Gateway.Host.Cli;

/// <summary><c>pop3gw account ...</c>.</summary>
public static partial class CommandTree
{
    private static Command Account(CliContext context) => new("account", "Create, change, list and remove accounts")
    {
        AccountAdd(context),
        AccountImport(context),
        AccountHash(context),
        AccountAddress(context),
        AccountSetDisabled(context, "disable", disabled: true, "Refuse logins and mail; the mail is kept"),
        AccountSetDisabled(context, "enable", disabled: false, "Accept logins and mail again"),
        AccountMailboxCommand(context, "grant", "Let LOGIN open MAILBOX as LOGIN\\MAILBOX", (admin, login, mailbox) => admin.GrantAsync(login, mailbox)),
        AccountMailboxCommand(context, "revoke", "Take back a grant", (admin, login, mailbox) => admin.RevokeAsync(login, mailbox)),
        AccountRemove(context),
        AccountPasswd(context),
        PagedListing(context, "list", "List accounts; all of them unless --limit is given",
            (admin, paging, json) => admin.ListAccountsAsync(paging.Prefix, paging.Limit, paging.After, json)),
        AccountShow(context),
    };

    private static Option<bool> PasswordStdinOption() =>
        new("--password-stdin") { Description = "Read the password from the first line of standard input" };

    private static Argument<string> Login() => CliContext.Name("LOGIN", "Account login");

    private static Command AccountAdd(CliContext context)
    {
        var login = Login();
        var password = PasswordStdinOption();
        var addresses = new Option<string[]>("--address") { Description = "An address the account receives mail for (repeatable)", HelpName = "ADDR" };
        var command = new Command("add", "Create an account and its mailbox") { login, password, addresses };
        command.SetAction(result => context.Admin(result).AddAccountAsync(
            result.GetRequiredValue(login), result.GetValue(addresses) ?? [], result.GetValue(password)));
        return command;
    }

    private static Command AccountImport(CliContext context)
    {
        var file = new Argument<string>("FILE") { Description = "Lines: LOGIN PASSWORD-OR-HASH [ADDRESS...]; '-' is stdin" };
        var command = new Command("import", "Create or update many accounts from a file") { file };
        command.SetAction(result => context.Admin(result).ImportAccountsAsync(result.GetRequiredValue(file)));
        return command;
    }

    private static Command AccountHash(CliContext context)
    {
        var password = PasswordStdinOption();
        var command = new Command("hash", "Print a password hash for an import file") { password };
        command.SetAction(result => context.Admin(result).HashPassword(result.GetValue(password)));
        return command;
    }

    private static Command AccountAddress(CliContext context)
    {
        Command Change(string name, string description, Func<AdminCommands, string, string, Task<int>> run)
        {
            var login = Login();
            var address = new Argument<string>("ADDR") { Description = "Mail address" };
            var command = new Command(name, description) { login, address };
            command.SetAction(result => run(context.Admin(result), result.GetRequiredValue(login), result.GetRequiredValue(address)));
            return command;
        }
        return new Command("address", "Addresses an account receives mail for")
        {
            Change("add", "Receive mail for ADDR", (admin, login, address) => admin.AddAddressAsync(login, address)),
            Change("remove", "Stop receiving mail for ADDR", (admin, login, address) => admin.RemoveAddressAsync(login, address)),
        };
    }

    private static Command AccountSetDisabled(CliContext context, string name, bool disabled, string description)
    {
        var login = Login();
        var command = new Command(name, description) { login };
        command.SetAction(result => context.Admin(result).SetDisabledAsync(result.GetRequiredValue(login), disabled));
        return command;
    }

    private static Command AccountMailboxCommand(CliContext context, string name, string description, Func<AdminCommands, string, string, Task<int>> run)
    {
        var login = Login();
        var mailbox = CliContext.Name("MAILBOX", "Mailbox of another account");
        var command = new Command(name, description) { login, mailbox };
        command.SetAction(result => run(context.Admin(result), result.GetRequiredValue(login), result.GetRequiredValue(mailbox)));
        return command;
    }

    private static Command AccountRemove(CliContext context)
    {
        var login = Login();
        var keepMail = new Option<bool>("--keep-mail") { Description = "Keep the mailbox and its mail" };
        var command = new Command("remove", "Remove an account (and its mailbox, unless --keep-mail)") { login, keepMail };
        command.SetAction(result => context.Admin(result).RemoveAccountAsync(result.GetRequiredValue(login), result.GetValue(keepMail)));
        return command;
    }

    private static Command AccountPasswd(CliContext context)
    {
        var login = Login();
        var password = PasswordStdinOption();
        var command = new Command("passwd", "Change an account's password") { login, password };
        command.SetAction(result => context.Admin(result).SetPasswordAsync(result.GetRequiredValue(login), result.GetValue(password)));
        return command;
    }

    private static Command AccountShow(CliContext context)
    {
        var login = Login();
        var json = CliContext.JsonOption();
        var command = new Command("show", "Show one account") { login, json };
        command.SetAction(result => context.Admin(result).ShowAccountAsync(result.GetRequiredValue(login), result.GetValue(json)));
        return command;
    }
}
