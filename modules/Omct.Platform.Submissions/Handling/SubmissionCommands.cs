using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.EventSourcing;
using Omct.Platform.BuildingBlocks.Time;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.Submissions.CallsForInput;
using Omct.Platform.Submissions.Domain;
using Omct.Platform.Submissions.Submissions;

namespace Omct.Platform.Submissions.Handling;

/// <summary>Submissions and calls for input, through <see cref="StreamCommands"/>; organisations are checked with the defenders module's directory.</summary>
internal sealed class SubmissionCommands(
    StreamCommands commands, IDocumentStore store, IDefenderDirectory directory, ICaseDirectory cases, TimeProvider time)
{
    private Caller Caller => commands.Caller;

    public async Task<Submission> PlanAsync(PlanSubmission command, string? clientMutationId, CancellationToken ct)
    {
        commands.RequireRole(Role.Staff);
        if (await commands.RepeatAsync<Submission>("planSubmission", clientMutationId, ct) is { } repeated)
        {
            return repeated;
        }

        if (command.LeadOrganisationId is { } lead)
        {
            await EnsureOrganisationsAsync([lead], "leadOrganisationId", ct);
        }

        await EnsureOrganisationsAsync(command.CoSignatoryIds, "coSignatoryIds", ct);
        var id = Guid.CreateVersion7();
        return await commands.StartAsync<Submission>("planSubmission", id, [SubmissionDecider.Plan(id, command, time.TodayUtc())], clientMutationId, ct);
    }

    public async Task<Submission> AddCoSignatoryAsync(Guid id, int? expectedVersion, Guid organisationId, string? clientMutationId, CancellationToken ct)
    {
        await EnsureOrganisationsAsync([organisationId], "organisationId", ct);
        return await DecideAsync("addCoSignatory", id, expectedVersion, clientMutationId, s => [SubmissionDecider.AddCoSignatory(s, organisationId)], ct);
    }

    public Task<Submission> RemoveCoSignatoryAsync(Guid id, int? expectedVersion, Guid organisationId, string? clientMutationId, CancellationToken ct) =>
        DecideAsync("removeCoSignatory", id, expectedVersion, clientMutationId, s => [SubmissionDecider.RemoveCoSignatory(s, organisationId)], ct);

    public Task<Submission> AttachTextAsync(Guid id, int? expectedVersion, string? text, int? wordCount, string? fileReference, string? clientMutationId, CancellationToken ct) =>
        DecideAsync("attachSubmissionText", id, expectedVersion, clientMutationId, s => [SubmissionDecider.AttachText(s, text, wordCount, fileReference)], ct);

    public Task<Submission> SubmitAsync(Guid id, int? expectedVersion, DateOnly? submittedOn, string? clientMutationId, CancellationToken ct) =>
        DecideAsync("markSubmitted", id, expectedVersion, clientMutationId, s => [SubmissionDecider.Submit(s, submittedOn, time.TodayUtc())], ct);

    public async Task<Submission> RecordOutcomeAsync(Guid id, int? expectedVersion, IReadOnlyList<Recommendation> recommendations, string? clientMutationId, CancellationToken ct)
    {
        // A recommendation links only cases the caller may see (one query for all of them).
        var visible = await cases.CasesAsync(recommendations.SelectMany(r => r.CaseIds).Distinct().ToList(), Caller, ct);
        for (var i = 0; i < recommendations.Count; i++)
        {
            var missing = recommendations[i].CaseIds.ToList().FindIndex(c => !visible.ContainsKey(c));
            if (missing >= 0)
            {
                throw DomainException.Validation($"recommendations[{i}].caseIds[{missing}]", "No such case.");
            }
        }

        return await DecideAsync("recordOutcome", id, expectedVersion, clientMutationId, s => [SubmissionDecider.RecordOutcome(s, recommendations)], ct);
    }

    public async Task<CallForInput> OpenCallAsync(OpenCallForInput command, string? clientMutationId, CancellationToken ct)
    {
        commands.RequireRole(Role.Staff);
        if (await commands.RepeatAsync<CallForInput>("openCallForInput", clientMutationId, ct) is { } repeated)
        {
            return repeated;
        }

        var id = Guid.CreateVersion7();
        return await commands.StartAsync<CallForInput>("openCallForInput", id, [SubmissionDecider.Open(id, command, time.TodayUtc())], clientMutationId, ct);
    }

    /// <summary>A member organisation answers for itself; staff may record an answer for any organisation.</summary>
    public async Task<CallForInput> ReceiveInputAsync(Guid callId, Guid organisationId, string? text, string? clientMutationId, CancellationToken ct)
    {
        commands.RequireRole(Role.NetworkMember);
        if (!Caller.HasRole(Role.Staff) && Caller.OrganisationId != organisationId)
        {
            throw DomainException.Forbidden();
        }

        var organisation = (await directory.OrganisationInfoAsync([organisationId], ct)).GetValueOrDefault(organisationId)
                           ?? throw DomainException.Validation("organisationId", "No such organisation.");
        return await commands.DecideAsync<CallForInput>("receiveInput", callId, null, clientMutationId,
            c => [SubmissionDecider.Receive(c, organisationId, organisation.CountryCode, text, Caller.Id ?? Caller.Name, time.GetUtcNow(), time.TodayUtc())],
            c => CallVisibility.Sees(Caller, c, organisation.CountryCode), "The call for input", ct);
    }

    public Task<CallForInput> ExtendDeadlineAsync(Guid callId, int? expectedVersion, DateOnly deadline, string? clientMutationId, CancellationToken ct)
    {
        commands.RequireRole(Role.Staff);
        return commands.DecideAsync<CallForInput>("extendCallDeadline", callId, expectedVersion, clientMutationId,
            c => [SubmissionDecider.Extend(c, deadline, time.TodayUtc())], c => Caller.CanSee(c), "The call for input", ct);
    }

    /// <summary>The job's work: closes each open call whose deadline day is over, once.</summary>
    public async Task<int> CloseExpiredCallsAsync(CancellationToken ct)
    {
        var today = time.TodayUtc();
        List<Guid> expired;
        await using (var query = store.QuerySession())
        {
            expired = (await query.Query<CallForInput>().Where(c => c.Status == CallStatus.Open && c.Deadline < today).Select(c => c.Id).ToListAsync(ct)).ToList();
        }

        var closed = 0;
        foreach (var id in expired)
        {
            var call = await commands.DecideAsync<CallForInput>("closeCallForInput", id, null, null,
                c => SubmissionDecider.CloseIfExpired(c, time.GetUtcNow(), today), _ => true, "The call for input", ct);
            closed += call.Status == CallStatus.Closed ? 1 : 0;
        }

        return closed;
    }

    private Task<Submission> DecideAsync(string operation, Guid id, int? expectedVersion, string? clientMutationId,
        Func<Submission, IReadOnlyList<object>> decide, CancellationToken ct)
    {
        commands.RequireRole(Role.Staff);
        return commands.DecideAsync(operation, id, expectedVersion, clientMutationId, decide, s => Caller.CanSee(s), "The submission", ct);
    }

    private async Task EnsureOrganisationsAsync(IReadOnlyList<Guid> ids, string field, CancellationToken ct)
    {
        var visible = await directory.OrganisationsAsync(ids, Caller, ct);
        for (var i = 0; i < ids.Count; i++)
        {
            if (!visible.ContainsKey(ids[i]))
            {
                throw DomainException.Validation(ids.Count == 1 && field != "coSignatoryIds" ? field : $"{field}[{i}]", "No such organisation.");
            }
        }
    }
}

/// <summary>Who sees a call: staff (within clearance); a member organisation when it is in the call's audience.</summary>
internal static class CallVisibility
{
    public static bool Sees(Caller caller, CallForInput call, string? organisationCountry) =>
        caller.CanSee(call) && (caller.HasRole(Role.Staff)
                                || (organisationCountry is not null && (call.AudienceCountryCodes.Count == 0 || call.AudienceCountryCodes.Contains(organisationCountry))));
}
