using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.News.Domain;

// The events of an article stream (aliases "news.*", see NewsModule).

public sealed record ArticleDrafted(
    Guid ArticleId, ArticleKind Kind, Language OriginalLanguage, Confidentiality Confidentiality,
    IReadOnlyList<string> Countries, IReadOnlyList<string> Themes, IReadOnlyList<Guid> CaseIds, IReadOnlyList<Guid> DefenderIds);

/// <summary>A translation (or the original) added or replaced: title, summary, Markdown body, slug, and the sanitised HTML.</summary>
public sealed record TranslationSaved(Language Language, string Title, string? Summary, string Body, string BodyHtml, string Slug);

/// <summary>
/// Countries, themes and links replaced (null: unchanged). When the confidentiality changes,
/// <see cref="ConfidentialityFrom"/> and <see cref="Published"/> say who could read the article
/// before (for the change feed's REDACTED); null in events written before they were recorded.
/// </summary>
public sealed record ArticleTagged(
    IReadOnlyList<string>? Countries, IReadOnlyList<string>? Themes, IReadOnlyList<Guid>? CaseIds, IReadOnlyList<Guid>? DefenderIds,
    Confidentiality? Confidentiality, Confidentiality? ConfidentialityFrom = null, bool? Published = null);

public sealed record ArticleScheduled(DateTimeOffset PublishAt);

public sealed record ArticlePublished(DateTimeOffset PublishedAt);

/// <summary><see cref="From"/> and <see cref="Confidentiality"/>: the status and level it had (who could read it until now).</summary>
public sealed record ArticleUnpublished(DateTimeOffset At, ArticleStatus? From = null, Confidentiality? Confidentiality = null);

/// <summary><see cref="From"/> and <see cref="Confidentiality"/> as on <see cref="ArticleUnpublished"/>.</summary>
public sealed record ArticleArchived(DateTimeOffset At, ArticleStatus? From = null, Confidentiality? Confidentiality = null);
