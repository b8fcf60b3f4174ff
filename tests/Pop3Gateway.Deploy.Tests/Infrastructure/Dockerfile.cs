using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pop3Gateway.Deploy.Tests.Infrastructure;

/// <summary>One instruction, continuation lines joined and the stage's ARG defaults substituted.</summary>
public sealed record Instruction(string Keyword, string Arguments)
{
    /// <summary>Whitespace-separated words (the Dockerfile uses no quoted words outside JSON form).</summary>
    public IReadOnlyList<string> Words => Arguments.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The exec (JSON array) form of ENTRYPOINT, CMD or RUN.</summary>
    public IReadOnlyList<string> JsonArray => JsonSerializer.Deserialize<string[]>(Arguments) ?? [];
}

/// <summary>One FROM … [AS name] stage.</summary>
public sealed record Stage(string Image, string? Name, IReadOnlyList<Instruction> Instructions)
{
    public IEnumerable<Instruction> All(string keyword) => Instructions.Where(i => i.Keyword == keyword);

    public Instruction? Last(string keyword) => All(keyword).LastOrDefault();

    /// <summary>ENV key=value pairs, later ones winning.</summary>
    public IReadOnlyDictionary<string, string> Environment()
    {
        var environment = new Dictionary<string, string>();
        foreach (var word in All("ENV").SelectMany(i => i.Words))
        {
            var equals = word.IndexOf('=');
            Assert.True(equals > 0, $"ENV '{word}' is not in KEY=value form");
            environment[word[..equals]] = word[(equals + 1)..];
        }
        return environment;
    }

    public IReadOnlySet<int> ExposedPorts() =>
        All("EXPOSE").SelectMany(i => i.Words).Select(w => int.Parse(w.Split('/')[0])).ToHashSet();
}

/// <summary>A small Dockerfile reader: enough for deploy/docker/Dockerfile, refusing what it does not know.</summary>
public sealed partial class Dockerfile
{
    private Dockerfile(IReadOnlyList<Stage> stages) => Stages = stages;

    public IReadOnlyList<Stage> Stages { get; }

    public Stage Build => Stages[0];

    public Stage Runtime => Stages[^1];

    public static Dockerfile Load(string path) => Parse(File.ReadAllText(path));

    public static Dockerfile Parse(string text)
    {
        var stages = new List<Stage>();
        string? image = null, name = null;
        var instructions = new List<Instruction>();
        var arguments = new Dictionary<string, string>();
        foreach (var line in LogicalLines(text))
        {
            var match = InstructionPattern().Match(line);
            Assert.True(match.Success, $"not an instruction: {line}");
            var keyword = match.Groups[1].Value.ToUpperInvariant();
            var rest = match.Groups[2].Value.Trim();
            if (keyword == "FROM")
            {
                if (image is not null)
                {
                    stages.Add(new Stage(image, name, instructions));
                }
                var words = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                (image, name) = (words[0], words.Length == 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null);
                instructions = [];
                arguments = [];
                continue;
            }
            Assert.True(image is not null, $"'{line}' comes before the first FROM");
            rest = Substitute(rest, arguments);
            if (keyword == "ARG")
            {
                var parts = rest.Split('=', 2);
                arguments[parts[0]] = parts.Length == 2 ? parts[1] : "";
            }
            instructions.Add(new Instruction(keyword, rest));
        }
        Assert.True(image is not null, "the Dockerfile has no FROM");
        stages.Add(new Stage(image!, name, instructions));
        return new Dockerfile(stages);
    }

    private static IEnumerable<string> LogicalLines(string text)
    {
        var current = "";
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.TrimStart().StartsWith('#') || (current.Length == 0 && string.IsNullOrWhiteSpace(line)))
            {
                continue;
            }
            if (line.EndsWith('\\'))
            {
                current += line[..^1] + " ";
                continue;
            }
            yield return current + line;
            current = "";
        }
        Assert.True(current.Length == 0, "the Dockerfile ends inside a continued line");
    }

    private static string Substitute(string text, IReadOnlyDictionary<string, string> arguments) =>
        VariablePattern().Replace(text, m => arguments.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);

    [GeneratedRegex(@"^\s*([A-Za-z]+)\s+(.*)$")]
    private static partial Regex InstructionPattern();

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex VariablePattern();
}
