using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.Defenders.ReadModels;

namespace Omct.Platform.Defenders.Directory;

/// <summary>Answers other modules' questions about defenders, one query per call, within the caller's clearance.</summary>
internal sealed class DefenderDirectory(IDocumentStore store) : IDefenderDirectory
{
    public async Task<IReadOnlySet<Guid>> ExistingAsync(IReadOnlyCollection<Guid> defenderIds, Caller caller, CancellationToken cancellationToken)
    {
        if (defenderIds.Count == 0)
        {
            return new HashSet<Guid>();
        }

        var ids = defenderIds.Distinct().ToArray();
        var levels = caller.VisibleLevels();
        await using var session = store.QuerySession();
        var found = await session.Query<DefenderProfile>()
            .Where(d => ids.Contains(d.Id) && levels.Contains(d.Confidentiality))
            .Select(d => d.Id)
            .ToListAsync(cancellationToken);
        return found.ToHashSet();
    }
}
