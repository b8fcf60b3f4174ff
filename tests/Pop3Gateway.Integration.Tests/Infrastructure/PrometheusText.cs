using System.Globalization;
using System.Text.RegularExpressions;

namespace Pop3Gateway.Integration.Tests.Infrastructure;

/// <summary>One scrape of a server's <c>/metrics</c> (Prometheus text format).</summary>
public sealed record PrometheusText(string Text)
{
    public static async Task<PrometheusText> ScrapeAsync(int managementPort)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        return new PrometheusText(await http.GetStringAsync($"http://127.0.0.1:{managementPort}/metrics"));
    }

    /// <summary>Sums the samples of <paramref name="metric"/> whose labels include all of <paramref name="labels"/>.</summary>
    public double Sum(string metric, params string[] labels)
    {
        var total = 0.0;
        foreach (Match match in Regex.Matches(Text, $@"^{Regex.Escape(metric)}(\{{(?<labels>[^}}]*)\}})? (?<value>\S+)", RegexOptions.Multiline))
        {
            var found = match.Groups["labels"].Value;
            if (labels.All(found.Contains))
            {
                total += double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }
        return total;
    }
}
