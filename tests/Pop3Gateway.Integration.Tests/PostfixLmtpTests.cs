using System.Text;
using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests;

/// <summary>A real MTA in front: mail submitted to a private Postfix over SMTP reaches the gateway through Postfix's LMTP client.</summary>
public sealed class PostfixLmtpTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public Task Postfix_ValidUnknownOverQuota_RightDsnPerRecipientAndMailFetched() => fixture.GuardAsync(async () =>
    {
        var swaks = ExternalTool.Require("swaks", "swaks");
        await using var postfix = await PostfixInstance.StartAsync(fixture.Server.LmtpPort);
        var valid = new TestAccount(ServerFixture.UniqueLogin("pfok"), ServerFixture.NewPassword());
        var full = ServerFixture.UniqueLogin("pffull");
        await fixture.CliOkAsync(valid.Password + "\n", "account", "add", valid.Login, "--password-stdin", "--address", $"{valid.Login}@{PostfixInstance.Domain}");
        await fixture.CliOkAsync("pw\n", "account", "add", full, "--password-stdin", "--address", $"{full}@{PostfixInstance.Domain}");
        await fixture.CliOkAsync(null, "mailbox", "quota", full, "--messages", "0", "--octets", "10");
        string[] recipients = [$"{valid.Login}@{PostfixInstance.Domain}", $"nobody-{valid.Login}@{PostfixInstance.Domain}", $"{full}@{PostfixInstance.Domain}"];

        var submitted = await ProcessRunner.RunAsync(swaks,
            ["--server", $"127.0.0.1:{postfix.SmtpPort}", "--from", "<>", "--to", string.Join(',', recipients),
             "--header", "Subject: through postfix", "--body", "Body line through Postfix and LMTP."]);
        Assert.True(submitted.ExitCode == 0, submitted.ToString());
        var status = await postfix.WaitForStatusAsync(recipients, TimeSpan.FromSeconds(90));

        Assert.Contains("status=sent (250 2.0.0", status[recipients[0]]);
        Assert.Contains("dsn=5.1.1, status=bounced", status[recipients[1]]);
        Assert.Contains("550 5.1.1", status[recipients[1]]);
        Assert.Contains("dsn=5.2.2, status=bounced", status[recipients[2]]);
        Assert.Contains("552 5.2.2", status[recipients[2]]);
        await using var pop3 = await RawPop3Client.LoginAsync(fixture.Pop3Port, valid.Login, valid.Password);
        await pop3.ExpectOkAsync("RETR 1");
        var message = Encoding.UTF8.GetString(await pop3.ReadMultilineAsync());
        Assert.Contains("Subject: through postfix\r\n", message);
        Assert.Contains("Body line through Postfix and LMTP.\r\n", message);
    });
}
