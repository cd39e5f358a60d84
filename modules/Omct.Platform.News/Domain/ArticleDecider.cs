using System.Globalization;
using System.Text;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.History;
using Omct.Platform.BuildingBlocks.Rendering;
using Omct.Platform.BuildingBlocks.Text;

namespace Omct.Platform.News.Domain;

public sealed record TranslationInput(Language Language, string? Title, string? Summary, string? Body, string? Slug);

public sealed record DraftArticle(
    ArticleKind Kind, TranslationInput Original, Confidentiality? Confidentiality,
    IReadOnlyList<string> Countries, IReadOnlyList<string> Themes, IReadOnlyList<Guid> CaseIds, IReadOnlyList<Guid> DefenderIds,
    IReadOnlyList<Guid> SubmissionIds, IReadOnlyList<Guid>? CallForInputIds = null);

public sealed record TagArticle(
    IReadOnlyList<string>? Countries, IReadOnlyList<string>? Themes, IReadOnlyList<Guid>? CaseIds, IReadOnlyList<Guid>? DefenderIds, Confidentiality? Confidentiality,
    IReadOnlyList<Guid>? SubmissionIds = null, IReadOnlyList<Guid>? CallForInputIds = null, string? Reason = null);

/// <summary>
/// The decisions about an article: pure functions from its state and a command to events. A level is
/// written only up to the caller's <c>clearance</c> (<see cref="WriteClearance"/>).
/// </summary>
public static class ArticleDecider
{
    public const int MaxBody = 200_000;

    /// <summary>The earliest original publication date accepted (a date before it is a typing error).</summary>
    public static readonly DateTimeOffset EarliestPublication = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Why the platform takes a portrait back (scheduled: withheld; published: unpublished).</summary>
    public const string PortraitConsentMissing =
        "A portrait is public only while each linked defender's consent to a portrait is recorded; for at least one of them it is not.";

    /// <summary>The state an article's events lead to, one event at a time (null before <see cref="ArticleDrafted"/>).</summary>
    public static ArticleState? Evolve(ArticleState? state, object @event) => (state, @event) switch
    {
        (null, ArticleDrafted d) => new ArticleState(d.ArticleId, d.Kind, ArticleStatus.Draft, d.Confidentiality, [], null, false),
        (null, _) => null,
        (_, TranslationSaved t) => state with
        {
            Translations = [.. state.Translations.Where(x => x.Language != t.Language), new ArticleState.TranslationSlug(t.Language, t.Slug)],
        },
        (_, ArticleTextRedacted r) => state with
        {
            Translations = [.. state.Translations.Where(x => r.Translations.All(t => t.Language != x.Language)),
                .. r.Translations.Select(t => new ArticleState.TranslationSlug(t.Language, t.Slug))],
        },
        (_, ArticleTagged t) => state with { Confidentiality = t.Confidentiality ?? state.Confidentiality },
        (_, ArticleScheduled s) => state with { Status = ArticleStatus.Scheduled, PublishAt = s.PublishAt },
        (_, ArticlePublished p) => state with { Status = ArticleStatus.Published, PublishAt = null, WasPublished = true, PublishedAt = p.PublishedAt },
        (_, ArticlePublicationDateCorrected c) => state with { PublishedAt = c.PublishedAt },
        (_, ArticlePublicationWithheld) => state with { Status = ArticleStatus.Draft, PublishAt = null },
        (_, ArticleUnpublished) => state with { Status = ArticleStatus.Unpublished, PublishAt = null },
        (_, ArticleArchived) => state with { Status = ArticleStatus.Archived, PublishAt = null },
        _ => state,
    };

    public static IReadOnlyList<object> Draft(Guid id, DraftArticle c, Confidentiality clearance)
    {
        var level = WriteClearance.Writable(c.Confidentiality, clearance);
        var translation = Save(null, c.Original);
        return [new ArticleDrafted(id, c.Kind, c.Original.Language, level, Countries(c.Countries), Themes(c.Themes), [.. c.CaseIds.Distinct()],
            [.. c.DefenderIds.Distinct()], [.. c.SubmissionIds.Distinct()], [.. (c.CallForInputIds ?? []).Distinct()]), translation];
    }

    /// <summary>Adds or replaces a translation. A published article's slugs do not change.</summary>
    public static TranslationSaved Save(ArticleState? a, TranslationInput t)
    {
        EnsureEditable(a);
        var title = Input.Required(t.Title, "title", 300);
        var (body, html) = RenderBody(t.Body, "body");
        var existing = a?.SlugIn(t.Language);
        var slug = t.Slug is null ? existing ?? Slugify(title) : ValidSlug(t.Slug);
        if (a is { WasPublished: true } && existing is not null && existing != slug)
        {
            throw DomainException.Validation("slug", "The slug of a published article does not change (links to it must keep working).");
        }

        return new TranslationSaved(t.Language, title, Input.Optional(t.Summary, "summary", 2_000), body, html, slug);
    }

    /// <summary>
    /// A body as it is kept and read: the Markdown trimmed (not empty, at most <see cref="MaxBody"/> characters,
    /// else VALIDATION on <paramref name="field"/>) and its sanitised HTML. What <see cref="Save"/> stores as a
    /// translation's bodyHtml and what previewArticleBody shows the editor before saving.
    /// </summary>
    public static (string Body, string Html) RenderBody(string? markdown, string field)
    {
        var body = Input.Required(markdown, field, MaxBody);
        return (body, MarkdownRenderer.ToHtml(body));
    }

    public static ArticleTagged Tag(ArticleState a, TagArticle c, Confidentiality clearance)
    {
        EnsureEditable(a);
        if (c.Confidentiality is { } asked)
        {
            WriteClearance.Ensure(asked, clearance, "confidentiality");
        }

        var tagged = new ArticleTagged(c.Countries is null ? null : Countries(c.Countries), c.Themes is null ? null : Themes(c.Themes),
            c.CaseIds?.Distinct().ToList(), c.DefenderIds?.Distinct().ToList(), c.Confidentiality, c.SubmissionIds?.Distinct().ToList(),
            CallForInputIds: c.CallForInputIds?.Distinct().ToList(), Reason: Reason(c.Reason));
        return c.Confidentiality is { } level && level != a.Confidentiality
            ? tagged with { ConfidentialityFrom = a.Confidentiality, Published = a.Status == ArticleStatus.Published }
            : tagged;
    }

    /// <summary>
    /// Publishes now, or schedules for <paramref name="publishAt"/> when it is in the future; with
    /// <paramref name="originallyPublishedAt"/> (an article published before, elsewhere or on the old
    /// site), publishes now dated then: that moment must have passed (never a way to schedule).
    /// </summary>
    public static object Publish(ArticleState a, DateTimeOffset? publishAt, DateTimeOffset now, bool portraitConsented, DateTimeOffset? originallyPublishedAt = null)
    {
        if (originallyPublishedAt is { } original)
        {
            if (publishAt is not null)
            {
                throw DomainException.Validation("originallyPublishedAt", "Give publishAt (to publish later) or originallyPublishedAt (a publication of the past), not both.");
            }

            PastPublication(original, now, "originallyPublishedAt");
        }

        if (a.Status is ArticleStatus.Published)
        {
            throw DomainException.Validation("articleId", "The article is already published.");
        }

        if (a.Status is ArticleStatus.Archived)
        {
            throw DomainException.Validation("articleId", "The article is archived.");
        }

        if (a.Kind == ArticleKind.Portrait && !portraitConsented)
        {
            throw DomainException.Validation("articleId", "A portrait is published only while each linked defender's consent to a portrait is recorded.");
        }

        if (originallyPublishedAt is { } originally)
        {
            return new ArticlePublished(originally, OriginalDate: true);
        }

        return publishAt is { } at && at > now ? new ArticleScheduled(at) : new ArticlePublished(now);
    }

    /// <summary>
    /// A correction: the publication date of an article that was published becomes its original date
    /// (in the past), with the editor's reason if given.
    /// </summary>
    public static ArticlePublicationDateCorrected CorrectPublicationDate(ArticleState a, DateTimeOffset publishedAt, string? reason, DateTimeOffset now)
    {
        EnsureEditable(a);
        if (!a.WasPublished)
        {
            throw DomainException.Validation("articleId", "The article was never published: publish it with originallyPublishedAt instead.");
        }

        PastPublication(publishedAt, now, "publishedAt");
        var why = Reason(reason);
        return a.PublishedAt == publishedAt
            ? throw DomainException.Validation("publishedAt", "That is already the article's publication date.")
            : new ArticlePublicationDateCorrected(publishedAt, a.PublishedAt, why);
    }

    /// <summary>A correction's reason, as every module checks it (<see cref="RecordHistory.Reason"/>).</summary>
    public static string? Reason(string? reason) => RecordHistory.Reason(reason);

    private static void PastPublication(DateTimeOffset at, DateTimeOffset now, string field)
    {
        if (at > now)
        {
            throw DomainException.Validation(field, "An original publication date is in the past (to publish later, schedule with publishAt).");
        }

        if (at < EarliestPublication)
        {
            throw DomainException.Validation(field, "An original publication date is not before 1900.");
        }
    }

    /// <summary>
    /// What the scheduler does when the moment has come: publish once (nothing when no longer
    /// scheduled). A portrait whose consent is missing by then is not published: it goes back to
    /// the editors as a draft with the reason — not left scheduled, where it would appear whenever
    /// consent came back, long after the moment chosen for it.
    /// </summary>
    public static IReadOnlyList<object> PublishScheduled(ArticleState a, DateTimeOffset now, bool portraitConsented)
    {
        if (a.Status != ArticleStatus.Scheduled || a.PublishAt > now)
        {
            return [];
        }

        return a.Kind == ArticleKind.Portrait && !portraitConsented
            ? [new ArticlePublicationWithheld(now, PortraitConsentMissing)]
            : [new ArticlePublished(a.PublishAt!.Value)];
    }

    /// <summary>A published portrait whose consent was withdrawn is unpublished, with the reason (nothing otherwise).</summary>
    public static IReadOnlyList<object> WithdrawPortrait(ArticleState a, DateTimeOffset now) =>
        a is { Kind: ArticleKind.Portrait, Status: ArticleStatus.Published } ? [new ArticleUnpublished(now, PortraitConsentMissing, a.Status, a.Confidentiality)] : [];

    public static ArticleUnpublished Unpublish(ArticleState a, DateTimeOffset now) =>
        a.Status is ArticleStatus.Published or ArticleStatus.Scheduled
            ? new ArticleUnpublished(now, From: a.Status, Confidentiality: a.Confidentiality)
            : throw DomainException.Validation("articleId", "Only a published or scheduled article can be unpublished.");

    public static ArticleArchived Archive(ArticleState a, DateTimeOffset now) =>
        a.Status == ArticleStatus.Archived
            ? throw DomainException.Validation("articleId", "The article is already archived.")
            : new ArticleArchived(now, a.Status, a.Confidentiality);

    /// <summary>"Zimbabwe: Ongoing risks…" → "zimbabwe-ongoing-risks…" (accents removed, mentions left out, at most 80 characters).</summary>
    public static string Slugify(string title)
    {
        var builder = new StringBuilder();
        foreach (var ch in Mentions.Without(title).Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsAsciiLetterOrDigit(ch))
            {
                builder.Append(char.ToLowerInvariant(ch));
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        var slug = builder.ToString().Trim('-');
        slug = slug.Length > 80 ? slug[..80].TrimEnd('-') : slug;
        return slug.Length == 0 ? "article" : slug;
    }

    private static string ValidSlug(string slug)
    {
        var trimmed = slug.Trim();
        return trimmed.Length is > 0 and <= 100 && trimmed.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
                                                && !trimmed.StartsWith('-') && !trimmed.EndsWith('-')
            ? trimmed
            : throw DomainException.Validation("slug", "A slug has lower-case letters, digits and single hyphens (at most 100).");
    }

    private static void EnsureEditable(ArticleState? a)
    {
        if (a?.Status == ArticleStatus.Archived)
        {
            throw DomainException.Validation("articleId", "The article is archived.");
        }
    }

    private static List<string> Countries(IReadOnlyList<string> codes) =>
        codes.Select((c, i) => Input.Country(c, $"countryCodes[{i}]").Code).Distinct().ToList();

    private static List<string> Themes(IReadOnlyList<string> themes)
    {
        var list = themes.Select(t => t.Trim().ToLowerInvariant()).Where(t => t.Length > 0).Distinct().ToList();
        return list.Count > 20 || list.Any(t => t.Length > 60)
            ? throw DomainException.Validation("themes", "At most 20 themes of at most 60 characters.")
            : list;
    }
}
