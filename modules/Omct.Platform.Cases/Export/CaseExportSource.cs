using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.BuildingBlocks.Integration;
using Omct.Platform.BuildingBlocks.Text;
using Omct.Platform.Cases.CaseDetails;
using Omct.Platform.Cases.GraphQL;
using Omct.Platform.Defenders.Contracts;

namespace Omct.Platform.Cases.Export;

/// <summary>
/// <c>GET /export/cases</c>: the cases the caller may see, with the fields of the <c>Case</c> type; of the timeline only
/// the event types the caller may see (as <c>events</c> shows them). NDJSON also carries each case's parts nested, named
/// and shaped as the CASE importer's parts — <c>victims</c>, <c>events</c>, <c>interventions</c> — so that the export
/// imports back into another installation: the victims and events the caller may see (as <c>Case.victims</c> and
/// <c>Case.events</c> show them), an event's victims by their names. A victim who is a registered defender is left out
/// (no name on the case: the importer names victims, and the profile is the defenders module's). CSV, which cannot
/// nest, carries the visible victims' names in <c>victimNames</c> instead (separated by ;). A defender mentioned in the title,
/// summary or an event's description is named as <c>Case.title</c> names them for the caller (the stored token never leaves).
/// </summary>
internal sealed class CaseExportSource(IDefenderDirectory defenders) : IExportSource
{
    public string Name => "cases";

    public IReadOnlyList<string> Columns { get; } =
        ["id", "reference", "title", "countryCode", "status", "confidentiality", "summary", "openedOn", "eventTypes", "interventionCount",
         "victimNames", "victims", "events", "interventions", "version", "createdAt", "updatedAt"];

    public IReadOnlySet<string> NdjsonOnly { get; } = new HashSet<string>(["victims", "events", "interventions"], StringComparer.Ordinal);

    public IReadOnlySet<string> CsvOnly { get; } = new HashSet<string>(["victimNames"], StringComparer.Ordinal);

    public async IAsyncEnumerable<object?[]> RowsAsync(IQuerySession session, Caller caller,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var levels = caller.VisibleLevels();
        var mentions = new MentionRenderer(DefenderIds.Defender, (ids, ct) => defenders.DisplayNamesAsync(ids, caller, ct));
        var cases = session.Query<Case>().Where(c => levels.Contains(c.Confidentiality)).OrderBy(c => c.OrderKey).ToAsyncEnumerable(cancellationToken);
        await foreach (var c in cases)
        {
            // Case.victims' rule (the victims the caller may see), of them those named on the case.
            var victims = c.Victims.Where(v => caller.CanSee(v) && v.Name is not null).ToList();
            var names = victims.ToDictionary(v => v.Id, v => v.Name!);
            // Case.events' rule and order: the levels the caller may see, by date, then in the order recorded.
            var events = c.Events.Where(e => levels.Contains(e.Confidentiality)).OrderBy(e => e.Date).ThenBy(e => e.Sequence).ToList();
            await mentions.LoadAsync(cancellationToken, [c.Title, c.Summary, .. events.Select(e => e.Description)]);
            yield return
            [
                GlobalId.Encode(CaseIds.Case, c.Id), c.Reference, mentions.Render(c.Title), c.CountryCode, c.Status, c.Confidentiality, mentions.Render(c.Summary), c.OpenedOn,
                events.Select(e => (object)e.Type).ToList(), c.Interventions.Count,
                victims.Select(v => v.Name).ToList(),
                victims.Select(v => Part(("name", v.Name), ("confidentiality", v.Confidentiality))).ToList(),
                events.Select(e => Part(("type", e.Type), ("date", e.Date.ToString()), ("description", mentions.Render(e.Description)), ("perpetratorType", e.PerpetratorType),
                    ("source", e.Source), ("confidentiality", e.Confidentiality),
                    ("victims", e.VictimIds.Where(names.ContainsKey).Select(id => names[id]).ToList()))).ToList(),
                c.Interventions.Select(i => Part(("type", i.Type), ("issuedOn", i.IssuedOn), ("addressees", i.Addressees))).ToList(),
                c.Version, c.CreatedAt, c.UpdatedAt,
            ];
        }
    }

    private static Dictionary<string, object?> Part(params (string Name, object? Value)[] fields) =>
        fields.ToDictionary(f => f.Name, f => f.Value, StringComparer.Ordinal);
}
