using System.Globalization;
using System.Text;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Countries;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.BuildingBlocks.Rendering;
using Omct.Platform.BuildingBlocks.Text;
using Omct.Platform.BuildingBlocks.Time;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.Files.Contracts;
using Omct.Platform.Digests.Subscriptions;
using Omct.Platform.News.Contracts;
using Omct.Platform.Submissions.Contracts;

namespace Omct.Platform.Digests.Composing;

/// <summary>
/// Composes one digest for a subscription and a period. Everything is read through the other modules'
/// contracts as a system caller with exactly the audience's clearance, so each module applies its own
/// rules (a case event above the audience does not exist, a defender's name without consent is never
/// public, a portrait without consent is not published …): this class never decides what a clearance
/// may see, it only lays out what it was given, filtered by the subscription's countries and themes.
/// </summary>
internal sealed class DigestComposer(
    ICaseActivity cases, IAnniversaryCalendar anniversaries, IDefenderDirectory defenders, IArticleDirectory articles, ISubmissionActivity submissions,
    IAttachedFiles files, Microsoft.Extensions.Options.IOptions<DigestOptions> options)
{
    public const int AnniversaryDays = 14;
    public const int DeadlineDays = 30;

    /// <summary>The id of a subscription's digest of a period: the same on every run and every node.</summary>
    public static Guid IdOf(Guid subscriptionId, DigestPeriod period, DateOnly from) =>
        NameBasedId.Of($"digest:{subscriptionId:N}:{period}:{from:yyyy-MM-dd}");

    public static Guid DeliveryIdOf(Guid digestId, DeliveryChannel channel, string target) =>
        NameBasedId.Of($"delivery:{digestId:N}:{channel}:{target.ToLowerInvariant()}");

    /// <summary>The digest made on <paramref name="day"/> for the period [from, to] (days in <paramref name="zone"/>).</summary>
    public async Task<Digest> ComposeAsync(
        DigestSubscription subscription, DateOnly day, DateOnly from, DateOnly to, TimeZoneInfo zone, DateTimeOffset now, CancellationToken ct)
    {
        var audience = Caller.System("digests", subscription.Audience);
        var countries = subscription.Countries;
        var period = new CaseActivityPeriod(zone.StartOf(from), zone.StartOf(to.AddDays(1)), from, to);

        var activity = await cases.InPeriodAsync(period, countries, audience, ct);
        var published = await articles.PublishedAsync(period.From, period.To, countries, subscription.Themes, audience, ct);
        var upcoming = await anniversaries.BetweenAsync(day, day.AddDays(AnniversaryDays - 1), audience, ct);
        var anniversaryCases = await cases.SummariesAsync(upcoming.Select(a => a.Key.CaseId).Distinct().ToList(), audience, ct);
        upcoming = upcoming.Where(a => anniversaryCases.TryGetValue(a.Key.CaseId, out var c) && InCountries(countries, c.CountryCode)).ToList();
        var deadlines = (await submissions.DeadlinesAsync(day, day.AddDays(DeadlineDays - 1), audience, ct))
            .Where(d => InCountries(countries, d.Countries)).ToList();
        var calls = (await submissions.OpenCallsAsync(day, audience, ct)).Where(c => InCountries(countries, c.Countries)).ToList();

        // Defenders are named as the defenders module names them for this audience (name, else pseudonym, else nothing).
        var defenderIds = activity.Events.SelectMany(e => e.Victims)
            .Concat(upcoming.Select(a => a.Key.VictimId is { } v && anniversaryCases[a.Key.CaseId].Victims.TryGetValue(v, out var victim) ? victim : null))
            .Select(v => v?.DefenderId).OfType<Guid>()
            // and those mentioned (@[id]) in the texts the digest quotes: the same call names them all.
            .Concat(Mentions.Ids(DefenderIds.Defender, [.. activity.Events.Select(e => e.Description), .. published.Select(a => a.Summary)]))
            .Distinct().ToList();
        var names = await defenders.DisplayNamesAsync(defenderIds, audience, ct);

        // The files attached in the period to the new cases and the new case events, by the files module's rule for this
        // audience (the file's own level and its record's): named on the record's item, "Files: warrant.pdf".
        var caseFiles = await FilesOfAsync(CaseRecord, activity.Opened.Select(c => c.Id).ToList(), period, audience, ct);
        var eventFiles = await FilesOfAsync(CaseEventRecord, activity.Events.Select(e => e.EventId).ToList(), period, audience, ct);

        // A victim as a piece of text: a registered defender's name carries the defender's id (what an erasure finds it by).
        DigestTextPart? NameOf(VictimSummary v) => v.DefenderId is { } id
            ? names.GetValueOrDefault(id) is { } name ? new DigestTextPart(name, id) : null
            : v.Name is { } plain ? new DigestTextPart(plain) : null;

        var max = options.Value.MaxItemsPerSection;
        var sections = new List<DigestSection>
        {
            DigestSection.Capped(DigestSectionKind.NewCases, "New cases", activity.Opened.Select(c =>
            {
                var text = new ItemText();
                text.AddFiles(caseFiles.GetValueOrDefault(c.Id));
                return text.Item(new DigestItem(TitleOf(c.Title), null, Iso(c.OpenedOn), c.Reference, c.CountryCode, c.Status.ToUpperInvariant(), "Case", c.Id));
            }).ToList(), max),
            DigestSection.Capped(DigestSectionKind.CaseEvents, "New case events", activity.Events.Select(e =>
            {
                var c = activity.Cases[e.CaseId];
                var victims = e.Victims.Select(NameOf).OfType<DigestTextPart>().ToList();
                var text = new ItemText();
                if (e.Description is not null)
                {
                    text.AddMentioning(e.Description, names);
                }

                if (victims.Count > 0)
                {
                    text.Add(e.Description is null ? "Victims: " : " Victims: ");
                    for (var i = 0; i < victims.Count; i++)
                    {
                        if (i > 0)
                        {
                            text.Add(", ");
                        }

                        text.Add(victims[i]);
                    }
                }

                text.AddFiles(eventFiles.GetValueOrDefault(e.EventId));
                return text.Item(new DigestItem(TitleOf(c.Title), null, e.Date, c.Reference, c.CountryCode, Words.UpperSnake(e.Type), "Case", c.Id));
            }).ToList(), max),
            DigestSection.Capped(DigestSectionKind.Interventions, "Interventions issued", activity.Interventions.Select(i =>
            {
                var c = activity.Cases[i.CaseId];
                return new DigestItem(TitleOf(c.Title), null, Iso(i.IssuedOn), i.Reference, c.CountryCode, Words.UpperSnake(i.Type), "Case", c.Id);
            }).ToList(), max),
            DigestSection.Capped(DigestSectionKind.Articles, "Published articles", published.Select(a =>
            {
                var text = new ItemText();
                if (a.Summary is not null)
                {
                    text.AddMentioning(a.Summary, names);
                }

                return text.Item(new DigestItem(
                    TitleOf(a.Title), null, Iso(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(a.PublishedAt, zone).DateTime)), a.Slug,
                    a.Countries.Count > 0 ? a.Countries[0] : null, Words.UpperSnake(a.Kind), "Article", a.Id));
            }).ToList(), max),
            DigestSection.Capped(DigestSectionKind.Anniversaries, $"Anniversaries in the next {AnniversaryDays} days", upcoming.Select(a =>
            {
                var c = anniversaryCases[a.Key.CaseId];
                var what = c.Events.TryGetValue(a.Key.CaseEventId, out var e) ? Words.UpperSnake(e.Type) : null;
                var victim = a.Key.VictimId is { } v && c.Victims.TryGetValue(v, out var found) ? NameOf(found) : null;
                var text = new ItemText();
                if (a.Kind == AnniversaryKind.Yearly)
                {
                    text.Add($"{a.Years} year{(a.Years == 1 ? "" : "s")} since the {what?.ToLowerInvariant().Replace('_', ' ') ?? "event"} of {e?.Date}");
                }
                else
                {
                    text.Add($"{a.Days} days of detention{(victim is null ? "" : " of ")}");
                    text.Add(victim);
                }

                return text.Item(new DigestItem(TitleOf(c.Title), null, Iso(a.Date), c.Reference, c.CountryCode, a.Kind == AnniversaryKind.Yearly ? "YEARLY" : "DETENTION_DAYS", "Case", c.Id));
            }).ToList(), max),
            DigestSection.Capped(DigestSectionKind.Deadlines, $"Deadlines in the next {DeadlineDays} days", deadlines.Select(d => new DigestItem(
                d.Title, d.Mechanism is null ? null : Words.UpperSnake(d.Mechanism), Iso(d.Key.Date), null, d.Countries.Count == 1 ? d.Countries[0] : null,
                Words.UpperSnake(d.Key.Kind.ToString()), d.Key.Kind == DeadlineKind.CallForInputDeadline ? SubmissionIds.CallForInput : SubmissionIds.Submission,
                d.Key.SubjectId)).ToList(), max),
            DigestSection.Capped(DigestSectionKind.CallsForInput, "Open calls for input", calls.Select(c => new DigestItem(
                c.Title, c.Question, Iso(c.Deadline), null, c.Countries.Count == 1 ? c.Countries[0] : null, null, SubmissionIds.CallForInput, c.Id)).ToList(), max),
        };

        return Rendered(new Digest(IdOf(subscription.Id, subscription.Period, from), subscription.Id, subscription.Name, subscription.Period, from, to,
            subscription.Audience, now, "", "", sections));
    }

    /// <summary>
    /// The digest with its Markdown and HTML rendered from what it stores (name, period, audience, time
    /// and sections): how a digest is made, and how an erasure renders it again once a name is gone.
    /// </summary>
    public static Digest Rendered(Digest digest)
    {
        var markdown = Markdown(digest.SubscriptionName, digest.Period, digest.Audience, digest.From, digest.To, digest.GeneratedAt, digest.Sections);
        return digest with { Markdown = markdown, Html = MarkdownRenderer.ToHtml(markdown) };
    }

    private static string Markdown(
        string name, DigestPeriod period, Confidentiality audience, DateOnly from, DateOnly to, DateTimeOffset now, IReadOnlyList<DigestSection> sections)
    {
        var md = new StringBuilder();
        var span = from == to ? Iso(from) : $"{Iso(from)} to {Iso(to)}";
        md.Append("# ").Append(MarkdownText.Escape(name)).Append(": ")
            .Append(period == DigestPeriod.Daily ? "daily" : "weekly").Append(" digest, ").Append(MarkdownText.Escape(span)).Append("\n\n");
        md.Append("_Audience: ").Append(audience.ToString().ToUpperInvariant()).Append(". Generated ")
            .Append(MarkdownText.Escape(now.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))).Append(" UTC._\n");
        foreach (var section in sections)
        {
            md.Append("\n## ").Append(MarkdownText.Escape(section.Title)).Append(" (").Append(section.TotalCount).Append(")\n\n");
            if (section.Items.Count == 0)
            {
                md.Append("Nothing in this period.\n");
                continue;
            }

            foreach (var item in section.Items)
            {
                md.Append("- ");
                if (item.Date is not null)
                {
                    md.Append(MarkdownText.Escape(item.Date)).Append(' ');
                }

                if (item.Type is not null)
                {
                    md.Append('`').Append(item.Type.Replace("`", "", StringComparison.Ordinal)).Append("` ");
                }

                if (item.Reference is not null && item.EntityType == "Case")
                {
                    md.Append("**").Append(MarkdownText.Escape(item.Reference)).Append("** ");
                }

                md.Append(MarkdownText.Escape(item.Title));
                if (item.CountryCode is { } code && Country.TryGet(code, out var country))
                {
                    md.Append(" (").Append(MarkdownText.Escape(country.Name)).Append(')');
                }

                if (item.Text is not null)
                {
                    md.Append(": ").Append(MarkdownText.Escape(item.Text));
                }

                md.Append('\n');
            }

            if (section.TotalCount > section.Items.Count)
            {
                md.Append("- … and ").Append(section.TotalCount - section.Items.Count).Append(" more in the platform.\n");
            }
        }

        return md.ToString();
    }

    /// <summary>The global id types of the cases module's records that take files.</summary>
    private const string CaseRecord = "Case";
    private const string CaseEventRecord = "CaseEvent";

    private async Task<IReadOnlyDictionary<Guid, List<AttachedFileName>>> FilesOfAsync(
        string recordType, IReadOnlyCollection<Guid> recordIds, CaseActivityPeriod period, Caller audience, CancellationToken ct) =>
        (await files.AttachedBetweenAsync(recordType, recordIds, period.From, period.To, audience, ct))
        .GroupBy(f => f.RecordId).ToDictionary(g => g.Key, g => g.ToList());

    private static bool InCountries(List<string> wanted, string country) => wanted.Count == 0 || wanted.Contains(country);

    /// <summary>Something for several countries (none: for all) is in the filter when any of them is, or when it is for all.</summary>
    private static bool InCountries(List<string> wanted, IReadOnlyList<string> countries) =>
        wanted.Count == 0 || countries.Count == 0 || countries.Any(wanted.Contains);

    /// <summary>
    /// A title as a stored digest may hold it: a defender mentioned in it reads <see cref="Mentions.Withheld"/>, whatever the
    /// audience. An item's title is one string (only its text is kept in pieces an erasure can find a name by), so a name put
    /// there would outlive the person's erasure; the item's text, and the record it links to, name them as the audience may.
    /// </summary>
    private static string TitleOf(string title) => Mentions.Withhold(title)!;

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

}

/// <summary>
/// An item's text built from pieces: the item gets the text, and its pieces too when a piece is a
/// registered defender's name (only then is there anything an erasure would have to find).
/// </summary>
internal sealed class ItemText
{
    private readonly List<DigestTextPart> _parts = [];

    public void Add(string text) => _parts.Add(new DigestTextPart(text));

    /// <summary>
    /// A text that may mention defenders (@[id]): each mention a piece of its own with the defender's id and the name the
    /// audience may read (what an erasure replaces, as a victim's name), or <see cref="Mentions.Withheld"/> with no id.
    /// </summary>
    public void AddMentioning(string text, IReadOnlyDictionary<Guid, string> names)
    {
        if (!Mentions.Any(text))
        {
            Add(text);
            return;
        }

        foreach (var (piece, id) in Mentions.Pieces(text, DefenderIds.Defender, names))
        {
            _parts.Add(new DigestTextPart(piece, id));
        }
    }

    public void Add(DigestTextPart? part)
    {
        if (part is not null)
        {
            _parts.Add(part);
        }
    }

    /// <summary>"Files: a.pdf, b.jpg" after what the text holds; each name a piece of its own with the file's id.</summary>
    public void AddFiles(IReadOnlyList<AttachedFileName>? files)
    {
        if (files is not { Count: > 0 })
        {
            return;
        }

        Add(_parts.Count == 0 ? DigestFiles.Label : " " + DigestFiles.Label);
        for (var i = 0; i < files.Count; i++)
        {
            if (i > 0)
            {
                Add(DigestFiles.Separator);
            }

            _parts.Add(new DigestTextPart(files[i].FileName, FileId: files[i].FileId));
        }
    }

    public DigestItem Item(DigestItem item) => _parts.Count == 0
        ? item
        : item with
        {
            Text = string.Concat(_parts.Select(p => p.Text)),
            Parts = _parts.Any(p => p.DefenderId is not null || p.FileId is not null) ? [.. _parts] : null,
        };
}

internal static class Words
{
    /// <summary><c>UrgentAppeal</c> → <c>URGENT_APPEAL</c>: the API's enum names.</summary>
    public static string UpperSnake(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]) && !char.IsUpper(name[i - 1]))
            {
                text.Append('_');
            }

            text.Append(char.ToUpperInvariant(name[i]));
        }

        return text.ToString();
    }
}
