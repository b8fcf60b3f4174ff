using Pop3Gateway.Host.Cli;

// Reads commands from stdin, one per line, tab-separated, and runs each through
// CommandLine.RunAsync exactly as the pop3gw executable would:
//   account<TAB>LOGIN<TAB>PASSWORD        = echo PASSWORD | pop3gw account add LOGIN --password-stdin
//   deliver<TAB>MAILBOX<TAB>FILE<TAB>...  = pop3gw deliver MAILBOX FILE...
//   accounts-hashed<TAB>PASSWORD<TAB>LOGIN<TAB>...
//                                         = pop3gw account import FILE, every LOGIN with one
//                                           pre-hashed PASSWORD ({PBKDF2-SHA256}, see HashedImport)
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
        ["accounts-hashed", var password, .. var logins] => (["account", "import", "-"], HashedImport.Lines(password, logins)),
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

/// <summary>
/// The accounts that only hold idle sessions share one password, hashed once here instead of once
/// per account: PBKDF2-SHA256 with 100,000 iterations (the floor pop3gw accepts; its own hashes use
/// 210,000) and one salt. Each first login still pays one PBKDF2, as in production.
/// </summary>
internal static class HashedImport
{
    private const int Iterations = 100_000;

    public static string Lines(string password, IEnumerable<string> logins)
    {
        var salt = System.Security.Cryptography.RandomNumberGenerator.GetBytes(16);
        var hash = System.Security.Cryptography.Rfc2898DeriveBytes.Pbkdf2(
            System.Text.Encoding.UTF8.GetBytes(password), salt, Iterations, System.Security.Cryptography.HashAlgorithmName.SHA256, 32);
        var text = $"{{PBKDF2-SHA256}}{Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
        return string.Concat(logins.Select(login => $"{login} {text}\n"));
    }
}
