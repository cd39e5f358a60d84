using Marten;
using Microsoft.Extensions.Logging;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.EventSourcing;
using Omct.Platform.BuildingBlocks.Idempotency;
using Omct.Platform.BuildingBlocks.Privacy;
using Omct.Platform.BuildingBlocks.Time;
using Omct.Platform.Defenders.Domain;
using Omct.Platform.Defenders.Organisations;
using Omct.Platform.Defenders.Profiles;

namespace Omct.Platform.Defenders.Handling;

/// <summary>
/// Carries out defender and organisation commands through <see cref="StreamCommands"/>. A profile
/// the caller may not find is NOT_FOUND. A person's key is created (and committed) before their
/// first event, so the inline projection can decrypt what it is given.
/// </summary>
internal sealed class DefenderCommands(
    StreamCommands commands, IDocumentStore store, TimeProvider time, PersonalDataKeys keys, IEnumerable<IPersonalDataErasureParticipant> erasureParticipants,
    Erasure.ErasureLedger ledger, ILogger<DefenderCommands> log)
{
    private Caller Caller => commands.Caller;

    public async Task<Defender> RegisterAsync(RegisterDefender command, string? clientMutationId, CancellationToken ct)
    {
        commands.RequireRole(Role.Staff);
        if (await commands.RepeatAsync<Defender>("registerDefender", clientMutationId, Visible, What, ct) is { } repeated)
        {
            return repeated;
        }

        if (command.OrganisationIds is { Count: > 0 } organisationIds)
        {
            await using var query = store.QuerySession();
            var found = await query.LoadManyAsync<Organisation>(ct, organisationIds.Distinct());
            var missing = organisationIds.Select((o, i) => (o, i)).FirstOrDefault(x => !found.Any(f => f.Id == x.o && Caller.CanSee(f)));
            if (missing != default)
            {
                throw DomainException.Validation($"organisationIds[{missing.i}]", "No such organisation.");
            }
        }

        return await commands.OnceAsync<Defender>("registerDefender", clientMutationId, Visible, What, async receipt =>
        {
            var id = Guid.CreateVersion7();
            var (stored, key) = await keys.NewAsync(id, ct);
            var events = DefenderDecider.Register(id, command, key, Caller.Clearance);
            await using (var session = store.LightweightSession())
            {
                session.Insert(stored);
                await session.SaveChangesAsync(ct);
            }

            return await commands.StartStreamAsync<Defender>(receipt, id, events, clientMutationId, null, ct);
        }, ct);
    }

    public async Task<Defender> UpdateAsync(Guid id, int? expectedVersion, UpdateDefender command, string? clientMutationId, CancellationToken ct)
    {
        var key = await KeyAsync(id, ct);
        return await DecideAsync("updateDefender", id, expectedVersion, clientMutationId, d => DefenderDecider.Update(d, command, key, Caller.Clearance), ct);
    }

    public Task<Defender> RecordConsentAsync(Guid id, int? expectedVersion, RecordConsent command, string? clientMutationId, CancellationToken ct) =>
        DecideAsync("recordConsent", id, expectedVersion, clientMutationId,
            d => DefenderDecider.RecordConsent(d, command, Caller.Id ?? Caller.Name, time.TodayUtc(), Caller.Clearance), ct);

    public Task<Defender> SetRiskLevelAsync(Guid id, int? expectedVersion, RiskLevel level, string? clientMutationId, CancellationToken ct) =>
        DecideAsync("setRiskLevel", id, expectedVersion, clientMutationId, d => DefenderDecider.SetRiskLevel(d, level, Caller.Clearance), ct);

    public Task<Defender> RecordSituationAsync(Guid id, int? expectedVersion, RecordSituation command, string? clientMutationId, CancellationToken ct) =>
        DecideAsync("recordDefenderSituation", id, expectedVersion, clientMutationId,
            d => DefenderDecider.RecordSituation(d, Guid.CreateVersion7(), command, Caller.Id ?? Caller.Name, time.LatestToday(), Caller.Clearance), ct);

    public async Task<Defender> SetDetailsAsync(Guid id, int? expectedVersion, SetConfidentialDetails command, string? clientMutationId, CancellationToken ct)
    {
        var key = await KeyAsync(id, ct);
        return await DecideAsync("setConfidentialDetails", id, expectedVersion, clientMutationId, d => DefenderDecider.SetDetails(d, command, key, Caller.Clearance), ct);
    }

    public async Task<Defender> AffiliateAsync(Guid id, int? expectedVersion, Guid organisationId, string? clientMutationId, CancellationToken ct)
    {
        var visible = await VisibleOrganisationAsync(organisationId, ct);
        return await DecideAsync("affiliateDefender", id, expectedVersion, clientMutationId, d => DefenderDecider.Affiliate(d, visible), ct);
    }

    public async Task<Defender> EndAffiliationAsync(
        Guid id, int? expectedVersion, Guid organisationId, DateOnly? endedOn, string? reason, string? clientMutationId, CancellationToken ct)
    {
        var visible = await VisibleOrganisationAsync(organisationId, ct);
        return await DecideAsync("endAffiliation", id, expectedVersion, clientMutationId,
            d => DefenderDecider.EndAffiliation(d, visible, endedOn, reason, Caller.Id ?? Caller.Name, time.TodayUtc(), Caller.Clearance), ct);
    }

    /// <summary>
    /// Both streams change in one transaction; the result is the profile that remains.
    /// <paramref name="expectedVersion"/> is the target's version (the profile the caller looked at
    /// before deciding they are the same person): CONFLICT when it has changed since.
    /// </summary>
    public async Task<Defender> MergeAsync(Guid sourceId, Guid targetId, int? expectedVersion, string? clientMutationId, CancellationToken ct)
    {
        commands.RequireRole(Role.Staff);
        if (await commands.RepeatAsync<Defender>("mergeDefenders", clientMutationId, Visible, What, ct) is { } repeated)
        {
            return repeated;
        }

        return await commands.OnceAsync<Defender>("mergeDefenders", clientMutationId, Visible, What, async receipt =>
        {
            await using var session = commands.OpenSession(clientMutationId);
            var source = await session.Events.FetchForWriting<DefenderState>(sourceId, ct);
            var target = await session.Events.FetchForWriting<DefenderState>(targetId, ct);
            var (onSource, onTarget) = DefenderDecider.Merge(
                FindableOrNull(source.Aggregate) ?? throw DomainException.NotFound("The source profile"),
                FindableOrNull(target.Aggregate) ?? throw DomainException.NotFound("The target profile"));
            // Compared only once the target is known to be visible (a hidden one is NOT_FOUND, whatever the version);
            // a write after this fetch still fails the save (FetchForWriting's own check).
            if (expectedVersion is { } version && target.StartingVersion != version)
            {
                throw MutationPipeline.Stale("The target profile");
            }

            source.AppendOne(onSource);
            target.AppendOne(onTarget);
            receipt.Record(session, targetId);
            await session.SaveChangesAsync(ct);
            return (await session.LoadAsync<Defender>(targetId, ct))!;
        }, ct);
    }

    /// <summary>
    /// ADMIN: destroys the person's key and records the erasure (which clears the read model) in one
    /// transaction — both or neither, so a stale <paramref name="expectedVersion"/> (CONFLICT) or a
    /// hidden profile (NOT_FOUND) leaves the key and the data as they were.
    /// </summary>
    public async Task<Defender> EraseAsync(Guid id, int? expectedVersion, string? clientMutationId, CancellationToken ct)
    {
        commands.RequireRole(Role.Admin);
        var now = time.GetUtcNow();
        Defender erased;
        for (var attempt = 1; ; attempt++)
        {
            var (alongside, redacted) = await PrepareErasureAsync(id, now, ct);
            try
            {
                erased = await commands.DecideAsync<DefenderState, Defender>("eraseDefenderPersonalData", id, expectedVersion, clientMutationId,
                    d => DefenderDecider.Erase(d, now), Findable, Visible, What,
                    (session, _, _) =>
                    {
                        session.Delete<PersonalDataKey>(id);
                        alongside.ForEach(write => write(session));
                        session.Store(new Erasure.ErasureRedactions { Id = id, ErasedAt = now, Records = redacted });
                    }, ct);
                break;
            }
            catch (DomainException e) when (e.Code == ErrorCodes.Conflict && expectedVersion is null && attempt < 3)
            {
                // A record the erasure redacts changed between its reading and the erasure's transaction (its redaction is
                // appended at the version read): nothing was erased; read again and erase again.
                log.LogInformation("The erasure of {DefenderId} met a record changed meanwhile; attempt {Attempt} again", id, attempt + 1);
            }
        }

        try
        {
            ledger.Append([new Erasure.ErasureLedgerEntry(id, now)]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The erasure is committed; the next start writes it to the ledger from the database (ErasureLedgerReplay).
            log.LogError(e, "Could not write the erasure of {DefenderId} to the erasure ledger; it is added at the next start", id);
        }

        return erased;
    }

    /// <summary>
    /// The other modules' writes of the erasure (the files module's FileErased on each of the defender's files, the name
    /// redacted from free text), for its transaction, and what they redact, for the admins (ErasureRedactions); nothing for
    /// a profile that is unknown, hidden from the caller or erased already (the decision then says so, NOT_FOUND alike for
    /// unknown and hidden): no participant searches anything for a person the caller may not find.
    /// </summary>
    private async Task<(List<Action<IDocumentSession>> Writes, List<RedactedRecord> Redacted)> PrepareErasureAsync(Guid id, DateTimeOffset now, CancellationToken ct)
    {
        var writes = new List<Action<IDocumentSession>>();
        var redacted = new List<RedactedRecord>();
        await using var query = store.QuerySession();
        if (await query.LoadAsync<Defender>(id, ct) is { Erased: false } profile && Visible(profile))
        {
            var person = new ErasedPerson(id, profile.Name, string.IsNullOrWhiteSpace(profile.Pseudonym) ? ErasedPerson.Placeholder : profile.Pseudonym, now);
            foreach (var participant in erasureParticipants)
            {
                var prepared = await participant.PrepareAsync(person, ct);
                if (prepared.Write is { } write)
                {
                    writes.Add(write);
                }

                redacted.AddRange(prepared.Redacted);
            }
        }

        return (writes, redacted);
    }

    public async Task<Organisation> RegisterOrganisationAsync(RegisterOrganisation command, string? clientMutationId, CancellationToken ct)
    {
        commands.RequireRole(Role.Staff);
        if (await commands.RepeatAsync<Organisation>("registerOrganisation", clientMutationId, Caller.CanSee, OrganisationWhat, ct) is { } repeated)
        {
            return repeated;
        }

        var id = Guid.CreateVersion7();
        var registered = DefenderDecider.RegisterOrganisation(id, command, Caller.Clearance);
        return await commands.StartAsync<Organisation>("registerOrganisation", id, [registered], clientMutationId, Caller.CanSee, OrganisationWhat, ct);
    }

    public Task<Organisation> UpdateOrganisationAsync(
        Guid id, int? expectedVersion, string? name, string? countryCode, Confidentiality? confidentiality, string? clientMutationId, CancellationToken ct)
    {
        commands.RequireRole(Role.Staff);
        return commands.DecideAsync<OrganisationState, Organisation>("updateOrganisation", id, expectedVersion, clientMutationId,
            o => [DefenderDecider.UpdateOrganisation(o, name, countryCode, confidentiality, Caller.Clearance)], Caller.CanSee, Caller.CanSee, OrganisationWhat, null, ct);
    }

    public Task<Organisation> SetMembershipAsync(Guid id, int? expectedVersion, bool member, DateOnly? since, string? clientMutationId, CancellationToken ct)
    {
        commands.RequireRole(Role.Staff);
        return commands.DecideAsync<OrganisationState, Organisation>("setNetworkMembership", id, expectedVersion, clientMutationId,
            o => [DefenderDecider.ChangeMembership(o, member, since, time.TodayUtc())], Caller.CanSee, Caller.CanSee, OrganisationWhat, null, ct);
    }

    /// <summary>Decides on the profile's write model (<see cref="DefenderState"/>, from its events); returns the read model.</summary>
    private Task<Defender> DecideAsync(
        string operation, Guid id, int? expectedVersion, string? clientMutationId, Func<DefenderState, IReadOnlyList<object>> decide, CancellationToken ct)
    {
        commands.RequireRole(Role.Staff);
        return commands.DecideAsync<DefenderState, Defender>(operation, id, expectedVersion, clientMutationId, decide, Findable, Visible, What, null, ct);
    }

    private const string What = "The defender";
    private const string OrganisationWhat = "The organisation";

    private bool Visible(Defender d) => DefenderFieldRules.Findable(d, Caller);

    private bool Findable(DefenderState d) => DefenderFieldRules.Findable(d, Caller);

    private DefenderState? FindableOrNull(DefenderState? d) => d is not null && Findable(d) ? d : null;

    /// <summary>The organisation's id when it exists and the caller may see it; null otherwise (the deciders answer both alike).</summary>
    private async Task<Guid?> VisibleOrganisationAsync(Guid organisationId, CancellationToken ct)
    {
        await using var query = store.QuerySession();
        return await query.LoadAsync<Organisation>(organisationId, ct) is { } organisation && Caller.CanSee(organisation) ? organisation.Id : null;
    }

    private async Task<DataKey?> KeyAsync(Guid id, CancellationToken ct)
    {
        await using var query = store.QuerySession();
        return await keys.KeyOfAsync(query, id, ct);
    }
}
