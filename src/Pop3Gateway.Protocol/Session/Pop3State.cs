namespace Pop3Gateway.Protocol.Session;

/// <summary>RFC 1939 session states.</summary>
[Flags]
public enum Pop3State
{
    None = 0,
    Authorization = 1,
    Transaction = 2,
    Update = 4,
}
