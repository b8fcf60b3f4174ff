namespace Pop3Gateway.Protocol.Lmtp;

/// <summary>Why a DATA section read to its end is refused for every recipient.</summary>
public enum DataRefusal
{
    /// <summary>Over the size limit: <c>552 5.3.4</c>.</summary>
    TooLarge,

    /// <summary>A line ended in a bare LF: <c>550 5.5.2 … Error: bare &lt;LF&gt; received</c>, as Postfix refuses it.</summary>
    BareLineFeed,
}
