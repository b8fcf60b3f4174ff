namespace Pop3Gateway.Frontend.Delivery;

/// <summary>
/// Finds the value of the first Message-ID header of a message fed chunk by chunk: the header
/// block ends at the first empty line, field names match case-insensitively (white space before
/// the colon tolerated), folded lines are unfolded (the line break goes, the white space stays)
/// and the value is trimmed. Holds nothing but that value, at most <see cref="MaxValueLength"/>
/// octets; a longer one counts as none. CR is ignored, so bare-LF input reads the same.
/// </summary>
public sealed class MessageIdScanner
{
    /// <summary>The longest value kept: RFC 5322's line limit; anything longer is not a Message-ID worth trusting.</summary>
    public const int MaxValueLength = 998;

    /// <summary>Longest field name looked at; "Message-ID" and a little white space fit.</summary>
    private const int MaxNameLength = 32;

    private static readonly byte[] FieldName = "message-id"u8.ToArray();

    private readonly List<byte> _name = new(MaxNameLength);
    private readonly List<byte> _value = [];
    private State _state = State.LineStart;
    private bool _collecting;
    private bool _overflow;

    private enum State
    {
        LineStart,
        Name,
        Value,
        SkipLine,
        Done,
    }

    /// <summary>True once the answer is known: nothing more needs to be fed.</summary>
    public bool IsDone => _state == State.Done;

    public void Feed(ReadOnlySpan<byte> chunk)
    {
        foreach (var b in chunk)
        {
            if (_state == State.Done)
            {
                return;
            }
            if (b != (byte)'\r')
            {
                Step(b);
            }
        }
    }

    /// <summary>The trimmed, unfolded value of the first Message-ID header; null when there is none (or it is empty or too long).</summary>
    public byte[]? Complete()
    {
        _state = State.Done;
        if (!_collecting || _overflow)
        {
            return null;
        }
        var value = _value.ToArray().AsSpan().Trim(" \t"u8);
        return value.IsEmpty ? null : value.ToArray();
    }

    private void Step(byte b)
    {
        switch (_state)
        {
            case State.LineStart:
                StartLine(b);
                break;
            case State.Name:
                ReadName(b);
                break;
            case State.Value or State.SkipLine when b == (byte)'\n':
                _state = State.LineStart;
                break;
            case State.Value:
                Append(b);
                break;
        }
    }

    private void StartLine(byte b)
    {
        if (_collecting && b is not ((byte)' ' or (byte)'\t'))
        {
            // The first Message-ID field has ended (a new field, or the end of the header block).
            _state = State.Done;
            return;
        }
        switch (b)
        {
            case (byte)'\n':
                _state = State.Done;
                break;
            case (byte)' ' or (byte)'\t':
                if (_collecting)
                {
                    Append(b);
                    _state = State.Value;
                }
                else
                {
                    _state = State.SkipLine;
                }
                break;
            default:
                _name.Clear();
                _state = State.Name;
                ReadName(b);
                break;
        }
    }

    private void ReadName(byte b)
    {
        if (b == (byte)'\n')
        {
            _state = State.LineStart; // a line without a colon: not a field, passed over
            return;
        }
        if (b != (byte)':')
        {
            _name.Add(b);
            _state = _name.Count > MaxNameLength ? State.SkipLine : State.Name;
            return;
        }
        var name = _name.ToArray().AsSpan().TrimEnd(" \t"u8);
        if (System.Text.Ascii.EqualsIgnoreCase(name, FieldName))
        {
            _collecting = true;
            _state = State.Value;
        }
        else
        {
            _state = State.SkipLine;
        }
    }

    private void Append(byte b)
    {
        if (_value.Count < MaxValueLength)
        {
            _value.Add(b);
        }
        else
        {
            _overflow = true;
        }
    }
}
