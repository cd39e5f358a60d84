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
        if (await commands.RepeatAsync<Submission>("planSubmission", clientMutationId, Caller.CanSee, What, ct) is { } repeated)
        {
            return repeated;
        }

        if (command.LeadOrganisationId is { } lead)
        {
            await EnsureOrganisationsAsync([lead], "leadOrganisationId", ct);
        }

        await EnsureOrganisationsAsync(command.CoSignatoryIds, "coSignatoryIds", ct);
        var id = Guid.CreateVersion7();
        return await commands.StartAsync<Submission>("planSubmission", id, [SubmissionDecider.Plan(id, command, time.TodayUtc(), Caller.Clearance)],
            clientMutationId, Caller.CanSee, What, ct);
    }

    public async Task<Submission> AddCoSignatoryAsync(Guid id, int? expectedVersion, Guid organisationId, string? clientMutationId, CancellationToken ct)
    {
        await EnsureOrganisationsAsync([organisationId], "organisationId", ct);
        return await DecideAsync("addCoSignatory", id, expectedVersion, clientMutationId, s => [SubmissionDecider.AddCoSignatory(s, organisationId)], ct);
    }

    /// <summary>Only an organisation the caller may see can be removed (the answer would otherwise tell whether a hidden one co-signs).</summary>
    public async Task<Submission> RemoveCoSignatoryAsync(Guid id, int? expectedVersion, Guid organisationId, string? clientMutationId, CancellationToken ct)
    {
        await EnsureOrganisationsAsync([organisationId], "organisationId", ct);
        return await DecideAsync("removeCoSignatory", id, expectedVersion, clientMutationId, s => [SubmissionDecider.RemoveCoSignatory(s, organisationId)], ct);
    }

    public Task<Submission> AttachTextAsync(Guid id, int? expectedVersion, string? text, int? wordCount, string? fileReference, string? clientMutationId, CancellationToken ct) =>
        DecideAsync("attachSubmissionText", id, expectedVersion, clientMutationId, s => [SubmissionDecider.AttachText(s, text, wordCount, fileReference)], ct);

    public async Task<Submission> SubmitAsync(Guid id, int? expectedVersion, DateOnly? submittedOn, string? clientMutationId, CancellationToken ct)
    {
        // The co-signatories the caller may see decide the limit it is held to (as wordLimit shows it).
        List<Guid> coSignatories;
        await using (var query = store.QuerySession())
        {
            coSignatories = [.. (await query.LoadAsync<Submission>(id, ct))?.CoSignatoryIds ?? []];
        }

        var joint = coSignatories.Count > 0 && (await directory.OrganisationsAsync(coSignatories, Caller, ct)).Count > 0;
        return await DecideAsync("markSubmitted", id, expectedVersion, clientMutationId,
            s => [SubmissionDecider.Submit(s, submittedOn, time.TodayUtc(), joint && s.CoSignatoryIds.Count > 0)], ct);
    }

    public async Task<Submission> RecordOutcomeAsync(
        Guid id, int? expectedVersion, IReadOnlyList<Recommendation> recommendations, DateOnly? outcomeOn, string? clientMutationId, CancellationToken ct)
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

        return await DecideAsync("recordOutcome", id, expectedVersion, clientMutationId, s => [SubmissionDecider.RecordOutcome(s, recommendations, outcomeOn, time.TodayUtc())], ct);
    }

    public async Task<CallForInput> OpenCallAsync(OpenCallForInput command, string? clientMutationId, CancellationToken ct)
    {
        commands.RequireRole(Role.Staff);
        if (await commands.RepeatAsync<CallForInput>("openCallForInput", clientMutationId, Caller.CanSee, CallWhat, ct) is { } repeated)
        {
            return repeated;
        }

        var id = Guid.CreateVersion7();
        return await commands.StartAsync<CallForInput>("openCallForInput", id, [SubmissionDecider.Open(id, command, time.TodayUtc(), Caller.Clearance)],
            clientMutationId, Caller.CanSee, CallWhat, ct);
    }

    /// <summary>
    /// A member organisation answers for itself; staff may record an answer for any member
    /// organisation they may see, and when it was received (<paramref name="receivedAt"/>, only staff).
    /// Calls for input go to the network: a non-member is refused.
    /// </summary>
    public async Task<CallForInput> ReceiveInputAsync(
        Guid callId, int? expectedVersion, Guid organisationId, string? text, bool shareWithNetwork, DateTimeOffset? receivedAt, string? clientMutationId,
        CancellationToken ct)
    {
        commands.RequireRole(Role.NetworkMember);
        if (!Caller.HasRole(Role.Staff) && (Caller.OrganisationId != organisationId || receivedAt is not null))
        {
            throw DomainException.Forbidden();
        }

        var organisation = await AnsweringOrganisationAsync(organisationId, ct);
        return await commands.DecideAsync<CallState, CallForInput>("receiveInput", callId, expectedVersion, clientMutationId,
            c => [SubmissionDecider.Receive(c, organisationId, organisation.CountryCode, text, shareWithNetwork, Caller.Id ?? Caller.Name, time.GetUtcNow(), time.TodayUtc(), receivedAt)],
            c => CallVisibility.Sees(Caller, c, c.AudienceCountryCodes, organisation.CountryCode), c => CallVisibility.Sees(Caller, c, organisation.CountryCode),
            CallWhat, null, ct);
    }

    /// <summary>
    /// The organisation an input is received from (an import checks its rows with it too): a member's key speaks for its own
    /// organisation; staff name one they must be able to see (VALIDATION otherwise, as for an unknown one); calls for input
    /// are answered by members of the network.
    /// </summary>
    internal async Task<OrganisationInfo> AnsweringOrganisationAsync(Guid organisationId, CancellationToken ct)
    {
        var own = Caller.OrganisationId == organisationId;
        var organisation = (await directory.OrganisationInfoAsync([organisationId], ct)).GetValueOrDefault(organisationId);
        if (organisation is null || (!own && !(await directory.OrganisationsAsync([organisationId], Caller, ct)).ContainsKey(organisationId)))
        {
            throw DomainException.Validation("organisationId", "No such organisation.");
        }

        return organisation.NetworkMember
            ? organisation
            : throw DomainException.Validation("organisationId", "Calls for input are answered by member organisations of the network; this one is not a member.");
    }

    public Task<CallForInput> ExtendDeadlineAsync(Guid callId, int? expectedVersion, DateOnly deadline, string? clientMutationId, CancellationToken ct)
    {
        commands.RequireRole(Role.Staff);
        return commands.DecideAsync<CallState, CallForInput>("extendCallDeadline", callId, expectedVersion, clientMutationId,
            c => [SubmissionDecider.Extend(c, deadline, time.TodayUtc())], Caller.CanSee, Caller.CanSee, CallWhat, null, ct);
    }

    /// <summary>Staff close a call: now, or a call of the past at the moment it was closed.</summary>
    public Task<CallForInput> CloseCallAsync(Guid callId, int? expectedVersion, DateTimeOffset? closedAt, string? clientMutationId, CancellationToken ct)
    {
        commands.RequireRole(Role.Staff);
        return commands.DecideAsync<CallState, CallForInput>("closeCallForInput", callId, expectedVersion, clientMutationId,
            c => [SubmissionDecider.Close(c, closedAt, time.GetUtcNow())], Caller.CanSee, Caller.CanSee, CallWhat, null, ct);
    }

    /// <summary>
    /// The job's work: closes each open call whose deadline day is over, once. Returns the calls
    /// this run closed (not those another node closed at the same moment).
    /// </summary>
    public async Task<IReadOnlyList<Guid>> CloseExpiredCallsAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var today = time.TodayUtc();
        List<Guid> expired;
        await using (var query = store.QuerySession())
        {
            expired = (await query.Query<CallForInput>().Where(c => c.Status == CallStatus.Open && c.Deadline < today).Select(c => c.Id).ToListAsync(ct)).ToList();
        }

        var closed = new List<Guid>();
        foreach (var id in expired)
        {
            IReadOnlyList<object> written = [];
            await commands.DecideAsync<CallState, CallForInput>("closeExpiredCall", id, null, null,
                c => written = SubmissionDecider.CloseIfExpired(c, now, today), _ => true, _ => true, CallWhat, null, ct);
            if (written.Count > 0)
            {
                closed.Add(id);
            }
        }

        return closed;
    }

    /// <summary>Decides on the submission's write model (<see cref="SubmissionState"/>, from its events); returns the read model.</summary>
    private Task<Submission> DecideAsync(string operation, Guid id, int? expectedVersion, string? clientMutationId,
        Func<SubmissionState, IReadOnlyList<object>> decide, CancellationToken ct)
    {
        commands.RequireRole(Role.Staff);
        return commands.DecideAsync<SubmissionState, Submission>(operation, id, expectedVersion, clientMutationId, decide, Caller.CanSee, Caller.CanSee, What, null, ct);
    }

    private const string What = "The submission";
    private const string CallWhat = "The call for input";

    /// <summary>VALIDATION on the first organisation the caller may not see (an import checks its rows with it too).</summary>
    internal async Task EnsureOrganisationsAsync(IReadOnlyList<Guid> ids, string field, CancellationToken ct)
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
        Sees(caller, call, call.AudienceCountryCodes, organisationCountry);

    /// <summary>Who reads an input of a call it sees: staff; its own organisation; the other members when it was shared with the network.</summary>
    public static bool Reads(Caller caller, ReceivedInput input) =>
        caller.HasRole(Role.Staff) || input.OrganisationId == caller.OrganisationId || input.SharedWithNetwork;

    /// <summary>The same rule for a call's level and audience (<see cref="CallState"/> has them too).</summary>
    public static bool Sees(Caller caller, IConfidential call, IReadOnlyList<string> audienceCountryCodes, string? organisationCountry) =>
        caller.CanSee(call) && (caller.HasRole(Role.Staff)
                                || (organisationCountry is not null && (audienceCountryCodes.Count == 0 || audienceCountryCodes.Contains(organisationCountry))));
}
