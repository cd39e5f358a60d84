using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.Defenders.Profiles;

namespace Omct.Platform.Defenders.Directory;

/// <summary>Answers other modules' questions about defenders, one query per call, within the caller's clearance.</summary>
internal sealed class DefenderDirectory(IDocumentStore store) : IDefenderDirectory
{
    public async Task<IReadOnlySet<Guid>> ExistingAsync(IReadOnlyCollection<Guid> defenderIds, Caller caller, CancellationToken cancellationToken) =>
        (await ProfilesAsync(defenderIds, caller, cancellationToken)).Keys.ToHashSet();

    public async Task<IReadOnlyDictionary<Guid, object>> ProfilesAsync(IReadOnlyCollection<Guid> defenderIds, Caller caller, CancellationToken cancellationToken)
    {
        if (defenderIds.Count == 0)
        {
            return new Dictionary<Guid, object>();
        }

        var ids = defenderIds.Distinct().ToArray();
        await using var session = store.QuerySession();
        // The profiles asked for, and those they were merged into, in one query.
        var found = await session.Query<Defender>()
            .Where(d => ids.Contains(d.Id) || d.MergedIds.Any(m => ids.Contains(m)))
            .ToListAsync(cancellationToken);
        var byId = found.ToDictionary(d => d.Id);
        var result = new Dictionary<Guid, object>();
        foreach (var id in ids)
        {
            var profile = byId.GetValueOrDefault(id) is { MergedInto: null } own ? own : found.FirstOrDefault(d => d.MergedIds.Contains(id));
            if (profile is not null && caller.CanSee(profile.ListedConfidentiality))
            {
                result[id] = profile;
            }
        }

        return result;
    }

    public async Task<IReadOnlyDictionary<Guid, string>> DisplayNamesAsync(IReadOnlyCollection<Guid> defenderIds, Caller caller, CancellationToken cancellationToken)
    {
        var names = new Dictionary<Guid, string>();
        foreach (var (id, found) in await ProfilesAsync(defenderIds, caller, cancellationToken))
        {
            var profile = (Defender)found;
            if ((DefenderFieldRules.VisibleName(profile, caller) ?? profile.Pseudonym) is { Length: > 0 } name)
            {
                names[id] = name;
            }
        }

        return names;
    }

    public async Task<IReadOnlyList<Guid>> IdentitiesAsync(Guid defenderId, Caller caller, CancellationToken cancellationToken) =>
        (await ProfilesAsync([defenderId], caller, cancellationToken)).GetValueOrDefault(defenderId) is Defender profile
            ? [profile.Id, .. profile.MergedIds]
            : [];

    public async Task<Guid?> FindByNameAsync(string name, Caller caller, CancellationToken cancellationToken)
    {
        var levels = caller.VisibleLevels();
        await using var session = store.QuerySession();
        var found = await session.Query<Defender>()
            .Where(d => d.Name == name && d.MergedInto == null && levels.Contains(d.ListedConfidentiality) && levels.Contains(d.NameConfidentiality))
            .Select(d => d.Id)
            .ToListAsync(cancellationToken);
        return found.Count == 1 ? found[0] : null;
    }

    public async Task<IReadOnlyDictionary<Guid, object>> OrganisationsAsync(IReadOnlyCollection<Guid> organisationIds, Caller caller, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        var found = await session.LoadManyAsync<Organisations.Organisation>(cancellationToken, organisationIds.Distinct());
        return found.Where(o => caller.CanSee(o)).ToDictionary(o => o.Id, o => (object)o);
    }

    public async Task<IReadOnlyDictionary<Guid, OrganisationInfo>> OrganisationInfoAsync(IReadOnlyCollection<Guid> organisationIds, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        var found = await session.LoadManyAsync<Organisations.Organisation>(cancellationToken, organisationIds.Distinct());
        return found.ToDictionary(o => o.Id, o => new OrganisationInfo(o.Id, o.CountryCode, o.NetworkMember));
    }

    public async Task<IReadOnlyList<OrganisationInfo>> NetworkMembersAsync(IReadOnlyCollection<string> countryCodes, CancellationToken cancellationToken)
    {
        var codes = countryCodes.ToArray();
        await using var session = store.QuerySession();
        var query = session.Query<Organisations.Organisation>().Where(o => o.NetworkMember);
        if (codes.Length > 0)
        {
            query = query.Where(o => codes.Contains(o.CountryCode));
        }

        var found = await query.Take(5_000).ToListAsync(cancellationToken);
        return found.Select(o => new OrganisationInfo(o.Id, o.CountryCode, o.NetworkMember)).ToList();
    }
}
