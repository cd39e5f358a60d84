using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.News.Contracts;

/// <summary>
/// A published article as a reader sees it, in its original language; its title and summary as stored (a defender in
/// them is a mention, <c>@[id]</c>, for the consumer to render for its reader or withhold).
/// </summary>
public sealed record ArticleSummary(
    Guid Id, string Kind, string Language, string Title, string? Summary, string Slug, DateTimeOffset PublishedAt,
    IReadOnlyList<string> Countries, IReadOnlyList<string> Themes, Confidentiality Confidentiality);

/// <summary>What other modules (the digests) may ask the news module, in one query per call.</summary>
public interface IArticleDirectory
{
    /// <summary>
    /// The articles published in [<paramref name="from"/>, <paramref name="to"/>) that a reader with the
    /// caller's clearance may see — by the rules of <c>articles</c> for a non-editor (published, within
    /// clearance, a portrait only while its defenders' consent stands), whatever the caller's role —, in
    /// any of these countries and themes when given, oldest first.
    /// </summary>
    Task<IReadOnlyList<ArticleSummary>> PublishedAsync(
        DateTimeOffset from, DateTimeOffset to, IReadOnlyCollection<string> countries, IReadOnlyCollection<string> themes, Caller caller,
        CancellationToken cancellationToken);

    /// <summary>
    /// The articles scheduled to be published from <paramref name="from"/> to <paramref name="to"/> (inclusive days, UTC), by
    /// the rules of <c>articles(filter: { scheduledFrom, scheduledTo })</c> for the caller: none unless it is an editor, and
    /// within its clearance; by publication time. <see cref="ArticleSummary.PublishedAt"/> is the scheduled time.
    /// </summary>
    Task<IReadOnlyList<ArticleSummary>> ScheduledAsync(DateOnly from, DateOnly to, Caller caller, CancellationToken cancellationToken);
}
