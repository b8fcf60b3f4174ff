using System.Buffers;
using System.Globalization;

namespace Pop3Gateway.Frontend.Lmtp.Core;

public enum LmtpState
{
    /// <summary>Connected; only LHLO (and NOOP, RSET, QUIT) until the client has said who it is.</summary>
    Greeted,
    /// <summary>After LHLO, no transaction.</summary>
    Ready,
    /// <summary>MAIL FROM accepted; recipients being collected.</summary>
    Mail,
}

/// <summary>Session settings, enforced by the session and its connection handler.</summary>
public sealed record LmtpLimits
{
    /// <summary>Largest message accepted, in octets after unstuffing (advertised as SIZE).</summary>
    public long MaxMessageSize { get; init; } = 50L * 1024 * 1024;

    /// <summary>Recipients per transaction; RFC 5321 §4.5.3.1.8 requires accepting at least 100.</summary>
    public int MaxRecipients { get; init; } = 100;

    /// <summary>Bad commands in a row before the connection is closed.</summary>
    public int MaxBadCommands { get; init; } = 20;

    /// <summary>Name in the greeting and the LHLO reply.</summary>
    public string HostName { get; init; } = "localhost";
}

/// <summary>
/// The LMTP state machine (RFC 2033), with no I/O of its own: takes command lines, returns
/// replies; after a <c>354</c> the host spools the DATA and calls <see cref="CompleteDataAsync"/>,
/// which answers once per accepted recipient, in RCPT order.
/// </summary>
public sealed class LmtpSession(ILmtpBackend backend, LmtpLimits limits)
{
    private readonly List<(string Address, string Mailbox)> _recipients = [];
    private long _sizeHint;
    private int _badCommands;

    public LmtpState State { get; private set; } = LmtpState.Greeted;

    /// <summary>True after a 354: the host must now read the DATA section.</summary>
    public bool ReceivingData { get; private set; }

    public IReadOnlyList<string> Recipients => _recipients.Select(r => r.Address).ToArray();

    public LmtpReply Greeting() => LmtpReplies.Greeting(limits.HostName);

    public LmtpReply LineTooLong() => Bad(LmtpReplies.LineTooLong);

    public async Task<LmtpReply> HandleLineAsync(ReadOnlySequence<byte> line, CancellationToken cancellationToken)
    {
        var command = LmtpCommandParser.Parse(line);
        var reply = command.Verb switch
        {
            "LHLO" => Lhlo(command.Argument),
            "HELO" or "EHLO" => LmtpReplies.UseLhlo,
            "MAIL" => Mail(command.Argument),
            "RCPT" => await RcptAsync(command.Argument, cancellationToken),
            "DATA" => Data(command.Argument),
            "RSET" => NoArgument(command.Argument, Reset),
            "NOOP" => LmtpReplies.Ok,
            "QUIT" => NoArgument(command.Argument, () => LmtpReplies.Bye),
            _ => LmtpReplies.UnknownCommand,
        };
        return reply.Code is (>= 500 and <= 504) or 555 ? Bad(reply) : Good(reply);
    }

    /// <summary>Ends the DATA phase: one reply per accepted recipient, then the transaction is over.</summary>
    public async Task<IReadOnlyList<LmtpReply>> CompleteDataAsync(LmtpMessage? message, CancellationToken cancellationToken)
    {
        ReceivingData = false;
        var replies = new List<LmtpReply>(_recipients.Count);
        foreach (var (address, mailbox) in _recipients)
        {
            if (message is null)
            {
                replies.Add(LmtpReplies.TooLarge(limits.MaxMessageSize));
                continue;
            }
            var outcome = await backend.DeliverAsync(mailbox, message, cancellationToken);
            replies.Add(outcome.Status switch
            {
                DeliveryStatus.Delivered => LmtpReplies.Delivered(address, outcome.Uidl ?? ""),
                DeliveryStatus.OverQuota => LmtpReplies.OverQuota(address),
                DeliveryStatus.Refused => LmtpReplies.DeliveryRefused(address),
                _ => LmtpReplies.TemporaryFailure($"<{address}>"),
            });
        }
        Reset();
        return replies;
    }

    private LmtpReply Lhlo(string argument)
    {
        if (argument.Trim().Length == 0)
        {
            return LmtpReplies.BadSyntax;
        }
        Reset();
        State = LmtpState.Ready;
        return LmtpReplies.Lhlo(limits.HostName, limits.MaxMessageSize);
    }

    private LmtpReply Mail(string argument)
    {
        if (State == LmtpState.Greeted)
        {
            return LmtpReplies.NeedLhlo;
        }
        if (State == LmtpState.Mail)
        {
            return LmtpReplies.NestedMail;
        }
        if (!LmtpCommandParser.TryParsePath(argument, "FROM", out var path))
        {
            return LmtpReplies.BadSyntax;
        }
        long size = 0;
        foreach (var (name, value) in path!.Parameters)
        {
            switch (name.ToUpperInvariant())
            {
                case "SIZE" when long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out size):
                    if (size > limits.MaxMessageSize)
                    {
                        return LmtpReplies.TooLarge(limits.MaxMessageSize);
                    }
                    break;
                case "BODY" when value is not null && (value.Equals("7BIT", StringComparison.OrdinalIgnoreCase) || value.Equals("8BITMIME", StringComparison.OrdinalIgnoreCase)):
                    break;
                default:
                    return LmtpReplies.BadParameter;
            }
        }
        _sizeHint = size;
        State = LmtpState.Mail;
        return LmtpReplies.SenderOk;
    }

    private async Task<LmtpReply> RcptAsync(string argument, CancellationToken cancellationToken)
    {
        if (State != LmtpState.Mail)
        {
            return State == LmtpState.Greeted ? LmtpReplies.NeedLhlo : LmtpReplies.NeedMail;
        }
        if (!LmtpCommandParser.TryParsePath(argument, "TO", out var path))
        {
            return LmtpReplies.BadSyntax;
        }
        if (path!.Parameters.Count > 0)
        {
            return LmtpReplies.BadParameter;
        }
        if (path.Address.Length == 0)
        {
            return LmtpReplies.BadAddress;
        }
        if (_recipients.Count >= limits.MaxRecipients)
        {
            return LmtpReplies.TooManyRecipients;
        }
        var lookup = await backend.ResolveAsync(path.Address, Math.Max(_sizeHint, 1), cancellationToken);
        switch (lookup.Status)
        {
            case RecipientStatus.Ok:
                _recipients.Add((path.Address, lookup.Mailbox!));
                return LmtpReplies.RecipientOk;
            case RecipientStatus.Unknown:
                return LmtpReplies.UnknownRecipient(path.Address);
            case RecipientStatus.OverQuota:
                return LmtpReplies.OverQuota(path.Address);
            default:
                return LmtpReplies.TemporaryFailure($"<{path.Address}>");
        }
    }

    private LmtpReply Data(string argument)
    {
        if (argument.Length > 0)
        {
            return LmtpReplies.BadSyntax;
        }
        if (State != LmtpState.Mail)
        {
            return State == LmtpState.Greeted ? LmtpReplies.NeedLhlo : LmtpReplies.NeedMail;
        }
        if (_recipients.Count == 0)
        {
            return LmtpReplies.NoValidRecipients;
        }
        ReceivingData = true;
        return LmtpReplies.StartData;
    }

    private LmtpReply Reset()
    {
        _recipients.Clear();
        _sizeHint = 0;
        ReceivingData = false;
        if (State == LmtpState.Mail)
        {
            State = LmtpState.Ready;
        }
        return LmtpReplies.Ok;
    }

    private static LmtpReply NoArgument(string argument, Func<LmtpReply> handler) =>
        argument.Trim().Length > 0 ? LmtpReplies.BadSyntax : handler();

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
