using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.News.Domain;

/// <summary>
/// An article as <see cref="ArticleDecider"/> decides on it: kind, status, level, the slug of each
/// translation, the moment it is scheduled for, whether it was ever published and its publication date — folded from the
/// article stream by <see cref="ArticleDecider.Evolve"/>. Titles, bodies, links and order keys are
/// the read model's (<c>Articles.Article</c>).
/// </summary>
public sealed record ArticleState(
    Guid Id, ArticleKind Kind, ArticleStatus Status, Confidentiality Confidentiality, IReadOnlyList<ArticleState.TranslationSlug> Translations,
    DateTimeOffset? PublishAt, bool WasPublished, DateTimeOffset? PublishedAt = null) : IConfidential
{
    public sealed record TranslationSlug(Language Language, string Slug);

    /// <summary>The slug of its translation in <paramref name="language"/>, if it has one.</summary>
    public string? SlugIn(Language language) => Translations.FirstOrDefault(t => t.Language == language)?.Slug;
}
