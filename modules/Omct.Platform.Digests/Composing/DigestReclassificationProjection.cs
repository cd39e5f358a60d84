using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Files.Contracts;

namespace Omct.Platform.Digests.Composing;

/// <summary>
/// Keeps the stored digests within their audience when a case or one of its events is raised later, inline
/// (in the raise's transaction): on <see cref="CaseConfidentialityChanged"/> and <see cref="CaseEventReclassified"/>
/// (contract events of the cases module, as the reminders follow them), every digest whose audience is below the new
/// level loses the items of that case — all of them: an item says which case it is about, not which event, and
/// leaving out a little more is the safe side — and is rendered again (<see cref="DigestComposer.Rendered"/>).
/// A lowered level brings nothing back: a digest records a period as its audience could see it then.
/// Deliveries not yet made read the corrected digest when they are sent.
/// A file raised (<see cref="FileReclassified"/>, a contract event of the files module) leaves the digests below its new
/// level the same way, by its id: its name goes from the items that name it (<see cref="DigestFiles"/>), the items stay.
/// </summary>
internal sealed class DigestReclassificationProjection(string schema) : IProjection
{
    public const string Name = "DigestReclassification";

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var raised = events.Select(e => e.Data switch
            {
                CaseConfidentialityChanged c when c.To > c.From => (Case: e.StreamId, Level: c.To),
                CaseEventReclassified r => (Case: r.CaseId, Level: r.Confidentiality),
                _ => ((Guid Case, Confidentiality Level)?)null,
            })
            .OfType<(Guid Case, Confidentiality Level)>()
            .GroupBy(r => r.Case, (c, levels) => (Case: c, Level: levels.Max(l => l.Level)))
            .Where(r => r.Level > Confidentiality.Public)
            .ToList();
        var raisedFiles = events.Select(e => e.Data is FileReclassified f && f.Confidentiality > f.Previous ? (File: e.StreamId, Level: f.Confidentiality) : ((Guid File, Confidentiality Level)?)null)
            .OfType<(Guid File, Confidentiality Level)>()
            .GroupBy(r => r.File, (f, levels) => (File: f, Level: levels.Max(l => l.Level)))
            .ToList();
        if (raised.Count == 0 && raisedFiles.Count == 0)
        {
            return;
        }

        // As the erasure: the rows are read before the transaction, each update writes only the revision read.
        operations.QueueSqlCommand(DigestStore.ExclusiveErasureLock(schema));
        foreach (var (caseId, level) in raised)
        {
            var below = Enum.GetValues<Confidentiality>().Where(l => l < level).Select(l => l.ToString()).ToArray();
            var rows = await operations.AdvancedSql.QueryAsync<string>(
                $"{DigestErasureProjection.SelectSql(schema)} where audience = any(?) and " +
                "exists (select 1 from jsonb_array_elements(sections) s, jsonb_array_elements(s -> 'items') i " +
                "where i ->> 'entityType' = 'Case' and i ->> 'entityId' = ?)",
                cancellation, below, caseId.ToString());
            foreach (var row in rows)
            {
                var (digest, revision) = DigestErasureProjection.Parse(row);
                DigestErasureProjection.QueueUpdate(operations, schema, Without(digest, caseId), revision);
            }
        }

        foreach (var (fileId, level) in raisedFiles)
        {
            var below = Enum.GetValues<Confidentiality>().Where(l => l < level).Select(l => l.ToString()).ToArray();
            var rows = await operations.AdvancedSql.QueryAsync<string>(
                $"{DigestErasureProjection.SelectSql(schema)} where audience = any(?) and " +
                "exists (select 1 from jsonb_array_elements(sections) s, jsonb_array_elements(s -> 'items') i, " +
                "jsonb_array_elements(case when jsonb_typeof(i -> 'parts') = 'array' then i -> 'parts' else '[]'::jsonb end) p " +
                "where p ->> 'fileId' = ?)",
                cancellation, below, fileId.ToString());
            foreach (var row in rows)
            {
                var (digest, revision) = DigestErasureProjection.Parse(row);
                DigestErasureProjection.QueueUpdate(operations, schema, DigestFiles.Without(digest, [fileId]), revision);
            }
        }
    }

    /// <summary>The digest without the items about <paramref name="caseId"/>, its sections' totals lowered as much.</summary>
    internal static Digest Without(Digest digest, Guid caseId) => DigestComposer.Rendered(digest with
    {
        Sections = digest.Sections.Select(section =>
        {
            var kept = section.Items.Where(i => !(i.EntityType == "Case" && i.EntityId == caseId)).ToList();
            var removed = section.Items.Count - kept.Count;
            return removed == 0 ? section : section with { Items = kept, Total = section.Total is { } total ? total - removed : null };
        }).ToList(),
    });
}
