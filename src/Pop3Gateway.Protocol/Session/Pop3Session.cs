using System.Buffers;
using Pop3Gateway.Protocol.Backend;
using Pop3Gateway.Protocol.Commands;
using Pop3Gateway.Protocol.Commands.Handlers;

namespace Pop3Gateway.Protocol.Session;

/// <summary>
/// One POP3 session, without I/O: it takes command lines and returns replies.
/// The host writes the replies and streams message bodies.
/// </summary>
/// <remarks>
/// Not thread-safe: the host hands it one line at a time, in order. After a reply with
/// <see cref="Pop3Reply.CloseConnection"/> every further line gets <see cref="Pop3Replies.SessionClosed"/>.
/// The host calls <see cref="AbortAsync"/> whenever the connection ends; it does nothing
/// after a committed QUIT.
/// </remarks>
public sealed class Pop3Session
{
    private readonly Pop3SessionContext _context;
    private int _badCommandsInARow;
    private int _aborted;

    public Pop3Session(IPop3Backend backend, Pop3Options options)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(options);
        _context = new Pop3SessionContext(backend, options);
    }

    public Pop3State State => _context.State;

    /// <summary>The opened mailbox's name once logged in; for logs.</summary>
    public string? Mailbox => _context.Maildrop?.Name;

    /// <summary>The keyword of the last line handled when it named a known command; for logs and metrics.</summary>
    public string? LastCommand { get; private set; }

    /// <summary>A reply closed the session (QUIT, lost lock, too many bad commands).</summary>
    public bool IsClosed => _context.Closed;

    /// <summary>Bad commands since the last accepted one.</summary>
    public int BadCommandsInARow => _badCommandsInARow;

    public Pop3Reply Greeting() => Pop3Replies.Greeting(_context.Options.Implementation);

    /// <summary>Handles one command line (without its CRLF or LF; never longer than the line limit).</summary>
    public async Task<Pop3Reply> HandleLineAsync(ReadOnlySequence<byte> line, CancellationToken cancellationToken)
    {
        LastCommand = null;
        if (_context.Closed)
        {
            return Pop3Replies.SessionClosed;
        }

        if (_context.Sasl is not null)
        {
            LastCommand = "AUTH";
            return Finish(await AuthHandler.ContinueAsync(_context, line, cancellationToken).ConfigureAwait(false));
        }

        if (!Pop3CommandParser.TryParse(line, out var command, out var error))
        {
            return Finish(CommandResult.Bad(Pop3Replies.SyntaxError(error)));
        }

        if (!Pop3CommandTable.TryGet(command.Keyword, out var definition))
        {
            return Finish(CommandResult.Bad(Pop3Replies.UnknownCommand(command.Keyword)));
        }

        LastCommand = definition.Keyword;
        if (Reject(definition, command) is { } rejection)
        {
            return Finish(CommandResult.Bad(rejection));
        }

        var result = await definition.Handler(_context, command, cancellationToken).ConfigureAwait(false);
        return Finish(result);
    }

    /// <summary>A SASL exchange is under way: the next line is a response (to redact in logs), not a command.</summary>
    public bool InSaslExchange => _context.Sasl is not null;

    /// <summary>The connection is encrypted (implicit TLS, or after <see cref="TlsStarted"/>).</summary>
    public bool IsTls => _context.IsTls;

    /// <summary>The framer found a line over <see cref="Pop3Options.MaxLineLength"/>; it counts as a bad command and ends a SASL exchange.</summary>
    public async Task<Pop3Reply> LineTooLongAsync()
    {
        LastCommand = null;
        if (_context.Closed)
        {
            return Pop3Replies.SessionClosed;
        }

        return Finish(await AuthHandler.EndAsync(_context, CommandResult.Bad(Pop3Replies.LineTooLong)).ConfigureAwait(false));
    }

    /// <summary>The host finished the TLS handshake that a <see cref="Pop3Reply.StartTls"/> reply asked for.</summary>
    public void TlsStarted() => _context.IsTls = true;

    /// <summary>The connection ended (dropped, timed out, shut down) without QUIT: releases the mailbox, deletes nothing.</summary>
    public async Task AbortAsync()
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0)
        {
            return;
        }

        _context.Closed = true;
        await AuthHandler.EndAsync(_context, default).ConfigureAwait(false);
        if (_context.Maildrop is { } maildrop && !_context.Committed)
        {
            await maildrop.ReleaseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Checks state and argument count; null when the command may run.</summary>
    private Pop3Reply? Reject(Pop3CommandDefinition definition, Pop3Command command)
    {
        if (!definition.ValidStates.HasFlag(_context.State))
        {
            return _context.State == Pop3State.Authorization
                ? Pop3Replies.NotValidBeforeLogin(definition.Keyword)
                : Pop3Replies.NotValidAfterLogin(definition.Keyword);
        }

        if (command.Arguments.Count < definition.MinArguments)
        {
            return Pop3Replies.MissingArgument(definition.Keyword, definition.MissingArgument);
        }

        return command.Arguments.Count > definition.MaxArguments ? Pop3Replies.TooManyArguments(definition.Keyword) : null;
    }

    private Pop3Reply Finish(CommandResult result)
    {
        var reply = result.Reply;
        switch (result.Outcome)
        {
            case CommandOutcome.Success:
                _badCommandsInARow = 0;
                break;
            case CommandOutcome.Bad:
                _badCommandsInARow++;
                if (_context.Options.MaxBadCommands > 0 && _badCommandsInARow >= _context.Options.MaxBadCommands)
                {
                    reply = Pop3Replies.TooManyBadCommands;
                }

                break;
        }

        if (reply.CloseConnection)
        {
            _context.Closed = true;
        }

        return reply;
    }
}
