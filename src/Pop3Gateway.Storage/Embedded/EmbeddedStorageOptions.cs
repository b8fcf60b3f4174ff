using Orleans.Storage;

namespace Pop3Gateway.Storage.Embedded;

/// <summary>Options of the embedded (single machine, file based) storage profile.</summary>
public sealed class EmbeddedStorageOptions
{
    /// <summary>Root folder for grain state (<c>grains/</c>) and message bodies (<c>bodies/</c>).</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>
    /// Serializer for grain state. When null, the Orleans binary serializer is used: it is
    /// compact for large message indexes and honours the <c>[Id]</c> version tolerance of the state records.
    /// </summary>
    public IGrainStorageSerializer? GrainStorageSerializer { get; set; }
}
