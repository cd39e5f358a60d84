using System.ComponentModel;
using GraphQL;
using JasperFx;
using Marten;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.BuildingBlocks.Modules;
using Omct.Platform.Digests.Reports;

namespace Omct.Platform.Digests.ScheduledReports.Monthly;

/// <summary><c>monthlyStatistics</c>: the monthly report's figures for any month, counted with the caller's clearance.</summary>
[QueryFields]
internal sealed class MonthlyStatisticsQueries
{
    [Description("The figures of the monthly report for the month of `month` (any day of it), counted with your clearance: totals as of now, " +
                 "and the month's own work in the platform's time zone (Omct:Digests:TimeZone). STAFF and up.")]
    [RequireRole(Role.Staff)]
    public Task<IReadOnlyList<ReportFigure>> MonthlyStatistics(DateOnly month, [FromServices] ReportBuilder builder, [FromServices] IOptions<DigestOptions> digests,
        IResolveFieldContext ctx) =>
        builder.FiguresAsync(new DateOnly(month.Year, month.Month, 1), ctx.GetCaller(), digests.Value.ResolvedTimeZone(), ctx.CancellationToken);
}

/// <summary>
/// The monthly report as a report definition every installation has: made at every start when absent (a fixed id, so
/// once across hosts), then left to admins like any definition — a change (recipients, formats, a cron of "" for on
/// demand only) stays; deleted, it comes back at the next start. Its owner is the system caller <c>system:reports</c>,
/// whose clearance is <c>Omct:Reports:Clearance</c> as configured at each run: the definition's level is that clearance
/// when it is made, and a run after the setting was lowered below it is REFUSED like any owner's lowered clearance.
/// It runs on the 1st of each month at the time of <c>Omct:Digests:Cron</c> in <c>Omct:Digests:TimeZone</c> — when the
/// REPORT job makes the month's report — and reads last month's <c>monthlyStatistics</c> (LAST_MONTH) into
/// <c>table,key,sub_key,count</c>, as CSV and HTML. Its query is kept as a persisted operation like any definition's.
/// </summary>
internal sealed class MonthlyStatisticsDefinition(
    IDocumentStore store, IPersistedOperations persisted, TimeProvider time, IOptions<ReportOptions> reports, IOptions<DigestOptions> digests,
    ILogger<MonthlyStatisticsDefinition> log) : IDefaultData
{
    public const string OwnerId = "system:reports";
    public const string Name = "Monthly statistics";
    public const string Query = "query($month: Date!) { monthlyStatistics(month: $month) { table key subKey count } }";

    public static readonly Guid Id = NameBasedId.Of("report-definition:monthly-statistics");

    /// <summary>Who the definition runs as: the system caller at the clearance configured now.</summary>
    public static Caller Owner(ReportOptions options) => Caller.System("reports", options.Clearance);

    /// <summary>The day-of-month fields of a daily Quartz cron set to the 1st: <c>0 0 7 * * ?</c> becomes <c>0 0 7 1 * ?</c>.</summary>
    public static string Monthly(string dailyCron)
    {
        var fields = dailyCron.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', fields.Take(3).Concat(["1", "*", "?"]).Concat(fields.Skip(6)));
    }

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        if (await session.LoadAsync<ReportDefinition>(Id, cancellationToken) is { } made)
        {
            await ReportQuery.RegisterAsync(persisted, made, OwnerId, cancellationToken);
            return;
        }

        var now = time.GetUtcNow();
        var definition = new ReportDefinition
        {
            Id = Id, Name = Name, Query = Query, QueryHash = ReportQuery.HashOf(Query), ListPath = "monthlyStatistics",
            DateVariables = [new ReportDateVariables { Window = RelativeDateWindow.LastMonth, FromVariable = "month" }],
            Columns = [Column("table"), Column("key"), Column("subKey", "sub_key"), Column("count")],
            Language = ReportLanguage.En, Cron = Monthly(digests.Value.Cron), TimeZone = digests.Value.TimeZone, Formats = [ReportFormat.Csv, ReportFormat.Html],
            Level = reports.Value.Clearance, OwnerId = OwnerId, ScheduledFrom = now, Version = 1, CreatedAt = now, UpdatedAt = now,
        };
        definition.OrderKey = await new OrderKeySequence(ReportDefinitionCommands.SequenceName).NextAsync(session, cancellationToken);
        await ReportQuery.RegisterAsync(persisted, definition, OwnerId, cancellationToken);
        session.Insert(definition);
        try
        {
            await session.SaveChangesAsync(cancellationToken);
            log.LogInformation("Made the default report definition {DefinitionId} ({Name}) at {Level}", Id, Name, definition.Level);
        }
        catch (DocumentAlreadyExistsException)
        {
            // Another host starting at the same moment made it.
        }
    }

    private static ReportColumn Column(string path, string? heading = null) => new() { Path = path, HeadingEn = heading ?? path };
}
