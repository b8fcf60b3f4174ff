using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Pop3Gateway.Protocol.Commands.Handlers;
using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Protocol.Commands;

/// <summary>
/// The whole POP3 state machine in one table: command, the states where it is valid,
/// its argument count, and its handler (RFC 1939 sections 4 to 7, RFC 2449 section 5, RFC 5034, RFC 2595, RFC 6856).
/// </summary>
public static class Pop3CommandTable
{
    private const Pop3State Authorization = Pop3State.Authorization;
    private const Pop3State Transaction = Pop3State.Transaction;
    private const Pop3State Both = Authorization | Transaction;

    /// <summary>Unbounded argument count: PASS takes the rest of the line.</summary>
    private const int RestOfLine = int.MaxValue;

    public static IReadOnlyList<Pop3CommandDefinition> Commands { get; } =
    [
        new("CAPA", Both, 0, 0, "", CapaHandler.HandleAsync),
        new("USER", Authorization, 1, 1, Pop3Replies.ArgumentUserName, LoginHandlers.UserAsync),
        new("PASS", Authorization, 1, RestOfLine, Pop3Replies.ArgumentPassword, LoginHandlers.PassAsync),
        new("AUTH", Authorization, 0, 2, "", AuthHandler.AuthAsync),
        new("STLS", Authorization, 0, 0, "", TlsAndUtf8Handlers.StlsAsync),
        new("UTF8", Authorization, 0, 0, "", TlsAndUtf8Handlers.Utf8Async),
        new("QUIT", Both, 0, 0, "", QuitHandler.HandleAsync),
        new("STAT", Transaction, 0, 0, "", MaildropHandlers.StatAsync),
        new("LIST", Transaction, 0, 1, "", ListingHandlers.ListAsync),
        new("UIDL", Transaction, 0, 1, "", ListingHandlers.UidlAsync),
        new("RETR", Transaction, 1, 1, Pop3Replies.ArgumentMessageNumber, RetrieveHandlers.RetrAsync),
        new("TOP", Transaction, 2, 2, Pop3Replies.ArgumentMessageNumberAndLineCount, RetrieveHandlers.TopAsync),
        new("DELE", Transaction, 1, 1, Pop3Replies.ArgumentMessageNumber, MaildropHandlers.DeleAsync),
        new("RSET", Transaction, 0, 0, "", MaildropHandlers.RsetAsync),
        new("NOOP", Transaction, 0, 0, "", MaildropHandlers.NoopAsync),
    ];

    private static readonly FrozenDictionary<string, Pop3CommandDefinition> ByKeyword =
        Commands.ToFrozenDictionary(command => command.Keyword, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every command keyword the server knows.</summary>
    public static IEnumerable<string> Keywords => Commands.Select(command => command.Keyword);

    public static bool TryGet(string keyword, [NotNullWhen(true)] out Pop3CommandDefinition? definition)
        => ByKeyword.TryGetValue(keyword, out definition);
}
