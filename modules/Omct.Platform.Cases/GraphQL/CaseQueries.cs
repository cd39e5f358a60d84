using System.ComponentModel;
using GraphQL;
using GraphQL.Types;
using GraphQL.Validation.Complexity;
using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Cases.Anniversaries;
using Omct.Platform.Cases.CaseDetails;
using Omct.Platform.Cases.CaseList;
using Omct.Platform.Cases.Domain;
using Omct.Platform.Defenders.Contracts;

namespace Omct.Platform.Cases.GraphQL;

[QueryFields]
internal sealed class CaseQueries
{
    [Description("The number of cases the caller may see.")]
    [RequireRole(Role.Anonymous)]
    public async Task<int> CaseCount(IResolveFieldContext ctx)
    {
        var levels = ctx.GetCaller().VisibleLevels();
        await using var session = ctx.Service<IDocumentStore>().QuerySession();
        return await session.Query<Case>().CountAsync(c => levels.Contains(c.Confidentiality), ctx.CancellationToken);
    }

    [AnniversariesField]
    [RequireRole(Role.Anonymous)]
    public async Task<IReadOnlyList<AnniversaryView>> Anniversaries(
        DateOnly from, DateOnly to, CaseFilter? filter,
        [Description("At most this many, the earliest first (0 to 1,000; default: all). anniversaryCount tells how many there are in all.")] int? first,
        IResolveFieldContext ctx)
    {
        if (first is < 0 or > MaxAnniversariesFirst)
        {
            throw DomainException.Validation("first", $"first must be from 0 to {MaxAnniversariesFirst}.");
        }

        var all = await ctx.Service<AnniversaryCalendar>().BetweenAsync(from, to, await CriteriaAsync(ctx, filter), ctx.GetCaller(), ctx.CancellationToken);
        return first is { } n && n < all.Count ? all.Take(n).ToList() : all;
    }

    [AnniversariesField(Count = true)]
    [RequireRole(Role.Anonymous)]
    public async Task<int> AnniversaryCount(DateOnly from, DateOnly to, CaseFilter? filter, IResolveFieldContext ctx) =>
        (await ctx.Service<AnniversaryCalendar>().BetweenAsync(from, to, await CriteriaAsync(ctx, filter), ctx.GetCaller(), ctx.CancellationToken)).Count;

    private const int MaxAnniversariesFirst = 1_000;

    [Description("A case by id. NOT_FOUND (and null) when it does not exist or the caller may not see it: the two are never told apart.")]
    [RequireRole(Role.Anonymous)]
    public async Task<Case?> Case([Id] string id, IResolveFieldContext ctx)
    {
        if (!GlobalId.TryDecode(id, CaseIds.Case, out var caseId))
        {
            throw DomainException.NotFound("The case");
        }

        await using var session = ctx.Service<IDocumentStore>().QuerySession();
        return Visible(ctx, await session.LoadAsync<Case>(caseId, ctx.CancellationToken));
    }

    [Description("A case by its reference (CMR 001 / 0313 / OBS 021) or a follow-up's (….1); NOT_FOUND as for case(id).")]
    [RequireRole(Role.Anonymous)]
    public async Task<Case?> CaseByReference(string reference, IResolveFieldContext ctx)
    {
        reference = reference.Trim();
        var dot = reference.LastIndexOf('.');
        if (dot > 0 && int.TryParse(reference[(dot + 1)..], out _))
        {
            reference = reference[..dot];
        }

        await using var session = ctx.Service<IDocumentStore>().QuerySession();
        return Visible(ctx, await session.Query<Case>().FirstOrDefaultAsync(c => c.Reference == reference, ctx.CancellationToken));
    }

    [Description("Cases the caller may see; newest opening date first unless orderBy says otherwise.")]
    [RequireRole(Role.Anonymous)]
    public async Task<Connection<Case>> Cases(CaseFilter? filter, CaseOrder? orderBy, int? first, string? after, IResolveFieldContext ctx)
    {
        var criteria = await CriteriaAsync(ctx, filter);
        var pageSize = Paging.PageSize(first);
        var levels = ctx.GetCaller().VisibleLevels();
        var search = ctx.Service<CaseSearch>();

        // The lean list rows when the request shows no more of each case than they carry (the dashboard's page), whole documents otherwise.
        var (order, afterKey) = (orderBy ?? CaseOrder.OpenedOnDesc, Paging.DecodeCursor(after));
        var rows = CaseListSelection.ListRowsSuffice(ctx)
            ? await search.ListPageAsync(criteria, levels, order, afterKey, pageSize + 1, ctx.CancellationToken)
            : await search.PageAsync(criteria, levels, order, afterKey, pageSize + 1, ctx.CancellationToken);
        return Paging.Page(rows, pageSize, c => c.OrderKey, ct => search.CountAsync(criteria, levels, ct));
    }

    [Description("How many cases the caller may see per country (alpha-2), year opened, status, " +
                 "or how many case events it may see per event type; largest first.")]
    [RequireRole(Role.Anonymous)]
    public async Task<IReadOnlyList<StatisticsBucket>> CaseStatistics(CaseStatisticsDimension groupBy, CaseFilter? filter, IResolveFieldContext ctx)
    {
        var buckets = await ctx.Service<CaseSearch>().StatisticsAsync(
            groupBy, await CriteriaAsync(ctx, filter), ctx.GetCaller().VisibleLevels(), ctx.CancellationToken);
        return groupBy switch
        {
            // Stored enum names (Open, ProvisionalRelease) as the schema spells them (OPEN, PROVISIONAL_RELEASE).
            CaseStatisticsDimension.Status or CaseStatisticsDimension.EventType =>
                buckets.Select(b => b with { Key = b.Key.ToConstantCase() }).ToList(),
            _ => buckets,
        };
    }

    [Description("How many interventions (urgent appeals, follow-ups, closings) were issued from issuedFrom to issuedTo " +
                 "(inclusive, each optional) on the cases matching the filter that the caller may see.")]
    [RequireRole(Role.Anonymous)]
    public async Task<int> InterventionCount(DateOnly? issuedFrom, DateOnly? issuedTo, CaseFilter? filter, IResolveFieldContext ctx)
    {
        if (issuedFrom > issuedTo)
        {
            throw DomainException.Validation("issuedFrom", "issuedFrom is after issuedTo.");
        }

        return await ctx.Service<CaseSearch>().InterventionCountAsync(
            await CriteriaAsync(ctx, filter), issuedFrom, issuedTo, ctx.GetCaller().VisibleLevels(), ctx.CancellationToken);
    }

    [Description("The cases the caller may see, the most recently changed first (then the newest opened). first: default 10, at most 50.")]
    [RequireRole(Role.Anonymous)]
    public async Task<IReadOnlyList<Case>> RecentlyUpdatedCases(int? first, IResolveFieldContext ctx)
    {
        var take = first switch
        {
            null => 10,
            < 0 => throw DomainException.Validation("first", "first must not be negative."),
            > 50 => throw DomainException.LimitExceeded("first may be at most 50."),
            _ => first.Value,
        };
        return await ctx.Service<CaseSearch>().RecentlyUpdatedAsync(ctx.GetCaller().VisibleLevels(), take, ctx.CancellationToken);
    }

    /// <summary>The anniversaries field's description (it names <see cref="AnniversaryRules.YearsAhead"/>) and its cost in the complexity budget.</summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    private sealed class AnniversariesFieldAttribute : GraphQLAttribute
    {
        /// <summary>The count of the same window (<c>anniversaryCount</c>) rather than the list.</summary>
        public bool Count { get; init; }

        public override void Modify(FieldType fieldType, bool isInputType)
        {
            var window =
                "from `from` to `to` (inclusive, at most 366 days) of the cases matching " +
                "the filter, that the caller may see (case, case event and victim)" + (Count ? "" : ", by date") + ". `from` and `to` lie between 1900-01-01 " +
                $"and the end of the year {AnniversaryRules.YearsAhead} years after the current one (VALIDATION on the argument otherwise). ";
            fieldType.Description = Count
                ? "How many anniversaries and detention milestones there are " + window + "Complexity: 20 per day of the window."
                : "Every anniversary and detention milestone " + window + "Complexity: 20 per day of the window, and its selection counted once per week of the window.";
            fieldType.WithComplexityImpact(AnniversariesComplexity);
        }
    }

    /// <summary>
    /// What a window costs in the complexity budget: each day of it <see cref="CostPerDay"/> (the cases with an
    /// anniversary that day are read, and each day multiplies the detention starts looked for), and what is selected of each anniversary once per
    /// week of the window (at least the default five), so that aliases of wide windows add up to what they cost.
    /// A window the resolver refuses (backwards, too long, out of bounds) costs as the widest.
    /// </summary>
    /// <summary>
    /// A day of a window reads every case with an anniversary that day, whole: on 100,000 cases (build/bench) a
    /// full year is ~33,000 anniversaries and ~5 s, so a day costs as a page of twenty, and two full years fit
    /// the default budget of 20,000 where eight do not.
    /// </summary>
    private const int CostPerDay = 20;

    internal static FieldComplexityResult AnniversariesComplexity(FieldImpactContext context)
    {
        var days = AnniversaryCalendar.MaxWindowDays;
        if (context.Arguments is { } arguments && arguments.TryGetValue("from", out var from) && arguments.TryGetValue("to", out var to) &&
            from.Value is DateOnly first && to.Value is DateOnly last && last >= first)
        {
            days = Math.Min(days, last.DayNumber - first.DayNumber + 1);
        }

        return new FieldComplexityResult(days * CostPerDay, Math.Max(context.Configuration.DefaultListImpactMultiplier, Math.Ceiling(days / 7.0)));
    }

    private static Case Visible(IResolveFieldContext ctx, Case? found) =>
        found is not null && ctx.GetCaller().CanSee(found.Confidentiality) ? found : throw DomainException.NotFound("The case");

    /// <summary>
    /// The filter as criteria. A victim filter stands for the defender as the caller may find them:
    /// the profile and those merged into it, or nothing at all when the profile is hidden.
    /// </summary>
    private static async Task<CaseCriteria> CriteriaAsync(IResolveFieldContext ctx, CaseFilter? filter)
    {
        if (filter is null)
        {
            return CaseCriteria.None;
        }

        IReadOnlyList<Guid>? victim = null;
        if (filter.VictimId is not null)
        {
            victim = GlobalId.TryDecode(filter.VictimId, DefenderIds.Defender, out var defenderId)
                ? await ctx.Service<IDefenderDirectory>().IdentitiesAsync(defenderId, ctx.GetCaller(), ctx.CancellationToken)
                : throw DomainException.Validation("filter.victimId", "The victim id is not a defender id.");
        }

        if (filter.OpenedFrom > filter.OpenedTo)
        {
            throw DomainException.Validation("filter.openedFrom", "openedFrom is after openedTo.");
        }

        var text = Input.SearchText(filter.Text);
        IReadOnlyList<Guid> inFiles = [];
        if (text is not null)
        {
            // The text of files attached to the case, its events or its victims (a PDF's), where the caller sees both the file and the record.
            inFiles = (await ctx.Service<Files.Contracts.IAttachedFiles>().RecordsWithMatchingTextAsync(
                [CaseIds.Case, CaseIds.CaseEvent, CaseIds.Victim], text, "english", ctx.GetCaller(), ctx.CancellationToken)).Select(r => r.Id).ToList();
        }

        return new CaseCriteria(
            filter.Countries?.Select(c => c.ToUpperInvariant()).Distinct().ToList() ?? [],
            filter.Statuses?.Distinct().ToList() ?? [],
            filter.EventTypes?.Distinct().ToList() ?? [],
            filter.OpenedFrom, filter.OpenedTo, victim, text) { TextInFiles = inFiles };
    }
}

[Description("All conditions must hold; a list matches any of its values.")]
internal sealed class CaseFilter
{
    [CountryCode] public List<string>? Countries { get; set; }
    public List<CaseStatus>? Statuses { get; set; }
    [Description("Cases with at least one case event of these types that the caller may see.")]
    public List<CaseEventType>? EventTypes { get; set; }
    public DateOnly? OpenedFrom { get; set; }
    public DateOnly? OpenedTo { get; set; }
    [Id, Description("A defender id: cases where that defender is a victim.")]
    public string? VictimId { get; set; }
    [Description("Full-text search in the title and summary, and in the text of the PDFs attached to the case, its events or its victims that the caller may see (web-style: \"quoted phrase\", or, -word).")]
    public string? Text { get; set; }
}

internal sealed class CaseOrderGraphType : EnumerationGraphType<CaseOrder>
{
    public CaseOrderGraphType()
    {
        Name = "CaseOrder";
        Description = "List order; both are stable under concurrent writes (opening date, then case number).";
    }
}

internal sealed class StatisticsBucketGraphType : ObjectGraphType<StatisticsBucket>
{
    public StatisticsBucketGraphType()
    {
        Name = "StatisticsBucket";
        Field(b => b.Key).Description("Country code (alpha-2), year, status or event type.");
        Field<NonNullGraphType<IntGraphType>>("count").Resolve(c => (int)c.Source.Count);
        this.FieldsShownWithRecord();
    }
}
