using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.EventSourcing;
using Omct.Platform.BuildingBlocks.Text;
using Omct.Platform.BuildingBlocks.Time;
using Omct.Platform.Cases.CaseDetails;
using Omct.Platform.Cases.Domain;
using Omct.Platform.Cases.References;
using Omct.Platform.Defenders.Contracts;

namespace Omct.Platform.Cases.Handling;

/// <summary>
/// Carries out case commands for staff through <see cref="StreamCommands"/> (concurrency,
/// idempotency, audit metadata); a case the caller may not see is NOT_FOUND.
/// </summary>
internal sealed class CaseCommands(StreamCommands commands, ReferenceCounters counters, IDefenderDirectory defenders, IDocumentStore store, TimeProvider time)
{
    private Caller Caller => commands.Caller;

    public async Task<Case> OpenAsync(OpenCase command, string? clientMutationId, CancellationToken ct)
    {
        commands.RequireRole(Role.Staff);
        await RequireMentionableAsync(ct, ("title", command.Title), ("summary", command.Summary));
        return await OpenAsync(command, null, clientMutationId, ct);
    }

    /// <summary>
    /// Refuses a text that mentions (<see cref="Mentions"/>) anything but a defender the caller may find: VALIDATION on its
    /// field, the same for a missing defender and a hidden one, so a refusal tells the writer nothing it may not see. The
    /// text keeps the token (the events never hold the name), and each reader sees the name as it may (CaseGraphTypes).
    /// </summary>
    private Task RequireMentionableAsync(CancellationToken ct, params IEnumerable<(string Field, string? Text)> texts) =>
        Mentions.RequireMentionableAsync(DefenderIds.Defender, ids => defenders.ExistingAsync(ids, Caller, ct), texts);

    /// <summary>
    /// A new case and its parts in one stream start (one transaction, one receipt: the openCase of this clientMutationId,
    /// so that a repeat answers the case first made): openCase, then addVictim for each victim, recordCaseEvent for each
    /// event (naming victims by their position in <see cref="NewCaseParts.Victims"/>), issueIntervention for each
    /// intervention and changeCaseStatus — decided in that order with those mutations' deciders, checks and the caller's
    /// clearance, each on the case as the earlier ones leave it. A refusal of any part refuses the whole and writes nothing.
    /// What an import of a whole case row uses: one round of writes instead of one per part.
    /// </summary>
    public async Task<Case> OpenWithPartsAsync(OpenCase command, NewCaseParts parts, string? clientMutationId, CancellationToken ct)
    {
        commands.RequireRole(Role.Staff);
        // A defender the caller may not see is, for the caller, a defender that does not exist (as in addVictim).
        var defenderIds = parts.Victims.Select(v => v.DefenderId).OfType<Guid>().Distinct().ToList();
        if (defenderIds.Count > 0 && (await defenders.ExistingAsync(defenderIds, Caller, ct)).Count < defenderIds.Count)
        {
            throw DomainException.Validation("defenderId", "No such defender.");
        }

        await RequireMentionableAsync(ct, [("title", command.Title), ("summary", command.Summary), .. parts.Events.Select(e => ("description", e.Event.Description))]);
        return await OpenAsync(command, state => DecideParts(state, parts), clientMutationId, ct);
    }

    /// <summary>The events of <paramref name="parts"/> on a case just opened (<paramref name="state"/>), decided in order.</summary>
    private List<object> DecideParts(CaseState state, NewCaseParts parts)
    {
        var (today, latest) = (time.TodayUtc(), time.LatestToday());
        var events = new List<object>();
        void Add(object e)
        {
            state = CaseDecider.Evolve(state, e)!;
            events.Add(e);
        }

        var victimIds = new List<Guid>(parts.Victims.Count);
        foreach (var victim in parts.Victims)
        {
            var id = Guid.CreateVersion7();
            Add(CaseDecider.AddVictim(state, id, victim, Caller.Clearance));
            victimIds.Add(id);
        }

        foreach (var (recorded, victims) in parts.Events)
        {
            if (victims.Any(v => v < 0 || v >= victimIds.Count))
            {
                throw DomainException.Validation("victimIds", "Names no victim of this case.");
            }

            foreach (var e in CaseDecider.Record(state, Guid.CreateVersion7(), recorded with { VictimIds = [.. victims.Select(v => victimIds[v])] }, Caller.Clearance, latest))
            {
                Add(e);
            }
        }

        foreach (var issue in parts.Interventions)
        {
            Add(CaseDecider.Issue(state, Guid.CreateVersion7(), issue, today, latest));
        }

        if (parts.Status is { } status)
        {
            Add(CaseDecider.ChangeStatus(state, new ChangeCaseStatus(status)));
        }

        return events;
    }

    private async Task<Case> OpenAsync(OpenCase command, Func<CaseState, List<object>>? parts, string? clientMutationId, CancellationToken ct)
    {
        commands.RequireRole(Role.Staff);
        if (await commands.RepeatAsync<Case>("openCase", clientMutationId, Caller.CanSee, What, ct) is { } repeated)
        {
            return repeated;
        }

        var (today, latest) = (time.TodayUtc(), time.LatestToday());
        // Validate what needs no number first (the parts too, on a draft of the case), so a refused command consumes none.
        var draft = CaseDecider.Open(Guid.Empty, command, new ReferenceNumbers(0, 0, 0), Caller.Clearance, today, latest);
        _ = parts?.Invoke(CaseDecider.Evolve(null, draft)!);
        var country = CaseDecider.ValidCountry(command.CountryCode);
        var openedOn = command.OpenedOn ?? today;
        var original = CaseDecider.OriginalReference(command.Reference, country, openedOn);
        if (original is not null && await ReferenceTakenAsync(original.Reference, ct))
        {
            throw ReferenceTaken();
        }

        // An original reference moves its country's and year's counters past its numbers (never back), in the same
        // atomic upsert that hands out the case number: a reference made later never collides with it.
        var numbers = await counters.AdvanceAsync(
            [("case", null), (ReferenceCounters.CountryKey(country.Alpha3, openedOn.Year), original?.CountrySequence),
             (ReferenceCounters.AppealKey(openedOn.Year), original?.AppealNumber)], ct);

        var caseId = Guid.CreateVersion7();
        var opened = CaseDecider.Open(caseId, command, new ReferenceNumbers(numbers[0], numbers[1], numbers[2]), Caller.Clearance, today, latest);
        IReadOnlyList<object> events = parts is null ? [opened] : [opened, .. parts(CaseDecider.Evolve(null, opened)!)];
        try
        {
            return await commands.StartAsync<Case>("openCase", caseId, events, clientMutationId, Caller.CanSee, What, ct);
        }
        catch (Exception ex) when (original is not null && IsUniqueViolation(ex))
        {
            // The same reference given at the same moment: the unique index on the reference decides.
            throw ReferenceTaken();
        }
    }

    /// <summary>Whether a case has this reference, whoever may see it (the CONFLICT names nothing of it).</summary>
    private async Task<bool> ReferenceTakenAsync(string reference, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.Query<Case>().AnyAsync(c => c.Reference == reference, ct);
    }

    /// <summary>CONFLICT on <c>reference</c> (an import reports it on the file's reference column, a dry run as the real run).</summary>
    internal static DomainException ReferenceTaken() => new(ErrorCodes.Conflict, "A case already has this reference.", "reference");

    private static bool IsUniqueViolation(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is Npgsql.PostgresException { SqlState: "23505" })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>updateCase; <paramref name="changed"/> is called when the correction changes something (one that changes nothing appends no event).</summary>
    public async Task<Case> UpdateAsync(Guid caseId, int? expectedVersion, UpdateCase command, string? clientMutationId, CancellationToken ct, Action? changed = null)
    {
        commands.RequireRole(Role.Staff);
        await RequireMentionableAsync(ct, ("title", command.Title), ("summary", command.Summary));
        return await DecideAsync("updateCase", caseId, expectedVersion, clientMutationId, c => CaseDecider.Update(c, command), ct, changed);
    }

    public Task<Case> WithdrawEventAsync(Guid caseId, int? expectedVersion, Guid eventId, string? reason, string? clientMutationId, CancellationToken ct) =>
        DecideAsync("withdrawCaseEvent", caseId, expectedVersion, clientMutationId, c => CaseDecider.WithdrawEvent(c, eventId, reason, Caller.Clearance), ct);

    public Task<Case> WithdrawVictimAsync(Guid caseId, int? expectedVersion, Guid victimId, string? reason, string? clientMutationId, CancellationToken ct) =>
        DecideAsync("withdrawVictim", caseId, expectedVersion, clientMutationId, c => [CaseDecider.WithdrawVictim(c, victimId, reason, Caller.Clearance)], ct);

    public Task<Case> CorrectInterventionAsync(Guid caseId, int? expectedVersion, CorrectIntervention command, string? clientMutationId, CancellationToken ct) =>
        DecideAsync("correctIntervention", caseId, expectedVersion, clientMutationId, c => CaseDecider.CorrectIntervention(c, command, time.LatestToday()), ct);

    /// <param name="eventId">The new event's id: new by default; an import derives it from its row so that a resumed row names the same event.</param>
    public async Task<Case> RecordEventAsync(Guid caseId, int? expectedVersion, RecordCaseEvent command, string? clientMutationId, CancellationToken ct, Guid? eventId = null)
    {
        commands.RequireRole(Role.Staff);
        await RequireMentionableAsync(ct, ("description", command.Description));
        return await DecideAsync("recordCaseEvent", caseId, expectedVersion, clientMutationId,
            c => CaseDecider.Record(c, eventId ?? Guid.CreateVersion7(), command, Caller.Clearance, time.LatestToday()), ct);
    }

    public async Task<Case> CorrectEventAsync(Guid caseId, int? expectedVersion, CorrectCaseEvent command, string? clientMutationId, CancellationToken ct)
    {
        commands.RequireRole(Role.Staff);
        await RequireMentionableAsync(ct, ("description", command.Correction.Description));
        return await DecideAsync("correctCaseEvent", caseId, expectedVersion, clientMutationId, c => CaseDecider.Correct(c, command, Caller.Clearance, time.LatestToday()), ct);
    }

    public async Task<Case> AddVictimAsync(Guid caseId, int? expectedVersion, AddVictim command, string? clientMutationId, CancellationToken ct)
    {
        commands.RequireRole(Role.Staff);
        // A defender the caller may not see is, for the caller, a defender that does not exist.
        if (command.DefenderId is { } defenderId && !(await defenders.ExistingAsync([defenderId], Caller, ct)).Contains(defenderId))
        {
            throw DomainException.Validation("defenderId", "No such defender.");
        }

        return await DecideAsync("addVictim", caseId, expectedVersion, clientMutationId, c => [CaseDecider.AddVictim(c, Guid.CreateVersion7(), command, Caller.Clearance)], ct);
    }

    /// <param name="interventionId">As <c>eventId</c> of <see cref="RecordEventAsync"/>.</param>
    public Task<Case> IssueInterventionAsync(Guid caseId, int? expectedVersion, IssueIntervention command, string? clientMutationId, CancellationToken ct, Guid? interventionId = null) =>
        DecideAsync("issueIntervention", caseId, expectedVersion, clientMutationId,
            c => [CaseDecider.Issue(c, interventionId ?? Guid.CreateVersion7(), command, time.TodayUtc(), time.LatestToday())], ct);

    public Task<Case> ChangeStatusAsync(Guid caseId, int? expectedVersion, ChangeCaseStatus command, string? clientMutationId, CancellationToken ct) =>
        DecideAsync("changeCaseStatus", caseId, expectedVersion, clientMutationId, c => [CaseDecider.ChangeStatus(c, command)], ct);

    public Task<Case> ChangeConfidentialityAsync(
        Guid caseId, int? expectedVersion, ChangeCaseConfidentiality command, string? clientMutationId, CancellationToken ct) =>
        DecideAsync("changeCaseConfidentiality", caseId, expectedVersion, clientMutationId,
            c => CaseDecider.ChangeConfidentiality(c, command, Caller.Clearance), ct);

    /// <summary>Decides on the case's write model (<see cref="CaseState"/>, from its events); returns the read model.</summary>
    private Task<Case> DecideAsync(
        string operation, Guid caseId, int? expectedVersion, string? clientMutationId, Func<CaseState, IReadOnlyList<object>> decide, CancellationToken ct,
        Action? changed = null)
    {
        commands.RequireRole(Role.Staff);
        return commands.DecideAsync<CaseState, Case>(operation, caseId, expectedVersion, clientMutationId, decide, Caller.CanSee, Caller.CanSee, What,
            changed is null ? null : (_, _, _) => changed(), ct);
    }

    private const string What = "The case";
}

/// <summary>
/// The parts of a new case for <see cref="CaseCommands.OpenWithPartsAsync"/>: its victims, its events (each naming its
/// victims by their position in <see cref="Victims"/>: their ids are made when they are added), its interventions, and
/// the status it ends in (null: it stays OPEN).
/// </summary>
internal sealed record NewCaseParts(
    IReadOnlyList<AddVictim> Victims, IReadOnlyList<(RecordCaseEvent Event, IReadOnlyList<int> Victims)> Events, IReadOnlyList<IssueIntervention> Interventions,
    CaseStatus? Status);
