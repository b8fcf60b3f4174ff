using System.Security.Cryptography;
using System.Text;

namespace Pop3Gateway.Integration.Tests.Security;

/// <summary>
/// SCRAM-SHA-256 (RFC 5802, RFC 7677) driven by hand over a <see cref="LineClient"/>, with the client's
/// math written out here. Unlike MailKit's mechanism it can start from a SaltedPassword, which is what
/// an attacker holding an imported <c>{PBKDF2-SHA256}</c> hash has.
/// </summary>
internal sealed class RawScram(LineClient client, string login)
{
    private readonly string _clientNonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
    private string _serverFirst = "";

    public byte[] Salt { get; private set; } = [];

    public int Iterations { get; private set; }

    /// <summary>Sends AUTH with the client-first message; returns the reply line when it is not a challenge, else null.</summary>
    public async Task<string?> StartAsync()
    {
        var reply = await client.CommandAsync($"AUTH SCRAM-SHA-256 {Base64($"n,,n={login},r={_clientNonce}")}");
        if (!reply.StartsWith("+ ", StringComparison.Ordinal))
        {
            return reply;
        }
        _serverFirst = Encoding.UTF8.GetString(Convert.FromBase64String(reply[2..]));
        var fields = _serverFirst.Split(',').ToDictionary(f => f[..1], f => f[2..]);
        Assert.StartsWith(_clientNonce, fields["r"]);
        Salt = Convert.FromBase64String(fields["s"]);
        Iterations = int.Parse(fields["i"]);
        return null;
    }

    /// <summary>Abandons the exchange after the first step (RFC 5034 section 4: "*"); returns the reply.</summary>
    public Task<string> CancelAsync() => client.CommandAsync("*");

    /// <summary>Finishes with the password: SaltedPassword computed from the salt and iterations the server sent.</summary>
    public Task<string> FinishAsync(string password) =>
        FinishWithSaltedAsync(Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Salt, Iterations, HashAlgorithmName.SHA256, 32));

    /// <summary>
    /// Finishes with a given SaltedPassword (RFC 5802 section 3); on a server-final message checks the
    /// server's signature and acknowledges it. Returns the server's final reply line.
    /// </summary>
    public async Task<string> FinishWithSaltedAsync(byte[] salted)
    {
        var serverNonce = _serverFirst.Split(',')[0][2..];
        var withoutProof = $"c={Base64("n,,")},r={serverNonce}";
        var authMessage = Encoding.UTF8.GetBytes($"n={login},r={_clientNonce},{_serverFirst},{withoutProof}");
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var clientSignature = HMACSHA256.HashData(SHA256.HashData(clientKey), authMessage);
        var proof = clientKey.Zip(clientSignature, (a, b) => (byte)(a ^ b)).ToArray();

        var reply = await client.CommandAsync(Base64($"{withoutProof},p={Convert.ToBase64String(proof)}"));
        if (!reply.StartsWith("+ ", StringComparison.Ordinal))
        {
            return reply;
        }
        var serverSignature = HMACSHA256.HashData(HMACSHA256.HashData(salted, "Server Key"u8), authMessage);
        Assert.Equal("v=" + Convert.ToBase64String(serverSignature), Encoding.UTF8.GetString(Convert.FromBase64String(reply[2..])));
        return await client.CommandAsync("");
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
