using Marten;
using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Accounts;

/// <summary>
/// Appends to an account's audit stream (the account's id; read with <c>auditTrail</c>): who did it (the caller, or
/// the person themself at sign-in), the request's trace id. Never a secret.
/// </summary>
internal sealed class AccountAudit(IDocumentStore store, ICallerContext callers)
{
    public Task RecordAsync(Guid accountId, object @event, CancellationToken ct, string? by = null) => RecordAsync(accountId, [@event], ct, by);

    /// <summary>Several events in one transaction (the module's own event and the contract event published next to it).</summary>
    public async Task RecordAsync(Guid accountId, object[] events, CancellationToken ct, string? by = null)
    {
        await using var session = Open(by ?? callers.Current.Id ?? $"user:{accountId}");
        session.Events.Append(accountId, events);
        await session.SaveChangesAsync(ct);
    }

    public IDocumentSession Open(string? by)
    {
        var session = store.LightweightSession();
        session.LastModifiedBy = by ?? callers.Current.Id;
        session.CorrelationId = System.Diagnostics.Activity.Current?.TraceId.ToString();
        return session;
    }
}
