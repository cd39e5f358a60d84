using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Import;
using Omct.Platform.BuildingBlocks.Time;
using Omct.Platform.Cases.CaseDetails;
using Omct.Platform.Cases.Domain;
using Omct.Platform.Cases.Handling;

namespace Omct.Platform.Cases.Import;

/// <summary>
/// CASE rows: a case with its victims, events and interventions, carried out as the mutations do it — openCase, then
/// addVictim for each victim, recordCaseEvent for each event, issueIntervention for each intervention, and
/// changeCaseStatus when the row gives a status other than OPEN — each through <see cref="CaseCommands"/> with its own
/// clientMutationId (the row's key and the part's position), so that a row interrupted half-way goes on where it stopped.
/// The parts come nested in JSON/NDJSON (<c>victims</c>, <c>events</c>, <c>interventions</c>: arrays of objects with the
/// part's fields); in CSV and XLSX a row is one case and its victims are named in <c>victimNames</c> (separated by ;).
/// An event names its victims by their names in the row. The whole row is checked first with the deciders the
/// mutations use, in order (each part against the case as the earlier parts leave it): a row with a bad part writes nothing.
/// A row changed since its last import is reported CHANGED_NOT_APPLIED: there is no updateCase yet.
/// </summary>
internal sealed class CaseImporter : IRecordImporter
{
    public string Kind => "CASE";

    public string RecordType => "Case";

    public IReadOnlyList<ImportField> Fields { get; } =
    [
        new("title", "The case's title.", Required: true),
        new("countryCode", "ISO 3166-1 alpha-2 (CM).", Required: true),
        new("summary", "Summary."),
        new("confidentiality", "PUBLIC, NETWORK, STAFF (default) or RESTRICTED, up to your clearance."),
        new("openedOn", "When the case was opened (YYYY-MM-DD); default today."),
        new("status", "OPEN (default), MONITORING or CLOSED: set after the parts."),
        new("victimNames", "CSV/XLSX: the victims' names, separated by ; (JSON: the victims part)."),
    ];

    public IReadOnlyDictionary<string, IReadOnlyList<ImportField>> Parts { get; } = new Dictionary<string, IReadOnlyList<ImportField>>
    {
        ["victims"] =
        [
            new("name", "The victim's name.", Required: true),
            new("confidentiality", "Default: the case's level."),
        ],
        ["events"] =
        [
            new("type", "ARREST, DETENTION, CHARGE … (CaseEventType).", Required: true),
            new("date", "2013, 2013-03 or 2013-03-21.", Required: true),
            new("description", "Description."),
            new("perpetratorType", "STATE_SECURITY_FORCES, JUDICIARY, POLICE, ARMY, NON_STATE_ACTOR or UNKNOWN."),
            new("source", "Source."),
            new("confidentiality", "Default: the case's level."),
            new("victims", "The names of this row's victims it concerns, separated by ; (or a JSON array)."),
        ],
        ["interventions"] =
        [
            new("type", "URGENT_APPEAL, FOLLOW_UP or CLOSING.", Required: true),
            new("issuedOn", "YYYY-MM-DD; default today."),
            new("addressees", "Separated by ; (or a JSON array)."),
        ],
    };

    internal sealed record PlannedEvent(RecordCaseEvent Event, IReadOnlyList<string> VictimNames);

    internal sealed record CasePlan(OpenCase Open, IReadOnlyList<AddVictim> Victims, IReadOnlyList<PlannedEvent> Events, IReadOnlyList<IssueIntervention> Interventions, CaseStatus? Status);

    public Task<ImportCheck> CheckAsync(ImportRow row, Guid? existing, IServiceProvider services, CancellationToken cancellationToken)
    {
        var caller = services.GetRequiredService<ICallerContext>().Current;
        var time = services.GetRequiredService<TimeProvider>();
        var (today, latest) = (time.TodayUtc(), time.LatestToday());
        var values = new ImportValues(row, caller);
        // TO WIRE after merging corrections (OpenCase gains `string? Reference = null`): add the field
        // new("reference", "The original OMCT reference (CMR 001 / 0313 / OBS 021).") to Fields, and pass Reference: values.Text("reference") here.
        var open = new OpenCase(values.Text("title"), values.Text("countryCode"), values.Text("summary"),
            values.Enum<Confidentiality>("confidentiality") ?? Confidentiality.Staff, values.Date("openedOn"));
        var status = values.Enum<CaseStatus>("status");
        var state = values.Guard(() => CaseDecider.Evolve(null, CaseDecider.Open(Guid.Empty, open, new ReferenceNumbers(0, 0, 0), caller.Clearance, today, latest)));

        var victims = new List<AddVictim>();
        var victimIds = new Dictionary<string, Guid>(StringComparer.OrdinalIgnoreCase);
        void AddVictim(ImportValues part, AddVictim victim)
        {
            var id = Guid.NewGuid();
            var added = part.Guard(() => state is null ? null : CaseDecider.AddVictim(state, id, victim, caller.Clearance));
            if (added is not null)
            {
                state = CaseDecider.Evolve(state, added);
                victimIds.TryAdd(victim.Name!.Trim(), id);
            }

            victims.Add(victim);
        }

        foreach (var name in values.List("victimNames"))
        {
            AddVictim(values, new AddVictim(null, name));
        }

        var parts = row.Part("victims");
        for (var i = 0; i < parts.Count; i++)
        {
            var part = new ImportValues(parts[i], caller, $"victims[{i}].");
            var victim = new AddVictim(null, part.Text("name"), part.Enum<Confidentiality>("confidentiality"));
            AddVictim(part, victim);
            values.Problems.AddRange(part.Problems);
        }

        var events = new List<PlannedEvent>();
        parts = row.Part("events");
        for (var i = 0; i < parts.Count; i++)
        {
            var part = new ImportValues(parts[i], caller, $"events[{i}].");
            var type = part.Enum<CaseEventType>("type");
            if (type is null && part.Text("type") is null)
            {
                part.Problems.Add(new ImportProblem(part.Field("type"), "A value is required."));
            }

            var names = part.List("victims");
            var ids = new List<Guid>();
            foreach (var name in names)
            {
                if (victimIds.TryGetValue(name, out var id))
                {
                    ids.Add(id);
                }
                else
                {
                    part.Problems.Add(new ImportProblem(part.Field("victims"), "Names no victim of this row."));
                }
            }

            var recorded = new RecordCaseEvent(type ?? default, part.Text("date"), ids, part.Text("description"), part.Enum<PerpetratorType>("perpetratorType"),
                part.Text("source"), part.Enum<Confidentiality>("confidentiality"));
            if (part.Problems.Count == 0 && state is not null)
            {
                var decided = part.Guard(() => CaseDecider.Record(state, Guid.NewGuid(), recorded, caller.Clearance, latest));
                foreach (var e in decided ?? [])
                {
                    state = CaseDecider.Evolve(state, e);
                }
            }

            events.Add(new PlannedEvent(recorded, names));
            values.Problems.AddRange(part.Problems);
        }

        var interventions = new List<IssueIntervention>();
        parts = row.Part("interventions");
        for (var i = 0; i < parts.Count; i++)
        {
            var part = new ImportValues(parts[i], caller, $"interventions[{i}].");
            var type = part.Enum<InterventionType>("type");
            if (type is null && part.Text("type") is null)
            {
                part.Problems.Add(new ImportProblem(part.Field("type"), "A value is required."));
            }

            var issue = new IssueIntervention(type ?? default, part.Date("issuedOn"), part.List("addressees"));
            if (part.Problems.Count == 0 && state is not null)
            {
                var issued = part.Guard(() => CaseDecider.Issue(state, Guid.NewGuid(), issue, today, latest));
                if (issued is not null)
                {
                    state = CaseDecider.Evolve(state, issued);
                }
            }

            interventions.Add(issue);
            values.Problems.AddRange(part.Problems);
        }

        if (status is { } wanted && wanted != CaseStatus.Open && state is not null)
        {
            values.Guard(() => CaseDecider.ChangeStatus(state, new ChangeCaseStatus(wanted)));
        }

        return Task.FromResult(values.Problems.Count > 0
            ? ImportCheck.Refused(values.Problems)
            : ImportCheck.Of(new CasePlan(open, victims, events, interventions, status is CaseStatus.Open ? null : status)));
    }

    public async Task<ImportApplied> ApplyAsync(object command, Guid? existing, string operationKey, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (existing is { } known)
        {
            // TO WIRE after merging corrections (CaseCommands.UpdateAsync(caseId, expectedVersion, UpdateCase(Title, Summary, CountryCode, Reason), …)):
            //   await services.GetRequiredService<CaseCommands>().UpdateAsync(known, null, new UpdateCase(plan.Open.Title, plan.Open.Summary, plan.Open.CountryCode, "Import"), operationKey + ":update", cancellationToken);
            //   return new ImportApplied(known);   (its parts are not re-applied: a changed part stays CHANGED only in its case fields)
            return new ImportApplied(known, Applied: false);
        }

        var plan = (CasePlan)command;
        var commands = services.GetRequiredService<CaseCommands>();
        var opened = await commands.OpenAsync(plan.Open, operationKey + ":open", cancellationToken);
        var id = opened.Id;
        Case current = opened;
        for (var i = 0; i < plan.Victims.Count; i++)
        {
            current = await commands.AddVictimAsync(id, null, plan.Victims[i], $"{operationKey}:v{i}", cancellationToken);
        }

        var byName = new Dictionary<string, Guid>(StringComparer.OrdinalIgnoreCase);
        foreach (var victim in current.Victims.Where(v => v.Name is not null))
        {
            byName.TryAdd(victim.Name!.Trim(), victim.Id);
        }

        for (var i = 0; i < plan.Events.Count; i++)
        {
            var planned = plan.Events[i];
            var recorded = planned.Event with { VictimIds = planned.VictimNames.Select(n => byName[n]).ToList() };
            await commands.RecordEventAsync(id, null, recorded, $"{operationKey}:e{i}", cancellationToken);
        }

        for (var i = 0; i < plan.Interventions.Count; i++)
        {
            await commands.IssueInterventionAsync(id, null, plan.Interventions[i], $"{operationKey}:i{i}", cancellationToken);
        }

        if (plan.Status is { } status)
        {
            await commands.ChangeStatusAsync(id, null, new ChangeCaseStatus(status), $"{operationKey}:s", cancellationToken);
        }

        return new ImportApplied(id);
    }
}
