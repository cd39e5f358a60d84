using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Files.Contracts;

namespace Omct.Platform.Teamwork.Records;

/// <summary>A record teamwork is about, as its module answered for a caller: its type name, id and level now.</summary>
internal sealed record TeamworkRecord(string RecordType, Guid Id, Confidentiality Confidentiality)
{
    public string GlobalId => BuildingBlocks.Ids.GlobalId.Encode(RecordType, Id);
}

/// <summary>
/// Which records take owners, watchers, tasks and notes, and whether a caller may see one — asked of the record's own
/// module through the one cross-module lookup there is (<see cref="IAttachmentTargets"/>, which the files module asks too),
/// at every write and every read: a record raised above a caller takes its teamwork with it.
/// </summary>
internal sealed class TeamworkRecords(IEnumerable<IAttachmentTargets> targets)
{
    /// <summary>The record types teamwork is about.</summary>
    public static readonly IReadOnlyList<string> RecordTypes = ["Case", "Defender", "Submission", "CallForInput"];

    public const string What = "The record";

    /// <summary>The record <paramref name="recordId"/> (a global id) when the caller may see it; otherwise NOT_FOUND, whatever the reason.</summary>
    public async Task<TeamworkRecord> FindAsync(string? recordId, Caller caller, CancellationToken ct)
    {
        if (!GlobalId.TryDecode(recordId, out var type, out var id) || !RecordTypes.Contains(type))
        {
            throw BuildingBlocks.Errors.DomainException.NotFound(What);
        }

        var found = await VisibleAsync([(type, id)], caller, ct);
        return found.GetValueOrDefault(id) ?? throw BuildingBlocks.Errors.DomainException.NotFound(What);
    }

    /// <summary>Those of <paramref name="records"/> the caller may see, by id: one lookup per record type, whatever their number.</summary>
    public async Task<IReadOnlyDictionary<Guid, TeamworkRecord>> VisibleAsync(IEnumerable<(string RecordType, Guid Id)> records, Caller caller, CancellationToken ct)
    {
        var result = new Dictionary<Guid, TeamworkRecord>();
        foreach (var group in records.Where(r => RecordTypes.Contains(r.RecordType)).GroupBy(r => r.RecordType))
        {
            var owner = targets.FirstOrDefault(t => t.RecordTypes.Contains(group.Key));
            if (owner is null)
            {
                continue;
            }

            foreach (var (id, target) in await owner.FindAsync(group.Key, group.Select(r => r.Id).Distinct().ToList(), caller, ct))
            {
                result[id] = new TeamworkRecord(group.Key, id, target.Confidentiality);
            }
        }

        return result;
    }
}

/// <summary>
/// The colleagues teamwork names: accounts (<c>user:&lt;id&gt;</c>), as they are now — a disabled account, or one whose
/// clearance was lowered below a record, no longer owns or watches it (read at each read, so no event is needed for it).
/// </summary>
internal sealed class Colleagues(IAccountCallers accounts)
{
    public static string CallerIdOf(Guid accountId) => $"user:{accountId}";

    /// <summary>The account behind a caller id of a person (<c>user:&lt;account id&gt;</c>), if it is one.</summary>
    public static Guid? AccountIdOf(Caller caller) =>
        caller.Id is { } id && id.StartsWith("user:", StringComparison.Ordinal) && Guid.TryParseExact(id.AsSpan(5), "D", out var accountId) ? accountId : null;

    /// <summary>The active account <paramref name="accountId"/> (a global <c>Account</c> id) whose clearance reaches <paramref name="level"/>; VALIDATION on <paramref name="field"/> otherwise.</summary>
    public async Task<(Guid Id, Caller Person)> ReachingAsync(string? accountId, Confidentiality level, string field, CancellationToken ct)
    {
        if (!GlobalId.TryDecode(accountId, "Account", out var id) || await accounts.FindActiveAsync(CallerIdOf(id), ct) is not { } person)
        {
            throw BuildingBlocks.Errors.DomainException.Validation(field, "There is no active account with this id.");
        }

        if (!person.CanSee(level))
        {
            throw BuildingBlocks.Errors.DomainException.Validation(field, "This person's clearance does not reach the record.");
        }

        return (id, person);
    }

    /// <summary>Who of <paramref name="accountIds"/> is active now, with their clearance and name (one read).</summary>
    public Task<IReadOnlyDictionary<Guid, Caller>> ActiveAsync(IEnumerable<Guid> accountIds, CancellationToken ct) =>
        accounts.FindActiveAsync(accountIds.Distinct().ToList(), ct);

    /// <summary>The active STAFF-and-up accounts whose clearance reaches <paramref name="level"/>, by name (at most <see cref="MaxListed"/>).</summary>
    public async Task<IReadOnlyList<Colleague>> ReachingAllAsync(Confidentiality level, CancellationToken ct) =>
        [.. (await accounts.ActiveStaffAsync(level, MaxListed, ct)).Select(m => new Colleague(m.AccountId, m.Person.Name, m.Handle))];

    /// <summary>The most colleagues <c>colleagues</c> lists.</summary>
    public const int MaxListed = 1_000;
}

/// <summary>A colleague as teamwork shows one: the account's id and name (and handle, where listed by <c>colleagues</c>).</summary>
internal sealed record Colleague(Guid AccountId, string Name, string? Handle = null);
