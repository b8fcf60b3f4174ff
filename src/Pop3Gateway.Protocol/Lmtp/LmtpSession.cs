using System.Buffers;
using Pop3Gateway.Protocol.Lmtp.Handlers;

namespace Pop3Gateway.Protocol.Lmtp;

/// <summary>
/// The LMTP state machine (RFC 2033), with no I/O of its own: takes command lines, returns
/// replies; after a <c>354</c> the host spools the DATA and calls <see cref="CompleteDataAsync"/>,
/// which answers once per accepted recipient, in RCPT order. Dispatch is <see cref="LmtpCommandTable"/>.
/// </summary>
/// <remarks>Not thread-safe: the host hands it one line at a time, in order.</remarks>
public sealed class LmtpSession(ILmtpBackend backend, LmtpLimits limits)
{
    private readonly LmtpSessionContext _context = new(backend, limits);
    private int _badCommands;

    public LmtpState State => _context.State;

    /// <summary>True after a 354: the host must now read the DATA section.</summary>
    public bool ReceivingData => _context.ReceivingData;

    public IReadOnlyList<string> Recipients => _context.Recipients.Select(r => r.Address).ToArray();

    public LmtpReply Greeting() => LmtpReplies.Greeting(limits.HostName);

    /// <summary>The framer found a line over the limit; it counts as a bad command.</summary>
    public LmtpReply LineTooLong() => Bad(LmtpReplies.LineTooLong);

    /// <summary>Handles one command line (without its CRLF or LF; never longer than the line limit).</summary>
    public async Task<LmtpReply> HandleLineAsync(ReadOnlySequence<byte> line, CancellationToken cancellationToken)
    {
        var command = LmtpCommandParser.Parse(line);
        LmtpReply reply;
        if (!LmtpCommandTable.TryGet(command.Verb, out var definition))
        {
            reply = LmtpReplies.UnknownCommand;
        }
        else if (!definition.Accepts(command.Argument))
        {
            reply = LmtpReplies.BadSyntax;
        }
        else if (!definition.ValidStates.HasFlag(_context.State))
        {
            reply = LmtpCommandTable.WrongState(_context.State);
        }
        else
        {
            reply = await definition.Handler(_context, command.Argument, cancellationToken);
        }
        return reply.Code is (>= 500 and <= 504) or 555 ? Bad(reply) : Good(reply);
    }

    /// <summary>Ends the DATA phase: one reply per accepted recipient, then the transaction is over.</summary>
    public Task<IReadOnlyList<LmtpReply>> CompleteDataAsync(LmtpMessage message, CancellationToken cancellationToken)
        => DataHandlers.CompleteAsync(_context, message, cancellationToken);

    /// <summary>Ends the DATA phase of a message that cannot be taken: the same refusal for each recipient.</summary>
    public IReadOnlyList<LmtpReply> RefuseData(DataRefusal reason) => DataHandlers.Refuse(_context, reason);

    private LmtpReply Good(LmtpReply reply)
    {
        _badCommands = 0;
        return reply;
    }

    private LmtpReply Bad(LmtpReply reply)
    {
        _badCommands++;
        return _badCommands >= limits.MaxBadCommands ? LmtpReplies.TooManyErrors : reply;
    }
}
