namespace Pop3Gateway.Host.Cli.Import;

/// <summary>One message to import: a file holding exactly the message, and the UIDL to keep if the source had one.</summary>
public sealed record ImportItem(string File, string? PreservedUidl, string Label);

/// <summary>The source of an import could not be read as what it claims to be.</summary>
public sealed class ImportFormatException(string message) : Exception(message);

internal static class PopUidl
{
    /// <summary>RFC 1939 §7: 1 to 70 characters in the range 0x21 to 0x7E.</summary>
    public static bool IsValid(string? value) =>
        value is { Length: >= 1 and <= 70 } && value.All(c => c is >= '!' and <= '~');
}
