using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Pop3Gateway.Deploy.Tests.Infrastructure;

public enum InstrumentKind
{
    Counter,
    UpDownCounter,
    Histogram,
    Gauge,
}

/// <summary>A System.Diagnostics.Metrics instrument: its name, unit and kind.</summary>
public sealed record Instrument(string Name, string Unit, InstrumentKind Kind)
{
    /// <summary>
    /// The name the OpenTelemetry Prometheus exporter gives it: dots and dashes become underscores,
    /// the unit is appended (s → seconds, ms → milliseconds, By → bytes; {annotations} are dropped),
    /// counters end in _total.
    /// </summary>
    public string PrometheusName
    {
        get
        {
            var name = Regex.Replace(Name, "[^A-Za-z0-9_:]", "_");
            var unit = UnitSuffix(Unit);
            if (unit.Length > 0 && !name.EndsWith("_" + unit, StringComparison.Ordinal))
            {
                name += "_" + unit;
            }
            return Kind == InstrumentKind.Counter ? name + "_total" : name;
        }
    }

    /// <summary>The series a query can name: a histogram's _bucket, _count and _sum, else the metric itself.</summary>
    public IEnumerable<string> Series =>
        Kind == InstrumentKind.Histogram ? [PrometheusName + "_bucket", PrometheusName + "_count", PrometheusName + "_sum"] : [PrometheusName];

    private static string UnitSuffix(string unit) => Regex.Replace(unit, @"\{[^}]*\}", "") switch
    {
        "" or "1" => "",
        "s" => "seconds",
        "ms" => "milliseconds",
        "By" => "bytes",
        var other => Regex.Replace(other, "[^A-Za-z0-9_]", "_"),
    };
}

/// <summary>
/// The metrics the monitoring manifests and the Grafana dashboard may query: the instruments created in
/// src/ (read from the <c>Meter.Create…</c> calls), the runtime's and Orleans' instruments they use, and
/// Prometheus' own <c>up</c>.
/// </summary>
public static partial class Monitoring
{
    public static string Dashboard => Path.Combine(Repository.Root, "deploy", "grafana", "pop3gateway-dashboard.json");

    public static string Components => Path.Combine(Repository.KubernetesDirectory, "components");

    /// <summary>Instruments of other code that the dashboard queries (System.Runtime as exported, Orleans).</summary>
    public static readonly IReadOnlyList<Instrument> External =
    [
        new("dotnet.process.cpu.time", "s", InstrumentKind.Counter),
        new("dotnet.process.memory.working_set", "By", InstrumentKind.Gauge),
        new("dotnet.gc.collections", "{collection}", InstrumentKind.Counter),
        new("dotnet.gc.last_collection.heap.size", "By", InstrumentKind.Gauge),
        // The exporter types these two as counters (hence _total), although each sample is a current value.
        new("dotnet.thread_pool.queue.length", "{work_item}", InstrumentKind.Counter),
        new("dotnet.thread_pool.thread.count", "{thread}", InstrumentKind.Counter),
        new("orleans-app-requests-latency", "ms", InstrumentKind.Histogram),
    ];

    /// <summary>
    /// Being added in parallel: the POP3S certificate's remaining lifetime (an observable gauge, unit s).
    /// Once src/ defines it, the scan finds it and this entry changes nothing.
    /// </summary>
    public static readonly Instrument CertificateExpiry = new("tls.certificate.expiry", "s", InstrumentKind.Gauge);

    /// <summary>Metrics Prometheus itself writes for every target.</summary>
    public static readonly IReadOnlySet<string> PrometheusOwn = new HashSet<string>(StringComparer.Ordinal) { "up" };

    private static readonly ConcurrentDictionary<string, Lazy<Task<RenderedOverlay>>> Renders = new();

    private static readonly string[] PromQlWords =
    [
        "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "offset", "bool", "inf", "nan",
    ];

    /// <summary>The instruments created with <c>Create…("name", …, "unit", …)</c> anywhere under src/.</summary>
    public static IReadOnlyList<Instrument> DefinedInSource()
    {
        var sources = Directory.EnumerateFiles(Path.Combine(Repository.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"));
        return sources.SelectMany(f => CreateCall().Matches(File.ReadAllText(f)))
            .Select(m => new Instrument(m.Groups["name"].Value, FirstLiteral(m.Groups["rest"].Value) ?? "", KindOf(m.Groups["kind"].Value)))
            .ToList();
    }

    /// <summary>Every series name a query may use: code, pending, runtime and Orleans instruments, and <c>up</c>.</summary>
    public static IReadOnlySet<string> KnownSeries() =>
        DefinedInSource().Concat(External).Append(CertificateExpiry).SelectMany(i => i.Series).Concat(PrometheusOwn).ToHashSet(StringComparer.Ordinal);

    /// <summary>The series names of the gateway's own instruments (src/ only).</summary>
    public static IReadOnlySet<string> CodeSeries() => DefinedInSource().SelectMany(i => i.Series).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The metric names a PromQL expression selects: identifiers outside label matchers, strings and ranges
    /// that are neither functions, keywords nor grouping labels.
    /// </summary>
    public static IReadOnlySet<string> MetricsIn(string expression)
    {
        var text = Regex.Replace(expression, "\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");
        text = Regex.Replace(text, @"\{[^}]*\}|\[[^\]]*\]", " ");
        text = Regex.Replace(text, @"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ");
        return Regex.Matches(text, @"(?<![\w$.])([A-Za-z_:][A-Za-z0-9_:]*)\b(?!\s*\()")
            .Select(m => m.Value)
            .Where(w => !PromQlWords.Contains(w, StringComparer.OrdinalIgnoreCase))
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Each vector selector's label matchers (the text between braces) in a PromQL expression.</summary>
    public static IReadOnlyList<string> SelectorsIn(string expression) =>
        Regex.Matches(expression, @"[A-Za-z_:][A-Za-z0-9_:]*\s*\{(?<matchers>[^}]*)\}").Select(m => m.Groups["matchers"].Value).ToList();

    /// <summary>True when (), [] and {} nest properly outside string literals.</summary>
    public static bool Balanced(string expression)
    {
        var open = new Stack<char>();
        foreach (var c in Regex.Replace(expression, "\"(?:[^\"\\\\]|\\\\.)*\"", "\"\""))
        {
            if (c is '(' or '[' or '{')
            {
                open.Push(c);
            }
            else if (c is ')' or ']' or '}' && (open.Count == 0 || open.Pop() != c switch { ')' => '(', ']' => '[', _ => '{' }))
            {
                return false;
            }
        }
        return open.Count == 0;
    }

    /// <summary>
    /// The production overlay as an operator turns components on: a copy of deploy/k8s in which the
    /// overlay's commented <c>components:</c> lines for <paramref name="components"/> are uncommented,
    /// rendered with the kubectl on PATH (kubectl 1.20's kustomize has no components).
    /// </summary>
    public static Task<RenderedOverlay> RenderProductionWithAsync(params string[] components) =>
        Renders.GetOrAdd(string.Join(",", components), _ => new Lazy<Task<RenderedOverlay>>(() => RenderCopyAsync(components))).Value;

    private static async Task<RenderedOverlay> RenderCopyAsync(string[] components)
    {
        var copy = Directory.CreateTempSubdirectory("pop3gw-k8s-");
        try
        {
            foreach (var file in Directory.EnumerateFiles(Repository.KubernetesDirectory, "*.yaml", SearchOption.AllDirectories))
            {
                var target = Path.Combine(copy.FullName, Path.GetRelativePath(Repository.KubernetesDirectory, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
            var kustomization = Path.Combine(copy.FullName, "overlays", "production", "kustomization.yaml");
            var lines = File.ReadAllLines(kustomization).ToList();
            foreach (var line in components.Select(c => $"# - ../../components/{c}").Prepend("# components:"))
            {
                var index = lines.IndexOf(line);
                Assert.True(index >= 0, $"overlays/production/kustomization.yaml has no line '{line}'");
                lines[index] = line[2..];
            }
            File.WriteAllLines(kustomization, lines);
            var result = await ProcessRunner.RunAsync(Kubectl.Require(Kubectl.OnPath), ["kustomize", Path.GetDirectoryName(kustomization)!],
                timeout: TimeSpan.FromSeconds(120));
            Assert.True(result.ExitCode == 0, $"kubectl kustomize production with {string.Join(", ", components)} failed\n{result}");
            return RenderedOverlay.Parse("production", result.Stdout, result.Stderr);
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    private static InstrumentKind KindOf(string create) => create.Replace("Observable", "", StringComparison.Ordinal) switch
    {
        "Counter" => InstrumentKind.Counter,
        "UpDownCounter" => InstrumentKind.UpDownCounter,
        "Histogram" => InstrumentKind.Histogram,
        _ => InstrumentKind.Gauge,
    };

    private static string? FirstLiteral(string text) => StringLiteral().Match(text) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex("""\.Create(?<kind>Counter|UpDownCounter|Histogram|Gauge|ObservableCounter|ObservableUpDownCounter|ObservableGauge)\b(?:<[^>]*>)?\(\s*"(?<name>[^"]+)"\s*,(?<rest>[^;]*);""")]
    private static partial Regex CreateCall();

    [GeneratedRegex("\"([^\"]*)\"")]
    private static partial Regex StringLiteral();
}
