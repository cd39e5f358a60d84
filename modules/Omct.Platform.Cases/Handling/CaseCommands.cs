using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.EventSourcing;
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
        if (await commands.RepeatAsync<Case>("openCase", clientMutationId, Caller.CanSee, What, ct) is { } repeated)
        {
            return repeated;
        }

        var (today, latest) = (time.TodayUtc(), time.LatestToday());
        // Validate what needs no number first, so a refused command consumes none.
        _ = CaseDecider.Open(Guid.Empty, command, new ReferenceNumbers(0, 0, 0), Caller.Clearance, today, latest);
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
        try
        {
            return await commands.StartAsync<Case>("openCase", caseId, [opened], clientMutationId, Caller.CanSee, What, ct);
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

    private static DomainException ReferenceTaken() => DomainException.Conflict("A case already has this reference.");

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

    public Task<Case> UpdateAsync(Guid caseId, int? expectedVersion, UpdateCase command, string? clientMutationId, CancellationToken ct) =>
        DecideAsync("updateCase", caseId, expectedVersion, clientMutationId, c => CaseDecider.Update(c, command), ct);

    public Task<Case> WithdrawEventAsync(Guid caseId, int? expectedVersion, Guid eventId, string? reason, string? clientMutationId, CancellationToken ct) =>
        DecideAsync("withdrawCaseEvent", caseId, expectedVersion, clientMutationId, c => CaseDecider.WithdrawEvent(c, eventId, reason, Caller.Clearance), ct);

    public Task<Case> WithdrawVictimAsync(Guid caseId, int? expectedVersion, Guid victimId, string? reason, string? clientMutationId, CancellationToken ct) =>
        DecideAsync("withdrawVictim", caseId, expectedVersion, clientMutationId, c => [CaseDecider.WithdrawVictim(c, victimId, reason, Caller.Clearance)], ct);

    public Task<Case> CorrectInterventionAsync(Guid caseId, int? expectedVersion, CorrectIntervention command, string? clientMutationId, CancellationToken ct) =>
        DecideAsync("correctIntervention", caseId, expectedVersion, clientMutationId, c => CaseDecider.CorrectIntervention(c, command, time.LatestToday()), ct);

    /// <param name="eventId">The new event's id: new by default; an import derives it from its row so that a resumed row names the same event.</param>
    public Task<Case> RecordEventAsync(Guid caseId, int? expectedVersion, RecordCaseEvent command, string? clientMutationId, CancellationToken ct, Guid? eventId = null) =>
        DecideAsync("recordCaseEvent", caseId, expectedVersion, clientMutationId,
            c => CaseDecider.Record(c, eventId ?? Guid.CreateVersion7(), command, Caller.Clearance, time.LatestToday()), ct);

    public Task<Case> CorrectEventAsync(Guid caseId, int? expectedVersion, CorrectCaseEvent command, string? clientMutationId, CancellationToken ct) =>
        DecideAsync("correctCaseEvent", caseId, expectedVersion, clientMutationId, c => CaseDecider.Correct(c, command, Caller.Clearance, time.LatestToday()), ct);

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
        string operation, Guid caseId, int? expectedVersion, string? clientMutationId, Func<CaseState, IReadOnlyList<object>> decide, CancellationToken ct)
    {
        commands.RequireRole(Role.Staff);
        return commands.DecideAsync<CaseState, Case>(operation, caseId, expectedVersion, clientMutationId, decide, Caller.CanSee, Caller.CanSee, What, null, ct);
    }

    private const string What = "The case";
}
