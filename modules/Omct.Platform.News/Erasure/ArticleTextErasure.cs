using System.Text.Json.Nodes;
using Marten;
using Omct.Platform.BuildingBlocks.Privacy;
using Omct.Platform.BuildingBlocks.Rendering;
using Omct.Platform.News.Articles;
using Omct.Platform.News.Domain;
using Omct.Platform.News.GraphQL;

namespace Omct.Platform.News.Erasure;

/// <summary>
/// A defender's erasure reaches the articles: every article event whose data holds the person's name — a translation's
/// title, summary or body, and its slug (<c>halima-erasename-freed</c>) — is rewritten in place, the HTML rendered again
/// from the redacted Markdown; each article concerned gets <see cref="ArticleTextRedacted"/> with those translations as
/// they are now, appended at the version read (an article changed in between fails the erasure: erase again), and the
/// slug reservations move to the new slugs in the same transaction (a new slug another article holds takes a number, as
/// a new translation's does).
/// </summary>
internal sealed class ArticleTextErasure(IDocumentStore store) : IPersonalDataErasureParticipant
{
    public async Task<ErasurePreparation> PrepareAsync(ErasedPerson person, CancellationToken cancellationToken)
    {
        if (NameRedaction.For(person) is not { } redaction)
        {
            return ErasurePreparation.Nothing;
        }

        var slugs = NameRedaction.InSlug(ArticleDecider.Slugify(person.Name!), ArticleDecider.Slugify(person.Replacement));
        await using var session = store.QuerySession();
        var events = await EventTextRedaction.FindAsync(session, "news.", redaction, cancellationToken, (type, data, found) =>
        {
            if (type != "news.translation_saved" && type != "news.article_text_redacted")
            {
                return 0;
            }

            var more = 0;
            foreach (var translation in type == "news.translation_saved" ? [data] : data["translations"]!.AsArray().OfType<JsonObject>())
            {
                var before = more;
                translation["slug"] = slugs.Redact(translation["slug"]?.GetValue<string>(), ref more);
                if (found > 0 || more != before)
                {
                    translation["bodyHtml"] = MarkdownRenderer.ToHtml(translation["body"]?.GetValue<string>() ?? "");
                }
            }

            return more;
        });
        if (events.Count == 0)
        {
            return ErasurePreparation.Nothing;
        }

        var articles = await session.LoadManyAsync<Article>(cancellationToken, events.Select(e => e.StreamId).Distinct());
        var appends = new List<(Article Article, ArticleTextRedacted Event)>();
        var moves = new List<(string From, string To, Guid ArticleId)>();
        var listing = new List<RedactedRecord>();
        foreach (var article in articles)
        {
            var translations = new List<TranslationSaved>();
            var fields = new List<string>();
            var count = 0;
            foreach (var t in article.Translations)
            {
                var before = count;
                var title = redaction.Redact(t.Title, ref count)!;
                var summary = redaction.Redact(t.Summary, ref count);
                var body = redaction.Redact(t.Body, ref count)!;
                var slug = slugs.Redact(t.Slug, ref count)!;
                if (count == before)
                {
                    continue;
                }

                if (slug != t.Slug)
                {
                    slug = await FreeSlugAsync(session, t.Language, slug, article, cancellationToken);
                    moves.Add((ArticleSlug.IdFor(t.Language, t.Slug, article.Confidentiality), ArticleSlug.IdFor(t.Language, slug, article.Confidentiality), article.Id));
                }

                translations.Add(new TranslationSaved(t.Language, title, summary, body, MarkdownRenderer.ToHtml(body), slug));
                fields.Add($"translation.{t.Language.ToString().ToLowerInvariant()}");
            }

            if (translations.Count > 0)
            {
                appends.Add((article, new ArticleTextRedacted(translations, person.ErasedAt)));
            }

            var history = events.Where(e => e.StreamId == article.Id).Sum(e => e.Occurrences);
            listing.Add(new RedactedRecord(ArticleIds.Article, article.Id, translations.FirstOrDefault()?.Title ?? article.In(article.OriginalLanguage)?.Title ?? "",
                fields.Count > 0 ? fields : ["history"], count > 0 ? count : history, article.Confidentiality));
        }

        return new ErasurePreparation(write =>
        {
            EventTextRedaction.QueueRewrite(write, events);
            foreach (var (article, redacted) in appends)
            {
                write.Events.Append(article.Id, article.Version + 1, redacted);
            }

            foreach (var (from, to, articleId) in moves)
            {
                write.Delete<ArticleSlug>(from);
                write.Insert(new ArticleSlug { Id = to, ArticleId = articleId });
            }
        }, listing);
    }

    /// <summary>The slug, or the first of slug-2, slug-3… that no other article of the level holds.</summary>
    private static async Task<string> FreeSlugAsync(IQuerySession session, Language language, string slug, Article article, CancellationToken ct)
    {
        for (var n = 1; ; n++)
        {
            var candidate = n == 1 ? slug : $"{slug}-{n}";
            var held = await session.LoadAsync<ArticleSlug>(ArticleSlug.IdFor(language, candidate, article.Confidentiality), ct);
            if (held is null || held.ArticleId == article.Id)
            {
                return candidate;
            }
        }
    }
}
