using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.Idempotency;
using Omct.Platform.BuildingBlocks.Time;
using Omct.Platform.Cases.CaseDetails;
using Omct.Platform.Cases.Domain;
using Omct.Platform.Cases.References;

namespace Omct.Platform.Cases.Handling;

/// <summary>
/// Carries out case commands: load the stream (optimistic concurrency from expectedVersion),
/// decide, append, save — events, the inline projection and the idempotency receipt in one
/// transaction. A repeated clientMutationId writes nothing and returns the case.
/// </summary>
internal sealed class CaseCommands(IDocumentStore store, ReferenceCounters counters, ICallerContext callers, TimeProvider time)
{
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
        await session.SaveChangesAsync(ct);
        return (await session.LoadAsync<Case>(caseId, ct))!;
    }

    public Task<Case> RecordEventAsync(Guid caseId, int? expectedVersion, RecordCaseEvent command, string? clientMutationId, CancellationToken ct) =>
        DecideAsync("recordCaseEvent", caseId, expectedVersion, clientMutationId, c => CaseDecider.Record(c, Guid.CreateVersion7(), command, time.TodayUtc()), ct);

    public Task<Case> CorrectEventAsync(Guid caseId, int? expectedVersion, CorrectCaseEvent command, string? clientMutationId, CancellationToken ct) =>
        DecideAsync("correctCaseEvent", caseId, expectedVersion, clientMutationId, c => CaseDecider.Correct(c, command, time.TodayUtc()), ct);

    public Task<Case> AddVictimAsync(Guid caseId, int? expectedVersion, AddVictim command, string? clientMutationId, CancellationToken ct) =>
        DecideAsync("addVictim", caseId, expectedVersion, clientMutationId, c => CaseDecider.AddVictim(c, Guid.CreateVersion7(), command), ct);

    public Task<Case> IssueInterventionAsync(Guid caseId, int? expectedVersion, IssueIntervention command, string? clientMutationId, CancellationToken ct) =>
        DecideAsync("issueIntervention", caseId, expectedVersion, clientMutationId, c => CaseDecider.Issue(c, Guid.CreateVersion7(), command, time.TodayUtc()), ct);

    public Task<Case> ChangeStatusAsync(Guid caseId, int? expectedVersion, ChangeCaseStatus command, string? clientMutationId, CancellationToken ct) =>
        DecideAsync("changeCaseStatus", caseId, expectedVersion, clientMutationId, c => CaseDecider.ChangeStatus(c, command), ct);

    private async Task<Case> DecideAsync(string operation, Guid caseId, int? expectedVersion, string? clientMutationId, Func<Case, object> decide, CancellationToken ct)
    {
        RequireStaff();
        if (await RepeatAsync(operation, clientMutationId, ct) is { } repeated)
        {
            return repeated;
        }

        await using var session = OpenSession(clientMutationId);
        var stream = expectedVersion is { } version
            ? await session.Events.FetchForWriting<Case>(caseId, version, ct)
            : await session.Events.FetchForWriting<Case>(caseId, ct);
        var current = stream.Aggregate;
        if (current is null || !Caller.CanSee(current.Confidentiality))
        {
            throw DomainException.NotFound("The case");
        }

        stream.AppendOne(decide(current));
        Receipt(session, operation, clientMutationId, caseId);
        await session.SaveChangesAsync(ct);
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
