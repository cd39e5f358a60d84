using Marten;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.BuildingBlocks.Import;
using Omct.Platform.BuildingBlocks.Time;
using Omct.Platform.Cases.CaseDetails;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Cases.Domain;
using Omct.Platform.Cases.GraphQL;
using Omct.Platform.Cases.Handling;

namespace Omct.Platform.Cases.Import;

/// <summary>
/// The parts of cases as a spreadsheet keeps them: a sheet of events (CASE_EVENT) or of interventions (INTERVENTION),
/// one row per part, naming its case by its OMCT reference — what a CASE row carries nested in JSON/NDJSON, for CSV and
/// XLSX. A row is checked by the decider the mutation uses, against its case as it is (a case the importer may not see
/// is, for the row, a reference no case has), and carried out through <see cref="CaseCommands"/>: a new row as
/// recordCaseEvent / issueIntervention, a corrected row as correctCaseEvent / correctIntervention with the reason
/// "Corrected by an import.". The part's id is derived from the row's operation key, so a row carried out just before
/// a crash names the same part when the run resumes.
/// </summary>
internal abstract class CasePartImporter : IRecordImporter
{
    protected const string Reason = "Corrected by an import.";

    protected static readonly ImportField CaseReference =
        new("caseReference", "The OMCT reference of the case (CMR 001 / 0313 / OBS 021), imported before or made on the platform.", Required: true);

    public abstract string Kind { get; }

    public abstract string RecordType { get; }

    public abstract IReadOnlyList<ImportField> Fields { get; }

    public IReadOnlyDictionary<string, IReadOnlyList<ImportField>> Parts { get; } = new Dictionary<string, IReadOnlyList<ImportField>>();

    public abstract Task<ImportCheck> CheckAsync(ImportRow row, Guid? existing, IServiceProvider services, CancellationToken cancellationToken);

    public abstract Task<ImportApplied> ApplyAsync(object command, Guid? existing, string operationKey, IServiceProvider services, CancellationToken cancellationToken);

    /// <summary>The row's case as the importer may see it (read model and write model), or null with the problem added.</summary>
    protected static async Task<(Case Read, CaseState State)?> CaseOfAsync(ImportValues values, Caller caller, IServiceProvider services, CancellationToken ct)
    {
        var reference = values.Text(CaseReference.Name);
        if (reference is null)
        {
            values.Problems.Add(new ImportProblem(values.Field(CaseReference.Name), "A value is required."));
            return null;
        }

        var session = services.GetRequiredService<IQuerySession>();
        var found = await session.Query<Case>().FirstOrDefaultAsync(c => c.Reference == reference, ct);
        var state = found is not null && caller.CanSee(found) ? await session.Events.AggregateStreamAsync<CaseState>(found.Id, token: ct) : null;
        if (found is null || state is null)
        {
            values.Problems.Add(new ImportProblem(values.Field(CaseReference.Name), "No case you may see has this reference."));
            return null;
        }

        return (found, state);
    }

    /// <summary>The plan of a row: its case, and the part (with its id when the row corrects one imported before).</summary>
    protected sealed record PartPlan<T>(Guid CaseId, T Part);
}

/// <summary>CASE_EVENT rows: an event of a case, its victims named as the case names them.</summary>
internal sealed class CaseEventImporter : CasePartImporter
{
    public override string Kind => "CASE_EVENT";

    public override string RecordType => CaseIds.CaseEvent;

    public override IReadOnlyList<ImportField> Fields { get; } =
    [
        CaseReference,
        new("type", "ARREST, DETENTION, CHARGE … (CaseEventType).", Required: true),
        new("date", "2013, 2013-03 or 2013-03-21.", Required: true),
        new("description", "Description."),
        new("perpetratorType", "STATE_SECURITY_FORCES, JUDICIARY, POLICE, ARMY, NON_STATE_ACTOR or UNKNOWN."),
        new("source", "Source."),
        new("confidentiality", "Default: the case's level."),
        new("victims", "The names of the case's victims it concerns, separated by ;."),
    ];

    public override async Task<ImportCheck> CheckAsync(ImportRow row, Guid? existing, IServiceProvider services, CancellationToken cancellationToken)
    {
        var caller = services.GetRequiredService<ICallerContext>().Current;
        var latest = services.GetRequiredService<TimeProvider>().LatestToday();
        var values = new ImportValues(row, caller);
        var type = values.Enum<CaseEventType>("type");
        if (type is null && values.Text("type") is null)
        {
            values.Problems.Add(new ImportProblem("type", "A value is required."));
        }

        var found = await CaseOfAsync(values, caller, services, cancellationToken);
        var victimIds = new List<Guid>();
        foreach (var name in values.List("victims"))
        {
            var victim = found?.Read.Victims.FirstOrDefault(v => caller.CanSee(v) && string.Equals(v.Name?.Trim(), name, StringComparison.OrdinalIgnoreCase));
            if (victim is not null)
            {
                victimIds.Add(victim.Id);
            }
            else if (found is not null)
            {
                values.Problems.Add(new ImportProblem("victims", $"'{name}' is not a victim of this case that you may see."));
            }
        }

        var recorded = new RecordCaseEvent(type ?? default, values.Text("date"), victimIds, values.Text("description"),
            values.Enum<PerpetratorType>("perpetratorType"), values.Text("source"), values.Enum<Confidentiality>("confidentiality"));
        if (values.Problems.Count == 0 && found is { State: var state })
        {
            values.Guard(() => existing is { } eventId
                ? CaseDecider.Correct(state, new CorrectCaseEvent(eventId, recorded, Reason), caller.Clearance, latest)
                : CaseDecider.Record(state, Guid.Empty, recorded, caller.Clearance, latest));
        }

        return values.Problems.Count > 0 ? ImportCheck.Refused(values.Problems) : ImportCheck.Of(new PartPlan<RecordCaseEvent>(found!.Value.Read.Id, recorded));
    }

    public override async Task<ImportApplied> ApplyAsync(object command, Guid? existing, string operationKey, IServiceProvider services, CancellationToken cancellationToken)
    {
        var plan = (PartPlan<RecordCaseEvent>)command;
        var commands = services.GetRequiredService<CaseCommands>();
        if (existing is { } eventId)
        {
            await commands.CorrectEventAsync(plan.CaseId, null, new CorrectCaseEvent(eventId, plan.Part, Reason), operationKey + ":correct", cancellationToken);
            return new ImportApplied(eventId);
        }

        var id = NameBasedId.Of(operationKey + ":event");
        await commands.RecordEventAsync(plan.CaseId, null, plan.Part, operationKey + ":record", cancellationToken, id);
        return new ImportApplied(id);
    }
}

/// <summary>INTERVENTION rows: an urgent appeal, follow-up or closing of a case; a corrected row corrects its date and addressees.</summary>
internal sealed class InterventionImporter : CasePartImporter
{
    public override string Kind => "INTERVENTION";

    public override string RecordType => CaseIds.Intervention;

    public override IReadOnlyList<ImportField> Fields { get; } =
    [
        CaseReference,
        new("type", "URGENT_APPEAL, FOLLOW_UP or CLOSING.", Required: true),
        new("issuedOn", "YYYY-MM-DD; default today."),
        new("addressees", "Separated by ;."),
    ];

    public override async Task<ImportCheck> CheckAsync(ImportRow row, Guid? existing, IServiceProvider services, CancellationToken cancellationToken)
    {
        var caller = services.GetRequiredService<ICallerContext>().Current;
        var time = services.GetRequiredService<TimeProvider>();
        var values = new ImportValues(row, caller);
        var type = values.Enum<InterventionType>("type");
        if (type is null && values.Text("type") is null)
        {
            values.Problems.Add(new ImportProblem("type", "A value is required."));
        }

        var found = await CaseOfAsync(values, caller, services, cancellationToken);
        var issue = new IssueIntervention(type ?? default, values.Date("issuedOn"), values.List("addressees"));
        if (values.Problems.Count == 0 && found is { State: var state, Read: var read })
        {
            if (existing is { } interventionId)
            {
                var before = read.Interventions.FirstOrDefault(i => i.Id == interventionId);
                if (before is not null && before.Type != issue.Type)
                {
                    values.Problems.Add(new ImportProblem("type", "The type of an intervention already issued cannot be changed."));
                }
                else
                {
                    values.Guard(() => CaseDecider.CorrectIntervention(state, new CorrectIntervention(interventionId, issue.IssuedOn, issue.Addressees, Reason), time.LatestToday()));
                }
            }
            else
            {
                values.Guard(() => CaseDecider.Issue(state, Guid.Empty, issue, time.TodayUtc(), time.LatestToday()));
            }
        }

        return values.Problems.Count > 0 ? ImportCheck.Refused(values.Problems) : ImportCheck.Of(new PartPlan<IssueIntervention>(found!.Value.Read.Id, issue));
    }

    public override async Task<ImportApplied> ApplyAsync(object command, Guid? existing, string operationKey, IServiceProvider services, CancellationToken cancellationToken)
    {
        var plan = (PartPlan<IssueIntervention>)command;
        var commands = services.GetRequiredService<CaseCommands>();
        if (existing is { } interventionId)
        {
            await commands.CorrectInterventionAsync(plan.CaseId, null, new CorrectIntervention(interventionId, plan.Part.IssuedOn, plan.Part.Addressees, Reason),
                operationKey + ":correct", cancellationToken);
            return new ImportApplied(interventionId);
        }

        var id = NameBasedId.Of(operationKey + ":intervention");
        await commands.IssueInterventionAsync(plan.CaseId, null, plan.Part, operationKey + ":issue", cancellationToken, id);
        return new ImportApplied(id);
    }
}
