using System.Globalization;
using System.Text;

namespace Pop3Bench;

/// <summary>
/// The benchmark's mail, deterministic from a seed: the same bytes go into Dovecot's
/// Maildir and through <c>pop3gw deliver</c>. Every message ends lines with CRLF and ends
/// with CRLF, so both servers report the same LIST sizes.
/// </summary>
public static class DataSet
{
    public const int MinSize = 1_700;
    public const int MaxSize = 81_000;

    /// <summary>size = Min + (Max - Min) * u^k with u uniform: mean = Min + (Max - Min) / (k + 1) ≈ 26 KB.</summary>
    private const double SizeExponent = 2.264;

    public static string Login(int account) => $"u{account:D4}";

    public static string Password(string login) => $"Bench-{login}-Passw0rd";

    /// <summary>
    /// One password for all the accounts without mail (those only for logged-in idle sessions), so
    /// that pop3gw gets them through one pre-hashed 'account import' instead of a PBKDF2 per account.
    /// </summary>
    public const string IdlePassword = "Bench-idle-Passw0rd";

    /// <summary>The password of account number <paramref name="account"/> when the first <paramref name="withMail"/> have mail.</summary>
    public static string Password(int account, int withMail) => account < withMail ? Password(Login(account)) : IdlePassword;

    public static int MessageSize(Random random) =>
        MinSize + (int)((MaxSize - MinSize) * Math.Pow(random.NextDouble(), SizeExponent));

    /// <summary>A message of exactly <paramref name="size"/> octets (at least ~300).</summary>
    public static byte[] Message(Random random, string to, int number, int size)
    {
        var text = new StringBuilder(size + 128);
        text.Append("From: Bench Sender <sender@bench.example>\r\n");
        text.Append(CultureInfo.InvariantCulture, $"To: {to}@bench.example\r\n");
        text.Append(CultureInfo.InvariantCulture, $"Subject: benchmark message {number}\r\n");
        text.Append("Date: Thu, 26 Nov 2026 12:00:00 +0000\r\n");
        text.Append(CultureInfo.InvariantCulture, $"Message-ID: <{to}.{number}@bench.example>\r\n");
        text.Append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n");
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ";
        var line = 0;
        while (text.Length < size - 2)
        {
            var remaining = size - 2 - text.Length;
            var length = Math.Min(remaining >= 78 ? 76 : remaining - 2, 76);
            if (length <= 0)
            {
                text.Append(' ', remaining);
                break;
            }
            // Every 40th line starts with a dot so that byte-stuffing is exercised.
            var start = 0;
            if (line++ % 40 == 39)
            {
                text.Append('.');
                start = 1;
            }
            for (var i = start; i < length; i++)
            {
                text.Append(alphabet[random.Next(alphabet.Length)]);
            }
            text.Append("\r\n");
        }
        text.Append("\r\n");
        var bytes = Encoding.ASCII.GetBytes(text.ToString());
        if (bytes.Length != size)
        {
            throw new InvalidOperationException($"generated {bytes.Length} octets, wanted {size}");
        }
        return bytes;
    }
}
