using Marten;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Import;
using Omct.Platform.BuildingBlocks.Time;
using Omct.Platform.Cases.CaseDetails;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Cases.Domain;
using Omct.Platform.Cases.Handling;

namespace Omct.Platform.Cases.Import;

/// <summary>
/// CASE rows: a case with its victims, events and interventions, carried out as the mutations do it — openCase, then
/// addVictim for each victim, recordCaseEvent for each event, issueIntervention for each intervention, and
/// changeCaseStatus when the row gives a status other than OPEN — through <see cref="CaseCommands"/>, with the row's key
/// as the clientMutationId, so that a row carried out just before a crash is not carried out again.
/// The parts come nested in JSON/NDJSON (<c>victims</c>, <c>events</c>, <c>interventions</c>: arrays of objects with the
/// part's fields); in CSV and XLSX a row is one case and its victims are named in <c>victimNames</c> (separated by ;).
/// An event names its victims by their names in the row. The whole row is checked first with the deciders the
/// mutations use, in order (each part against the case as the earlier parts leave it): a row with a bad part writes nothing.
/// A new case's row is carried out in one stream start (<see cref="CaseCommands.OpenWithPartsAsync"/>: the same deciders
/// in the same order, one transaction, one clientMutationId). An original reference already taken is refused on
/// <c>reference</c> (by openCase; in a dry run by the check, which also knows the run's earlier rows). A corrected row is
/// an updateCase of the case's own fields.
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
        new("reference", "The case's original OMCT reference (CMR 001 / 0313 / OBS 021): its country and opening month and year must match; default: the next free one."),
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

    internal sealed record CasePlan(OpenCase Open, IReadOnlyList<AddVictim> Victims, IReadOnlyList<PlannedEvent> Events, IReadOnlyList<IssueIntervention> Interventions, CaseStatus? Status)
    {
        /// <summary>The status as the row gives it (OPEN included; null when it gives none): what a corrected row sets.</summary>
        public CaseStatus? GivenStatus { get; init; }
    }

    public async Task<ImportCheck> CheckAsync(ImportRow row, Guid? existing, IServiceProvider services, CancellationToken cancellationToken)
    {
        var caller = services.GetRequiredService<ICallerContext>().Current;
        var time = services.GetRequiredService<TimeProvider>();
        var (today, latest) = (time.TodayUtc(), time.LatestToday());
        var values = new ImportValues(row, caller);
        var open = new OpenCase(values.Text("title"), values.Text("countryCode"), values.Text("summary"),
            values.Enum<Confidentiality>("confidentiality") ?? Confidentiality.Staff, values.Date("openedOn"), values.Text("reference"));
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

        // A dry run writes nothing: an original reference already taken — by a case in the database, or by an earlier row of
        // this run — is refused here as the real run's openCase refuses it (CONFLICT on reference; a real run is not checked
        // here: a row it carried out just before a crash is answered by openCase as a repeat, not refused as taken).
        var claims = services.GetService<ImportRunContext>()?.Claims;
        var reference = claims is not null && existing is null && state is not null && open.Reference is not null
            ? values.Guard(() => CaseDecider.OriginalReference(open.Reference, CaseDecider.ValidCountry(open.CountryCode), open.OpenedOn ?? today))?.Reference
            : null;
        if (reference is not null && (claims!.IsClaimed(ReferenceClaim, reference) || await ReferenceTakenAsync(services, reference, cancellationToken)))
        {
            var taken = CaseCommands.ReferenceTaken();
            values.Problems.Add(new ImportProblem(taken.Field!, taken.Message));
        }

        if (values.Problems.Count > 0)
        {
            return ImportCheck.Refused(values.Problems);
        }

        if (reference is not null)
        {
            claims!.Claim(ReferenceClaim, reference);
        }

        return ImportCheck.Of(new CasePlan(open, victims, events, interventions, status is CaseStatus.Open ? null : status) { GivenStatus = status });
    }

    private const string ReferenceClaim = "case reference";

    private static async Task<bool> ReferenceTakenAsync(IServiceProvider services, string reference, CancellationToken cancellationToken) =>
        await services.GetRequiredService<IQuerySession>().Query<Case>().AnyAsync(c => c.Reference == reference, cancellationToken);

    public async Task<ImportApplied> ApplyAsync(object command, Guid? existing, string operationKey, IServiceProvider services, CancellationToken cancellationToken)
    {
        var plan = (CasePlan)command;
        var commands = services.GetRequiredService<CaseCommands>();
        if (existing is { } known)
        {
            // A corrected row corrects the case's own fields (updateCase: title, summary, country; the reference stays) and, when
            // it gives one, its status (changeCaseStatus: a case closed in the archive after its events came from their own
            // sheet). Its victims, events and interventions are not re-applied: a row whose only differences are there is
            // CHANGED_NOT_APPLIED.
            var changed = false;
            var updated = await commands.UpdateAsync(known, null, new UpdateCase(plan.Open.Title, plan.Open.Summary, plan.Open.CountryCode, "Corrected by an import."),
                operationKey + ":update", cancellationToken, () => changed = true);
            if (plan.GivenStatus is { } wanted && updated.Status != wanted)
            {
                await commands.ChangeStatusAsync(known, null, new ChangeCaseStatus(wanted), operationKey + ":status", cancellationToken);
                changed = true;
            }

            return new ImportApplied(known, Applied: changed);
        }

        // The whole row in one stream start: the same deciders, in the same order, as the mutations one by one.
        var positions = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < plan.Victims.Count; i++)
        {
            positions.TryAdd(plan.Victims[i].Name!.Trim(), i);
        }

        var parts = new NewCaseParts(
            plan.Victims,
            [.. plan.Events.Select(e => (e.Event, (IReadOnlyList<int>)[.. e.VictimNames.Select(n => positions[n])]))],
            plan.Interventions,
            plan.Status);
        var opened = await commands.OpenWithPartsAsync(plan.Open, parts, operationKey + ":open", cancellationToken);
        return new ImportApplied(opened.Id);
    }
}
