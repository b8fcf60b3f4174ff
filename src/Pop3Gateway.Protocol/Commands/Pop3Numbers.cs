using System.Diagnostics.CodeAnalysis;
using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Protocol.Commands;

/// <summary>Parses numeric arguments with a precise error for each way they can be wrong.</summary>
public static class Pop3Numbers
{
    private enum Problem
    {
        None,
        NotANumber,
        Signed,
        Noise,
        TooLarge,
    }

    /// <summary>A message number: 1 to <see cref="int.MaxValue"/>, digits only.</summary>
    public static bool TryParseMessageNumber(string value, out int number, [NotNullWhen(false)] out Pop3Reply? error)
    {
        error = Parse(value, out number) switch
        {
            Problem.NotANumber => Pop3Replies.InvalidMessageNumber(value),
            Problem.Signed => Pop3Replies.SignedMessageNumber(value),
            Problem.Noise => Pop3Replies.MessageNumberNoise(value),
            Problem.TooLarge => Pop3Replies.MessageNumberTooLarge(value),
            _ => number == 0 ? Pop3Replies.NoSuchMessage : null,
        };
        return error is null;
    }

    /// <summary>A TOP line count: 0 to <see cref="int.MaxValue"/>, digits only.</summary>
    public static bool TryParseLineCount(string value, out int count, [NotNullWhen(false)] out Pop3Reply? error)
    {
        error = Parse(value, out count) switch
        {
            Problem.NotANumber => Pop3Replies.InvalidLineCount(value),
            Problem.Signed => Pop3Replies.SignedLineCount(value),
            Problem.Noise => Pop3Replies.LineCountNoise(value),
            Problem.TooLarge => Pop3Replies.LineCountTooLarge(value),
            _ => null,
        };
        return error is null;
    }

    private static Problem Parse(string value, out int number)
    {
        number = 0;
        if (value.Length == 0)
        {
            return Problem.NotANumber;
        }

        if (value[0] is '+' or '-')
        {
            return Problem.Signed;
        }

        if (!char.IsAsciiDigit(value[0]))
        {
            return Problem.NotANumber;
        }

        long accumulated = 0;
        var tooLarge = false;
        foreach (var c in value)
        {
            if (!char.IsAsciiDigit(c))
            {
                return Problem.Noise;
            }

            if (!tooLarge)
            {
                accumulated = (accumulated * 10) + (c - '0');
                tooLarge = accumulated > int.MaxValue;
            }
        }

        if (tooLarge)
        {
            return Problem.TooLarge;
        }

        number = (int)accumulated;
        return Problem.None;
    }
}
