using Microsoft.Extensions.Logging;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Frontends;
using Pop3Gateway.Grains.Accounts;

namespace Pop3Gateway.Grains.Security;

/// <summary>
/// Admits the grain calls that change accounts only with an <see cref="AdminToken"/>, and writes an audit event
/// for each admin change: who (the admin certificate's subject), what, on which account or mailbox, and how it
/// ended. Arguments that may be secrets (passwords, hashes) are never logged. Front-ends hold node certificates,
/// so they reach the POP3 and delivery calls but none of these.
/// </summary>
public sealed partial class AdminCallFilter(AdminTrust trust, TimeProvider clock, ILogger<AdminCallFilter> logger) : IIncomingGrainCallFilter
{
    /// <summary>
    /// The admin calls, by interface and method: the name in the audit log (null: checked but not logged, a step
    /// of a logged change) and the index of the one argument worth logging (never a password).
    /// </summary>
    private static readonly Dictionary<(Type, string), (string? Operation, int? Detail)> Calls = new()
    {
        [(typeof(IAccountGrain), nameof(IAccountGrain.Create))] = ("account add", null),
        [(typeof(IAccountGrain), nameof(IAccountGrain.Provision))] = ("account add", null),
        [(typeof(IAccountGrain), nameof(IAccountGrain.SetPassword))] = ("account passwd", null),
        [(typeof(IAccountGrain), nameof(IAccountGrain.Grant))] = ("account grant", 0),
        [(typeof(IAccountGrain), nameof(IAccountGrain.Revoke))] = ("account revoke", 0),
        [(typeof(IAccountGrain), nameof(IAccountGrain.Remove))] = ("account remove", null),
        [(typeof(IAccountGrain), nameof(IAccountGrain.SetDisabled))] = ("account disable", 0),
        [(typeof(IAccountGrain), nameof(IAccountGrain.AddAddress))] = ("account address add", 0),
        [(typeof(IAccountGrain), nameof(IAccountGrain.RemoveAddress))] = ("account address remove", 0),
        [(typeof(IMailboxGrain), nameof(IMailboxGrain.SetQuota))] = ("mailbox quota", 0),
        [(typeof(IMailboxGrain), nameof(IMailboxGrain.Kick))] = ("kick", null),
        [(typeof(IMailboxMaintenanceGrain), nameof(IMailboxMaintenanceGrain.Expunge))] = ("mailbox expunge", 0),
        [(typeof(IMailboxMaintenanceGrain), nameof(IMailboxMaintenanceGrain.ReadEntries))] = (null, null),
        [(typeof(IAccountDirectoryGrain), nameof(IAccountDirectoryGrain.AddMany))] = ("account import", null),
        [(typeof(IAccountDirectoryGrain), nameof(IAccountDirectoryGrain.Add))] = (null, null),
        [(typeof(IAccountDirectoryGrain), nameof(IAccountDirectoryGrain.Remove))] = (null, null),
        [(typeof(IAccountDirectoryShardGrain), nameof(IAccountDirectoryShardGrain.AddMany))] = (null, null),
        [(typeof(IAccountDirectoryShardGrain), nameof(IAccountDirectoryShardGrain.Add))] = (null, null),
        [(typeof(IAccountDirectoryShardGrain), nameof(IAccountDirectoryShardGrain.Remove))] = (null, null),
        [(typeof(IAddressGrain), nameof(IAddressGrain.Claim))] = (null, null),
        [(typeof(IAddressGrain), nameof(IAddressGrain.Release))] = (null, null),
        [(typeof(IFrontendDirectoryGrain), nameof(IFrontendDirectoryGrain.List))] = (null, null),
        [(typeof(IFrontendGrain), nameof(IFrontendGrain.ListSessions))] = (null, null),
        [(typeof(IFrontendGrain), nameof(IFrontendGrain.EndSession))] = (null, null),
    };

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod?.DeclaringType is not { } declaring || !Calls.TryGetValue((declaring, context.MethodName), out var call))
        {
            await context.Invoke();
            return;
        }
        var target = context.TargetId.Key.ToString() ?? "";
        var detail = call.Detail is { } index ? $" {Printable(context.Request.GetArgument(index))}" : "";
        var operation = call.Operation ?? $"{context.InterfaceName}.{context.MethodName}";
        var identity = AdminToken.Verify(RequestContext.Get(AdminToken.ContextKey), trust, clock.GetUtcNow(), out var refusal);
        if (identity is null)
        {
            Refused(logger, operation, target, detail, refusal);
            throw new UnauthorizedAccessException($"{operation} refused: {refusal}");
        }
        try
        {
            await context.Invoke();
        }
        catch (Exception e)
        {
            if (call.Operation is not null)
            {
                Audit(logger, identity, operation, target, detail, $"failed: {e.GetType().Name}");
            }
            throw;
        }
        if (call.Operation is not null)
        {
            Audit(logger, identity, operation, target, detail, Outcome(context.Result));
        }
    }

    /// <summary>An argument as one log line can show it: control characters escaped.</summary>
    private static string Printable(object? value) =>
        string.Concat((value?.ToString() ?? "").Select(c => char.IsControl(c) ? $"\\x{(int)c:X2}" : c.ToString()));

    private static string Outcome(object? result) => result switch
    {
        AdminResult admin => admin.Status.ToString(),
        MailboxStatus status => status.ToString(),
        ExpungeResult expunge => expunge.Status.ToString(),
        _ => "Ok",
    };

    [LoggerMessage(EventId = 7000, Level = LogLevel.Information,
        Message = "Audit: {Identity} {Operation} {Target}{Detail}: {Outcome}")]
    private static partial void Audit(ILogger logger, string identity, string operation, string target, string detail, string outcome);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning,
        Message = "Audit: refused {Operation} {Target}{Detail}: {Refusal}")]
    private static partial void Refused(ILogger logger, string operation, string target, string detail, string refusal);
}
