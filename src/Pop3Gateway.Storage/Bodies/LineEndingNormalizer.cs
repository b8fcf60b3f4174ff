namespace Pop3Gateway.Storage.Bodies;

/// <summary>
/// Normalizes line endings of a message fed chunk by chunk: bare LF and bare CR become CRLF,
/// and the message ends with CRLF. A CR at the end of one chunk is resolved with the next one,
/// so the result does not depend on how the input was split. Holds no more than one byte of state.
/// </summary>
public sealed class LineEndingNormalizer
{
    private const byte Cr = (byte)'\r';
    private const byte Lf = (byte)'\n';

    private bool _pendingCr;
    private bool _endsWithCrlf;
    private bool _completed;

    /// <summary>Bytes fed so far.</summary>
    public long InputLength { get; private set; }

    /// <summary>Bytes produced so far, including what <see cref="Complete"/> added.</summary>
    public long OutputLength { get; private set; }

    /// <summary>The output buffer size that is always enough for an input chunk of <paramref name="inputLength"/> bytes.</summary>
    public static int MaxOutputLength(int inputLength) => checked((inputLength * 2) + 2);

    /// <summary>Normalizes one chunk into <paramref name="output"/> and returns the number of bytes written.</summary>
    /// <remarks><paramref name="output"/> must hold at least <see cref="MaxOutputLength"/> of the input length.</remarks>
    public int Normalize(ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (_completed)
        {
            throw new InvalidOperationException("the normalizer was already completed");
        }
        if (output.Length < MaxOutputLength(input.Length))
        {
            throw new ArgumentException("output buffer is too small", nameof(output));
        }

        InputLength += input.Length;
        var written = 0;
        var rest = input;
        if (_pendingCr && !rest.IsEmpty)
        {
            _pendingCr = false;
            written += WriteCrlf(output);
            if (rest[0] == Lf)
            {
                rest = rest[1..];
            }
        }

        while (!rest.IsEmpty)
        {
            var stop = rest.IndexOfAny(Cr, Lf);
            if (stop < 0)
            {
                rest.CopyTo(output[written..]);
                written += rest.Length;
                _endsWithCrlf = false;
                break;
            }

            rest[..stop].CopyTo(output[written..]);
            written += stop;
            if (stop > 0)
            {
                _endsWithCrlf = false;
            }

            if (rest[stop] == Lf)
            {
                written += WriteCrlf(output[written..]);
                rest = rest[(stop + 1)..];
            }
            else if (stop + 1 == rest.Length)
            {
                // A CR at the end of the chunk: whether it is bare depends on the next chunk.
                _pendingCr = true;
                rest = default;
            }
            else
            {
                written += WriteCrlf(output[written..]);
                rest = rest[(stop + (rest[stop + 1] == Lf ? 2 : 1))..];
            }
        }

        OutputLength += written;
        return written;
    }

    /// <summary>Ends the message: resolves a pending CR and ensures the final CRLF. Returns the bytes written (0–2).</summary>
    /// <remarks>An empty message stays empty; rejecting it is the caller's decision.</remarks>
    public int Complete(Span<byte> output)
    {
        if (_completed)
        {
            return 0;
        }
        _completed = true;
        var written = 0;
        if (_pendingCr || (InputLength > 0 && !_endsWithCrlf))
        {
            _pendingCr = false;
            written = WriteCrlf(output);
        }
        OutputLength += written;
        return written;
    }

    /// <summary>Normalizes a whole message held in memory.</summary>
    public static byte[] NormalizeAll(ReadOnlySpan<byte> message)
    {
        var normalizer = new LineEndingNormalizer();
        var buffer = new byte[MaxOutputLength(message.Length)];
        var length = normalizer.Normalize(message, buffer);
        length += normalizer.Complete(buffer.AsSpan(length));
        return buffer[..length];
    }

    private int WriteCrlf(Span<byte> output)
    {
        output[0] = Cr;
        output[1] = Lf;
        _endsWithCrlf = true;
        return 2;
    }
}
