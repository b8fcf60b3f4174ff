using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text;

namespace Pop3Gateway.Frontend.Proxy;

public enum ProxyParseStatus
{
    NeedMoreData,
    Done,
    Invalid,
}

/// <summary>
/// The PROXY protocol header (HAProxy's proxy-protocol.txt, versions 1 and 2): the client address a
/// load balancer saw. <see cref="Source"/> is null for <c>UNKNOWN</c>/<c>LOCAL</c> headers (health checks).
/// </summary>
public static class ProxyHeaderParser
{
    /// <summary>Version 1: at most 107 octets, CRLF included.</summary>
    public const int MaxV1Length = 107;

    /// <summary>Version 2: 16 fixed octets plus at most this much (addresses and TLVs); more is refused.</summary>
    public const int MaxV2Payload = 2048;

    private static ReadOnlySpan<byte> V1Prefix => "PROXY "u8;

    private static ReadOnlySpan<byte> V2Signature => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    public static ProxyParseStatus TryParse(ReadOnlySequence<byte> buffer, out IPEndPoint? source, out long consumed)
    {
        source = null;
        consumed = 0;
        Span<byte> start = stackalloc byte[16];
        var available = (int)Math.Min(buffer.Length, start.Length);
        buffer.Slice(0, available).CopyTo(start);
        start = start[..available];

        if (StartsWith(start, V2Signature))
        {
            return TryParseV2(buffer, start, out source, out consumed);
        }

        if (StartsWith(start, V1Prefix))
        {
            return TryParseV1(buffer, out source, out consumed);
        }

        return start.Length >= V1Prefix.Length || !V2Signature.StartsWith(start) && !V1Prefix.StartsWith(start)
            ? ProxyParseStatus.Invalid
            : ProxyParseStatus.NeedMoreData;
    }

    private static bool StartsWith(ReadOnlySpan<byte> data, ReadOnlySpan<byte> prefix)
        => data.Length >= prefix.Length && data.StartsWith(prefix);

    private static ProxyParseStatus TryParseV1(ReadOnlySequence<byte> buffer, out IPEndPoint? source, out long consumed)
    {
        source = null;
        consumed = 0;
        var window = buffer.Slice(0, Math.Min(buffer.Length, MaxV1Length));
        if (window.PositionOf((byte)'\n') is not { } lf)
        {
            return buffer.Length >= MaxV1Length ? ProxyParseStatus.Invalid : ProxyParseStatus.NeedMoreData;
        }

        var line = Encoding.ASCII.GetString(window.Slice(0, lf).ToArray());
        consumed = window.GetOffset(lf) + 1;
        if (!line.EndsWith('\r'))
        {
            return ProxyParseStatus.Invalid;
        }

        var parts = line[..^1].Split(' ');
        if (parts is ["PROXY", "UNKNOWN", ..])
        {
            return ProxyParseStatus.Done;
        }

        if (parts is not ["PROXY", "TCP4" or "TCP6", var from, _, var port, _]
            || !IPAddress.TryParse(from, out var address)
            || !ushort.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var sourcePort)
            || (parts[1] == "TCP4") != (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork))
        {
            return ProxyParseStatus.Invalid;
        }

        source = new IPEndPoint(address, sourcePort);
        return ProxyParseStatus.Done;
    }

    private static ProxyParseStatus TryParseV2(ReadOnlySequence<byte> buffer, ReadOnlySpan<byte> start, out IPEndPoint? source, out long consumed)
    {
        source = null;
        consumed = 0;
        if (start.Length < 16)
        {
            return ProxyParseStatus.NeedMoreData;
        }

        var versionCommand = start[12];
        var family = start[13];
        var length = BinaryPrimitives.ReadUInt16BigEndian(start[14..16]);
        if (versionCommand >> 4 != 2 || length > MaxV2Payload)
        {
            return ProxyParseStatus.Invalid;
        }

        if (buffer.Length < 16 + length)
        {
            return ProxyParseStatus.NeedMoreData;
        }

        consumed = 16 + length;
        var payload = buffer.Slice(16, length).ToArray();
        switch (versionCommand & 0x0F)
        {
            case 0x0:
                // LOCAL: the proxy's own connection (a health check); keep the real peer address.
                return ProxyParseStatus.Done;
            case 0x1:
                break;
            default:
                return ProxyParseStatus.Invalid;
        }

        switch (family >> 4)
        {
            case 0x1 when payload.Length >= 12:
                source = new IPEndPoint(new IPAddress(payload.AsSpan(0, 4)), BinaryPrimitives.ReadUInt16BigEndian(payload.AsSpan(8, 2)));
                return ProxyParseStatus.Done;
            case 0x2 when payload.Length >= 36:
                source = new IPEndPoint(new IPAddress(payload.AsSpan(0, 16)), BinaryPrimitives.ReadUInt16BigEndian(payload.AsSpan(32, 2)));
                return ProxyParseStatus.Done;
            case 0x0:
                // UNSPEC: no address information.
                return ProxyParseStatus.Done;
            default:
                return ProxyParseStatus.Invalid;
        }
    }
}
