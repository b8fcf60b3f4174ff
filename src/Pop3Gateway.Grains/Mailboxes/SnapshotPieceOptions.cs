using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Grains.Mailboxes;

/// <summary>
/// How many messages one piece of a session snapshot holds (<see cref="SnapshotPieces"/>). Not a setting
/// operators need: the default keeps every piece under <see cref="SnapshotPieces.MaxBytes"/>; tests make it
/// small to cross piece boundaries with a few messages.
/// </summary>
public sealed class SnapshotPieceOptions
{
    /// <summary>Messages per snapshot piece; at most <see cref="SnapshotPieces.MaxBytes"/> / <see cref="SnapshotPieces.MaxEntryBytes"/>.</summary>
    public int Messages { get; set; } = SnapshotPieces.DefaultMessages;
}
