using GraphQL;
using GraphQL.Types;
using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Cases.CaseDetails;
using Omct.Platform.Cases.Domain;

namespace Omct.Platform.Cases.GraphQL;

internal static class CaseQueries
{
    public static void Register(ObjectGraphType query)
    {
        query.Field<CaseGraphType>("case")
            .Description("A case by id; null when it does not exist or the caller may not see it.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .AllowAnonymous()
            .ResolveAsync(async ctx =>
            {
                if (!GlobalId.TryDecode(ctx.GetArgument<string>("id"), CaseIds.Case, out var id))
                {
                    return null;
                }

                await using var session = ctx.Service<IDocumentStore>().QuerySession();
                return Visible(ctx, await session.LoadAsync<Case>(id, ctx.CancellationToken));
            });

        query.Field<CaseGraphType>("caseByReference")
            .Description("A case by its reference (CMR 001 / 0313 / OBS 021) or a follow-up's (….1).")
            .Argument<NonNullGraphType<StringGraphType>>("reference")
            .AllowAnonymous()
            .ResolveAsync(async ctx =>
            {
                var reference = ctx.GetArgument<string>("reference").Trim();
                var dot = reference.LastIndexOf('.');
                if (dot > 0 && int.TryParse(reference[(dot + 1)..], out _))
                {
                    reference = reference[..dot];
                }

                await using var session = ctx.Service<IDocumentStore>().QuerySession();
                return Visible(ctx, await session.Query<Case>().FirstOrDefaultAsync(c => c.Reference == reference, ctx.CancellationToken));
            });

        query.Field<NonNullGraphType<CaseConnectionGraphType>>("cases")
            .Description("Cases the caller may see, newest opening date first.")
            .Argument<CaseFilterGraphType>("filter")
            .Argument<IntGraphType>("first")
            .Argument<StringGraphType>("after")
            .AllowAnonymous()
            .ResolveAsync(async ctx =>
            {
                var filter = ctx.GetArgument<CaseFilter?>("filter") ?? new CaseFilter();
                var pageSize = Paging.PageSize(ctx.GetArgument<int?>("first"));
                var after = Paging.DecodeCursor(ctx.GetArgument<string?>("after"));
                var store = ctx.Service<IDocumentStore>();
                var levels = ctx.GetCaller().VisibleLevels();

                await using var session = store.QuerySession();
                var page = Filtered(session, filter, levels);
                if (after is { } key)
                {
                    page = page.Where(c => c.OrderKey < key);
                }

                var rows = await page.OrderByDescending(c => c.OrderKey).Take(pageSize + 1).ToListAsync(ctx.CancellationToken);
                return Paging.Page(rows, pageSize, c => c.OrderKey, async ct =>
                {
                    await using var countSession = store.QuerySession();
                    return await Filtered(countSession, filter, levels).CountAsync(ct);
                });
            });
    }

    private static Case? Visible(IResolveFieldContext ctx, Case? found) =>
        found is not null && ctx.GetCaller().CanSee(found.Confidentiality) ? found : null;

    private static IQueryable<Case> Filtered(IQuerySession session, CaseFilter filter, Confidentiality[] levels)
    {
        var query = session.Query<Case>().Where(c => levels.Contains(c.Confidentiality));
        if (filter.Countries is { Count: > 0 } countries)
        {
            var codes = countries.Select(c => c.ToUpperInvariant()).ToArray();
            query = query.Where(c => codes.Contains(c.CountryCode));
        }

        if (filter.Statuses is { Count: > 0 } statuses)
        {
            var wanted = statuses.ToArray();
            query = query.Where(c => wanted.Contains(c.Status));
        }

        if (filter.OpenedFrom is { } from)
        {
            query = query.Where(c => c.OpenedOn >= from);
        }

        if (filter.OpenedTo is { } to)
        {
            query = query.Where(c => c.OpenedOn <= to);
        }

        if (filter.VictimId is { } victim)
        {
            if (!GlobalId.TryDecode(victim, "Defender", out var defenderId))
            {
                throw DomainException.Validation("filter.victimId", "The victim id is not a defender id.");
            }

            query = query.Where(c => c.DefenderIds.Contains(defenderId));
        }

        return query;
    }
}

internal sealed class CaseFilter
{
    public List<string>? Countries { get; set; }
    public List<CaseStatus>? Statuses { get; set; }
    public DateOnly? OpenedFrom { get; set; }
    public DateOnly? OpenedTo { get; set; }
    public string? VictimId { get; set; }
}

internal sealed class CaseFilterGraphType : InputObjectGraphType<CaseFilter>
{
    public CaseFilterGraphType()
    {
        Name = "CaseFilter";
        Field<ListGraphType<NonNullGraphType<CountryCodeGraphType>>>("countries");
        Field<ListGraphType<NonNullGraphType<CaseStatusGraphType>>>("statuses");
        Field<IsoDateGraphType>("openedFrom");
        Field<IsoDateGraphType>("openedTo");
        Field<IdGraphType>("victimId").Description("A defender id: cases where that defender is a victim.");
    }
}
