using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.Cases.Contracts;

namespace Omct.Platform.Cases.CaseList;

/// <summary>The cases module's answers to other modules (one query per call).</summary>
internal sealed class CaseDirectory(CaseSearch search) : ICaseDirectory
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
}
