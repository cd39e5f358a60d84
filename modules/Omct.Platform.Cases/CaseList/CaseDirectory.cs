using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.Cases.Contracts;

namespace Omct.Platform.Cases.CaseList;

/// <summary>The cases module's answers to other modules (one query per call).</summary>
internal sealed class CaseDirectory(CaseSearch search, Marten.IDocumentStore store) : ICaseDirectory
{
    public async Task<IReadOnlyDictionary<Guid, IReadOnlyList<object>>> CasesOfDefendersAsync(
        IReadOnlyCollection<Guid> defenderIds, Caller caller, CancellationToken cancellationToken)
    {
        var result = defenderIds.Distinct().ToDictionary(id => id, _ => (IReadOnlyList<object>)[]);
        if (result.Count == 0)
        {
            return result;
        }

        var cases = await search.OfDefendersAsync(result.Keys, caller.VisibleLevels(), cancellationToken);
        foreach (var id in result.Keys.ToList())
        {
            result[id] = cases.Where(c => c.Victims.Any(v => v.DefenderId == id && caller.CanSee(v))).Cast<object>().ToList();
        }

        return result;
    }

    public async Task<IReadOnlyDictionary<Guid, object>> CasesAsync(IReadOnlyCollection<Guid> caseIds, Caller caller, CancellationToken cancellationToken)
    {
        if (caseIds.Count == 0)
        {
            return new Dictionary<Guid, object>();
        }

        await using var session = store.QuerySession();
        var found = await session.LoadManyAsync<CaseDetails.Case>(cancellationToken, caseIds.Distinct());
        return found.Where(c => caller.CanSee(c)).ToDictionary(c => c.Id, c => (object)c);
    }

    public async Task<Guid?> FindByReferenceAsync(string reference, Caller caller, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        var found = await session.Query<CaseDetails.Case>().FirstOrDefaultAsync(c => c.Reference == reference, cancellationToken);
        return found is not null && caller.CanSee(found) ? found.Id : null;
    }
}
