using GraphQL;
using GraphQL.Types;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.Reminders.Storage;

namespace Omct.Platform.Reminders.GraphQL;

internal static class ReminderQueries
{
    public static void Register(ObjectGraphType query) =>
        query.Field<NonNullGraphType<ConnectionGraphType<ReminderGraphType>>>("reminders")
            .Description("The reminders the caller may see, newest remindOn first (then the latest made first). For staff.")
            .Argument<IntGraphType>("first")
            .Argument<StringGraphType>("after")
            .Argument<ReminderFilterGraphType>("filter")
            .RequireRole(Role.Staff)
            .ResolveAsync(async ctx =>
            {
                var filter = ctx.GetArgument<ReminderFilter?>("filter") ?? new ReminderFilter();
                foreach (var (name, day) in new[] { ("filter.remindFrom", filter.RemindFrom), ("filter.remindTo", filter.RemindTo) })
                {
                    if (day is { Year: < 1900 or > 9000 })
                    {
                        throw DomainException.Validation(name, "A day from the year 1900 to 9000.");
                    }
                }

                if (filter.RemindFrom > filter.RemindTo)
                {
                    throw DomainException.Validation("filter.remindFrom", "remindFrom is after remindTo.");
                }

                var criteria = new ReminderCriteria(filter.Kinds?.Distinct().ToList() ?? [], filter.RemindFrom, filter.RemindTo);
                var pageSize = Paging.PageSize(ctx.GetArgument<int?>("first"));
                var after = Paging.DecodeCursor(ctx.GetArgument<string?>("after"));
                var levels = ctx.GetCaller().VisibleLevels();
                var store = ctx.Service<ReminderStore>();
                var rows = await store.PageAsync(criteria, levels, after, pageSize + 1, ctx.CancellationToken);
                return Paging.Page(rows, pageSize, r => r.OrderKey, ct => store.CountAsync(criteria, levels, ct));
            });
}
