namespace Pop3Gateway.Protocol.Lmtp;

/// <summary>LMTP session states (RFC 2033 §4, RFC 5321 §4.1.4); flags, so a command table row can name several.</summary>
[Flags]
public enum LmtpState
{
    None = 0,
    /// <summary>Connected; only LHLO (and NOOP, RSET, QUIT) until the client has said who it is.</summary>
    Greeted = 1,
    /// <summary>After LHLO, no transaction.</summary>
    Ready = 2,
    /// <summary>MAIL FROM accepted; recipients being collected.</summary>
    Mail = 4,
}
