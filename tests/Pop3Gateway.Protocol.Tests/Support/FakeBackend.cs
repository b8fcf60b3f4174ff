using System.Security.Cryptography;
using System.Text;
using Pop3Gateway.Protocol.Backend;
using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Protocol.Tests.Support;

/// <summary>
/// Accounts for tests: <c>alice</c>/<c>secret</c> owns three messages and was granted
/// the mailbox alias <c>sales</c>; <c>bob</c>/<c>secret</c> always finds his mailbox locked;
/// <c>carol</c>/<c>secret</c> always meets an unavailable backend. For SCRAM-SHA-256, <c>alice</c>
/// has keys for <c>secret</c>, and <c>user</c>/<c>pencil</c> has the salt and iteration count of
/// the RFC 7677 section 3 example (an empty mailbox).
/// </summary>
internal sealed class FakeBackend : IPop3Backend
{
    public const string Password = "secret";

    public static readonly IReadOnlyList<(string Uidl, string Content)> AliceMessages =
    [
        ("uid-1", "Subject: one\r\n\r\nHello\r\n"),
        ("uid-2", "Subject: two\r\nFrom: b@example.com\r\n\r\n.dot line\r\nline 2\r\nline 3\r\n"),
        ("uid-3", "Subject: three\r\n\r\nbody\r\n"),
    ];

    public List<(Pop3UserName User, string Password)> Logins { get; } = [];

    /// <summary>The mailbox opened by the last successful login.</summary>
    public FakeMaildrop? Opened { get; private set; }

    public Task<LoginResult> LoginAsync(Pop3UserName user, string password, CancellationToken cancellationToken)
    {
        Logins.Add((user, password));
        if (password != Password)
        {
            return Task.FromResult(LoginResult.Fail(LoginFailure.Credentials));
        }

        var result = (user.Login, user.MailboxAlias) switch
        {
            ("alice", null) => Open("alice", AliceMessages),
            ("alice", "sales") => Open("sales", [("s-1", "Subject: sales\r\n\r\nOrder\r\n")]),
            ("bob", null) => LoginResult.Fail(LoginFailure.InUse),
            ("carol", null) => LoginResult.Fail(LoginFailure.Unavailable),
            _ => LoginResult.Fail(LoginFailure.Credentials),
        };
        return Task.FromResult(result);
    }

    public const string Rfc7677Salt = "W22ZaJ0SNY7soEsUEjb6gQ==";
    public const int Rfc7677Iterations = 4096;

    private static readonly byte[] AliceSalt = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();

    public List<string> ScramAuthMessages { get; } = [];

    public Task<ScramParameters> GetScramParametersAsync(Pop3UserName user, CancellationToken cancellationToken)
        => Task.FromResult(user.Login == "user"
            ? new ScramParameters(Convert.FromBase64String(Rfc7677Salt), Rfc7677Iterations)
            : new ScramParameters(AliceSalt, 4096));

    public Task<LoginResult> LoginScramAsync(Pop3UserName user, string authMessage, byte[] clientProof, CancellationToken cancellationToken)
    {
        ScramAuthMessages.Add(authMessage);
        var (password, parameters) = user.Login switch
        {
            "user" => ("pencil", GetScramParametersAsync(user, cancellationToken).Result),
            "alice" => (Password, GetScramParametersAsync(user, cancellationToken).Result),
            _ => ((string?)null, (ScramParameters?)null),
        };
        if (password is null || parameters is null)
        {
            return Task.FromResult(LoginResult.Fail(LoginFailure.Credentials));
        }

        // RFC 5802 section 3, computed here independently of the code under test.
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), parameters.Salt, parameters.Iterations, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var storedKey = SHA256.HashData(clientKey);
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        var message = Encoding.UTF8.GetBytes(authMessage);
        var clientSignature = HMACSHA256.HashData(storedKey, message);
        var recovered = clientProof.Zip(clientSignature, (a, b) => (byte)(a ^ b)).ToArray();
        if (!SHA256.HashData(recovered).AsSpan().SequenceEqual(storedKey))
        {
            return Task.FromResult(LoginResult.Fail(LoginFailure.Credentials));
        }

        var opened = user.Login == "user" ? Open("user", []) : Open("alice", AliceMessages);
        return Task.FromResult(opened with { ServerSignature = HMACSHA256.HashData(serverKey, message) });
    }

    private LoginResult Open(string name, IReadOnlyList<(string, string)> messages)
    {
        Opened = new FakeMaildrop(name, messages);
        return LoginResult.Success(Opened);
    }
}
