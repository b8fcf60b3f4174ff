namespace Pop3Gateway.Protocol.Session;

/// <summary>Capabilities this server can advertise in its CAPA reply.</summary>
[Flags]
public enum Pop3Capabilities
{
    None = 0,

    /// <summary>TOP command (RFC 1939 section 7, RFC 2449 section 6.1).</summary>
    Top = 1 << 0,

    /// <summary>UIDL command (RFC 1939 section 7, RFC 2449 section 6.6).</summary>
    Uidl = 1 << 1,

    /// <summary>USER and PASS (RFC 1939 section 7, RFC 2449 section 6.2).</summary>
    User = 1 << 2,

    /// <summary>Extended response codes in brackets (RFC 2449 section 6.4, section 8).</summary>
    RespCodes = 1 << 3,

    /// <summary>The [AUTH] response code (RFC 3206 section 5).</summary>
    AuthRespCode = 1 << 4,

    /// <summary>Commands may be sent without waiting for replies (RFC 2449 section 6.8).</summary>
    Pipelining = 1 << 5,

    /// <summary>The server's name (RFC 2449 section 6.9).</summary>
    Implementation = 1 << 6,

    /// <summary>STLS command (RFC 2595 section 4): offered before TLS only.</summary>
    Stls = 1 << 7,

    /// <summary>SASL AUTH with SCRAM-SHA-256 (RFC 5034, RFC 7677).</summary>
    Sasl = 1 << 8,

    /// <summary>SASL PLAIN and LOGIN, which carry the password itself; only where cleartext auth is allowed.</summary>
    SaslCleartext = 1 << 9,

    /// <summary>UTF8 command, UTF-8 user names and passwords (RFC 6856 section 2).</summary>
    Utf8 = 1 << 10,
}
