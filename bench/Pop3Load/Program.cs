using Pop3Gateway.Host.Cli;

// Reads commands from stdin, one per line, tab-separated, and runs each through
// CommandLine.RunAsync exactly as the pop3gw executable would:
//   account<TAB>LOGIN<TAB>PASSWORD        = echo PASSWORD | pop3gw account add LOGIN --password-stdin
//   deliver<TAB>MAILBOX<TAB>FILE<TAB>...  = pop3gw deliver MAILBOX FILE...
// Up to --parallel commands run at once. Exit status 1 if any command failed.
var parallel = args is ["--parallel", var p] ? int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) : 4;
var lines = new List<string[]>();
while (Console.In.ReadLine() is { } line)
{
    if (line.Length > 0)
    {
        lines.Add(line.Split('\t'));
    }
}
var failed = 0;
var done = 0;
var started = System.Diagnostics.Stopwatch.GetTimestamp();
await Parallel.ForEachAsync(lines, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (command, _) =>
{
    var (arguments, stdin) = command switch
    {
        ["account", var login, var password] => (new[] { "account", "add", login, "--password-stdin" }, password + "\n"),
        ["deliver", var mailbox, .. var files] => (["deliver", mailbox, .. files], ""),
        _ => throw new ArgumentException($"unknown command line: {string.Join(' ', command)}"),
    };
    var error = new StringWriter();
    var status = await CommandLine.RunAsync(arguments, new StringReader(stdin), TextWriter.Null, error);
    if (status != CommandLine.Success)
    {
        Interlocked.Increment(ref failed);
        Console.Error.WriteLine($"pop3gw {string.Join(' ', arguments.Take(3))}: exit {status}: {error.ToString().Trim()}");
    }
    if (Interlocked.Increment(ref done) % 100 == 0)
    {
        Console.Error.WriteLine($"  {done} of {lines.Count} commands, {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s");
    }
});
return failed == 0 ? 0 : 1;
