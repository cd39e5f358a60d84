using Marten;
using Marten.Events.Projections;
using Omct.Platform.Cases.Contracts;

namespace Omct.Platform.Reminders.Storage;

/// <summary>
/// Keeps the level a reminder carries equal to its subject's, inline: when a correction changes a
/// case event's confidentiality (<see cref="CaseEventReclassified"/>, a contract event of the cases
/// module) or the case's own changes (<see cref="CaseConfidentialityChanged"/>), its reminders take the new
/// level in the same transaction, so a reminder never shows — in
/// a list or a count — what its case event no longer shows.
/// </summary>
internal sealed partial class ReminderLevelsProjection : EventProjection
{
    private readonly string _sql;
    private readonly string _caseSql;
    private readonly string _withdrawnEventSql;
    private readonly string _withdrawnVictimSql;

    public ReminderLevelsProjection(string schema)
    {
        _sql = ReminderStore.ReclassifySql(schema);
        _caseSql = ReminderStore.ReclassifyCaseSql(schema);
        _withdrawnEventSql = ReminderStore.WithdrawnEventSql(schema);
        _withdrawnVictimSql = ReminderStore.WithdrawnVictimSql(schema);
    }

    /// <summary>A case event withdrawn (recorded by mistake): its reminders go, in the same transaction.</summary>
    public void Project(CaseEventWithdrawn e, IDocumentOperations operations) => operations.QueueSqlCommand(_withdrawnEventSql, e.CaseEventId);

    /// <summary>A victim withdrawn: the reminders about it go too.</summary>
    public void Project(VictimWithdrawn e, IDocumentOperations operations) => operations.QueueSqlCommand(_withdrawnVictimSql, e.VictimId);

    public void Project(CaseEventReclassified e, IDocumentOperations operations)
    {
        var level = (int)e.Confidentiality;
        operations.QueueSqlCommand(_sql, level, level, e.CaseEventId, level);
    }

    /// <summary>The case itself raised or lowered (<see cref="CaseConfidentialityChanged"/>): its reminders follow.</summary>
    public void Project(JasperFx.Events.IEvent<CaseConfidentialityChanged> e, IDocumentOperations operations)
    {
        var level = (int)e.Data.To;
        operations.QueueSqlCommand(_caseSql, level, level, e.StreamId, level);
    }
}
