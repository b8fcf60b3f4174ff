using MailKit.Net.Pop3;
using MailKit.Security;

namespace Pop3Gateway.Integration.Tests.Infrastructure;

/// <summary>MailKit's Pop3Client, connected in plain text to the server under test.</summary>
public static class MailKitSession
{
    public static async Task<Pop3Client> ConnectAsync(int port)
    {
        var client = new Pop3Client { Timeout = 30_000 };
        await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None);
        return client;
    }

    public static async Task<Pop3Client> LoginAsync(int port, string user, string password)
    {
        var client = await ConnectAsync(port);
        await client.AuthenticateAsync(user, password);
        return client;
    }

    /// <summary>
    /// Logs in, retrying for a moment while the mailbox may still be locked by a session that just ended.
    /// MailKit's AuthenticationException does not carry the server's text, so any refusal is retried until the deadline.
    /// </summary>
    public static Task<Pop3Client> LoginSoonAsync(int port, string user, string password, TimeSpan within) =>
        Eventually.GetAsync($"a MailKit login as {user} on port {port}", within, async () =>
        {
            var client = await ConnectAsync(port);
            try
            {
                await client.AuthenticateAsync(user, password);
                return (client, "");
            }
            catch (AuthenticationException e)
            {
                client.Dispose();
                return (null, e.Message);
            }
        });

    /// <summary>The raw bytes of message <paramref name="index"/> (0-based), dot-stuffing undone by MailKit.</summary>
    public static async Task<byte[]> FetchAsync(Pop3Client client, int index)
    {
        await using var stream = await client.GetStreamAsync(index);
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
