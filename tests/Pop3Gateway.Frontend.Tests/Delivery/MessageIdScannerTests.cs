using System.Text;
using Pop3Gateway.Frontend.Delivery;

namespace Pop3Gateway.Frontend.Tests.Delivery;

public sealed class MessageIdScannerTests
{
    private static string? Scan(string message, int chunk = int.MaxValue)
    {
        var scanner = new MessageIdScanner();
        var bytes = Encoding.Latin1.GetBytes(message);
        for (var offset = 0; offset < bytes.Length; offset += chunk)
        {
            scanner.Feed(bytes.AsSpan(offset, Math.Min(chunk, bytes.Length - offset)));
        }
        return scanner.Complete() is { } value ? Encoding.Latin1.GetString(value) : null;
    }

    [Theory]
    [InlineData("Message-ID: <a@x>\r\n\r\nbody\r\n", "<a@x>")]
    [InlineData("Subject: s\r\nMESSAGE-id:<b@x>\r\n\r\n", "<b@x>")]
    [InlineData("Message-Id : <c@x>\r\n\r\n", "<c@x>")]
    [InlineData("Message-ID: <lf@x>\nSubject: s\n\nbody\n", "<lf@x>")]
    [InlineData("Message-ID: <no-body@x>", "<no-body@x>")]
    [InlineData("Message-ID: <first@x>\r\nMessage-ID: <second@x>\r\n\r\n", "<first@x>")]
    public void Complete_MessageIdHeader_ItsTrimmedValue(string message, string expected)
    {
        Assert.Equal(expected, Scan(message));
    }

    [Theory]
    [InlineData("Message-ID:\r\n <folded@x>\r\nSubject: s\r\n\r\n", "<folded@x>")]
    [InlineData("Message-ID: <two\r\n\tlines@x>\r\n\r\n", "<two\tlines@x>")]
    [InlineData("Message-ID:\n  <lf-folded@x>\n\n", "<lf-folded@x>")]
    public void Complete_FoldedHeader_Unfolded(string message, string expected)
    {
        Assert.Equal(expected, Scan(message));
    }

    [Theory]
    [InlineData("Subject: none\r\n\r\nbody\r\n")]
    [InlineData("Subject: in the body\r\n\r\nMessage-ID: <body@x>\r\n")]
    [InlineData("X-Message-ID: <x@x>\r\nMessage-IDs: <y@x>\r\n\r\n")]
    [InlineData("Message-ID:\r\n\r\n")]
    [InlineData("Subject: s\r\n continued Message-ID: <z@x>\r\n\r\n")]
    [InlineData("")]
    public void Complete_NoMessageIdHeader_Null(string message)
    {
        Assert.Null(Scan(message));
    }

    [Fact]
    public void Complete_ValueLongerThanTheLimit_Null()
    {
        var longId = "<" + new string('a', MessageIdScanner.MaxValueLength) + "@x>";

        Assert.Null(Scan($"Message-ID: {longId}\r\n\r\n"));
        Assert.Equal(MessageIdScanner.MaxValueLength, Scan($"Message-ID:{new string('a', MessageIdScanner.MaxValueLength)}\r\n\r\n")!.Length);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    public void Feed_AnyChunking_SameValue(int chunk)
    {
        Assert.Equal("<chunked@x>", Scan("Subject: s\r\nMessage-ID:\r\n <chunked@x>\r\n\r\nMessage-ID: <body@x>\r\n", chunk));
    }

    [Fact]
    public void IsDone_AfterTheHeaderBlock_True()
    {
        var scanner = new MessageIdScanner();

        scanner.Feed("Subject: s\r\n\r\n"u8);

        Assert.True(scanner.IsDone);
        Assert.Null(scanner.Complete());
    }
}
