using System.Buffers;
using System.Reflection;
using Pop3Gateway.Protocol.IO;
using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Protocol.Tests.Session;

public sealed class Pop3RepliesTests
{
    public static TheoryData<string> NamedReplies()
        => new(typeof(Pop3Replies).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.FieldType == typeof(Pop3Reply))
            .Select(field => field.Name));

    [Theory]
    [MemberData(nameof(NamedReplies))]
    public void NamedReply_StatusLineFitsAndIsAscii(string name)
    {
        var reply = (Pop3Reply)typeof(Pop3Replies).GetField(name)!.GetValue(null)!;
        var output = new ArrayBufferWriter<byte>();
        Pop3ReplyWriter.Write(reply, output);
        Assert.True(output.WrittenCount <= Pop3ReplyWriter.MaxStatusLineLength);
        Assert.All(output.WrittenSpan[..^2].ToArray(), b => Assert.InRange(b, (byte)0x20, (byte)0x7E));
    }

    [Fact]
    public void AuthFailures_UseResponseCodes()
    {
        Assert.Equal("[AUTH] Authentication failed.", Pop3Replies.AuthenticationFailed.Text);
        Assert.Equal("[IN-USE] Mailbox is locked by another session.", Pop3Replies.MailboxInUse.Text);
        Assert.StartsWith("[SYS/TEMP] ", Pop3Replies.LoginUnavailable.Text);
        Assert.StartsWith("[SYS/TEMP] ", Pop3Replies.Unavailable.Text);
        Assert.StartsWith("[SYS/TEMP] ", Pop3Replies.CommitFailed.Text);
    }

    [Theory]
    [InlineData("abc", "abc")]
    [InlineData("a\u0001b\u00e9", "a?b?")]
    public void Sanitize_NonPrintable_Replaced(string value, string expected)
    {
        Assert.Equal(expected, Pop3Replies.Sanitize(value));
    }

    [Fact]
    public void Sanitize_Long_Truncated()
    {
        Assert.Equal(new string('x', Pop3Replies.MaxEcho) + "...", Pop3Replies.Sanitize(new string('x', 10_000)));
    }
}
