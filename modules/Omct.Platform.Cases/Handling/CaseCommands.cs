using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.Idempotency;
using Omct.Platform.BuildingBlocks.Time;
using Omct.Platform.Cases.CaseDetails;
using Omct.Platform.Cases.Domain;
using Omct.Platform.Cases.References;
using Omct.Platform.Defenders.Contracts;

namespace Omct.Platform.Cases.Handling;

/// <summary>
/// Carries out case commands: load the stream (optimistic concurrency from expectedVersion),
/// decide, append, save — events, the inline projection and the idempotency receipt in one
/// transaction. A repeated clientMutationId writes nothing and returns the case.
/// </summary>
internal sealed class CaseCommands(
    IDocumentStore store, ReferenceCounters counters, IDefenderDirectory defenders, ICallerContext callers, TimeProvider time)
{
    private const int MaxAttempts = 8;

    private Caller Caller => callers.Current;

    public async Task<Case> OpenAsync(OpenCase command, string? clientMutationId, CancellationToken ct)
    {
        RequireStaff();
        if (await RepeatAsync("openCase", clientMutationId, ct) is { } repeated)
        {
            return repeated;
        }

        var today = time.TodayUtc();
        // Validate what needs no number first, so a refused command consumes none.
        _ = CaseDecider.Open(Guid.Empty, command, new ReferenceNumbers(0, 0, 0), today);
        var country = CaseDecider.ValidCountry(command.CountryCode);
        var openedOn = command.OpenedOn ?? today;
        var numbers = new ReferenceNumbers(
            await counters.NextAsync("case", ct),
            await counters.NextAsync($"country:{country.Alpha3}", ct),
            await counters.NextAsync($"appeal:{openedOn.Year}", ct));

        var caseId = Guid.CreateVersion7();
        var opened = CaseDecider.Open(caseId, command, numbers, today);
        await using var session = OpenSession(clientMutationId);
        session.Events.StartStream<Case>(caseId, opened);
        Receipt(session, "openCase", clientMutationId, caseId);
        return await SaveAsync(session, "openCase", clientMutationId, caseId, ct);
    }

    public Task<Case> RecordEventAsync(Guid caseId, int? expectedVersion, RecordCaseEvent command, string? clientMutationId, CancellationToken ct) =>
        DecideAsync("recordCaseEvent", caseId, expectedVersion, clientMutationId, c => CaseDecider.Record(c, Guid.CreateVersion7(), command, time.TodayUtc()), ct);

    public Task<Case> CorrectEventAsync(Guid caseId, int? expectedVersion, CorrectCaseEvent command, string? clientMutationId, CancellationToken ct) =>
        DecideAsync("correctCaseEvent", caseId, expectedVersion, clientMutationId, c => CaseDecider.Correct(c, command, time.TodayUtc()), ct);

    public async Task<Case> AddVictimAsync(Guid caseId, int? expectedVersion, AddVictim command, string? clientMutationId, CancellationToken ct)
    {
        // A defender the caller may not see is, for the caller, a defender that does not exist.
        if (command.DefenderId is { } defenderId && !(await defenders.ExistingAsync([defenderId], Caller, ct)).Contains(defenderId))
        {
            throw DomainException.Validation("defenderId", "No such defender.");
        }

        return await DecideAsync("addVictim", caseId, expectedVersion, clientMutationId, c => [CaseDecider.AddVictim(c, Guid.CreateVersion7(), command)], ct);
    }

    public Task<Case> IssueInterventionAsync(Guid caseId, int? expectedVersion, IssueIntervention command, string? clientMutationId, CancellationToken ct) =>
        DecideAsync("issueIntervention", caseId, expectedVersion, clientMutationId, c => [CaseDecider.Issue(c, Guid.CreateVersion7(), command, time.TodayUtc())], ct);

    public Task<Case> ChangeStatusAsync(Guid caseId, int? expectedVersion, ChangeCaseStatus command, string? clientMutationId, CancellationToken ct) =>
        DecideAsync("changeCaseStatus", caseId, expectedVersion, clientMutationId, c => [CaseDecider.ChangeStatus(c, command)], ct);

    private async Task<Case> DecideAsync(
        string operation, Guid caseId, int? expectedVersion, string? clientMutationId, Func<Case, IReadOnlyList<object>> decide, CancellationToken ct)
    {
        RequireStaff();
        if (await RepeatAsync(operation, clientMutationId, ct) is { } repeated)
        {
            return repeated;
        }

        // Without an expectedVersion the caller asked for "on the case as it is": a concurrent
        // writer is not a conflict for it, so decide again on the new state (a few times, with a
        // little jitter so that writers who collided do not collide again in step).
        for (var attempt = 1; ; attempt++)
        {
            await using var session = OpenSession(clientMutationId);
            var stream = expectedVersion is { } version
                ? await session.Events.FetchForWriting<Case>(caseId, version, ct)
                : await session.Events.FetchForWriting<Case>(caseId, ct);
            var current = stream.Aggregate;
            if (current is null || !Caller.CanSee(current.Confidentiality))
            {
                throw DomainException.NotFound("The case");
            }

            stream.AppendMany(decide(current));
            Receipt(session, operation, clientMutationId, caseId);
            try
            {
                return await SaveAsync(session, operation, clientMutationId, caseId, ct);
            }
            catch (Exception ex) when (expectedVersion is null && attempt < MaxAttempts
                                       && ex is JasperFx.ConcurrencyException or JasperFx.Events.EventStreamUnexpectedMaxEventIdException)
            {
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), ct);
            }
        }
    }

    /// <summary>
    /// Saves events, projections and receipt in one transaction. When the same clientMutationId
    /// was sent twice at once, the second transaction fails on the first one's receipt (or stream
    /// version); it then returns the first one's result instead of an error, and wrote nothing.
    /// </summary>
    private async Task<Case> SaveAsync(IDocumentSession session, string operation, string? clientMutationId, Guid caseId, CancellationToken ct)
    {
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception) when (clientMutationId is not null && !ct.IsCancellationRequested)
        {
            if (await RepeatAsync(operation, clientMutationId, ct) is { } first)
            {
                return first;
            }

            throw;
        }

        return (await session.LoadAsync<Case>(caseId, ct))!;
    }

    private void RequireStaff()
    {
        if (!Caller.HasRole(Role.Staff))
        {
            throw Caller.IsAuthenticated ? DomainException.Forbidden() : DomainException.Unauthenticated();
        }
    }

    private IDocumentSession OpenSession(string? clientMutationId)
    {
        var session = store.LightweightSession();
        session.LastModifiedBy = Caller.Id;
        session.CorrelationId = System.Diagnostics.Activity.Current?.TraceId.ToString();
        if (clientMutationId is not null)
        {
            session.SetHeader("clientMutationId", clientMutationId);
        }

        return session;
    }

    private async Task<Case?> RepeatAsync(string operation, string? clientMutationId, CancellationToken ct)
    {
        if (clientMutationId is null)
        {
            return null;
        }

        if (clientMutationId.Length > 200)
        {
            throw DomainException.Validation("clientMutationId", "The clientMutationId may have at most 200 characters.");
        }

        await using var session = store.QuerySession();
        var receipt = await session.LoadAsync<MutationReceipt>(MutationReceipt.IdFor(operation, Caller.Id, clientMutationId), ct);
        return receipt is null ? null : await session.LoadAsync<Case>(receipt.EntityId, ct);
    }

    private void Receipt(IDocumentSession session, string operation, string? clientMutationId, Guid caseId)
    {
        if (clientMutationId is not null)
        {
            session.Insert(new MutationReceipt
            {
                Id = MutationReceipt.IdFor(operation, Caller.Id, clientMutationId),
                EntityId = caseId,
                ReceivedAt = time.GetUtcNow(),
            });
        }
    }
}
