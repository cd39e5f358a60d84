using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.EventSourcing;
using Omct.Platform.BuildingBlocks.Idempotency;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Teamwork.Records;

namespace Omct.Platform.Teamwork.Ownership;

/// <summary>A record's team as a caller reads it: the team and the record as its module answered (its level now).</summary>
internal sealed record TeamView(RecordTeam Team, TeamworkRecord Record);

/// <summary>
/// assignOwner, watchRecord, unwatchRecord: STAFF, on a record the caller may see (NOT_FOUND otherwise), for an active
/// account whose clearance reaches the record (VALIDATION on the account's field otherwise).
/// </summary>
internal sealed class TeamCommands(StreamCommands commands, TeamworkRecords records, Colleagues colleagues)
{
    public async Task<TeamView> AssignOwnerAsync(string recordId, string accountId, int? expectedVersion, string? clientMutationId, CancellationToken ct)
    {
        commands.RequireRole(Role.Staff);
        var record = await records.FindAsync(recordId, commands.Caller, ct);
        var (id, person) = await colleagues.ReachingAsync(accountId, record.Confidentiality, "accountId", ct);
        return await ChangeAsync("assignOwner", record, expectedVersion, clientMutationId,
            team => team.OwnerId == id ? [] : [new OwnerAssigned(record.RecordType, record.Id, id, person.Name, team.OwnerId)], ct);
    }

    public async Task<TeamView> WatchAsync(string recordId, string? accountId, string? clientMutationId, CancellationToken ct)
    {
        commands.RequireRole(Role.Staff);
        var record = await records.FindAsync(recordId, commands.Caller, ct);
        var (id, person) = await colleagues.ReachingAsync(accountId ?? OwnAccount(), record.Confidentiality, "accountId", ct);
        return await ChangeAsync("watchRecord", record, null, clientMutationId,
            team => team.WatcherIds.Contains(id) ? [] : [new WatcherAdded(record.RecordType, record.Id, id, person.Name)], ct);
    }

    public async Task<TeamView> UnwatchAsync(string recordId, string? accountId, string? clientMutationId, CancellationToken ct)
    {
        commands.RequireRole(Role.Staff);
        var record = await records.FindAsync(recordId, commands.Caller, ct);
        if (!GlobalId.TryDecode(accountId ?? OwnAccount(), "Account", out var id))
        {
            throw DomainException.Validation("accountId", "There is no active account with this id.");
        }

        var name = (await colleagues.ActiveAsync([id], ct)).GetValueOrDefault(id)?.Name ?? "";
        return await ChangeAsync("unwatchRecord", record, null, clientMutationId,
            team => team.WatcherIds.Contains(id) ? [new WatcherRemoved(id, name, record.RecordType, record.Id)] : [], ct);
    }

    /// <summary>The caller's own account (a signed-in person), for a command about "me"; VALIDATION when the caller is not one.</summary>
    public static string OwnAccount(Caller caller) =>
        Colleagues.AccountIdOf(caller) is { } own
            ? GlobalId.Encode("Account", own)
            : throw DomainException.Validation("accountId", "Give the account: you are not signed in as a person.");

    private string OwnAccount() => OwnAccount(commands.Caller);

    /// <summary>Decides on the record's team stream (which starts with its first event) and answers the team as it is after.</summary>
    private async Task<TeamView> ChangeAsync(
        string operation, TeamworkRecord record, int? expectedVersion, string? clientMutationId, Func<RecordTeam, IReadOnlyList<object>> decide, CancellationToken ct)
    {
        var streamId = RecordTeam.StreamIdOf(record.Id);
        var team = await commands.OnceAsync<RecordTeam>(operation, clientMutationId, t => t.RecordId == record.Id, TeamworkRecords.What, async receipt =>
        {
            await using var session = commands.OpenSession(clientMutationId);
            var stream = await session.Events.FetchForWriting<RecordTeam>(streamId, ct);
            var current = stream.Aggregate ?? RecordTeam.Empty(record.RecordType, record.Id);
            MutationPipeline.CheckVersion(current.Version, expectedVersion, TeamworkRecords.What);
            var events = decide(current);
            if (events.Count == 0)
            {
                return current;
            }

            stream.AppendMany(events);
            receipt.Record(session, streamId);
            try
            {
                await session.SaveChangesAsync(ct);
            }
            catch (Exception ex) when (ex is JasperFx.ConcurrencyException or JasperFx.Events.EventStreamUnexpectedMaxEventIdException)
            {
                throw MutationPipeline.Stale(TeamworkRecords.What);
            }

            return (await session.LoadAsync<RecordTeam>(streamId, ct))!;
        }, ct);
        return new TeamView(team, record);
    }
}
