using System.ComponentModel;
using GraphQL;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.Reminders.Planning;
using Omct.Platform.Reminders.Storage;

namespace Omct.Platform.Reminders.GraphQL;

[QueryFields]
internal sealed class ReminderQueries
{
    [Description("How many days ahead the reminder jobs remind (Omct:Reminders): what a calendar shows as the reminders still to come. For staff.")]
    [RequireRole(Role.Staff)]
    public ReminderLeads ReminderLeads([FromServices] Microsoft.Extensions.Options.IOptions<ReminderOptions> options) =>
        new(options.Value.AnniversaryLeadDays, options.Value.DeadlineLeads());

    [Description("The reminders the caller may see, newest remindOn first (then the latest made first). For staff.")]
    [RequireRole(Role.Staff)]
    public async Task<Connection<Reminder>> Reminders(
        int? first, string? after, ReminderFilter? filter, [FromServices] ReminderStore store, IResolveFieldContext ctx)
    {
        filter ??= new ReminderFilter();
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
        var pageSize = Paging.PageSize(first);
        var levels = ctx.GetCaller().VisibleLevels();
        var rows = await store.PageAsync(criteria, levels, Paging.DecodeCursor(after), pageSize + 1, ctx.CancellationToken);
        return Paging.Page(rows, pageSize, r => r.OrderKey, ct => store.CountAsync(criteria, levels, ct));
    }
}

internal sealed record ReminderLeads(int AnniversaryDays, IReadOnlyList<int> DeadlineDays);

internal sealed class ReminderLeadsGraphType : global::GraphQL.Types.ObjectGraphType<ReminderLeads>
{
    public ReminderLeadsGraphType()
    {
        Name = "ReminderLeads";
        Field(l => l.AnniversaryDays).Description("Days before an anniversary its reminder is due.");
        Field<global::GraphQL.Types.NonNullGraphType<global::GraphQL.Types.ListGraphType<global::GraphQL.Types.NonNullGraphType<global::GraphQL.Types.IntGraphType>>>>("deadlineDays")
            .Description("Days before a deadline its reminders are due, largest first.").Resolve(c => c.Source.DeadlineDays);
        this.FieldsShownWithRecord();
    }
}
