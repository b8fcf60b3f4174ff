using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Host.Cli;

/// <summary>What the paging options asked for; a null limit means every page.</summary>
public sealed record PageRequest(string? Prefix, int? Limit, string? After);

/// <summary><c>--prefix P --limit N --after TOKEN</c> of the paged listings; the limit is checked while parsing.</summary>
public sealed class PagingOptions
{
    public Option<string> Prefix { get; } = new("--prefix") { Description = "Only names starting with this", HelpName = "P" };

    public Option<int?> Limit { get; } = new("--limit")
    {
        Description = $"At most N rows (1 to {IAccountDirectoryGrain.MaxPageSize}), then a continuation token",
        HelpName = "N",
    };

    public Option<string> After { get; } = new("--after") { Description = "Continue after this token (from a previous page)", HelpName = "TOKEN" };

    public PagingOptions() => Limit.CustomParser = ParseLimit;

    public void AddTo(Command command)
    {
        command.Options.Add(Prefix);
        command.Options.Add(Limit);
        command.Options.Add(After);
    }

    public PageRequest Read(ParseResult result) => new(result.GetValue(Prefix), result.GetValue(Limit), result.GetValue(After));

    private static int? ParseLimit(ArgumentResult result)
    {
        var text = result.Tokens[0].Value;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= IAccountDirectoryGrain.MaxPageSize)
        {
            return limit;
        }
        result.AddError($"--limit takes a whole number from 1 to {IAccountDirectoryGrain.MaxPageSize}, not '{text}'");
        return null;
    }
}
