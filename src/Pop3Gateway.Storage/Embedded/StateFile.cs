using System.Buffers.Binary;

namespace Pop3Gateway.Storage.Embedded;

/// <summary>
/// Layout of a grain state file: a 16-byte header (magic "P3GS", format 1, three reserved
/// bytes, the 64-bit version that serves as the ETag) followed by the serialized state.
/// </summary>
internal static class StateFile
{
    public const int HeaderLength = 16;
    private const uint Magic = 0x53_47_33_50; // "P3GS" little-endian
    private const byte Format = 1;

    public static void WriteHeader(Span<byte> header, long version)
    {
        header.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        header[4] = Format;
        BinaryPrimitives.WriteInt64LittleEndian(header[8..], version);
    }

    public static long ReadVersion(ReadOnlySpan<byte> header, string path)
    {
        if (header.Length < HeaderLength
            || BinaryPrimitives.ReadUInt32LittleEndian(header) != Magic
            || header[4] != Format)
        {
            throw new InvalidDataException($"'{path}' is not a grain state file of format {Format}");
        }
        return BinaryPrimitives.ReadInt64LittleEndian(header[8..]);
    }
}
