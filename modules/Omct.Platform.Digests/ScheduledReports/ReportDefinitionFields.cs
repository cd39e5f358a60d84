using System.ComponentModel;
using System.Text.RegularExpressions;
using GraphQL;
using GraphQL.Types;
using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.BuildingBlocks.Time;
using Omct.Platform.Digests.ScheduledReports.Formats;
using Quartz;

namespace Omct.Platform.Digests.ScheduledReports;

/// <summary>
/// <c>reportDefinitions</c>, <c>reportDefinition</c> and <c>reportRuns</c>: STAFF work. A caller sees the definitions it
/// owns or receives, and an admin all of them, each only within its clearance (the definition's level).
/// </summary>
[QueryFields]
internal sealed class ReportDefinitionQueries
{
    [Description("The report definitions you own or receive (an ADMIN: all), within your clearance, newest first. STAFF and up.")]
    [RequireRole(Role.Staff)]
    public Task<Connection<ReportDefinition>> ReportDefinitions(int? first, string? after, [FromServices] IDocumentStore store, IResolveFieldContext ctx)
    {
        var caller = ctx.GetCaller();
        var levels = caller.VisibleLevels();
        var id = caller.Id ?? "";
        var admin = caller.HasRole(Role.Admin);
        return Paging.PageByKeyDescendingAsync(store,
            s => s.Query<ReportDefinition>().Where(d => levels.Contains(d.Level) && (admin || d.OwnerId == id || d.AccountRecipients.Contains(id))),
            d => d.OrderKey, first, after, ctx.CancellationToken);
    }

    [Description("One report definition; null when it does not exist or you may not see it. STAFF and up.")]
    [RequireRole(Role.Staff)]
    public async Task<ReportDefinition?> ReportDefinition([Id] string id, [FromServices] ReportDefinitionCommands commands, IResolveFieldContext ctx) =>
        GlobalId.TryDecode(id, ReportDefinitionGraphType.TypeName, out var guid) && await commands.LoadAsync(guid, ctx.CancellationToken) is { } definition
                                                                                && definition.VisibleTo(ctx.GetCaller())
            ? definition
            : null;

    [Description("The runs of a report definition you may see, newest first, with their status, rows, duration, files and error. STAFF and up.")]
    [RequireRole(Role.Staff)]
    public async Task<Connection<ReportRun>> ReportRuns(
        [Id] string definitionId, int? first, string? after, [FromServices] ReportDefinitionCommands commands, [FromServices] ReportRunStore runs, IResolveFieldContext ctx)
    {
        var definition = GlobalId.TryDecode(definitionId, ReportDefinitionGraphType.TypeName, out var guid) ? await commands.LoadAsync(guid, ctx.CancellationToken) : null;
        if (definition is null || !definition.VisibleTo(ctx.GetCaller()))
        {
            throw DomainException.NotFound("The report definition");
        }

        var pageSize = Paging.PageSize(first);
        var rows = await runs.ListAsync(definition.Id, Paging.DecodeCursor(after), pageSize + 1, ctx.CancellationToken);
        return Paging.Page(rows, pageSize, ReportRunStore.KeyOf, ct => runs.CountAsync(definition.Id, ct));
    }

    [Description("The next fires of a Quartz cron in an IANA time zone after now, checked as createReportDefinition checks them (VALIDATION on cron or timeZone, " +
                 "in the same words), so that an editor shows a schedule before it is saved; count: 1 to " + ReportFires.MaxCountText + "; a blank cron (on demand) has none. STAFF and up.")]
    [RequireRole(Role.Staff)]
    public IReadOnlyList<DateTimeOffset> ReportSchedulePreview(string cron, string timeZone, [FromServices] TimeProvider time, int? count = ReportFires.DefaultCount) =>
        ReportFires.Checked(cron, timeZone, time.GetUtcNow(), count);
}

/// <summary>The definition mutations: STAFF and up; changing, deleting and running one is for its owner and admins.</summary>
[MutationFields]
internal sealed class ReportDefinitionMutations
{
    [Description("STAFF: a report you define — a GraphQL query (one query operation, kept as a persisted operation), the list in its answer and the columns to show, " +
                 "when it runs (a Quartz cron in an IANA time zone, or only on demand), its files and its recipients. It runs as you, with your clearance at each run.")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<ReportDefinition>> CreateReportDefinition(CreateReportDefinitionInput input, [FromServices] ReportDefinitionCommands commands, CancellationToken ct) =>
        new(await commands.CreateAsync(input.Change(), input.ClientMutationId, ct), input.ClientMutationId);

    [Description("STAFF (its owner, or an ADMIN): changes the fields given; cron \"\" makes it on demand only.")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<ReportDefinition>> UpdateReportDefinition(UpdateReportDefinitionInput input, [FromServices] ReportDefinitionCommands commands, CancellationToken ct) =>
        new(await commands.UpdateAsync(IdOf(input.ReportDefinitionId), input.Change(), input.ExpectedVersion, input.ClientMutationId, ct), input.ClientMutationId);

    [Description("STAFF (its owner, or an ADMIN): deletes the definition, its runs and their files. Returns it as it was.")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<ReportDefinition>> DeleteReportDefinition(DeleteReportDefinitionInput input, [FromServices] ReportDefinitionCommands commands, CancellationToken ct) =>
        new(await commands.DeleteAsync(IdOf(input.ReportDefinitionId), input.ExpectedVersion, input.ClientMutationId, ct), input.ClientMutationId);

    [Description("STAFF (its owner, or an ADMIN): runs the definition now, as its owner, and returns the run (REFUSED when the owner may no longer run it).")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<ReportRun>> RunReportNow(RunReportNowInput input, [FromServices] ReportDefinitionCommands commands, CancellationToken ct) =>
        new(await commands.RunNowAsync(IdOf(input.ReportDefinitionId), input.ClientMutationId, ct), input.ClientMutationId);

    private static Guid IdOf(string id) => GlobalId.DecodeOrNotFound(id, ReportDefinitionGraphType.TypeName, "The report definition");
}

internal sealed class ReportColumnInput
{
    [Description("A dotted path in a row of the list (reference, country.code).")]
    public string Path { get; set; } = "";
    public string HeadingEn { get; set; } = "";
    public string? HeadingFr { get; set; }
    public string? HeadingEs { get; set; }
}

internal sealed class ReportChartInput
{
    public ReportChartKind Kind { get; set; }
    public string TitleEn { get; set; } = "";
    public string? TitleFr { get; set; }
    public string? TitleEs { get; set; }
    [Description("The column whose values are the categories (one of the columns' paths): BAR any, LINE a date or a number, MAP an ISO alpha-2 country code.")]
    public string CategoryPath { get; set; } = "";
    [Description("A numeric column summed per category (one of the columns' paths); absent: the rows are counted.")]
    public string? ValuePath { get; set; }

    internal ReportChart Chart() => new() { Kind = Kind, TitleEn = TitleEn, TitleFr = TitleFr, TitleEs = TitleEs, CategoryPath = CategoryPath, ValuePath = ValuePath };
}

internal sealed class ReportDateVariablesInput
{
    public RelativeDateWindow Window { get; set; }
    [Description("The query's Date variable that gets the window's first day.")]
    public string FromVariable { get; set; } = "";
    [Description("The query's Date variable that gets the window's last day (both inclusive).")]
    public string? ToVariable { get; set; }
}

internal sealed class CreateReportDefinitionInput : IdempotentInput
{
    public string Name { get; set; } = "";
    [Description("One GraphQL query operation; declare $after (String) to have a run read every page of the list's connection.")]
    public string Query { get; set; } = "";
    [Description("The query's fixed variables, a JSON object (text).")]
    public string? Variables { get; set; }
    [Description("Relative date windows resolved at each run in the definition's time zone.")]
    public List<ReportDateVariablesInput>? DateVariables { get; set; }
    [Description("The list in the answer whose items are the rows (cases.nodes).")]
    public string ListPath { get; set; } = "";
    public List<ReportColumnInput> Columns { get; set; } = [];
    [Description("The headings' language; EN when absent.")]
    public ReportLanguage? Language { get; set; }
    [Description("A Quartz cron (0 0 8 ? * MON), at most hourly; absent: on demand only.")]
    public string? Cron { get; set; }
    [Description("IANA; Europe/Zurich when absent.")]
    public string? TimeZone { get; set; }
    [Description("CSV when absent. PDF only where the server has a headless Chromium.")]
    public List<ReportFormat>? Formats { get; set; }
    [Description("At most 6 charts over the rows, drawn in the HTML and the PDF (their figures in the XLSX).")]
    public List<ReportChartInput>? Charts { get; set; }
    [Description("Accounts that receive it: each one's clearance must reach the report's level.")]
    [Id] public List<string>? AccountRecipientIds { get; set; }
    [Description("Addresses outside the accounts: only for a PUBLIC report.")]
    public List<string>? EmailRecipients { get; set; }
    [Description("Webhooks you manage (registerWebhook) notified of each run, signed: its figures and download links, never its rows; withheld when the webhook's registrant may not see the run's level then.")]
    [Id] public List<string>? WebhookRecipientIds { get; set; }
    [Description("The most a run may contain (it runs with this clearance). " + WriteClearance.DefaultDescription)]
    public Confidentiality? Confidentiality { get; set; }

    public ReportDefinitionChange Change() => new(Name, Query, Variables, DateVariables?.Select(Dates).ToList(), ListPath, Columns.Select(Column).ToList(),
        Language, Cron, TimeZone, Formats, AccountRecipientIds, EmailRecipients, Confidentiality) { Charts = Charts?.Select(c => c.Chart()).ToList(), WebhookRecipientIds = WebhookRecipientIds };

    internal static ReportColumn Column(ReportColumnInput c) => new() { Path = c.Path, HeadingEn = c.HeadingEn, HeadingFr = c.HeadingFr, HeadingEs = c.HeadingEs };

    internal static ReportDateVariables Dates(ReportDateVariablesInput d) => new() { Window = d.Window, FromVariable = d.FromVariable, ToVariable = d.ToVariable };
}

/// <summary>Which definition (one input type per mutation).</summary>
internal abstract class ReportDefinitionRefInput : MutationInput
{
    [Id] public string ReportDefinitionId { get; set; } = "";
}

internal sealed class UpdateReportDefinitionInput : ReportDefinitionRefInput
{
    public string? Name { get; set; }
    public string? Query { get; set; }
    public string? Variables { get; set; }
    public List<ReportDateVariablesInput>? DateVariables { get; set; }
    public string? ListPath { get; set; }
    public List<ReportColumnInput>? Columns { get; set; }
    public ReportLanguage? Language { get; set; }
    [Description("\"\": on demand only.")]
    public string? Cron { get; set; }
    public string? TimeZone { get; set; }
    public List<ReportFormat>? Formats { get; set; }
    [Description("[]: no charts.")]
    public List<ReportChartInput>? Charts { get; set; }
    [Id] public List<string>? AccountRecipientIds { get; set; }
    public List<string>? EmailRecipients { get; set; }
    public Confidentiality? Confidentiality { get; set; }
    [Description("Webhooks you manage; [] for none.")]
    [Id] public List<string>? WebhookRecipientIds { get; set; }

    public ReportDefinitionChange Change() => new(Name, Query, Variables, DateVariables?.Select(CreateReportDefinitionInput.Dates).ToList(), ListPath,
        Columns?.Select(CreateReportDefinitionInput.Column).ToList(), Language, Cron, TimeZone, Formats, AccountRecipientIds, EmailRecipients, Confidentiality)
    {
        Charts = Charts?.Select(c => c.Chart()).ToList(),
        WebhookRecipientIds = WebhookRecipientIds,
    };
}

internal sealed class DeleteReportDefinitionInput : ReportDefinitionRefInput;

internal sealed class RunReportNowInput : IdempotentInput
{
    [Id] public string ReportDefinitionId { get; set; } = "";
}

/// <summary><c>LAST_7_DAYS</c> rather than GraphQL.NET's <c>LAST7_DAYS</c>: a digit is a word of its own.</summary>
internal sealed partial class RelativeDateWindowGraphType : EnumerationGraphType<RelativeDateWindow>
{
    public RelativeDateWindowGraphType()
    {
        Name = "RelativeDateWindow";
        Description = "Days before the day a run is for, in the definition's time zone: YESTERDAY, the LAST_7_DAYS or LAST_30_DAYS, the calendar LAST_WEEK (Monday to Sunday), LAST_MONTH, LAST_QUARTER, LAST_YEAR.";
    }

    protected override string ChangeEnumCase(string val) => Words().Replace(val, "_").ToUpperInvariant();

    [GeneratedRegex("(?<=[a-z])(?=[A-Z0-9])|(?<=[0-9])(?=[A-Z])")]
    private static partial Regex Words();
}

internal sealed class ReportColumnGraphType : ObjectGraphType<ReportColumn>
{
    public ReportColumnGraphType()
    {
        Name = "ReportColumn";
        Field(c => c.Path);
        Field(c => c.HeadingEn);
        Field(c => c.HeadingFr, nullable: true);
        Field(c => c.HeadingEs, nullable: true);
        this.FieldsShownWithRecord();
    }
}

internal sealed class ReportChartGraphType : ObjectGraphType<ReportChart>
{
    public ReportChartGraphType()
    {
        Name = "ReportChart";
        Description = "A chart over a report's rows: a value per category (the sum of valuePath, or the rows counted).";
        Field<NonNullGraphType<EnumerationGraphType<ReportChartKind>>>("kind").Resolve(c => c.Source.Kind);
        Field(c => c.TitleEn);
        Field(c => c.TitleFr, nullable: true);
        Field(c => c.TitleEs, nullable: true);
        Field(c => c.CategoryPath);
        Field(c => c.ValuePath, nullable: true).Description("Null: the rows are counted.");
        this.FieldsShownWithRecord();
    }
}

internal sealed class ReportDateVariablesGraphType : ObjectGraphType<ReportDateVariables>
{
    public ReportDateVariablesGraphType()
    {
        Name = "ReportDateVariables";
        Field<NonNullGraphType<RelativeDateWindowGraphType>>("window").Resolve(c => c.Source.Window);
        Field(d => d.FromVariable);
        Field(d => d.ToVariable, nullable: true);
        this.FieldsShownWithRecord();
    }
}

internal sealed class ReportDefinitionGraphType : ObjectGraphType<ReportDefinition>
{
    public const string TypeName = "ReportDefinition";

    public ReportDefinitionGraphType()
    {
        Name = TypeName;
        Description = "A report staff defined: its query, table, schedule, files and recipients. It runs as its owner, with the owner's clearance at each run, at most at its level.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => GlobalId.Encode(TypeName, c.Source.Id));
        Field(d => d.Name);
        Field(d => d.Query);
        Field(d => d.QueryHash).Description("The query's persisted-operation hash (lowercase hex SHA-256 of its text).");
        Field(d => d.Variables).Description("The query's fixed variables (a JSON object).");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ReportDateVariablesGraphType>>>>("dateVariables").Resolve(c => c.Source.DateVariables);
        Field(d => d.ListPath);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ReportColumnGraphType>>>>("columns").Resolve(c => c.Source.Columns);
        Field<NonNullGraphType<EnumerationGraphType<ReportLanguage>>>("language").Resolve(c => c.Source.Language);
        Field(d => d.Cron, nullable: true).Description("Null: on demand only.");
        Field(d => d.TimeZone);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<EnumerationGraphType<ReportFormat>>>>>("formats").Resolve(c => c.Source.Formats);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ReportChartGraphType>>>>("charts").Resolve(c => c.Source.Charts);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("accountRecipientIds")
            .Resolve(c => c.Source.AccountRecipients.Select(r => Guid.TryParse(r.AsSpan("user:".Length), out var id) ? GlobalId.Encode(ReportDefinitionCommands.AccountTypeName, id) : r));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("emailRecipients").Resolve(c => c.Source.EmailRecipients);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("webhookRecipientIds").Description("Webhooks notified of each run (their figures and links).")
            .Resolve(c => c.Source.WebhookRecipients.Select(w => GlobalId.Encode(ReportDefinitionCommands.WebhookTypeName, w)));
        Field<NonNullGraphType<ConfidentialityGraphType>>("confidentiality").Description("The most a run may contain.").Resolve(c => c.Source.Level);
        Field(d => d.OwnerId).Description("The caller it runs as (user:… or apikey:…; system:reports for the default Monthly statistics).");
        Field(d => d.Version).Description("Pass it as expectedVersion.");
        Field(d => d.CreatedAt);
        Field(d => d.UpdatedAt);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IsoDateTimeGraphType>>>>("nextRuns")
            .Description("The next fires of its schedule after now (in its time zone; count: 1 to " + ReportFires.MaxCountText + "); empty when it runs on demand only.")
            .Argument<IntGraphType>("count", a => a.DefaultValue = ReportFires.DefaultCount)
            .Resolve(c => c.Source.Cron is { } cron
                ? ReportFires.NextFires(cron, c.Source.TimeZone, c.Service<TimeProvider>().GetUtcNow(), ReportFires.CountOf(c.GetArgument<int?>("count")))
                : []);
        Field<ReportRunGraphType>("lastRun").Description("Its newest run; null before the first.")
            .Resolve(c => c.Loader<Guid, ReportRun>("report-definitions.last-run", c.Service<ReportRunStore>().LastRunsAsync).Load(c.Source.Id));
        this.FieldsShownWithRecord();
        Interface<NodeInterfaceGraphType>();
        IsTypeOf = o => o is ReportDefinition;
    }
}

internal sealed class ReportRunFileGraphType : ObjectGraphType<ReportRunFile>
{
    public ReportRunFileGraphType()
    {
        Name = "ReportRunFile";
        Field(f => f.Name);
        Field(f => f.ContentType);
        Field(f => f.Size).Description("Bytes.");
        Field<NonNullGraphType<StringGraphType>>("url").Description("Relative to the API's host: GET with the same credentials as /graphql.")
            .Resolve(c => ReportRunEndpoint.UrlOf(c.Source));
        this.FieldsShownWithRecord();
    }
}

internal sealed class ReportRunGraphType : ObjectGraphType<ReportRun>
{
    public const string TypeName = "ReportRun";

    public ReportRunGraphType()
    {
        Name = TypeName;
        Description = "One run of a report definition.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => GlobalId.Encode(TypeName, c.Source.Id));
        Field<NonNullGraphType<IdGraphType>>("definitionId").Resolve(c => GlobalId.Encode(ReportDefinitionGraphType.TypeName, c.Source.DefinitionId));
        Field<NonNullGraphType<EnumerationGraphType<ReportRunStatus>>>("status")
            .Description("RUNNING; SUCCEEDED; RETRYING (failed, tried again at nextAttemptAt); FAILED (after the last attempt); REFUSED (its owner may no longer run it: see error).")
            .Resolve(c => c.Source.Status);
        Field(r => r.Trigger).Description("SCHEDULE or MANUAL.");
        Field(r => r.ScheduledFor, nullable: true).Description("The scheduled fire it is for (one run per fire across the cluster).");
        Field<NonNullGraphType<IsoDateGraphType>>("forDay").Resolve(c => c.Source.ForDay).Description("The day it is for, in the definition's time zone (relative dates count back from it).");
        Field(r => r.Attempts);
        Field(r => r.NextAttemptAt, nullable: true);
        Field(r => r.StartedAt);
        Field(r => r.DurationMs, nullable: true);
        Field(r => r.Rows, nullable: true).Description("The rows of the table.");
        Field<NonNullGraphType<ConfidentialityGraphType>>("confidentiality").Description("The clearance it ran with: who may see its files.").Resolve(c => c.Source.Level);
        Field<IsoDateGraphType>("windowFrom").Description("The first date window's first day.").Resolve(c => c.Source.WindowFrom);
        Field<IsoDateGraphType>("windowTo").Description("The first date window's last day (inclusive).").Resolve(c => c.Source.WindowTo);
        Field(r => r.Error, nullable: true);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("deliveredTo").Description("user:… accounts and email:… addresses; webhook:… webhooks once they accepted the notification.").Resolve(c => c.Source.DeliveredTo);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("withheld")
            .Description("Recipients that got nothing of this run: an account whose clearance no longer reaches its level, an address a non-PUBLIC report never goes to, a message not sent, a webhook whose registrant may not see it (or that failed every attempt).")
            .Resolve(c => c.Source.Withheld);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ReportRunFileGraphType>>>>("files").Description("Kept Omct:Reports:RunFileDays days.").Resolve(c => c.Source.Files);
        this.FieldsShownWithRecord();
    }
}

/// <summary><c>node(id)</c> for report definitions: for those who may see them.</summary>
internal sealed class ReportDefinitionNodeResolver : INodeResolver
{
    public string TypeName => ReportDefinitionGraphType.TypeName;

    public async Task<object?> ResolveAsync(IResolveFieldContext context, Guid id) =>
        await context.Service<ReportDefinitionCommands>().LoadAsync(id, context.CancellationToken) is { } definition && definition.VisibleTo(context.GetCaller())
            ? definition
            : null;
}

/// <summary>A schedule's next fires: those of a saved definition (<c>nextRuns</c>) and those an editor asks for before saving (<c>reportSchedulePreview</c>).</summary>
internal static class ReportFires
{
    public const int DefaultCount = 3;
    public const int MaxCount = 20;
    public const string MaxCountText = "20";

    /// <summary>The fires of a cron and time zone checked as a definition's are (the same VALIDATION, in the same words); none for a blank cron.</summary>
    public static IReadOnlyList<DateTimeOffset> Checked(string cron, string timeZone, DateTimeOffset now, int? count)
    {
        var wanted = CountOf(count);
        var zone = ReportDefinitionCommands.TimeZoneOf(timeZone);
        return cron.Trim().Length == 0 ? [] : NextFires(ReportDefinitionCommands.Cron(cron.Trim(), zone, now), zone, now, wanted);
    }

    /// <summary>The next <paramref name="count"/> fires after <paramref name="now"/> (as <see cref="ScheduledReportsJob.LatestDue"/> reads the cron).</summary>
    public static IReadOnlyList<DateTimeOffset> NextFires(string cron, string timeZone, DateTimeOffset now, int count)
    {
        var expression = new CronExpression(cron, PlatformTimeZones.Resolve(timeZone));
        var fires = new List<DateTimeOffset>(count);
        for (var next = expression.GetNextValidTimeAfter(now); next is { } fire && fires.Count < count; next = expression.GetNextValidTimeAfter(fire))
        {
            fires.Add(fire);
        }

        return fires;
    }

    public static int CountOf(int? count) => count switch
    {
        null => DefaultCount,
        >= 1 and <= MaxCount => count.Value,
        _ => throw DomainException.Validation("count", $"Give 1 to {MaxCount}."),
    };
}
