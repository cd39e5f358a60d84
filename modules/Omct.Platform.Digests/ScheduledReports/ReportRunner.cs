using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphQL;
using GraphQL.Types;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Time;
using Omct.Platform.Digests.ScheduledReports.Delivery;
using Omct.Platform.Digests.ScheduledReports.Formats;

namespace Omct.Platform.Digests.ScheduledReports;

/// <summary>
/// Runs a report definition once: re-reads its owner (a disabled account, a revoked key, a role below STAFF or a
/// clearance now below the definition's level refuses the run, with the reason, and says so in the log for admins),
/// resolves the relative date windows in the definition's time zone for the day the run is for, executes the query
/// through the one GraphQL schema as the owner with the definition's level as clearance — page after page when the
/// query takes <c>$after</c> and its list's connection answers <c>pageInfo { hasNextPage endCursor }</c> — writes the
/// files row by row, and delivers (<see cref="ReportDelivery"/>: an account recipient is mailed the run's links only while its
/// clearance reaches the level, an e-mail address only for a PUBLIC report, a webhook only while its registrant may see it;
/// a refusal is told to the admins once). Each end is in the definition's audit trail. A failure is retried with backoff
/// (<see cref="MaxAttempts"/> attempts in all) and then left FAILED with its message. While it runs, the run's lease
/// (<see cref="Lease"/>) is renewed page by page: a run whose host died is taken over by SCHEDULED_REPORTS.
/// </summary>
internal sealed class ReportRunner(
    IServiceScopeFactory scopes, ICallerDirectory callers, ReportRunStore runs, ReportDelivery delivery, IDocumentStore store, TimeProvider time,
    IGraphQLDocumentLimits limits, IPersistedOperations persisted, Microsoft.Extensions.Options.IOptions<ReportOptions> reportOptions, ILogger<ReportRunner> log,
    ReportPdfPrinter pdf)
{
    public const int MaxAttempts = 3;
    public const int MaxPages = 10_000;

    /// <summary>How long a RUNNING run is held by its host without a renewal; renewed every quarter of it while the run pages.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    /// <summary>The wait before attempt <paramref name="failed"/> + 1: 5, then 25 minutes.</summary>
    public static TimeSpan Backoff(int failed) => TimeSpan.FromMinutes(5 * Math.Pow(5, failed - 1));

    /// <summary>
    /// Claims and runs a fire (or a run on demand when <paramref name="scheduledFor"/> is null, started by <paramref name="startedBy"/>, who the
    /// audit trail records for its events); null when another host claimed the fire.
    /// </summary>
    public async Task<ReportRun?> StartAsync(ReportDefinition definition, string trigger, DateTimeOffset? scheduledFor, CancellationToken ct, string? startedBy = null)
    {
        var now = time.GetUtcNow();
        var day = ReportQuery.DayOf(definition, scheduledFor ?? now);
        var run = new ReportRun(Guid.CreateVersion7(), definition.Id, trigger, scheduledFor, day, ReportRunStatus.Running, 1, null, Micro(now), null, null,
            definition.Level, null, null, null, [], [], []);
        if (!await runs.ClaimAsync(run, now + Lease, ct))
        {
            return null;
        }

        if (startedBy is not null)
        {
            await ReportAudit.RecordAsync(store, definition.Id, startedBy, new ReportRunStarted(run.Id, run.Level), ct);
        }

        return await ExecuteAsync(definition, run, ct, startedBy);
    }

    /// <param name="by">Who the audit trail records for the run's end: the caller of a run on demand, else <see cref="ReportAudit.SystemCaller"/>.</param>
    public async Task<ReportRun> ExecuteAsync(ReportDefinition definition, ReportRun run, CancellationToken ct, string? by = null)
    {
        by ??= ReportAudit.SystemCaller;
        var watch = Stopwatch.StartNew();
        var owner = definition.OwnerId == Monthly.MonthlyStatisticsDefinition.OwnerId
            ? Monthly.MonthlyStatisticsDefinition.Owner(reportOptions.Value)
            : await callers.FindActiveAsync(definition.OwnerId, ct);
        var refusal = owner is null ? "The owner's account is disabled (or its key revoked or expired): the report no longer runs."
            : !owner.HasRole(Role.Staff) ? $"The owner's role ({Upper(owner.Role)}) may no longer run reports (STAFF and up)."
            : !owner.CanSee(definition.Level) ? $"The owner's clearance ({Upper(owner.Clearance)}) is now below the report's level ({Upper(definition.Level)}): the report no longer runs."
            : null;
        if (refusal is not null)
        {
            log.LogError("Report definition {DefinitionId} ({Name}) of {Owner} refused to run: {Reason}", definition.Id, definition.Name, definition.OwnerId, refusal);
            var refused = await EndAsync(definition, run with { Status = ReportRunStatus.Refused, Error = refusal, DurationMs = watch.ElapsedMilliseconds }, [], by, ct);
            await delivery.RefusedAsync(definition, refused, CancellationToken.None);
            return refused;
        }

        // The lease is renewed when a quarter of it has passed since the run was taken or last renewed.
        var renewed = run.StartedAt;
        async Task RenewAsync()
        {
            var now = time.GetUtcNow();
            if (now - renewed >= Lease / 4)
            {
                renewed = now;
                await runs.RenewLeaseAsync(run, now + Lease, ct);
            }
        }

        var (variables, window) = Variables(definition, run.ForDay);
        run = run with { WindowFrom = window?.From, WindowTo = window?.To };
        await using var files = new ReportFiles(definition, $"{definition.Name} ({run.ForDay:yyyy-MM-dd})", pdf);
        IReadOnlyList<(string Name, string ContentType, string Path)> made;
        try
        {
            if (definition.Formats.Contains(ReportFormat.Pdf) && pdf.Chromium is null)
            {
                throw new ReportQueryException(ReportPdfPrinter.Unavailable);
            }

            var query = await ReportQuery.StoredAsync(persisted, definition, ct);
            if (await ReportQuery.OverLimitsAsync(limits, query, definition, run.ForDay, ct) is { } over)
            {
                throw new ReportQueryException("The query may not run: " + over);
            }

            await QueryAsync(definition, query, owner! with { Clearance = definition.Level }, variables, files, RenewAsync, ct);
            made = await files.FinishAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var message = e is ReportQueryException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            message = message.Length > 2_000 ? message[..2_000] : message;
            var retry = run.Attempts < MaxAttempts;
            log.LogWarning(e, "Report definition {DefinitionId} run {RunId}, attempt {Attempt}, failed{Retry}", definition.Id, run.Id, run.Attempts,
                retry ? "; retried later" : "");
            return await EndAsync(definition, run with
            {
                Status = retry ? ReportRunStatus.Retrying : ReportRunStatus.Failed,
                NextAttemptAt = retry ? time.GetUtcNow() + Backoff(run.Attempts) : null,
                Error = message,
                DurationMs = watch.ElapsedMilliseconds,
            }, [], by, ct);
        }

        var (delivered, withheld) = await delivery.DeliverAsync(definition, run, made, files.Rows, ct);
        var done = run with
        {
            Status = ReportRunStatus.Succeeded, Rows = files.Rows, DurationMs = watch.ElapsedMilliseconds, DeliveredTo = delivered, Withheld = withheld,
            NextAttemptAt = null, Error = null,
        };
        log.LogInformation("Report definition {DefinitionId} run {RunId}: {Rows} rows, {Files} files, delivered to {Delivered}, withheld from {Withheld}",
            definition.Id, run.Id, files.Rows, made.Count, delivered.Count, withheld.Count);
        var ended = await EndAsync(definition, done, made, by, ct);
        // The webhooks are notified once the run and its files are recorded, so the links they get answer at once.
        if (definition.WebhookRecipients.Count == 0)
        {
            return ended;
        }

        await delivery.NotifyAsync(run.Id, CancellationToken.None);
        return await runs.FindAsync(run.Id, ct) ?? ended;
    }

    /// <summary>Records the run's end with its files, in the definition's audit trail too; a run not refused makes a later refusal news again.</summary>
    private async Task<ReportRun> EndAsync(ReportDefinition definition, ReportRun run, IReadOnlyList<(string Name, string ContentType, string Path)> files, string by,
        CancellationToken ct)
    {
        await runs.CompleteAsync(run, files, time.GetUtcNow(), CancellationToken.None);
        if (ReportAudit.Ended(run) is { } ended)
        {
            await ReportAudit.RecordAsync(store, definition.Id, by, ended, CancellationToken.None);
        }

        if (run.Status != ReportRunStatus.Refused)
        {
            await delivery.RanAsync(definition.Id, CancellationToken.None);
        }

        return await runs.FindAsync(run.Id, ct) ?? run;
    }

    /// <summary>The query's variables for a run on <paramref name="day"/>: its own, then each date window's bounds (<c>Date</c>, both inclusive).</summary>
    public static (JsonObject Variables, (DateOnly From, DateOnly To)? Window) Variables(ReportDefinition definition, DateOnly day)
    {
        var variables = JsonNode.Parse(definition.Variables) as JsonObject ?? [];
        (DateOnly, DateOnly)? first = null;
        foreach (var dates in definition.DateVariables)
        {
            var (from, to) = Resolve(dates.Window, day);
            first ??= (from, to);
            variables[dates.FromVariable] = from.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            if (dates.ToVariable is { } toName)
            {
                variables[toName] = to.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return (variables, first);
    }

    /// <summary>The days a window covers before <paramref name="day"/> (the day of the run in the definition's time zone).</summary>
    public static (DateOnly From, DateOnly To) Resolve(RelativeDateWindow window, DateOnly day)
    {
        var monday = day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
        var month = new DateOnly(day.Year, day.Month, 1);
        var quarter = new DateOnly(day.Year, ((day.Month - 1) / 3 * 3) + 1, 1);
        return window switch
        {
            RelativeDateWindow.Yesterday => (day.AddDays(-1), day.AddDays(-1)),
            RelativeDateWindow.Last7Days => (day.AddDays(-7), day.AddDays(-1)),
            RelativeDateWindow.Last30Days => (day.AddDays(-30), day.AddDays(-1)),
            RelativeDateWindow.LastWeek => (monday.AddDays(-7), monday.AddDays(-1)),
            RelativeDateWindow.LastMonth => (month.AddMonths(-1), month.AddDays(-1)),
            RelativeDateWindow.LastQuarter => (quarter.AddMonths(-3), quarter.AddDays(-1)),
            _ => (new DateOnly(day.Year - 1, 1, 1), new DateOnly(day.Year - 1, 12, 31)),
        };
    }

    private async Task QueryAsync(ReportDefinition definition, string query, Caller caller, JsonObject variables, ReportFiles files, Func<Task> renew, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CallerContext>().Set(caller);
        var executer = scope.ServiceProvider.GetRequiredService<IDocumentExecuter>();
        var schema = scope.ServiceProvider.GetRequiredService<ISchema>();
        var serializer = scope.ServiceProvider.GetRequiredService<IGraphQLTextSerializer>();
        var pages = ReportQuery.DeclaresAfter(query);
        var parentPath = definition.ListPath.Contains('.', StringComparison.Ordinal) ? definition.ListPath[..definition.ListPath.LastIndexOf('.')] : null;
        for (var page = 0; page < MaxPages; page++)
        {
            var inputs = serializer.Deserialize<Inputs>(variables.ToJsonString()) ?? Inputs.Empty;
            var result = await executer.ExecuteAsync(o =>
            {
                o.Schema = schema;
                o.Query = query;
                o.Variables = inputs;
                o.RequestServices = scope.ServiceProvider;
                o.UserContext = BuildingBlocks.GraphQL.ResolveFieldContextExtensions.UserContextFor(caller);
                o.CancellationToken = ct;
            });
            if (result.Errors is { Count: > 0 } errors)
            {
                throw new ReportQueryException("The query failed: " + string.Join("; ", errors.Select(e => e.Message).Distinct()));
            }

            using var answer = JsonDocument.Parse(serializer.Serialize(result));
            var data = answer.RootElement.GetProperty("data");
            if (Find(data, definition.ListPath) is not { ValueKind: JsonValueKind.Array } list)
            {
                throw new ReportQueryException($"The answer has no list at '{definition.ListPath}'.");
            }

            foreach (var row in list.EnumerateArray())
            {
                files.Add(definition.Columns.Select(c => Find(row, c.Path)).ToList());
            }

            var next = pages && parentPath is not null && Find(data, parentPath + ".pageInfo") is { ValueKind: JsonValueKind.Object } info
                       && info.TryGetProperty("hasNextPage", out var more) && more.ValueKind == JsonValueKind.True
                       && info.TryGetProperty("endCursor", out var cursor) && cursor.ValueKind == JsonValueKind.String
                ? cursor.GetString()
                : null;
            if (next is null)
            {
                return;
            }

            await renew();

            variables["after"] = next;
        }

        throw new ReportQueryException($"The answer has more than {MaxPages} pages.");
    }

    /// <summary>The value at a dotted path (<c>country.code</c>), or null when a step is missing or null.</summary>
    public static JsonElement? Find(JsonElement element, string path)
    {
        var current = element;
        foreach (var step in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(step, out current))
            {
                return null;
            }
        }

        return current.ValueKind == JsonValueKind.Null ? null : current;
    }

    private static string Upper<T>(T value) where T : struct, Enum => Composing.Words.UpperSnake(value.ToString());

    private static DateTimeOffset Micro(DateTimeOffset now) => now.AddTicks(-(now.Ticks % 10));
}

/// <summary>The query of a run answered with errors, or not with the list the definition reads.</summary>
internal sealed class ReportQueryException : Exception
{
    public ReportQueryException() : base("The report's query failed.")
    {
    }

    public ReportQueryException(string message) : base(message)
    {
    }

    public ReportQueryException(string message, Exception inner) : base(message, inner)
    {
    }
}
