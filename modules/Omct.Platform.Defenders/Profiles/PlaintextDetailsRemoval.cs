using Marten;
using Marten.Linq.MatchesSql;
using Microsoft.Extensions.Logging;
using Omct.Platform.BuildingBlocks.Modules;

namespace Omct.Platform.Defenders.Profiles;

/// <summary>
/// Profiles written before the read model kept the confidential details encrypted hold them in clear (<c>contact</c>,
/// <c>location</c>, <c>family</c>, <c>riskNotes</c>): at start-up, before the host is ready, each such profile is rebuilt
/// from its stream (whose events hold only ciphertext). Nothing is left to do the next time, and a profile another host
/// starting at the same moment rebuilt first is rebuilt again to the same document.
/// </summary>
internal sealed class PlaintextDetailsRemoval(IDocumentStore store, ILogger<PlaintextDetailsRemoval> log) : IDefaultData
{
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<Guid> ids;
        await using (var session = store.QuerySession())
        {
            ids = await session.Query<Defender>()
                .Where(d => d.MatchesSql("jsonb_exists_any(d.data, array['contact', 'location', 'family', 'riskNotes'])"))
                .Select(d => d.Id)
                .ToListAsync(cancellationToken);
        }

        foreach (var id in ids)
        {
            await store.Advanced.RebuildSingleStreamAsync<Defender>(id, cancellationToken);
        }

        if (ids.Count > 0)
        {
            log.LogInformation("Rebuilt {Count} defender profiles whose read model held the confidential details in clear", ids.Count);
        }
    }
}
