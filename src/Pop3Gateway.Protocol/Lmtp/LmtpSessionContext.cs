namespace Pop3Gateway.Protocol.Lmtp;

/// <summary>What the LMTP command handlers read and change: the state and the transaction under way.</summary>
internal sealed class LmtpSessionContext(ILmtpBackend backend, LmtpLimits limits)
{
    public ILmtpBackend Backend { get; } = backend;

    public LmtpLimits Limits { get; } = limits;

    public LmtpState State { get; set; } = LmtpState.Greeted;

    /// <summary>Accepted recipients, in RCPT order, with the mailbox each delivers to.</summary>
    public List<(string Address, string Mailbox)> Recipients { get; } = [];

    /// <summary>The SIZE parameter of MAIL FROM; 0 when none was given.</summary>
    public long SizeHint { get; set; }

    /// <summary>True after a 354: the host must now read the DATA section.</summary>
    public bool ReceivingData { get; set; }

    /// <summary>Ends the transaction (RSET, LHLO, end of DATA); the client stays greeted.</summary>
    public void Reset()
    {
        Recipients.Clear();
        SizeHint = 0;
        ReceivingData = false;
        if (State == LmtpState.Mail)
        {
            State = LmtpState.Ready;
        }
    }
}
