using System.Collections.Concurrent;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Pop3Gateway.Host.Configuration.Settings;

/// <summary>
/// The <c>&lt;summary&gt;</c> doc comments of options classes and their properties, read from the XML
/// documentation file the compiler writes beside each assembly, as one line of Markdown.
/// </summary>
public static partial class SettingDescriptions
{
    private static readonly ConcurrentDictionary<Assembly, IReadOnlyDictionary<string, string>> Files = new();

    public static string Of(PropertyInfo property) =>
        Find(property.DeclaringType!.Assembly, $"P:{Name(property.DeclaringType)}.{property.Name}");

    public static string Of(Type type) => Find(type.Assembly, $"T:{Name(type)}");

    private static string Name(Type type) => type.FullName!.Replace('+', '.');

    private static string Find(Assembly assembly, string member) =>
        Files.GetOrAdd(assembly, Load).TryGetValue(member, out var text) ? text : "";

    private static IReadOnlyDictionary<string, string> Load(Assembly assembly)
    {
        var path = Path.ChangeExtension(assembly.Location, ".xml");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"the documentation file of {assembly.GetName().Name} is missing (GenerateDocumentationFile)", path);
        }
        return XDocument.Load(path).Descendants("member")
            .Where(member => member.Element("summary") is not null)
            .ToDictionary(member => (string)member.Attribute("name")!, member => Markdown(member.Element("summary")!));
    }

    /// <summary><c>&lt;c&gt;</c> becomes code, <c>&lt;see cref/langword&gt;</c> its last name, whitespace one space.</summary>
    private static string Markdown(XElement summary)
    {
        var text = string.Concat(summary.Nodes().Select(Markdown));
        return Whitespace().Replace(text, " ").Trim();
    }

    private static string Markdown(XNode node) => node switch
    {
        XText text => text.Value,
        XElement { Name.LocalName: "c" } code => $"`{code.Value}`",
        XElement { Name.LocalName: "see" or "seealso" } see when see.Attribute("langword") is { } word => $"`{word.Value}`",
        XElement { Name.LocalName: "see" or "seealso" } see when see.Attribute("cref") is { } cref => $"`{cref.Value.Split('.', ':')[^1]}`",
        XElement { Name.LocalName: "paramref" or "typeparamref" } reference => $"`{(string?)reference.Attribute("name")}`",
        XElement element => string.Concat(element.Nodes().Select(Markdown)),
        _ => "",
    };

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
