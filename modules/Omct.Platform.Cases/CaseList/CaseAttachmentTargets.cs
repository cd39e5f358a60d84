using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.Cases.CaseDetails;
using Omct.Platform.Cases.GraphQL;
using Omct.Platform.Files.Contracts;

namespace Omct.Platform.Cases.CaseList;

/// <summary>
/// Cases, case events and victims take files: a case the caller may see; a case event or a victim the caller may see in a
/// case it may see (its level: the stricter of both). Attaching follows the rule of editing the case (STAFF, the default).
/// </summary>
internal sealed class CaseAttachmentTargets(IDocumentStore store) : IAttachmentTargets
{
    public IReadOnlyCollection<string> RecordTypes { get; } = [CaseIds.Case, CaseIds.CaseEvent, CaseIds.Victim];

    public async Task<IReadOnlyDictionary<Guid, AttachmentTarget>> FindAsync(
        string recordType, IReadOnlyCollection<Guid> ids, Caller caller, CancellationToken cancellationToken)
    {
        var result = new Dictionary<Guid, AttachmentTarget>();
        await using var session = store.QuerySession();
        if (recordType == CaseIds.Case)
        {
            foreach (var found in await session.LoadManyAsync<Case>(cancellationToken, ids.Distinct()))
            {
                if (caller.CanSee(found))
                {
                    result[found.Id] = new AttachmentTarget(recordType, found.Id, found.Confidentiality);
                }
            }
        }
        else if (recordType == CaseIds.CaseEvent)
        {
            foreach (var id in ids.Distinct())
            {
                var found = await session.Query<Case>().Where(c => c.Events.Any(e => e.Id == id)).FirstOrDefaultAsync(cancellationToken);
                var entry = found?.Events.Single(e => e.Id == id);
                if (found is not null && caller.CanSee(found) && caller.CanSee(entry!))
                {
                    result[id] = new AttachmentTarget(recordType, id, entry!.Confidentiality > found.Confidentiality ? entry.Confidentiality : found.Confidentiality);
                }
            }
        }

        else if (recordType == CaseIds.Victim)
        {
            foreach (var id in ids.Distinct())
            {
                var found = await session.Query<Case>().Where(c => c.Victims.Any(v => v.Id == id)).FirstOrDefaultAsync(cancellationToken);
                var victim = found?.Victims.Single(v => v.Id == id);
                if (found is not null && caller.CanSee(found) && caller.CanSee(victim!))
                {
                    result[id] = new AttachmentTarget(recordType, id, victim!.Confidentiality > found.Confidentiality ? victim.Confidentiality : found.Confidentiality);
                }
            }
        }

        return result;
    }
}
