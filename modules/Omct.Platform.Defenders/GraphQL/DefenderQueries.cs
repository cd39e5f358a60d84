using System.ComponentModel;
using GraphQL;
using Marten;
using Marten.Linq.MatchesSql;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.Defenders.Domain;
using Omct.Platform.Defenders.Organisations;
using Omct.Platform.Defenders.Profiles;

namespace Omct.Platform.Defenders.GraphQL;

[QueryFields]
internal sealed class DefenderQueries
{
    [Description("A defender by id (an id merged into another profile gives that profile); NOT_FOUND when unknown, hidden or not a defender id — never told apart.")]
    [RequireRole(Role.Anonymous)]
    public async Task<Defender?> Defender([Id] string id, [FromServices] IDefenderDirectory directory, IResolveFieldContext ctx) =>
        GlobalId.TryDecode(id, DefenderIds.Defender, out var decoded)
        && (await directory.ProfilesAsync([decoded], ctx.GetCaller(), ctx.CancellationToken)).GetValueOrDefault(decoded) is Defender profile
            ? profile
            : throw DomainException.NotFound("The defender");

    [Description("Defender profiles the caller may find, newest first.")]
    [RequireRole(Role.Anonymous)]
    public async Task<Connection<Defender>> Defenders(DefenderFilter? filter, int? first, string? after, IResolveFieldContext ctx)
    {
        filter ??= new DefenderFilter();
        var caller = ctx.GetCaller();
        var store = ctx.Service<IDocumentStore>();
        var situationTable = $"{store.Options.DatabaseSchemaName}.mt_doc_{DefendersModule.SituationAlias}";
        var organisations = await VisibleOrganisationsAsync(store, filter, caller, ctx.CancellationToken);
        return await Paging.PageByKeyDescendingAsync(store, s => Filtered(s, filter, organisations, caller, situationTable), d => d.OrderKey,
            first, after, ctx.CancellationToken);
    }

    [Description("The number of defender profiles the caller may find.")]
    [RequireRole(Role.Anonymous)]
    public async Task<int> DefenderCount(IResolveFieldContext ctx)
    {
        var levels = ctx.GetCaller().VisibleLevels();
        await using var session = ctx.Service<IDocumentStore>().QuerySession();
        return await session.Query<Defender>().CountAsync(d => levels.Contains(d.ListedConfidentiality) && d.MergedInto == null, ctx.CancellationToken);
    }

    [Description("Organisations the caller may see, newest first.")]
    [RequireRole(Role.Anonymous)]
    public Task<Connection<Organisation>> Organisations(OrganisationFilter? filter, int? first, string? after, IResolveFieldContext ctx)
    {
        filter ??= new OrganisationFilter();
        var levels = ctx.GetCaller().VisibleLevels();
        return Paging.PageByKeyDescendingAsync(ctx.Service<IDocumentStore>(), s => OrganisationQuery(s, filter, levels), o => o.OrderKey,
            first, after, ctx.CancellationToken);
    }

    private static IQueryable<Organisation> OrganisationQuery(IQuerySession session, OrganisationFilter filter, Confidentiality[] levels)
    {
        var query = session.Query<Organisation>().Where(o => levels.Contains(o.Confidentiality));
        if (filter.Countries is { Count: > 0 } countries)
        {
            var codes = countries.Select(c => c.ToUpperInvariant()).ToArray();
            query = query.Where(o => codes.Contains(o.CountryCode));
        }

        if (filter.NetworkMember is { } member)
        {
            query = query.Where(o => o.NetworkMember == member);
        }

        if (Input.SearchText(filter.Text) is { } text)
        {
            query = query.Where(o => o.Name.Contains(text, StringComparison.OrdinalIgnoreCase));
        }

        return query;
    }

    /// <summary>
    /// The organisations of <c>filter.organisationIds</c> the caller may see (null without the filter): a
    /// hidden one matches nothing, so the filter cannot tell who belongs to an organisation the caller may not know of.
    /// </summary>
    private static async Task<Guid[]?> VisibleOrganisationsAsync(IDocumentStore store, DefenderFilter filter, Caller caller, CancellationToken ct)
    {
        if (filter.OrganisationIds is not { Count: > 0 } organisations)
        {
            return null;
        }

        var ids = organisations.Select((o, i) => GlobalId.TryDecode(o, DefenderIds.Organisation, out var id)
            ? id
            : throw DomainException.Validation($"filter.organisationIds[{i}]", "Not an organisation id.")).Distinct().ToArray();
        await using var session = store.QuerySession();
        var found = await session.LoadManyAsync<Organisation>(ct, ids);
        return [.. found.Where(caller.CanSee).Select(o => o.Id)];
    }

    private static IQueryable<Defender> Filtered(IQuerySession session, DefenderFilter filter, Guid[]? organisations, Caller caller, string situationTable)
    {
        var levels = caller.VisibleLevels();
        var query = session.Query<Defender>().Where(d => levels.Contains(d.ListedConfidentiality) && d.MergedInto == null);
        if (filter.Countries is { Count: > 0 } countries)
        {
            var codes = countries.Select(c => c.ToUpperInvariant()).ToArray();
            query = query.Where(d => codes.Contains(d.CountryCode));
        }

        if (organisations is { } ids)
        {
            query = ids.Length == 0 ? query.Where(d => d.Id == Guid.Empty) : query.Where(d => d.OrganisationIds.Any(o => ids.Contains(o)));
        }

        if (filter.Genders is { Count: > 0 } genders)
        {
            var wanted = genders.Select(g => (Gender?)g).ToArray();
            query = query.Where(d => wanted.Contains(d.Gender));
        }

        if (filter.RiskLevels is { Count: > 0 } riskLevels)
        {
            // The risk level is STAFF information: filtering by it would reveal it.
            if (!caller.CanSee(Confidentiality.Staff))
            {
                throw DomainException.Validation("filter.riskLevels", "Filtering by risk level needs STAFF clearance.");
            }

            var wanted = riskLevels.Select(r => (RiskLevel?)r).ToArray();
            query = query.Where(d => wanted.Contains(d.RiskLevel));
        }

        if (filter.Situations is { Count: > 0 } situations)
        {
            // The situation as this caller's clearance sees it (kept per clearance by the situation projection).
            var names = situations.Select(s => s.ToString()).ToArray();
            query = query.Where(d => d.MatchesSql(
                $"coalesce((select s.data -> 'byClearance' ->> ? from {situationTable} s where s.id = d.id), 'Unknown') = any(?)",
                caller.Clearance.ToString(), names));
        }

        if (Input.SearchText(filter.Text) is { } text)
        {
            // The name only matches for callers who may see it; the pseudonym for everyone who may find the profile.
            query = query.Where(d => (levels.Contains(d.NameConfidentiality) && d.Name!.Contains(text, StringComparison.OrdinalIgnoreCase))
                                     || d.Pseudonym!.Contains(text, StringComparison.OrdinalIgnoreCase));
        }

        return query;
    }
}

internal sealed class DefenderFilter
{
    [CountryCode] public List<string>? Countries { get; set; }
    [Id] public List<string>? OrganisationIds { get; set; }
    [Description("As the caller's clearance sees it.")]
    public List<Situation>? Situations { get; set; }
    public List<Gender>? Genders { get; set; }
    [Description("Needs STAFF clearance.")]
    public List<RiskLevel>? RiskLevels { get; set; }
    [Description("In the name (when the caller may see it) and the pseudonym.")]
    public string? Text { get; set; }
}

internal sealed class OrganisationFilter
{
    [CountryCode] public List<string>? Countries { get; set; }
    public bool? NetworkMember { get; set; }
    public string? Text { get; set; }
}
