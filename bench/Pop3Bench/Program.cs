using System.Globalization;
using System.Net;
using Pop3Bench;

var options = Options.Parse(args);
switch (args.FirstOrDefault())
{
    case "gen":
        Generate.Mail(options.Get("out"), options.Int("seed", 42), options.Int("accounts", 200), options.Int("messages", 20),
            options.Int("bigmsg-mb", 100), options.Int("bigbox", 100_000), options.Int("empty-accounts", 0));
        return 0;
    case "maildir":
        var limits = options.All("limit").Select(l => l.Split('=')).ToDictionary(p => p[0], p => int.Parse(p[1], CultureInfo.InvariantCulture));
        Generate.Maildir(options.Get("mail"), options.Get("out"), limits);
        return 0;
    case "run":
        var report = await Runner.RunAsync(options);
        var markdown = report.Markdown();
        Console.WriteLine(markdown);
        if (options.Has("markdown"))
        {
            await File.WriteAllTextAsync(options.Get("markdown"), markdown);
        }
        return 0;
    case "cold":
        await ColdRuns.RunAsync(options);
        return 0;
    default:
        Console.Error.WriteLine("usage: Pop3Bench gen --out DIR [--seed 42] | maildir --mail DIR --out DIR [--limit LOGIN=N] | run --ours HOST:PORT --ours-pid PID --dovecot HOST:PORT --dovecot-pid PID [...]");
        return 1;
}

/// <summary><c>--name value</c> options; a name may repeat.</summary>
internal sealed class Options(ILookup<string, string> values)
{
    public static Options Parse(string[] args)
    {
        var pairs = new List<(string, string)>();
        for (var i = 1; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
            {
                pairs.Add((args[i][2..], args[++i]));
            }
            else
            {
                throw new ArgumentException($"unexpected argument '{args[i]}'");
            }
        }
        return new Options(pairs.ToLookup(p => p.Item1, p => p.Item2));
    }

    public bool Has(string name) => values.Contains(name);

    public IEnumerable<string> All(string name) => values[name];

    public string Get(string name) => values[name].LastOrDefault() ?? throw new ArgumentException($"--{name} is required");

    public string Get(string name, string fallback) => values[name].LastOrDefault() ?? fallback;

    public int Int(string name, int fallback) => Has(name) ? int.Parse(Get(name), CultureInfo.InvariantCulture) : fallback;

    public IPEndPoint EndPoint(string name) => IPEndPoint.Parse(Get(name));
}
