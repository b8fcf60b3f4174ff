using Pop3Gateway.Protocol.Backend;
using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Protocol.Commands.Handlers;

/// <summary>LIST and UIDL (RFC 1939 section 5 and 7): one message, or all visible ones.</summary>
internal static class ListingHandlers
{
    public static Task<CommandResult> ListAsync(Pop3SessionContext context, Pop3Command command, CancellationToken cancellationToken)
        => HandleAsync(context, command, Pop3Replies.ScanListing, All, listing => $"{listing.Number} {listing.Size}", cancellationToken);

    public static Task<CommandResult> UidlAsync(Pop3SessionContext context, Pop3Command command, CancellationToken cancellationToken)
        => HandleAsync(context, command, Pop3Replies.UidlListing, _ => Pop3Replies.UidlFollows, listing => $"{listing.Number} {listing.Uidl}", cancellationToken);

    private static Pop3Reply All(IReadOnlyList<MessageListing> listings)
        => Pop3Replies.ListFollows(listings.Count, listings.Sum(listing => listing.Size));

    private static async Task<CommandResult> HandleAsync(
        Pop3SessionContext context,
        Pop3Command command,
        Func<MessageListing, Pop3Reply> one,
        Func<IReadOnlyList<MessageListing>, Pop3Reply> allHeader,
        Func<MessageListing, string> line,
        CancellationToken cancellationToken)
    {
        int? number = null;
        if (command.Arguments.Count == 1)
        {
            if (!Pop3Numbers.TryParseMessageNumber(command.Arguments[0], out var parsed, out var error))
            {
                return CommandResult.Bad(error);
            }

            number = parsed;
        }

        var result = await context.OpenMaildrop.ListAsync(number, cancellationToken).ConfigureAwait(false);
        if (result is not { IsOk: true, Value: { } listings })
        {
            var status = number is null || result.Status == MaildropStatus.Ok ? MaildropHandlers.Unavailable(result.Status) : result.Status;
            return Pop3SessionContext.Failure(status, number ?? 0);
        }

        if (number is null)
        {
            return CommandResult.Success(allHeader(listings) with { Lines = listings.Select(line).ToArray() });
        }

        return listings is [var single] ? CommandResult.Success(one(single)) : CommandResult.Bad(Pop3Replies.NoSuchMessage);
    }
}
