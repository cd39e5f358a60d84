using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using Omct.Platform.BuildingBlocks.Auditing;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.News.Domain;

namespace Omct.Platform.News.Articles;

/// <summary>An article with all its translations, kept inline from its stream.</summary>
public sealed class Article : IConfidential, IHasEntityId
{
    public Guid Id { get; set; }
    public ArticleKind Kind { get; set; }
    public ArticleStatus Status { get; set; }
    public Language OriginalLanguage { get; set; }
    public List<Translation> Translations { get; set; } = [];

    /// <summary>The languages it has (for the language filter).</summary>
    public List<Language> Languages { get; set; } = [];

    public List<string> Countries { get; set; } = [];
    public List<string> Themes { get; set; } = [];
    public List<Guid> CaseIds { get; set; } = [];
    public List<Guid> DefenderIds { get; set; } = [];
    public List<Guid> SubmissionIds { get; set; } = [];

    /// <summary>The calls for input the article is about (an article announcing a call, or its results).</summary>
    public List<Guid> CallForInputIds { get; set; } = [];

    public Confidentiality Confidentiality { get; set; }
    public DateTimeOffset? PublishAt { get; set; }
    /// <summary>Its publication date: when it was published, or the original date an editor gave (<see cref="ArticlePublished.OriginalDate"/>).</summary>
    public DateTimeOffset? PublishedAt { get; set; }

    /// <summary>Why the platform took it back (withheld at its scheduled moment, or unpublished); null otherwise.</summary>
    public string? WithheldReason { get; set; }

    /// <summary>Slugs are stable once the article was published (links must keep working).</summary>
    public bool WasPublished { get; set; }

    public long OrderKey { get; set; }
    public int Version { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public Translation? In(Language language) => Translations.FirstOrDefault(t => t.Language == language);
}

public sealed class Translation
{
    public Language Language { get; set; }
    public string Title { get; set; } = "";
    public string? Summary { get; set; }
    public string Body { get; set; } = "";
    public string BodyHtml { get; set; } = "";
    public string Slug { get; set; } = "";
}

/// <summary>
/// Reserves a slug in a language, at the article's level, for one article; the id is unique, so two
/// articles of one level cannot take it. Levels are apart so that a slug taken by an article the
/// caller may not see neither refuses nor changes the caller's slug (either would tell that the
/// hidden article exists): a caller is refused a slug only when an article it may see holds it.
/// </summary>
public sealed class ArticleSlug
{
    /// <summary><c>{language}:{slug}:{level}</c>.</summary>
    public string Id { get; set; } = "";

    public Guid ArticleId { get; set; }

    public static string IdFor(Language language, string slug, Confidentiality level) => $"{language}:{slug}:{level}".ToLowerInvariant();

    /// <summary>The reservations of <paramref name="slug"/> a caller who sees <paramref name="levels"/> may know of, in those languages.</summary>
    public static string[] IdsFor(IEnumerable<Language> languages, string slug, IReadOnlyCollection<Confidentiality> levels) =>
        [.. languages.SelectMany(l => levels.Select(level => IdFor(l, slug, level)))];
}

public sealed class ArticleProjection : SingleStreamProjection<Article, Guid>
{
    public static async Task<Article> Create(IEvent<ArticleDrafted> e, IQuerySession session) => Touch(new Article
    {
        Id = e.Data.ArticleId, Kind = e.Data.Kind, Status = ArticleStatus.Draft, OriginalLanguage = e.Data.OriginalLanguage,
        Confidentiality = e.Data.Confidentiality, Countries = [.. e.Data.Countries], Themes = [.. e.Data.Themes],
        CaseIds = [.. e.Data.CaseIds], DefenderIds = [.. e.Data.DefenderIds], SubmissionIds = [.. e.Data.SubmissionIds ?? []],
        CallForInputIds = [.. e.Data.CallForInputIds ?? []],
        OrderKey = await NewsModule.OrderKeys.NextAsync(session, CancellationToken.None), CreatedAt = e.Timestamp,
    }, e);

    public static Article Apply(IEvent<TranslationSaved> e, Article a)
    {
        var t = e.Data;
        a.Translations.RemoveAll(x => x.Language == t.Language);
        a.Translations.Add(new Translation { Language = t.Language, Title = t.Title, Summary = t.Summary, Body = t.Body, BodyHtml = t.BodyHtml, Slug = t.Slug });
        a.Languages = [.. a.Translations.Select(x => x.Language).Order()];
        return Touch(a, e);
    }

    /// <summary>An erasure's redaction: the translations that named the person, as they are now.</summary>
    public static Article Apply(IEvent<ArticleTextRedacted> e, Article a)
    {
        foreach (var t in e.Data.Translations)
        {
            a.Translations.RemoveAll(x => x.Language == t.Language);
            a.Translations.Add(new Translation { Language = t.Language, Title = t.Title, Summary = t.Summary, Body = t.Body, BodyHtml = t.BodyHtml, Slug = t.Slug });
        }

        a.Languages = [.. a.Translations.Select(x => x.Language).Order()];
        return Touch(a, e);
    }

    public static Article Apply(IEvent<ArticleTagged> e, Article a)
    {
        a.Countries = e.Data.Countries is null ? a.Countries : [.. e.Data.Countries];
        a.Themes = e.Data.Themes is null ? a.Themes : [.. e.Data.Themes];
        a.CaseIds = e.Data.CaseIds is null ? a.CaseIds : [.. e.Data.CaseIds];
        a.DefenderIds = e.Data.DefenderIds is null ? a.DefenderIds : [.. e.Data.DefenderIds];
        a.SubmissionIds = e.Data.SubmissionIds is null ? a.SubmissionIds : [.. e.Data.SubmissionIds];
        a.CallForInputIds = e.Data.CallForInputIds is null ? a.CallForInputIds : [.. e.Data.CallForInputIds];
        a.Confidentiality = e.Data.Confidentiality ?? a.Confidentiality;
        return Touch(a, e);
    }

    public static Article Apply(IEvent<ArticleScheduled> e, Article a)
    {
        (a.Status, a.PublishAt, a.WithheldReason) = (ArticleStatus.Scheduled, e.Data.PublishAt, null);
        return Touch(a, e);
    }

    public static Article Apply(IEvent<ArticlePublished> e, Article a)
    {
        (a.Status, a.PublishedAt, a.PublishAt, a.WasPublished, a.WithheldReason) = (ArticleStatus.Published, e.Data.PublishedAt, null, true, null);
        return Touch(a, e);
    }

    public static Article Apply(IEvent<ArticlePublicationDateCorrected> e, Article a)
    {
        a.PublishedAt = e.Data.PublishedAt;
        return Touch(a, e);
    }

    public static Article Apply(IEvent<ArticlePublicationWithheld> e, Article a)
    {
        (a.Status, a.PublishAt, a.WithheldReason) = (ArticleStatus.Draft, null, e.Data.Reason);
        return Touch(a, e);
    }

    public static Article Apply(IEvent<ArticleUnpublished> e, Article a)
    {
        (a.Status, a.PublishAt, a.WithheldReason) = (ArticleStatus.Unpublished, null, e.Data.Reason);
        return Touch(a, e);
    }

    public static Article Apply(IEvent<ArticleArchived> e, Article a)
    {
        (a.Status, a.PublishAt) = (ArticleStatus.Archived, null);
        return Touch(a, e);
    }

    private static Article Touch(Article a, IEvent e)
    {
        a.Version = (int)e.Version;
        a.UpdatedAt = e.Timestamp;
        return a;
    }
}
