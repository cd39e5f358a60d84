using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.News.Domain;

// The events of an article stream (aliases "news.*", see NewsModule).

public sealed record ArticleDrafted(
    Guid ArticleId, ArticleKind Kind, Language OriginalLanguage, Confidentiality Confidentiality,
    IReadOnlyList<string> Countries, IReadOnlyList<string> Themes, IReadOnlyList<Guid> CaseIds, IReadOnlyList<Guid> DefenderIds);

/// <summary>A translation (or the original) added or replaced: title, summary, Markdown body, slug, and the sanitised HTML.</summary>
public sealed record TranslationSaved(Language Language, string Title, string? Summary, string Body, string BodyHtml, string Slug);

/// <summary>Countries, themes and links replaced (null: unchanged).</summary>
public sealed record ArticleTagged(
    IReadOnlyList<string>? Countries, IReadOnlyList<string>? Themes, IReadOnlyList<Guid>? CaseIds, IReadOnlyList<Guid>? DefenderIds,
    Confidentiality? Confidentiality);

public sealed record ArticleScheduled(DateTimeOffset PublishAt);

public sealed record ArticlePublished(DateTimeOffset PublishedAt);

public sealed record ArticleUnpublished(DateTimeOffset At);

public sealed record ArticleArchived(DateTimeOffset At);
