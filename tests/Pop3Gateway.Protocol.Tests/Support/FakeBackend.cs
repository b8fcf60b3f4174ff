using Pop3Gateway.Protocol.Backend;
using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Protocol.Tests.Support;

/// <summary>
/// Accounts for tests: <c>alice</c>/<c>secret</c> owns three messages and was granted
/// the mailbox alias <c>sales</c>; <c>bob</c>/<c>secret</c> always finds his mailbox locked;
/// <c>carol</c>/<c>secret</c> always meets an unavailable backend.
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

    private LoginResult Open(string name, IReadOnlyList<(string, string)> messages)
    {
        Opened = new FakeMaildrop(name, messages);
        return LoginResult.Success(Opened);
    }
}
