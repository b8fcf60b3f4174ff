using System.Text;
using Pop3Gateway.Host.Cli.Import;

namespace Pop3Gateway.Integration.Tests;

/// <summary>The Maildir, dovecot-uidlist and mbox readers on files written by the test (no server needed).</summary>
public sealed class ImportSourceTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"pop3gw-import-src-{Guid.NewGuid():N}");

    public ImportSourceTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Write(string relative, string content)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, Encoding.Latin1.GetBytes(content));
        return path;
    }

    [Fact]
    public void UidList_PFieldWins_FallbackIsDovecotDefaultFormat()
    {
        var path = Write("dovecot-uidlist", "3 V1275660208 N25 G3085f01b7f11094c501100008c4a11c1\n" +
            "7 P0000abcd-legacy W123 :1000.M1P1.host,S=10\n" +
            "24 :1001.M2P2.host\n");

        var list = DovecotUidList.Parse(path);

        Assert.Equal(1275660208u, list.UidValidity);
        Assert.Equal("0000abcd-legacy", list.UidlOf(list.Entries[0]));
        Assert.Equal("000000184C0907B0", list.UidlOf(list.Entries[1]));
    }

    [Theory]
    [InlineData("1 V1 N2\n1 :a\n")]
    [InlineData("3 N2\n1 :a\n")]
    [InlineData("3 V1 N2\nx :a\n")]
    [InlineData("3 V1 N2\n1 a\n")]
    public void UidList_Malformed_FormatErrorWithLine(string content)
    {
        var path = Write("dovecot-uidlist", content);

        var error = Assert.Throws<ImportFormatException>(() => DovecotUidList.Parse(path));
        Assert.Contains("dovecot-uidlist:", error.Message);
    }

    [Fact]
    public void Maildir_ListedByPop3OrderThenUid_UnlistedByTimeWithXUidl()
    {
        Write("md/cur/1300.M3P3.host:2,S", "Subject: listed uid 3\n\nc\n");
        Write("md/cur/1100.M1P1.host,S=20:2,", "Subject: listed uid 1\n\na\n");
        Write("md/new/1200.M2P2.host", "Subject: listed uid 2\n\nb\n");
        Write("md/new/1500.M5P5.host", "X-UIDL: kept-from-header\nSubject: new late\n\ne\n");
        Write("md/new/1400.M4P4.host", "Subject: new early\nX-UIDL: bad uidl with spaces\n\nd\n");
        Write("md/dovecot-uidlist", "3 V16 N4\n3 :1300.M3P3.host\n1 P-one- :1100.M1P1.host,S=20\n2 O0 :1200.M2P2.host\n");

        var items = MaildirSource.Read(Path.Combine(_root, "md"));

        Assert.Equal(["1200.M2P2.host", "1100.M1P1.host,S=20:2,", "1300.M3P3.host:2,S", "1400.M4P4.host", "1500.M5P5.host"],
            items.Select(i => i.Label));
        Assert.Equal(["0000000200000010", "-one-", "0000000300000010", null, "kept-from-header"], items.Select(i => i.PreservedUidl));
    }

    [Fact]
    public void Maildir_NotAMaildir_FormatError()
    {
        Directory.CreateDirectory(Path.Combine(_root, "plain"));

        Assert.Throws<ImportFormatException>(() => MaildirSource.Read(Path.Combine(_root, "plain")));
    }

    [Fact]
    public async Task Mbox_SplitsOnFromAfterBlankLine_UnquotesMboxrd_KeepsXUidl()
    {
        var path = Write("box.mbox",
            "From alice@example.org Mon Jan  1 00:00:00 2024\n" +
            "X-UIDL: uidl-one\nSubject: one\n\n>From the start\n>>From deeper\nFrom inside a paragraph is not a separator\n\n" +
            "From bob@example.org Tue Jan  2 00:00:00 2024\n" +
            "Subject: two\n\nbody\n\n\n" +
            "From carol@example.org Wed Jan  3 00:00:00 2024\n" +
            "Subject: three\nX-Uidl: bad uidl\n\nlast\n");
        var output = Path.Combine(_root, "split");
        Directory.CreateDirectory(output);

        var items = await MboxSplitter.SplitAsync(path, output, MboxFormat.Mboxrd, CancellationToken.None);

        Assert.Equal(3, items.Count);
        Assert.Equal("X-UIDL: uidl-one\nSubject: one\n\nFrom the start\n>From deeper\nFrom inside a paragraph is not a separator\n",
            Encoding.Latin1.GetString(File.ReadAllBytes(items[0].File)));
        Assert.Equal("Subject: two\n\nbody\n\n", Encoding.Latin1.GetString(File.ReadAllBytes(items[1].File)));
        Assert.Equal("Subject: three\nX-Uidl: bad uidl\n\nlast\n", Encoding.Latin1.GetString(File.ReadAllBytes(items[2].File)));
        Assert.Equal(["uidl-one", null, null], items.Select(i => i.PreservedUidl));
    }

    [Fact]
    public async Task Mbox_Mboxo_OnlySingleQuoteRemoved()
    {
        var path = Write("o.mbox", "From x Mon Jan  1 00:00:00 2024\nSubject: o\n\n>From one\n>>From two\n");
        var output = Path.Combine(_root, "split-o");
        Directory.CreateDirectory(output);

        var items = await MboxSplitter.SplitAsync(path, output, MboxFormat.Mboxo, CancellationToken.None);

        Assert.Equal("Subject: o\n\nFrom one\n>>From two\n", Encoding.Latin1.GetString(File.ReadAllBytes(Assert.Single(items).File)));
    }

    [Fact]
    public async Task Mbox_NotStartingWithFrom_FormatError()
    {
        var path = Write("not.mbox", "Subject: no envelope\n\nbody\n");

        await Assert.ThrowsAsync<ImportFormatException>(() => MboxSplitter.SplitAsync(path, _root, MboxFormat.Mboxrd, CancellationToken.None));
    }
}
