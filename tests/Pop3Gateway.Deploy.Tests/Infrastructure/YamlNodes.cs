using YamlDotNet.RepresentationModel;

namespace Pop3Gateway.Deploy.Tests.Infrastructure;

/// <summary>Reading a parsed manifest by dotted paths; a missing key is null, never an exception.</summary>
public static class YamlNodes
{
    /// <summary>The node at <paramref name="path"/> (keys separated by dots), or null.</summary>
    public static YamlNode? At(this YamlNode? node, string path)
    {
        foreach (var key in path.Split('.'))
        {
            if (node is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out node))
            {
                return null;
            }
        }
        return node;
    }

    public static string? Text(this YamlNode? node, string path) => (node.At(path) as YamlScalarNode)?.Value;

    public static int? Int(this YamlNode? node, string path) => int.TryParse(node.Text(path), out var value) ? value : null;

    public static IReadOnlyList<YamlNode> Items(this YamlNode? node, string path) =>
        node.At(path) is YamlSequenceNode sequence ? sequence.Children.ToList() : [];

    public static IReadOnlyList<string> Strings(this YamlNode? node, string path) =>
        node.Items(path).OfType<YamlScalarNode>().Select(s => s.Value ?? "").ToList();

    /// <summary>A string-to-string map (labels, matchLabels); empty when absent.</summary>
    public static IReadOnlyDictionary<string, string> Map(this YamlNode? node, string path) =>
        node.At(path) is YamlMappingNode mapping
            ? mapping.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value ?? "", c => (c.Value as YamlScalarNode)?.Value ?? "")
            : new Dictionary<string, string>();

    /// <summary>True when every label of <paramref name="selector"/> is on <paramref name="labels"/> (an empty selector selects all).</summary>
    public static bool Selects(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels) =>
        selector.All(s => labels.TryGetValue(s.Key, out var value) && value == s.Value);
}
