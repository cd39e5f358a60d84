using System.ComponentModel;
using GraphQL;
using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.Submissions.CallsForInput;
using Omct.Platform.Submissions.Deadlines;
using Omct.Platform.Submissions.Domain;
using Omct.Platform.Submissions.Handling;
using Omct.Platform.Submissions.Submissions;

namespace Omct.Platform.Submissions.GraphQL;

[QueryFields]
internal sealed class SubmissionQueries
{
    [Description("Submissions the caller may see, newest first.")]
    [RequireRole(Role.Anonymous)]
    public async Task<Connection<Submission>> Submissions(SubmissionFilter? filter, int? first, string? after, IResolveFieldContext ctx)
    {
        filter ??= new SubmissionFilter();
        var levels = ctx.GetCaller().VisibleLevels();
        var organisation = await VisibleOrganisationAsync(ctx, filter);
        return await Paging.PageByKeyDescendingAsync(ctx.Service<IDocumentStore>(), s => Filtered(s, filter, levels, organisation), s => s.OrderKey,
            first, after, ctx.CancellationToken);
    }

    [Description("The number of submissions the caller may see.")]
    [RequireRole(Role.Anonymous)]
    public async Task<int> SubmissionCount(IResolveFieldContext ctx)
    {
        await using var session = ctx.Service<IDocumentStore>().QuerySession();
        return await Filtered(session, new SubmissionFilter(), ctx.GetCaller().VisibleLevels(), null).CountAsync(ctx.CancellationToken);
    }

    [Description("Calls for input: staff see all; a member organisation those addressed to it.")]
    [RequireRole(Role.NetworkMember)]
    public async Task<Connection<CallForInput>> CallsForInput(CallForInputFilter? filter, int? first, string? after, IResolveFieldContext ctx)
    {
        filter ??= new CallForInputFilter();
        var caller = ctx.GetCaller();
        var country = await CallerCountryAsync(ctx);
        return await Paging.PageByKeyDescendingAsync(ctx.Service<IDocumentStore>(), s => Calls(s, filter, caller, country), c => c.OrderKey,
            first, after, ctx.CancellationToken);
    }

    [Description("Submission due dates and call-for-input deadlines between from and to (inclusive) that the caller may see, by date.")]
    [RequireRole(Role.Anonymous)]
    public async Task<List<Deadline>> Deadlines(DateOnly from, DateOnly to, IResolveFieldContext ctx)
    {
        if (to < from || to.DayNumber - from.DayNumber > 3_660)
        {
            throw DomainException.Validation("to", "to must be after from, within ten years.");
        }

        var caller = ctx.GetCaller();
        var country = caller.HasRole(Role.NetworkMember) ? await CallerCountryAsync(ctx) : null;
        await using var session = ctx.Service<IDocumentStore>().QuerySession();
        return [.. await DeadlineSearch.BetweenAsync(session, from, to, caller, country, ctx.CancellationToken)];
    }

    /// <summary>The country of the caller's member organisation (what decides which calls address it).</summary>
    private static async Task<string?> CallerCountryAsync(IResolveFieldContext ctx) =>
        ctx.GetCaller().OrganisationId is { } organisation
            ? (await ctx.Service<IDefenderDirectory>().OrganisationInfoAsync([organisation], ctx.CancellationToken)).GetValueOrDefault(organisation)?.CountryCode
            : null;

    /// <summary>
    /// The organisation of <c>filter.organisationId</c> when the caller may see it; <see cref="Guid.Empty"/>
    /// (matches nothing) when it may not, so the filter cannot tell that a hidden organisation signs something.
    /// </summary>
    private static async Task<Guid?> VisibleOrganisationAsync(IResolveFieldContext ctx, SubmissionFilter filter)
    {
        if (filter.OrganisationId is null)
        {
            return null;
        }

        var id = GlobalId.TryDecode(filter.OrganisationId, DefenderIds.Organisation, out var decoded)
            ? decoded
            : throw DomainException.Validation("filter.organisationId", "Not an organisation id.");
        var visible = await ctx.Service<IDefenderDirectory>().OrganisationsAsync([id], ctx.GetCaller(), ctx.CancellationToken);
        return visible.ContainsKey(id) ? id : Guid.Empty;
    }

    private static IQueryable<Submission> Filtered(IQuerySession session, SubmissionFilter filter, Confidentiality[] levels, Guid? organisation)
    {
        var query = session.Query<Submission>().Where(s => levels.Contains(s.Confidentiality));
        if (filter.Mechanisms is { Count: > 0 } mechanisms)
        {
            var wanted = mechanisms.ToArray();
            query = query.Where(s => wanted.Contains(s.Mechanism));
        }

        if (filter.Countries is { Count: > 0 } countries)
        {
            var codes = countries.Select(c => c.ToUpperInvariant()).ToArray();
            query = query.Where(s => codes.Contains(s.CountryCode));
        }

        if (filter.Statuses is { Count: > 0 } statuses)
        {
            var wanted = statuses.ToArray();
            query = query.Where(s => wanted.Contains(s.Status));
        }

        if (organisation is { } signer)
        {
            query = query.Where(s => s.LeadOrganisationId == signer || s.CoSignatoryIds.Contains(signer));
        }

        if (filter.DueFrom is { } from)
        {
            query = query.Where(s => s.DueOn >= from);
        }

        if (filter.DueTo is { } to)
        {
            query = query.Where(s => s.DueOn <= to);
        }

        return query;
    }

    private static IQueryable<CallForInput> Calls(IQuerySession session, CallForInputFilter filter, Caller caller, string? country)
    {
        var levels = caller.VisibleLevels();
        var query = session.Query<CallForInput>().Where(c => levels.Contains(c.Confidentiality));
        if (!caller.HasRole(Role.Staff))
        {
            var mine = country ?? "";
            query = query.Where(c => c.AudienceCountryCodes.Count == 0 || c.AudienceCountryCodes.Contains(mine));
        }

        if (filter.Statuses is { Count: > 0 } statuses)
        {
            var wanted = statuses.ToArray();
            query = query.Where(c => wanted.Contains(c.Status));
        }

        return query;
    }
}

internal sealed class SubmissionFilter
{
    public List<Mechanism>? Mechanisms { get; set; }
    [CountryCode] public List<string>? Countries { get; set; }
    public List<SubmissionStatus>? Statuses { get; set; }
    [Id, Description("Lead or co-signing organisation.")]
    public string? OrganisationId { get; set; }
    public DateOnly? DueFrom { get; set; }
    public DateOnly? DueTo { get; set; }
}

internal sealed class CallForInputFilter
{
    public List<CallStatus>? Statuses { get; set; }
}
