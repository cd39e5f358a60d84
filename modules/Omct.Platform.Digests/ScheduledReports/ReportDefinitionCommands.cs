using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using JasperFx;
using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Idempotency;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.BuildingBlocks.Time;
using Omct.Platform.BuildingBlocks.Webhooks;
using Omct.Platform.Digests.ScheduledReports.Delivery;
using Omct.Platform.Digests.ScheduledReports.Formats;
using Omct.Platform.Digests.Subscriptions;
using Quartz;

namespace Omct.Platform.Digests.ScheduledReports;

/// <summary>What a create or an update asks for; on update a null field stays as it is (<c>cron: ""</c> makes the report on demand only).</summary>
internal sealed record ReportDefinitionChange(
    string? Name, string? Query, string? Variables, IReadOnlyList<ReportDateVariables>? DateVariables, string? ListPath, IReadOnlyList<ReportColumn>? Columns,
    ReportLanguage? Language, string? Cron, string? TimeZone, IReadOnlyList<ReportFormat>? Formats, IReadOnlyList<string>? AccountRecipientIds,
    IReadOnlyList<string>? EmailRecipients, Confidentiality? Confidentiality)
{
    /// <summary>The charts (<c>[]</c> takes them all away).</summary>
    public IReadOnlyList<ReportChart>? Charts { get; init; }

    /// <summary>Webhooks' ids (<c>Webhook</c> global ids) the caller manages; null: unchanged.</summary>
    public IReadOnlyList<string>? WebhookRecipientIds { get; init; }
}

/// <summary>
/// Creating, changing, deleting and running report definitions (STAFF and up). A definition above the caller's
/// clearance, or one it neither owns nor receives (admins see all within their clearance), is NOT_FOUND; one it sees but
/// does not own is FORBIDDEN to change unless it is an admin. Its level is at most the caller's clearance; every account
/// recipient's clearance must reach it, and e-mail addresses (outside the accounts) receive only PUBLIC reports.
/// </summary>
internal sealed partial class ReportDefinitionCommands(IDocumentStore store, MutationPipeline pipeline, TimeProvider time, ICallerDirectory callers, ReportRunner runner,
    ReportRunStore runs, ReportPdfPrinter pdf, IGraphQLDocumentLimits limits, IPersistedOperations persisted, IWebhookNotifications webhooks)
{
    public const int MaxColumns = 100;
    public const int MaxRecipients = 50;
    public const int MaxDateVariables = 10;
    public const string SequenceName = "digests_report_definition_seq";
    public const string AccountTypeName = "Account";
    public const string WebhookTypeName = "Webhook";

    private const string What = "The report definition";

    public Task<ReportDefinition> CreateAsync(ReportDefinitionChange change, string? clientMutationId, CancellationToken ct)
    {
        var caller = pipeline.Caller;
        return pipeline.RunAsync("createReportDefinition", clientMutationId,
            first => LoadVisibleAsync(first, caller, ct),
            async receipt =>
            {
                var now = time.GetUtcNow();
                var definition = new ReportDefinition
                {
                    Id = Guid.CreateVersion7(), OwnerId = caller.Id ?? throw DomainException.Unauthenticated(), CreatedAt = now, UpdatedAt = now, ScheduledFrom = now, Version = 1,
                    Level = caller.Writable(change.Confidentiality),
                    Query = change.Query ?? throw DomainException.Validation("query", "The query is required."),
                    ListPath = change.ListPath ?? throw DomainException.Validation("listPath", "The list path is required."),
                    Columns = change.Columns?.ToList() ?? throw DomainException.Validation("columns", "Give at least one column."),
                    Formats = change.Formats?.ToList() ?? [ReportFormat.Csv],
                };
                await ApplyAsync(definition, change with { Confidentiality = null }, caller, now, ct);
                await using var session = ReportAudit.Stamp(store.LightweightSession(), caller.Id, clientMutationId);
                definition.OrderKey = (await session.QueryAsync<long>($"select nextval('{store.Options.DatabaseSchemaName}.{SequenceName}')", ct))[0];
                session.Insert(definition);
                session.Events.Append(definition.Id, new ReportDefinitionCreated(definition.Level));
                receipt.Record(session, definition.Id);
                await SaveAsync(session, ct);
                return definition;
            }, ct);
    }

    public Task<ReportDefinition> UpdateAsync(Guid id, ReportDefinitionChange change, int? expectedVersion, string? clientMutationId, CancellationToken ct)
    {
        var caller = pipeline.Caller;
        return pipeline.RunAsync("updateReportDefinition", clientMutationId,
            first => LoadVisibleAsync(first, caller, ct),
            async receipt =>
            {
                await using var session = ReportAudit.Stamp(store.LightweightSession(), caller.Id, clientMutationId);
                var definition = Managed(await session.LoadAsync<ReportDefinition>(id, ct), caller);
                MutationPipeline.CheckVersion(definition.Version, expectedVersion, What);
                var now = time.GetUtcNow();
                await ApplyAsync(definition, change, caller, now, ct);
                definition.Version++;
                definition.UpdatedAt = now;
                session.Update(definition);
                session.Events.Append(definition.Id, new ReportDefinitionUpdated(definition.Version, definition.Level));
                session.QueueSqlCommand(ReportDeliveryStore.ClearSql(store.Options.DatabaseSchemaName), definition.Id);
                receipt.Record(session, definition.Id);
                await SaveAsync(session, ct);
                return definition;
            }, ct);
    }

    /// <summary>Deletes the definition with its runs and their files. A repeat is NOT_FOUND: it is gone.</summary>
    public Task<ReportDefinition> DeleteAsync(Guid id, int? expectedVersion, string? clientMutationId, CancellationToken ct)
    {
        var caller = pipeline.Caller;
        return pipeline.RunAsync<ReportDefinition>("deleteReportDefinition", clientMutationId,
            _ => throw DomainException.NotFound(What),
            async receipt =>
            {
                await using var session = ReportAudit.Stamp(store.LightweightSession(), caller.Id, clientMutationId);
                var definition = Managed(await session.LoadAsync<ReportDefinition>(id, ct), caller);
                MutationPipeline.CheckVersion(definition.Version, expectedVersion, What);
                session.Delete(definition);
                session.Events.Append(definition.Id, new ReportDefinitionDeleted(definition.Level));
                // One statement per queued command (Marten batches them): its runs' files, its runs, its refusal notice, its pending notifications.
                foreach (var sql in ReportRunStore.DeleteRunsSql(store.Options.DatabaseSchemaName).Concat(ReportDeliveryStore.DeleteSql(store.Options.DatabaseSchemaName)))
                {
                    session.QueueSqlCommand(sql, definition.Id);
                }

                receipt.Record(session, definition.Id);
                await SaveAsync(session, ct);
                return definition;
            }, ct);
    }

    /// <summary>Runs the definition now, in this request (as its owner, as a scheduled run would); a repeat answers the first run.</summary>
    public Task<ReportRun> RunNowAsync(Guid id, string? clientMutationId, CancellationToken ct)
    {
        var caller = pipeline.Caller;
        return pipeline.RunAsync("runReportNow", clientMutationId,
            async first => await runs.FindAsync(first, ct) is { } run && await LoadAsync(run.DefinitionId, ct) is { } definition && definition.VisibleTo(caller)
                ? run
                : throw DomainException.NotFound("The report run"),
            async receipt =>
            {
                var definition = Managed(await LoadAsync(id, ct), caller);
                var run = await runner.StartAsync(definition, "MANUAL", null, ct, caller.Id) ?? throw new InvalidOperationException("A run on demand is never claimed twice.");
                await receipt.RecordAsync(run.Id, ct);
                return run;
            }, ct);
    }

    public async Task<ReportDefinition?> LoadAsync(Guid id, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.LoadAsync<ReportDefinition>(id, ct);
    }

    private async Task<ReportDefinition> LoadVisibleAsync(Guid id, Caller caller, CancellationToken ct) =>
        MutationPipeline.Visible(await LoadAsync(id, ct), d => d.VisibleTo(caller), What);

    /// <summary>NOT_FOUND when the caller may not see it; FORBIDDEN when it sees it (a recipient) but neither owns it nor is an admin.</summary>
    private static ReportDefinition Managed(ReportDefinition? found, Caller caller)
    {
        var definition = MutationPipeline.Visible(found, d => d.VisibleTo(caller), What);
        return definition.ManagedBy(caller) ? definition : throw DomainException.Forbidden();
    }

    private async Task ApplyAsync(ReportDefinition definition, ReportDefinitionChange change, Caller caller, DateTimeOffset now, CancellationToken ct)
    {
        if (change.Name is not null || definition.Name.Length == 0)
        {
            definition.Name = Input.Required(change.Name, "name", 200);
        }

        if (change.Query is not null)
        {
            ReportQuery.Check(change.Query);
            definition.Query = change.Query;
            definition.QueryHash = ReportQuery.HashOf(change.Query);
        }

        if (change.Variables is not null)
        {
            definition.Variables = VariablesOf(change.Variables);
        }

        if (change.DateVariables is { } dates)
        {
            definition.DateVariables = dates.Count <= MaxDateVariables ? dates.ToList() : throw DomainException.Validation("dateVariables", $"At most {MaxDateVariables} windows.");
        }

        if (change.ListPath is not null)
        {
            definition.ListPath = Path(change.ListPath, "listPath");
        }

        if (change.Columns is { } columns)
        {
            definition.Columns = columns.Count is > 0 and <= MaxColumns
                ? columns.Select((c, i) => new ReportColumn
                {
                    Path = Path(c.Path, $"columns[{i}].path"), HeadingEn = Input.Required(c.HeadingEn, $"columns[{i}].headingEn", 200),
                    HeadingFr = Input.Optional(c.HeadingFr, $"columns[{i}].headingFr", 200), HeadingEs = Input.Optional(c.HeadingEs, $"columns[{i}].headingEs", 200),
                }).ToList()
                : throw DomainException.Validation("columns", $"Give 1 to {MaxColumns} columns.");
        }

        if (change.Language is { } language)
        {
            definition.Language = Enum.IsDefined(language) ? language : throw DomainException.Validation("language", "EN, FR or ES.");
        }

        if (change.TimeZone is not null)
        {
            definition.TimeZone = TimeZoneOf(change.TimeZone);
            definition.ScheduledFrom = now;
        }

        if (change.Cron is not null)
        {
            definition.Cron = change.Cron.Trim().Length == 0 ? null : Cron(change.Cron.Trim(), definition.TimeZone, now);
            definition.ScheduledFrom = now;
        }

        if (change.Formats is { } formats)
        {
            definition.Formats = formats.Count > 0 && formats.All(Enum.IsDefined)
                ? formats.Distinct().Order().ToList()
                : throw DomainException.Validation("formats", "Give one or more of CSV, XLSX, HTML, PDF.");
            if (definition.Formats.Contains(ReportFormat.Pdf) && pdf.Chromium is null)
            {
                throw DomainException.Validation("formats", ReportPdfPrinter.Unavailable);
            }
        }

        if (change.Charts is { } charts)
        {
            definition.Charts = ReportCharts.Of(charts);
        }

        if (change.Confidentiality is { } level)
        {
            WriteClearance.Ensure(level, caller.Clearance, "confidentiality");
            definition.Level = Enum.IsDefined(level) ? level : throw DomainException.Validation("confidentiality", "Not a level.");
        }

        if (change.EmailRecipients is { } emails)
        {
            definition.EmailRecipients = emails.Count <= MaxRecipients
                ? emails.Select((e, i) => SubscriptionCommands.Recipient(e, $"emailRecipients[{i}]")).DistinctBy(e => e.ToLowerInvariant()).ToList()
                : throw DomainException.Validation("emailRecipients", $"At most {MaxRecipients} addresses.");
        }

        if (change.AccountRecipientIds is { } accounts)
        {
            definition.AccountRecipients = accounts.Count <= MaxRecipients
                ? accounts.Select((a, i) => GlobalId.TryDecode(a, AccountTypeName, out var id) ? $"user:{id:D}"
                    : throw DomainException.Validation($"accountRecipientIds[{i}]", "Not an account's id.")).Distinct().ToList()
                : throw DomainException.Validation("accountRecipientIds", $"At most {MaxRecipients} accounts.");
        }

        if (change.WebhookRecipientIds is { } hooks)
        {
            definition.WebhookRecipients = hooks.Count <= MaxRecipients
                ? hooks.Select((w, i) => GlobalId.TryDecode(w, WebhookTypeName, out var id) ? id
                    : throw DomainException.Validation($"webhookRecipientIds[{i}]", "Not a webhook's id.")).Distinct().ToList()
                : throw DomainException.Validation("webhookRecipientIds", $"At most {MaxRecipients} webhooks.");
            for (var i = 0; i < definition.WebhookRecipients.Count; i++)
            {
                // The same words for an unknown webhook and one the caller does not manage.
                if (!await webhooks.ManagedByAsync(definition.WebhookRecipients[i], caller, ct))
                {
                    throw DomainException.Validation($"webhookRecipientIds[{i}]", "No webhook with this id that you manage.");
                }
            }
        }

        // Whatever changed, the whole definition must hold together.
        var declared = ReportQuery.Check(definition.Query);
        ReportCharts.CheckPaths(definition);
        for (var i = 0; i < definition.DateVariables.Count; i++)
        {
            var window = definition.DateVariables[i];
            if (!Enum.IsDefined(window.Window))
            {
                throw DomainException.Validation($"dateVariables[{i}].window", "Not a window.");
            }

            foreach (var (name, field) in new[] { (window.FromVariable, "fromVariable"), (window.ToVariable, "toVariable") })
            {
                if (name is not null && !declared.Contains(name))
                {
                    throw DomainException.Validation($"dateVariables[{i}].{field}", $"The query declares no variable ${name}.");
                }
            }
        }

        if (definition.EmailRecipients.Count > 0 && definition.Level != Confidentiality.Public)
        {
            throw DomainException.Validation("emailRecipients", "An e-mail address outside the accounts receives only PUBLIC reports: give accounts instead, or make the report PUBLIC.");
        }

        for (var i = 0; i < definition.AccountRecipients.Count; i++)
        {
            var recipient = await callers.FindActiveAsync(definition.AccountRecipients[i], ct);
            if (recipient is null || !recipient.CanSee(definition.Level))
            {
                // The same words for an unknown, a disabled and a too-low account: the caller learns nothing about accounts it may not see.
                throw DomainException.Validation($"accountRecipientIds[{i}]", "No active account with this id may receive a report at this level.");
            }
        }

        // The limits of a request over HTTP, with the variables of a run today; then the query is kept as a persisted operation.
        await ReportQuery.CheckLimitsAsync(limits, definition, now, ct);
        if (change.Query is not null)
        {
            await ReportQuery.RegisterAsync(persisted, definition, caller.Id ?? definition.OwnerId, ct);
        }
    }

    private static string VariablesOf(string text)
    {
        try
        {
            return text.Length <= ReportQuery.MaxLength && JsonNode.Parse(text) is JsonObject variables
                ? variables.ToJsonString()
                : throw DomainException.Validation("variables", "The variables are a JSON object.");
        }
        catch (JsonException)
        {
            throw DomainException.Validation("variables", "The variables are a JSON object.");
        }
    }

    private static string Path(string? value, string field)
    {
        var path = Input.Required(value, field, 300);
        return PathPattern().IsMatch(path) ? path : throw DomainException.Validation(field, "A dotted path of field names (cases.nodes, country.code).");
    }

    /// <summary>An IANA time zone <see cref="PlatformTimeZones"/> knows; VALIDATION on <c>timeZone</c> otherwise (also for the schedule's preview).</summary>
    internal static string TimeZoneOf(string timeZone) =>
        PlatformTimeZones.IsKnown(timeZone) ? timeZone : throw DomainException.Validation("timeZone", "Not an IANA time zone (Europe/Zurich).");

    /// <summary>A Quartz cron that fires at most hourly and again after <paramref name="now"/>; VALIDATION on <c>cron</c> otherwise (also for the schedule's preview).</summary>
    internal static string Cron(string cron, string timeZone, DateTimeOffset now)
    {
        if (!CronExpression.TryParse(cron, out _))
        {
            throw DomainException.Validation("cron", "Not a Quartz cron expression (seconds minutes hours day-of-month month day-of-week: 0 0 8 ? * MON).");
        }

        var expression = new CronExpression(cron, PlatformTimeZones.Resolve(timeZone));
        var next = expression.GetNextValidTimeAfter(now);
        if (next is not { } first || expression.GetNextValidTimeAfter(first) is { } second && second - first < TimeSpan.FromHours(1))
        {
            throw DomainException.Validation("cron", "The schedule fires at most once an hour, and fires again in the future.");
        }

        return cron;
    }

    private static async Task SaveAsync(IDocumentSession session, CancellationToken ct)
    {
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (ConcurrencyException)
        {
            throw MutationPipeline.Stale(What);
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*){0,9}$")]
    private static partial Regex PathPattern();
}
