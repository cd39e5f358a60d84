using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.News.Domain;

// The events of an article stream (aliases "news.*", see NewsModule).

public sealed record ArticleDrafted(
    Guid ArticleId, ArticleKind Kind, Language OriginalLanguage, Confidentiality Confidentiality,
    IReadOnlyList<string> Countries, IReadOnlyList<string> Themes, IReadOnlyList<Guid> CaseIds, IReadOnlyList<Guid> DefenderIds,
    IReadOnlyList<Guid>? SubmissionIds = null, IReadOnlyList<Guid>? CallForInputIds = null);

/// <summary>A translation (or the original) added or replaced: title, summary, Markdown body, slug, and the sanitised HTML.</summary>
public sealed record TranslationSaved(Language Language, string Title, string? Summary, string Body, string BodyHtml, string Slug);

/// <summary>
/// Countries, themes and links replaced (null: unchanged). When the confidentiality changes,
/// <see cref="ConfidentialityFrom"/> and <see cref="Published"/> say who could read the article
/// before (for the change feed's REDACTED); null in events written before they were recorded.
/// <see cref="Reason"/>: why, when the editor gave one (a correction, such as a link added after publication).
/// </summary>
public sealed record ArticleTagged(
    IReadOnlyList<string>? Countries, IReadOnlyList<string>? Themes, IReadOnlyList<Guid>? CaseIds, IReadOnlyList<Guid>? DefenderIds,
    Confidentiality? Confidentiality, IReadOnlyList<Guid>? SubmissionIds = null, Confidentiality? ConfidentialityFrom = null, bool? Published = null,
    IReadOnlyList<Guid>? CallForInputIds = null, string? Reason = null);

public sealed record ArticleScheduled(DateTimeOffset PublishAt);

/// <summary>
/// Published; <see cref="PublishedAt"/> is its publication date: the moment itself, or, with
/// <see cref="OriginalDate"/>, the original date an editor gave for an article published before
/// (an archive brought in, in the past): the event's own timestamp says when it was recorded.
/// </summary>
public sealed record ArticlePublished(DateTimeOffset PublishedAt, bool? OriginalDate = null);

/// <summary>
/// A correction: the publication date of an article that was published set to its original date
/// (<see cref="Previous"/>: the date it had), with the editor's reason if given.
/// </summary>
public sealed record ArticlePublicationDateCorrected(DateTimeOffset PublishedAt, DateTimeOffset? Previous, string? Reason);

/// <summary>
/// The scheduler did not publish a scheduled article when its moment came, and gave it back to the
/// editors as a draft, saying why (a portrait whose defender's consent is no longer recorded).
/// </summary>
public sealed record ArticlePublicationWithheld(DateTimeOffset At, string Reason);

/// <summary>
/// Taken off the site: by an editor (no reason), or by the platform with a reason (a portrait's
/// consent withdrawn). <see cref="From"/> and <see cref="Confidentiality"/>: the status and level it
/// had (who could read it until now, for the change feed).
/// </summary>
public sealed record ArticleUnpublished(DateTimeOffset At, string? Reason = null, ArticleStatus? From = null, Confidentiality? Confidentiality = null);

/// <summary><see cref="From"/> and <see cref="Confidentiality"/> as on <see cref="ArticleUnpublished"/>.</summary>
public sealed record ArticleArchived(DateTimeOffset At, ArticleStatus? From = null, Confidentiality? Confidentiality = null);

/// <summary>
/// A person's name redacted from the article by their erasure (<c>eraseDefenderPersonalData</c>): each translation that
/// named them as it is now — title, summary, Markdown body, its HTML rendered again, and the slug, whose reservation moves
/// with it (the old address, which held the name, answers no more). The erasure also rewrote the earlier events in place.
/// </summary>
public sealed record ArticleTextRedacted(IReadOnlyList<TranslationSaved> Translations, DateTimeOffset At);
