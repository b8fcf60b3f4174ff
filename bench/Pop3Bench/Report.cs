using System.Globalization;
using System.Text;

namespace Pop3Bench;

/// <summary>The side-by-side table: one row per workload and metric, ours, Dovecot, ours/Dovecot.</summary>
public sealed class Report(string oursName = "Pop3Gateway", string otherName = "Dovecot")
{
    private readonly List<(string Workload, string Metric, double Ours, double Dovecot, string Better)> _rows = [];
    private readonly List<string> _notes = [];

    /// <summary>The benchmark mode (e.g. <c>tls (ecdsa)</c>); when set, a header line above the table names it.</summary>
    public string Mode { get; init; } = "";

    public void Add(string workload, string metric, double ours, double dovecot, string better) =>
        _rows.Add((workload, metric, ours, dovecot, better));

    public void Note(string note) => _notes.Add(note);

    public string Markdown()
    {
        var text = new StringBuilder();
        if (Mode.Length > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Mode: {Mode}").AppendLine();
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"| workload | metric | {oursName} | {otherName} | ratio | better |");
        text.AppendLine("|---|---|---:|---:|---:|---|");
        foreach (var (workload, metric, ours, dovecot, better) in _rows)
        {
            var ratio = dovecot == 0 ? (ours == 0 ? "1.00" : "n/a") : F(ours / dovecot, 2);
            text.AppendLine(CultureInfo.InvariantCulture, $"| {workload} | {metric} | {F(ours)} | {F(dovecot)} | {ratio} | {better} |");
        }
        foreach (var note in _notes)
        {
            text.AppendLine();
            text.Append("- ").AppendLine(note);
        }
        return text.ToString();
    }

    private static string F(double value, int? decimals = null)
    {
        if (double.IsNaN(value))
        {
            return "n/a";
        }
        var d = decimals ?? (Math.Abs(value) >= 100 || value == Math.Floor(value) ? 0 : Math.Abs(value) >= 10 ? 1 : 2);
        return value.ToString("N" + d, CultureInfo.InvariantCulture);
    }
}
