using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Pop3Gateway.Protocol.Sasl;

/// <summary>The client's SCRAM messages (RFC 5802 section 7), parsed.</summary>
internal static class ScramMessages
{
    /// <summary>
    /// client-first-message: a gs2 header without channel binding (<c>n</c> or <c>y</c>),
    /// then <c>n=user,r=nonce</c>. Mandatory extensions (<c>m=</c>) are refused.
    /// </summary>
    public static bool TryParseClientFirst(
        string message,
        [NotNullWhen(true)] out string? gs2Header,
        [NotNullWhen(true)] out string? authzid,
        [NotNullWhen(true)] out string? bare,
        [NotNullWhen(true)] out string? user,
        [NotNullWhen(true)] out string? nonce)
    {
        gs2Header = authzid = bare = user = nonce = null;
        var parts = message.Split(',');
        if (parts.Length < 4 || parts[0] is not ("n" or "y"))
        {
            return false;
        }

        if (parts[1].Length > 0 && (!parts[1].StartsWith("a=", StringComparison.Ordinal) || !TryDecodeName(parts[1][2..], out authzid)))
        {
            return false;
        }

        authzid ??= "";
        if (!parts[2].StartsWith("n=", StringComparison.Ordinal) || !parts[3].StartsWith("r=", StringComparison.Ordinal)
            || !TryDecodeName(parts[2][2..], out user) || user.Length == 0)
        {
            return false;
        }

        nonce = parts[3][2..];
        if (nonce.Length == 0 || !IsPrintable(nonce))
        {
            return false;
        }

        gs2Header = parts[0] + "," + parts[1] + ",";
        bare = message[gs2Header.Length..];
        return true;
    }

    /// <summary>client-final-message: <c>c=</c> channel binding, <c>r=</c> nonce, extensions, <c>p=</c> proof last.</summary>
    public static bool TryParseClientFinal(
        string message,
        [NotNullWhen(true)] out string? channelBinding,
        [NotNullWhen(true)] out string? nonce,
        [NotNullWhen(true)] out string? withoutProof,
        [NotNullWhen(true)] out byte[]? proof)
    {
        channelBinding = nonce = withoutProof = null;
        proof = null;
        var proofStart = message.LastIndexOf(",p=", StringComparison.Ordinal);
        if (proofStart < 0)
        {
            return false;
        }

        withoutProof = message[..proofStart];
        var parts = withoutProof.Split(',');
        if (parts.Length < 2 || !parts[0].StartsWith("c=", StringComparison.Ordinal) || !parts[1].StartsWith("r=", StringComparison.Ordinal))
        {
            return false;
        }

        channelBinding = parts[0][2..];
        nonce = parts[1][2..];
        var encoded = message[(proofStart + 3)..];
        var buffer = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, buffer, out var written) || written != ScramProofLength)
        {
            return false;
        }

        proof = buffer[..written];
        return true;
    }

    /// <summary>SHA-256 output: the length of ClientProof.</summary>
    public const int ScramProofLength = 32;

    /// <summary>saslname: <c>=2C</c> is a comma, <c>=3D</c> an equals sign; any other <c>=</c> is an error.</summary>
    private static bool TryDecodeName(string value, [NotNullWhen(true)] out string? name)
    {
        name = null;
        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '=')
            {
                builder.Append(value[i]);
                continue;
            }

            var escape = i + 3 <= value.Length ? value.Substring(i, 3) : "";
            if (escape == "=2C")
            {
                builder.Append(',');
            }
            else if (escape == "=3D")
            {
                builder.Append('=');
            }
            else
            {
                return false;
            }

            i += 2;
        }

        name = builder.ToString();
        return true;
    }

    private static bool IsPrintable(string value) => value.All(c => c is >= '!' and <= '~' && c != ',');
}
