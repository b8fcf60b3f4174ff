using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Host.Cli;

/// <summary>
/// Delivers one message: body to the body store first, then the index entry in the
/// mailbox grain. A refused delivery removes its body again. When the outcome of the index step
/// is unknown (storage or cluster failure: the entry may have landed), the body is left alone;
/// if no entry names it, the mailbox's orphan sweep removes it later. Never half a delivery.
/// </summary>
public sealed class Delivery(IBodyStore bodies, IMailboxGrain grain, string mailbox)
{
    public async Task<string> DeliverAsync(string file, TextReader stdin)
    {
        var result = await TryDeliverAsync(file, stdin, preservedUidl: null);
        if (result.Status == MailboxStatus.Ok && result.Uidl is { } uidl)
        {
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
        StoredBody stored;
        await using (var source = file == "-" ? OpenStdin(stdin) : OpenFile(file))
        {
            try
            {
                stored = await bodies.WriteAsync(mailbox, source, CancellationToken.None);
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"cannot deliver '{file}': {e.Message}");
            }
            catch (StorageUnavailableException e)
            {
                throw new ClusterUnreachableException($"cannot store '{file}': {e.Message}", e);
            }
        }
        // A failing call leaves the outcome unknown (the entry may have landed): the body stays,
        // and the orphan sweep removes it later if no entry names it.
        var result = await AdminCommands.Call(() => grain.Deliver(new DeliveryRequest(stored.BodyId, stored.Size, preservedUidl)));
        if (result.Status is not (MailboxStatus.Ok or MailboxStatus.StorageUnavailable))
        {
            await bodies.DeleteAsync(mailbox, stored.BodyId, CancellationToken.None);
        }
        return result;
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
