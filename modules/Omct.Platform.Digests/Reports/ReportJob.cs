using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Jobs;
using Omct.Platform.BuildingBlocks.Text;
using Omct.Platform.BuildingBlocks.Time;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Digests.Composing;
using Omct.Platform.Submissions.Contracts;

namespace Omct.Platform.Digests.Reports;

/// <summary>
/// The monthly statistics, computed through the cases and submissions modules' contracts as a system
/// caller with the configured clearance (<c>Omct:Reports:Clearance</c>): totals as of the moment the
/// report is made (cases by country, by year opened, by status; visible case events by type) and the
/// month's own work (cases opened, case events recorded and interventions issued in the month; see
/// <see cref="CaseActivity"/>), and the submissions by mechanism and status.
/// </summary>
internal sealed class ReportBuilder(ICaseActivity cases, ISubmissionActivity submissions)
{
    public async Task<Report> BuildAsync(DateOnly month, Confidentiality clearance, TimeZoneInfo zone, DateTimeOffset now, CancellationToken ct)
    {
        var figures = await FiguresAsync(month, Caller.System("reports", clearance), zone, ct);
        return new Report(Report.IdOf(month, clearance), month, clearance, now, figures, Csv(figures), ReportHtml.Render(month, clearance, now, figures));
    }

    /// <summary>The figures of <paramref name="month"/> (its first day) as <paramref name="caller"/> may count them: what the report holds, and <c>monthlyStatistics</c> answers.</summary>
    public async Task<IReadOnlyList<ReportFigure>> FiguresAsync(DateOnly month, Caller caller, TimeZoneInfo zone, CancellationToken ct)
    {
        var last = month.AddMonths(1).AddDays(-1);
        var activity = await cases.InPeriodAsync(new CaseActivityPeriod(zone.StartOf(month), zone.StartOf(month.AddMonths(1)), month, last), [], caller, ct);
        var figures = new List<ReportFigure>();
        figures.AddRange(Count("opened_in_month_by_country", activity.Opened.Select(c => c.CountryCode)));
        figures.AddRange(Count("events_recorded_in_month_by_type", activity.Events.Select(e => Words.UpperSnake(e.Type))));
        figures.AddRange(Count("interventions_issued_in_month_by_type", activity.Interventions.Select(i => Words.UpperSnake(i.Type))));
        foreach (var (table, kind) in new[]
                 {
                     ("cases_by_country", CaseStatisticKind.Country), ("cases_by_year", CaseStatisticKind.Year),
                     ("cases_by_status", CaseStatisticKind.Status), ("events_by_type", CaseStatisticKind.EventType),
                 })
        {
            var counts = await cases.StatisticsAsync(kind, caller, ct);
            figures.AddRange(counts.Select(c => new ReportFigure(table, kind is CaseStatisticKind.Country or CaseStatisticKind.Year ? c.Key : Words.UpperSnake(c.Key), null, c.Count)));
        }

        var bySubmission = await submissions.StatisticsAsync(caller, ct);
        figures.AddRange(bySubmission.Select(s => new ReportFigure("submissions_by_mechanism_and_status", Words.UpperSnake(s.Mechanism), Words.UpperSnake(s.Status), s.Count)));
        return figures;
    }

    private static IEnumerable<ReportFigure> Count(string table, IEnumerable<string> keys) =>
        keys.GroupBy(k => k).Select(g => new ReportFigure(table, g.Key, null, g.LongCount()))
            .OrderByDescending(f => f.Count).ThenBy(f => f.Key, StringComparer.Ordinal);

    /// <summary>One row per figure (<c>table,key,sub_key,count</c>): long format, for spreadsheets and scripts alike.</summary>
    private static string Csv(IReadOnlyList<ReportFigure> figures)
    {
        var csv = new StringBuilder().Line("table", "key", "sub_key", "count");
        foreach (var f in figures)
        {
            csv.Line(f.Table, f.Key, f.SubKey, f.Count.ToString(CultureInfo.InvariantCulture));
        }

        return csv.ToString();
    }
}

/// <summary>
/// REPORT: a daily job whose day <c>d</c> makes the report of the month before <c>d</c>'s month when
/// it does not exist yet — so the scheduled run of the 1st makes last month's, a run for any day of a
/// month (<c>runJob(name: REPORT, asOf)</c>) makes the previous month's, a catch-up after downtime
/// makes each missed month once, and every other day writes nothing (it only checks).
/// </summary>
internal sealed class ReportJob(
    JobProgress progress, TimeProvider clock, ILogger<ReportJob> log, ReportBuilder builder, ReportStore reports,
    IOptions<ReportOptions> options, IOptions<DigestOptions> digestOptions) : DailyJob(progress, clock, log)
{
    public const string Name = "REPORT";

    public static JobDefinition Definition(DigestOptions options) => new(Name, typeof(ReportJob),
        JobSchedule.Daily(options.Cron, options.ResolvedTimeZone()), "reports",
        "Monthly statistics (CSV and HTML) of the previous month, once per month.", takesAsOf: true, group: "digests");

    protected override async Task<int> ProcessDayAsync(JobDay day, CancellationToken cancellationToken)
    {
        var month = new DateOnly(day.Day.Year, day.Day.Month, 1).AddMonths(-1);
        var clearance = options.Value.Clearance;
        if (await reports.ExistsAsync(Report.IdOf(month, clearance), day.Connection, day.Transaction, cancellationToken))
        {
            return 0;
        }

        var report = await builder.BuildAsync(month, clearance, digestOptions.Value.ResolvedTimeZone(), day.Now, cancellationToken);
        if (!await reports.InsertNewAsync(report, day.Connection, day.Transaction, cancellationToken))
        {
            return 0;
        }

        log.LogInformation("Report {ReportId} of {Month} at {Clearance}: {Figures} figures", report.Id, month, clearance, report.Figures.Count);
        return 1;
    }
}
