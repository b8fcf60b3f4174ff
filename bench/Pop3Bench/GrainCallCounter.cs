using System.Globalization;

namespace Pop3Bench;

/// <summary>
/// A counter read from a Prometheus text page: the sum of every series of one metric name
/// (all label sets), e.g. the silo's count of Orleans messages received.
/// </summary>
public sealed class GrainCallCounter(Uri page, string metric)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public string Metric { get; } = metric;

    public async Task<double> ReadAsync()
    {
        var text = await Http.GetStringAsync(page);
        double total = 0;
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith(Metric, StringComparison.Ordinal) || line.Length == Metric.Length || (line[Metric.Length] != ' ' && line[Metric.Length] != '{'))
            {
                continue;
            }
            // "name{labels} value [timestamp]": the value follows the closing brace, or the name.
            var rest = line[Metric.Length] == '{' ? line[(line.LastIndexOf('}') + 1)..] : line[Metric.Length..];
            total += double.Parse(rest.Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        return total;
    }
}
