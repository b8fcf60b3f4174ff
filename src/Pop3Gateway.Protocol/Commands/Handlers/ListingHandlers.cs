using System.Runtime.CompilerServices;
using Pop3Gateway.Protocol.Backend;
using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Protocol.Commands.Handlers;

/// <summary>
/// LIST and UIDL (RFC 1939 section 5 and 7): one message, or all visible ones. The lines of a whole
/// listing are made while the reply is written (<see cref="Pop3Reply.StreamedLines"/>), never held together.
/// </summary>
internal static class ListingHandlers
{
    public static Task<CommandResult> ListAsync(Pop3SessionContext context, Pop3Command command, CancellationToken cancellationToken)
        => HandleAsync(context, command, Pop3Replies.ScanListing, All, listing => $"{listing.Number} {listing.Size}", cancellationToken);

    public static Task<CommandResult> UidlAsync(Pop3SessionContext context, Pop3Command command, CancellationToken cancellationToken)
        => HandleAsync(context, command, Pop3Replies.UidlListing, _ => Pop3Replies.UidlFollows, listing => $"{listing.Number} {listing.Uidl}", cancellationToken);

    private static Pop3Reply All(MaildropListing listing) => Pop3Replies.ListFollows(listing.Count, listing.Octets);

    private static async Task<CommandResult> HandleAsync(
        Pop3SessionContext context,
        Pop3Command command,
        Func<MessageListing, Pop3Reply> one,
        Func<MaildropListing, Pop3Reply> allHeader,
        Func<MessageListing, string> line,
        CancellationToken cancellationToken)
    {
        if (command.Arguments.Count == 0)
        {
            var all = await context.OpenMaildrop.ListAllAsync(cancellationToken).ConfigureAwait(false);
            return all is { IsOk: true, Value: { } listing }
                ? CommandResult.Success(allHeader(listing) with { StreamedLines = Lines(listing.Listings, line) })
                : Pop3SessionContext.Failure(MaildropHandlers.Unavailable(all.Status), 0);
        }

        if (!Pop3Numbers.TryParseMessageNumber(command.Arguments[0], out var number, out var error))
        {
            return CommandResult.Bad(error);
        }

        var result = await context.OpenMaildrop.ListAsync(number, cancellationToken).ConfigureAwait(false);
        return result is { IsOk: true, Value: { } single }
            ? CommandResult.Success(one(single))
            : Pop3SessionContext.Failure(result.Status == MaildropStatus.Ok ? MaildropStatus.NoSuchMessage : result.Status, number);
    }

    private static async IAsyncEnumerable<string> Lines(
        IAsyncEnumerable<MessageListing> listings, Func<MessageListing, string> line, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var listing in listings.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return line(listing);
        }
    }
}
