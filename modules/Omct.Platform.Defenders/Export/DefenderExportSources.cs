using Marten;
using Omct.Platform.BuildingBlocks.Auditing;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.BuildingBlocks.Integration;
using Omct.Platform.BuildingBlocks.Privacy;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.Defenders.Organisations;
using Omct.Platform.Defenders.Profiles;

namespace Omct.Platform.Defenders.Export;

/// <summary>
/// <c>GET /export/defenders</c>: the profiles the caller may find (as <c>defenders</c> lists them),
/// each field by <see cref="DefenderFieldRules"/> — the name only where its level allows, the risk
/// level from STAFF, the confidential details only at RESTRICTED, and each export of those
/// recorded in the audit trail as a GraphQL read is. An erased person's values are gone from the
/// read model, so nothing of them can be exported. The details are stored encrypted: they are decrypted here, a page of
/// keys at a time, only for a caller who may read them. The columns the DEFENDER importer takes have its
/// field names (affiliations also as <c>organisations</c>, the organisations' names), so that the
/// export imports back into another installation with a mapping of each column to itself.
/// </summary>
internal sealed class DefenderExportSource(IRestrictedReadRecorder restrictedReads, IDocumentStore store, PersonalDataKeys keys) : IExportSource
{
    private static readonly string[] Details = ["contact", "location", "family", "riskNotes"];

    /// <summary>The profiles whose keys are read in one query.</summary>
    private const int KeyPage = 200;

    public string Name => "defenders";

    public IReadOnlyList<string> Columns { get; } =
        ["id", "name", "pseudonym", "countryCode", "gender", "consentToPublishName", "consentToPublishPortrait", "thematicAreas", "organisationIds", "organisations",
         "riskLevel", "contact", "location", "family", "riskNotes", "erased", "confidentiality", "version", "createdAt", "updatedAt"];

    public async IAsyncEnumerable<object?[]> RowsAsync(IQuerySession session, Caller caller,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var levels = caller.VisibleLevels();
        var restricted = caller.CanSee(DefenderFieldRules.ConfidentialDetails);
        // The organisations the caller may see (a few thousand ids at most), so that an affiliation never names a hidden one.
        // Their names too: the DEFENDER importer's organisations field names them, so that an export imports back with its affiliations.
        var organisations = (await session.Query<Organisation>().Where(o => levels.Contains(o.Confidentiality)).Select(o => new { o.Id, o.Name })
            .ToListAsync(cancellationToken)).ToDictionary(o => o.Id, o => o.Name);
        var profiles = session.Query<Defender>()
            .Where(d => levels.Contains(d.ListedConfidentiality) && d.MergedInto == null)
            .OrderBy(d => d.OrderKey)
            .ToAsyncEnumerable(cancellationToken);
        var page = new List<Defender>(KeyPage);
        await foreach (var d in profiles)
        {
            page.Add(d);
            if (page.Count == KeyPage)
            {
                foreach (var row in await RowsOfAsync(page, caller, restricted, organisations, cancellationToken))
                {
                    yield return row;
                }

                page.Clear();
            }
        }

        foreach (var row in await RowsOfAsync(page, caller, restricted, organisations, cancellationToken))
        {
            yield return row;
        }
    }

    private async Task<List<object?[]>> RowsOfAsync(
        List<Defender> page, Caller caller, bool restricted, Dictionary<Guid, string> organisations, CancellationToken cancellationToken)
    {
        // The keys in a session of their own: the export's session is still reading the profiles.
        IReadOnlyDictionary<Guid, DataKey> pageKeys = new Dictionary<Guid, DataKey>();
        if (restricted)
        {
            await using var session = store.QuerySession();
            pageKeys = await keys.KeysOfAsync(session, page.Select(d => d.Id), cancellationToken);
        }

        var rows = new List<object?[]>(page.Count);
        foreach (var d in page)
        {
            var key = pageKeys.GetValueOrDefault(d.Id);
            if (restricted)
            {
                foreach (var field in Details)
                {
                    restrictedReads.Record(caller, $"Defender.{field}", d.Id);
                }
            }

            rows.Add(
            [
                GlobalId.Encode(DefenderIds.Defender, d.Id), DefenderFieldRules.VisibleName(d, caller), d.Pseudonym, d.CountryCode, d.Gender,
                d.ConsentToPublishName, d.ConsentToPublishPortrait, d.ThematicAreas,
                d.OrganisationIds.Where(organisations.ContainsKey).Select(o => GlobalId.Encode(DefenderIds.Organisation, o)).ToList(),
                d.OrganisationIds.Where(organisations.ContainsKey).Select(o => organisations[o]).ToList(),
                caller.CanSee(DefenderFieldRules.RiskLevel) ? d.RiskLevel : null,
                PersonalData.Decrypt(key, d.EncryptedContact), PersonalData.Decrypt(key, d.EncryptedLocation),
                PersonalData.Decrypt(key, d.EncryptedFamily), PersonalData.Decrypt(key, d.EncryptedRiskNotes),
                d.Erased, d.Confidentiality, d.Version, d.CreatedAt, d.UpdatedAt,
            ]);
        }

        return rows;
    }
}

/// <summary><c>GET /export/organisations</c>: the organisations the caller may see, with the fields of <c>Organisation</c>.</summary>
internal sealed class OrganisationExportSource : IExportSource
{
    public string Name => "organisations";

    public IReadOnlyList<string> Columns { get; } =
        ["id", "name", "countryCode", "networkMember", "memberSince", "confidentiality", "version", "createdAt", "updatedAt"];

    public async IAsyncEnumerable<object?[]> RowsAsync(IQuerySession session, Caller caller,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var levels = caller.VisibleLevels();
        await foreach (var o in session.Query<Organisation>().Where(o => levels.Contains(o.Confidentiality)).OrderBy(o => o.OrderKey).ToAsyncEnumerable(cancellationToken))
        {
            yield return [GlobalId.Encode(DefenderIds.Organisation, o.Id), o.Name, o.CountryCode, o.NetworkMember, o.MemberSince, o.Confidentiality, o.Version, o.CreatedAt, o.UpdatedAt];
        }
    }
}
