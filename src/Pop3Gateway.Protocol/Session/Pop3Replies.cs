using System.Text;
using Pop3Gateway.Protocol.Backend;

namespace Pop3Gateway.Protocol.Session;

/// <summary>Every reply text the server sends, defined once.</summary>
public static class Pop3Replies
{
    /// <summary>Longest echo of client input in a reply; keeps every status line far below 512 octets.</summary>
    public const int MaxEcho = 64;

    // Response codes (RFC 2449 section 8, RFC 3206).
    public const string AuthCode = "[AUTH]";
    public const string InUseCode = "[IN-USE]";
    public const string SysTempCode = "[SYS/TEMP]";
    public const string LoginDelayCode = "[LOGIN-DELAY]";

    // Command-line syntax errors, reported by the parser.
    public const string EmptyCommand = "Empty command.";
    public const string LeadingSpace = "Command starts with a space.";
    public const string NulByte = "Command contains a NUL byte.";
    public const string BinaryData = "Binary data in command.";
    public const string EightBitCommandName = "8-bit data in command name.";
    public const string InvalidUtf8 = "Invalid UTF-8 in command arguments.";

    public static Pop3Reply Greeting(string implementation) => Ok($"{Sanitize(implementation)} ready.");

    // AUTHORIZATION.
    public static readonly Pop3Reply UserAccepted = Ok("Send your password.");
    public static readonly Pop3Reply UserFirst = Err("USER first.");
    public static readonly Pop3Reply LoggedIn = Ok("Logged in.");
    public static readonly Pop3Reply AuthenticationFailed = Err($"{AuthCode} Authentication failed.");
    public static readonly Pop3Reply MailboxInUse = Err($"{InUseCode} Mailbox is locked by another session.");
    public static readonly Pop3Reply LoginUnavailable = Err($"{SysTempCode} Service temporarily unavailable, try again later.");

    public static readonly Pop3Reply CleartextRefused = Err($"{AuthCode} Cleartext login refused on an unencrypted connection; use STLS or TLS first.");
    public static readonly Pop3Reply LoginBlocked = Err($"{LoginDelayCode} Too many failed logins; try again later.") with { CloseConnection = true };
    public static readonly Pop3Reply TooManySessions = Err($"{SysTempCode} Too many sessions for this account; try again later.") with { CloseConnection = true };

    public static Pop3Reply InvalidUserName(string reason) => Err($"Invalid user name: {reason}");

    // STLS (RFC 2595) and UTF8 (RFC 6856).
    public static readonly Pop3Reply StartTls = Ok("Begin TLS negotiation.") with { StartTls = true };
    public static readonly Pop3Reply TlsUnavailable = Err("STLS is not available on this connection.");
    public static readonly Pop3Reply TlsActive = Err("TLS is already active.");
    public static readonly Pop3Reply Utf8Enabled = Ok("UTF-8 enabled.");

    // AUTH (RFC 5034).
    public static readonly Pop3Reply MechanismsFollow = Ok("SASL mechanisms follow.");
    public static readonly Pop3Reply AuthCancelled = Err("Authentication cancelled.");
    public static readonly Pop3Reply InvalidBase64 = Err("Invalid base64 in SASL response.");
    public static readonly Pop3Reply AuthLineTooLong = Err("AUTH line longer than 255 octets; send the initial response on its own line.");
    public static readonly Pop3Reply SaslMalformed = Err($"{AuthCode} Malformed SASL message.");

    public static Pop3Reply UnsupportedMechanism(string name) => Err($"Unsupported SASL mechanism: {Sanitize(name)}");

    public static Pop3Reply Challenge(byte[] data) => new() { IsOk = true, IsContinuation = true, Text = Convert.ToBase64String(data) };

    // TRANSACTION.
    public static readonly Pop3Reply NoSuchMessage = Err("No such message.");
    public static readonly Pop3Reply Reset = Ok("Delete marks cleared.");
    public static readonly Pop3Reply Noop = Ok();
    public static readonly Pop3Reply TopFollows = Ok("Top of message follows.");
    public static readonly Pop3Reply UidlFollows = Ok("Unique-ID listing follows.");
    public static readonly Pop3Reply CapaFollows = Ok("Capability list follows.");

    public static Pop3Reply Stat(MaildropStat stat) => Ok($"{stat.MessageCount} {stat.Octets}");
    public static Pop3Reply ScanListing(MessageListing listing) => Ok($"{listing.Number} {listing.Size}");
    public static Pop3Reply UidlListing(MessageListing listing) => Ok($"{listing.Number} {listing.Uidl}");
    public static Pop3Reply ListFollows(int count, long octets) => Ok($"{count} messages ({octets} octets)");
    public static Pop3Reply MessageFollows(long size) => Ok($"{size} octets");
    public static Pop3Reply Deleted(int number) => Ok($"Message {number} deleted.");
    public static Pop3Reply AlreadyDeleted(int number) => Err($"Message {number} already deleted.");
    public static Pop3Reply MessageDeleted(int number) => Err($"Message {number} has been deleted.");

    // Argument errors.
    public static Pop3Reply InvalidMessageNumber(string value) => Err($"Invalid message number: {Sanitize(value)}");
    public static Pop3Reply SignedMessageNumber(string value) => Err($"Invalid message number: {Sanitize(value)} (no sign allowed)");
    public static Pop3Reply MessageNumberNoise(string value) => Err($"Noise after message number: {Sanitize(value)}");
    public static Pop3Reply MessageNumberTooLarge(string value) => Err($"Message number too large: {Sanitize(value)}");
    public static Pop3Reply InvalidLineCount(string value) => Err($"Invalid line count: {Sanitize(value)}");
    public static Pop3Reply SignedLineCount(string value) => Err($"Invalid line count: {Sanitize(value)} (no sign allowed)");
    public static Pop3Reply LineCountNoise(string value) => Err($"Noise after line count: {Sanitize(value)}");
    public static Pop3Reply LineCountTooLarge(string value) => Err($"Line count too large: {Sanitize(value)}");
    public const string ArgumentUserName = "a user name";
    public const string ArgumentPassword = "a password";
    public const string ArgumentMessageNumber = "a message number";
    public const string ArgumentMessageNumberAndLineCount = "a message number and a line count";

    public static Pop3Reply MissingArgument(string keyword, string what) => Err($"{keyword} requires {what}.");
    public static Pop3Reply TooManyArguments(string keyword) => Err($"Too many arguments for {keyword}.");

    // Dispatch and session errors.
    public static Pop3Reply SyntaxError(string error) => Err(error);
    public static Pop3Reply UnknownCommand(string keyword) => Err($"Unknown command: {Sanitize(keyword)}");
    public static Pop3Reply NotValidBeforeLogin(string keyword) => Err($"{keyword} is not valid before login.");
    public static Pop3Reply NotValidAfterLogin(string keyword) => Err($"{keyword} is not valid after login.");
    public static readonly Pop3Reply LineTooLong = Err("Command line too long.");
    public static readonly Pop3Reply TooManyBadCommands = Err("Too many bad commands; closing the connection.") with { CloseConnection = true };
    public static readonly Pop3Reply SessionClosed = Err("Session is closed.") with { CloseConnection = true };
    public static readonly Pop3Reply SessionLost = Err($"{InUseCode} Session ended by a newer login or lock expired.") with { CloseConnection = true };
    public static readonly Pop3Reply Unavailable = Err($"{SysTempCode} Mailbox temporarily unavailable, try again.");

    // QUIT.
    public static readonly Pop3Reply Bye = Ok("Bye.") with { CloseConnection = true };
    public static Pop3Reply ByeAfterCommit(int deleted) => Ok($"Bye, {deleted} messages deleted.") with { CloseConnection = true };
    /// <summary>QUIT whose commit outcome could not be learned; RFC 1939 allows -ERR when some marked messages were not removed.</summary>
    public static readonly Pop3Reply CommitUnknown =
        Err($"{SysTempCode} Could not confirm the deletions; the marked messages may or may not have been removed.") with { CloseConnection = true };

    public static readonly Pop3Reply CommitFailed = Err($"{SysTempCode} Could not delete messages; nothing was deleted.") with { CloseConnection = true };

    public static Pop3Reply Ok(string text = "") => new() { IsOk = true, Text = text };

    public static Pop3Reply Err(string text) => new() { IsOk = false, Text = text };

    /// <summary>
    /// Makes client input safe to echo: printable ASCII only (anything else becomes '?'),
    /// at most <see cref="MaxEcho"/> characters.
    /// </summary>
    public static string Sanitize(string value)
    {
        var length = Math.Min(value.Length, MaxEcho);
        var builder = new StringBuilder(length + 3);
        for (var i = 0; i < length; i++)
        {
            var c = value[i];
            builder.Append(c is >= ' ' and <= '~' ? c : '?');
        }

        if (value.Length > MaxEcho)
        {
            builder.Append("...");
        }

        return builder.ToString();
    }
}
