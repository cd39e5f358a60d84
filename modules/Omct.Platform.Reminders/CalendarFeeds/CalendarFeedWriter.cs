using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Microsoft.Extensions.Options;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.BuildingBlocks.Text;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.News.Contracts;
using Omct.Platform.Submissions.Contracts;

namespace Omct.Platform.Reminders.CalendarFeeds;

/// <summary>
/// The content of a feed (RFC 5545, written by Ical.Net): the anniversaries, deadlines and scheduled publications the
/// caller may see, asked of their modules exactly as the console's calendar asks them (<c>anniversaries</c>,
/// <c>deadlines</c>, <c>articles(filter: { scheduledFrom, scheduledTo })</c>), each with its reminders as alarms
/// (the leads of <see cref="ReminderOptions"/>, the same the reminder jobs use). Names of victims are left out: a feed
/// ends up in other people's calendar services; the link to the record is there. For the same reason a defender mentioned
/// in a case's or an article's text reads "[name withheld]" (<see cref="Mentions.Withhold"/>), whoever the caller.
/// </summary>
internal sealed class CalendarFeedWriter(
    IAnniversaryCalendar anniversaries, ICaseActivity cases, ISubmissionActivity submissions, IArticleDirectory articles,
    IOptions<ReminderOptions> options, TimeProvider time)
{
    /// <summary>The window of a feed: the 30 days before <c>from</c>'s default and a year from it (the anniversaries' limit is 366 days).</summary>
    public const int DaysBefore = 30;
    public const int WindowDays = 365;

    public async Task<string> WriteAsync(Caller caller, DateOnly from, string origin, CancellationToken ct)
    {
        var to = from.AddDays(WindowDays);
        var settings = options.Value;
        var calendar = new Calendar { ProductId = "-//OMCT Platform//Calendar feed//EN" };
        calendar.AddProperty("X-WR-CALNAME", "OMCT");
        calendar.AddProperty("X-PUBLISHED-TTL", "PT1H");
        var stamp = new CalDateTime(time.GetUtcNow().UtcDateTime, "UTC", true);

        var dated = await anniversaries.BetweenAsync(from, to, caller, ct);
        var summaries = await cases.SummariesAsync(dated.Select(a => a.Key.CaseId).Distinct().ToList(), caller, ct);
        foreach (var a in dated)
        {
            if (!summaries.TryGetValue(a.Key.CaseId, out var c))
            {
                continue;
            }

            var what = c.Events.TryGetValue(a.Key.CaseEventId, out var e) ? Storage.ReminderWording.EventType(e.Type) : "event";
            var title = Storage.ReminderWording.Anniversary(a.Kind, a.Years, a.Days, what, Mentions.Withhold(c.Title)!);
            var item = AllDay(
                $"anniversary-{a.Key.CaseEventId:N}-{a.Key.VictimId ?? Guid.Empty:N}-{(a.Kind == AnniversaryKind.Yearly ? "yearly" : "detention")}-{a.Date:yyyyMMdd}",
                a.Date, title, $"{c.Reference} ({c.CountryCode}). {(a.Kind == AnniversaryKind.Yearly ? "Anniversary" : "Detention milestone")} of the {what} of {e?.Date}.",
                $"{origin}/console/cases/{Uri.EscapeDataString(GlobalId.Encode("Case", c.Id))}",
                a.Kind == AnniversaryKind.Yearly ? "ANNIVERSARY" : "DETENTION_MILESTONE", a.Confidentiality, stamp);
            Remind(item, [settings.AnniversaryLeadDays], title);
            calendar.Events.Add(item);
        }

        foreach (var d in await submissions.DeadlinesAsync(from, to, caller, ct))
        {
            var (kind, label) = Storage.ReminderWording.Deadline(d.Key.Kind);
            var typeName = d.Key.Kind == DeadlineKind.CallForInputDeadline ? SubmissionIds.CallForInput : SubmissionIds.Submission;
            var title = $"{label}: {d.Title}";
            var item = AllDay($"deadline-{kind.ToLowerInvariant()}-{d.Key.SubjectId:N}-{d.Key.Date:yyyyMMdd}", d.Key.Date, title,
                string.Join(" ", new[] { d.Mechanism, string.Join(", ", d.Countries) }.Where(s => !string.IsNullOrEmpty(s))),
                $"{origin}/console/submissions/{Uri.EscapeDataString(GlobalId.Encode(typeName, d.Key.SubjectId))}", kind, d.Confidentiality, stamp);
            Remind(item, settings.DeadlineLeads(), title);
            calendar.Events.Add(item);
        }

        foreach (var article in await articles.ScheduledAsync(from, to, caller, ct))
        {
            var start = new CalDateTime(article.PublishedAt.UtcDateTime, "UTC", true);
            var item = new CalendarEvent
            {
                Uid = $"publication-{article.Id:N}@omct-platform",
                DtStamp = stamp,
                DtStart = start,
                Duration = Duration.FromMinutes(30),
                Summary = $"Publication: {Mentions.Withhold(article.Title)}",
                Description = Mentions.Withhold(article.Summary),
                Url = new Uri($"{origin}/console/news/{Uri.EscapeDataString(GlobalId.Encode("Article", article.Id))}", UriKind.RelativeOrAbsolute),
                Class = article.Confidentiality == Confidentiality.Public ? "PUBLIC" : "CONFIDENTIAL",
            };
            item.Categories.Add("SCHEDULED_PUBLICATION");
            calendar.Events.Add(item);
        }

        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }

    private static CalendarEvent AllDay(string uid, DateOnly date, string summary, string description, string url, string category, Confidentiality level, CalDateTime stamp)
    {
        var item = new CalendarEvent
        {
            Uid = uid + "@omct-platform",
            DtStamp = stamp,
            DtStart = new CalDateTime(date),
            DtEnd = new CalDateTime(date.AddDays(1)),
            Summary = summary,
            Description = description,
            Url = new Uri(url, UriKind.RelativeOrAbsolute),
            Transparency = "TRANSPARENT",
            // A record above PUBLIC is marked so for calendar services that honour CLASS.
            Class = level == Confidentiality.Public ? "PUBLIC" : "CONFIDENTIAL",
        };
        item.Categories.Add(category);
        return item;
    }

    private static void Remind(CalendarEvent item, IEnumerable<int> leadDays, string title)
    {
        foreach (var lead in leadDays.Where(l => l > 0))
        {
            item.Alarms.Add(new Alarm
            {
                Action = "DISPLAY",
                Description = $"In {lead} day{(lead == 1 ? "" : "s")}: {title}",
                Trigger = new Trigger(-Duration.FromDays(lead)),
            });
        }
    }
}
