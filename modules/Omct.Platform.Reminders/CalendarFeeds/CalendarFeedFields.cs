using System.ComponentModel;
using GraphQL;
using GraphQL.Types;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.GraphQL;

namespace Omct.Platform.Reminders.CalendarFeeds;

[QueryFields]
internal sealed class CalendarFeedQueries
{
    [Description("Your iCalendar feed (its URL is shown once, by createCalendarFeed), or null when you have none or are not signed in with an account.")]
    [RequireRole(Role.NetworkMember)]
    public Task<CalendarFeed?> CalendarFeed([FromServices] CalendarFeedCommands commands, CancellationToken ct) => commands.OwnFeedAsync(ct);
}

[MutationFields]
internal sealed class CalendarFeedMutations
{
    private const string OwnAccount = " Needs a signed-in person (a session), not an API key.";

    [Description("A secret URL of an iCalendar feed of your calendar (anniversaries, deadlines, scheduled publications, with their reminders as alarms), " +
                 "for your own calendar application. Shown once; the previous URL stops working. Each fetch shows what your account may see then." + OwnAccount)]
    [RequireRole(Role.NetworkMember)]
    public Task<CreateCalendarFeedPayload> CreateCalendarFeed(CreateCalendarFeedInput input, [FromServices] CalendarFeedCommands commands, CancellationToken ct) =>
        commands.CreateAsync(input.ClientMutationId, ct);

    [Description("Revokes your iCalendar feed: its URL answers 404 from now on." + OwnAccount)]
    [RequireRole(Role.NetworkMember)]
    public Task<RevokeCalendarFeedPayload> RevokeCalendarFeed(RevokeCalendarFeedInput input, [FromServices] CalendarFeedCommands commands, CancellationToken ct) =>
        commands.RevokeAsync(input.ClientMutationId, ct);
}

internal sealed class CreateCalendarFeedInput
{
    public string? ClientMutationId { get; set; }
}

internal sealed class RevokeCalendarFeedInput
{
    public string? ClientMutationId { get; set; }
}

internal sealed class CalendarFeedGraphType : ObjectGraphType<CalendarFeed>
{
    public CalendarFeedGraphType()
    {
        Name = "CalendarFeed";
        Description = "A person's iCalendar feed; its secret URL is shown only once, when it is created.";
        Field(f => f.CreatedAt);
        Field(f => f.Prefix).Description("The first characters of the URL's secret, to recognise it.");
        this.FieldsShownWithRecord();
    }
}

internal sealed class CreateCalendarFeedPayloadGraphType : ObjectGraphType<CreateCalendarFeedPayload>
{
    public CreateCalendarFeedPayloadGraphType()
    {
        Name = "CreateCalendarFeedPayload";
        Field(p => p.Url).Description("The feed's secret URL. Shown once: add it to your calendar application now.");
        Field<NonNullGraphType<CalendarFeedGraphType>>("calendarFeed").Resolve(ctx => ctx.Source.CalendarFeed);
        Field(p => p.ClientMutationId, nullable: true);
        this.FieldsShownWithRecord();
    }
}

internal sealed class RevokeCalendarFeedPayloadGraphType : ObjectGraphType<RevokeCalendarFeedPayload>
{
    public RevokeCalendarFeedPayloadGraphType()
    {
        Name = "RevokeCalendarFeedPayload";
        Field<CalendarFeedGraphType>("calendarFeed").Description("Always null: the feed is gone.").Resolve(ctx => ctx.Source.CalendarFeed);
        Field(p => p.ClientMutationId, nullable: true);
        this.FieldsShownWithRecord();
    }
}
