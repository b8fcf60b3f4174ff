using Microsoft.Extensions.Logging.Abstractions;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Frontend.Delivery;

namespace Pop3Gateway.Host.Cli;

/// <summary>
/// Delivers one message file (or stdin) for <c>pop3gw deliver</c> and <c>pop3gw import</c> through
/// <see cref="MailDelivery"/>, turning its failures into the command line's exit codes.
/// With <paramref name="dedupe"/> (<c>--dedupe</c>), a message the mailbox received within
/// <c>Delivery:DedupeWindow</c> (same Message-ID, same bytes) is not stored again: its earlier
/// UIDL is printed as for a fresh delivery, and a note on standard error says it was a duplicate.
/// </summary>
public sealed class Delivery(AdminClient admin, string mailbox, bool dedupe = false)
{
    private readonly MailDelivery _delivery = new(admin.Grains, admin.Bodies, NullLogger<MailDelivery>.Instance);

    public async Task<string> DeliverAsync(string file, TextReader stdin)
    {
        var result = await TryDeliverAsync(file, stdin, preservedUidl: null);
        if (result.Status == MailboxStatus.Ok && result.Uidl is { } uidl)
        {
            if (result.Duplicate)
            {
                await Console.Error.WriteLineAsync($"pop3gw: '{file}' is UIDL {uidl} (duplicate, not stored again)");
            }
            return uidl;
        }
        var reason = result.Error ?? result.Status.ToString();
        throw result.Status == MailboxStatus.StorageUnavailable
            ? new ClusterUnreachableException($"cannot deliver '{file}': {reason}")
            : new UsageException($"cannot deliver '{file}': {reason}");
    }

    /// <summary>
    /// Delivers and returns the grain's answer; a refusal (quota, duplicate UIDL) is a result, not an
    /// exception. Unreadable input and an unreachable store or cluster still throw.
    /// </summary>
    public async Task<DeliveryResult> TryDeliverAsync(string file, TextReader stdin, string? preservedUidl)
    {
        await using var source = file == "-" ? OpenStdin(stdin) : OpenFile(file);
        try
        {
            return await _delivery.DeliverAsync(mailbox, source, preservedUidl, dedupe, CancellationToken.None);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"cannot deliver '{file}': {e.Message}");
        }
        catch (StorageUnavailableException e)
        {
            throw new ClusterUnreachableException($"cannot store '{file}': {e.Message}", e);
        }
        catch (DeliveryOutcomeUnknownException e)
        {
            // The call's own failure, told apart as every other admin call does: the cluster's is exit code 2.
            return await AdminCommands.Call(() => Task.FromException<DeliveryResult>(e.InnerException!));
        }
    }

    private static Stream OpenStdin(TextReader stdin) =>
        stdin == Console.In ? Console.OpenStandardInput() : new MemoryStream(System.Text.Encoding.UTF8.GetBytes(stdin.ReadToEnd()));

    private static Stream OpenFile(string file)
    {
        try
        {
            return new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read '{file}': {e.Message}");
        }
    }
}
