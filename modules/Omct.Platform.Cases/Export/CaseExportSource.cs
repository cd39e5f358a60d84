using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.BuildingBlocks.Integration;
using Omct.Platform.Cases.CaseDetails;
using Omct.Platform.Cases.GraphQL;

namespace Omct.Platform.Cases.Export;

/// <summary>
/// <c>GET /export/cases</c>: the cases the caller may see, with the fields of the <c>Case</c>
/// type; of the timeline only the event types the caller may see (as <c>events</c> shows them).
/// Victims are not exported: who they are is the defenders module's decision, per caller.
/// </summary>
internal sealed class CaseExportSource : IExportSource
{
    public string Name => "cases";

    public IReadOnlyList<string> Columns { get; } =
        ["id", "reference", "title", "countryCode", "status", "confidentiality", "summary", "openedOn", "eventTypes", "interventionCount",
         "version", "createdAt", "updatedAt"];

    public async IAsyncEnumerable<object?[]> RowsAsync(IQuerySession session, Caller caller,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var levels = caller.VisibleLevels();
        var cases = session.Query<Case>().Where(c => levels.Contains(c.Confidentiality)).OrderBy(c => c.OrderKey).ToAsyncEnumerable(cancellationToken);
        await foreach (var c in cases)
        {
            yield return
            [
                GlobalId.Encode(CaseIds.Case, c.Id), c.Reference, c.Title, c.CountryCode, c.Status, c.Confidentiality, c.Summary, c.OpenedOn,
                c.Events.Where(e => levels.Contains(e.Confidentiality)).OrderBy(e => e.Date).ThenBy(e => e.Sequence).Select(e => (object)e.Type).ToList(),
                c.Interventions.Count, c.Version, c.CreatedAt, c.UpdatedAt,
            ];
        }
    }
}
