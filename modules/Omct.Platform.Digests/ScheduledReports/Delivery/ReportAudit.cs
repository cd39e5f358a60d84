using Marten;
using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Digests.ScheduledReports.Delivery;

/// <summary>A definition was created (audit trail of the definition's id).</summary>
public sealed record ReportDefinitionCreated(Confidentiality Confidentiality);

/// <summary>A definition was changed; <see cref="Version"/> is its version after the change.</summary>
public sealed record ReportDefinitionUpdated(int Version, Confidentiality Confidentiality);

public sealed record ReportDefinitionDeleted(Confidentiality Confidentiality);

/// <summary>A run on demand (runReportNow) was started.</summary>
public sealed record ReportRunStarted(Guid RunId, Confidentiality Confidentiality);

public sealed record ReportRunSucceeded(Guid RunId, int Rows, int Delivered, int Withheld, Confidentiality Confidentiality);

/// <summary>An attempt failed; <see cref="Retried"/> when another attempt follows (RETRYING), else the run is FAILED.</summary>
public sealed record ReportRunFailed(Guid RunId, int Attempt, bool Retried, Confidentiality Confidentiality);

/// <summary>The owner may no longer run it (disabled, role, clearance): nothing was made nor delivered.</summary>
public sealed record ReportRunRefused(Guid RunId, Confidentiality Confidentiality);

/// <summary>
/// Definitions and their runs in the audit trail: events on the definition's id (<c>auditTrail(entityId:
/// &lt;definition id&gt;)</c>, for admins who may see the definition), each with who (the caller, or
/// <see cref="SystemCaller"/> for scheduled runs and retries), the request's trace id and the clientMutationId. The events
/// carry ids, counts and the level — never the query, the rows or the recipients.
/// </summary>
internal static class ReportAudit
{
    /// <summary>Who a scheduled run (or a retry) is recorded as.</summary>
    public const string SystemCaller = "system:scheduled-reports";

    public static void Register(StoreOptions options)
    {
        options.Events.MapEventType<ReportDefinitionCreated>("digests.report_definition_created");
        options.Events.MapEventType<ReportDefinitionUpdated>("digests.report_definition_updated");
        options.Events.MapEventType<ReportDefinitionDeleted>("digests.report_definition_deleted");
        options.Events.MapEventType<ReportRunStarted>("digests.report_run_started");
        options.Events.MapEventType<ReportRunSucceeded>("digests.report_run_succeeded");
        options.Events.MapEventType<ReportRunFailed>("digests.report_run_failed");
        options.Events.MapEventType<ReportRunRefused>("digests.report_run_refused");
    }

    /// <summary>Makes the session's events record <paramref name="by"/>, the trace id and the clientMutationId.</summary>
    public static IDocumentSession Stamp(IDocumentSession session, string? by, string? clientMutationId = null)
    {
        session.LastModifiedBy = by;
        session.CorrelationId = System.Diagnostics.Activity.Current?.TraceId.ToString();
        if (clientMutationId is not null)
        {
            session.SetHeader("clientMutationId", clientMutationId);
        }

        return session;
    }

    /// <summary>Appends what became of a run (started, succeeded, failed or refused) to its definition's trail.</summary>
    public static async Task RecordAsync(IDocumentStore store, Guid definitionId, string by, object @event, CancellationToken ct)
    {
        await using var session = Stamp(store.LightweightSession(), by);
        session.Events.Append(definitionId, @event);
        await session.SaveChangesAsync(ct);
    }

    /// <summary>The event of a run as it ended, or null while it runs.</summary>
    public static object? Ended(ReportRun run) => run.Status switch
    {
        ReportRunStatus.Succeeded => new ReportRunSucceeded(run.Id, run.Rows ?? 0, run.DeliveredTo.Count, run.Withheld.Count, run.Level),
        ReportRunStatus.Retrying or ReportRunStatus.Failed => new ReportRunFailed(run.Id, run.Attempts, run.Status == ReportRunStatus.Retrying, run.Level),
        ReportRunStatus.Refused => new ReportRunRefused(run.Id, run.Level),
        _ => null,
    };
}
