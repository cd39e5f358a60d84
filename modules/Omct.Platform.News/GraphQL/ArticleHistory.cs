using GraphQL;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.History;
using Omct.Platform.News.Domain;

namespace Omct.Platform.News.GraphQL;

/// <summary>
/// What each event of an article's stream says in <c>Article.history</c> (see <see cref="RecordHistory"/>). Staff and
/// editors get every entry; a reader below STAFF (the public) only the publication and the corrections of its date —
/// the editorial work before publication is not theirs. No summary names a linked record (each is shown, or not, by its
/// own module's rules) nor a level above the caller's clearance.
/// </summary>
internal static class ArticleHistory
{
    public static HistoryDescriber For(Caller caller)
    {
        var staff = caller.HasRole(Role.Staff);
        return e => e.Data switch
        {
            ArticlePublished p => new("ARTICLE_PUBLISHED", p.OriginalDate == true
                ? $"Published, dated {p.PublishedAt:yyyy-MM-dd HH:mm} UTC (its original publication date)"
                : $"Published on {p.PublishedAt:yyyy-MM-dd HH:mm} UTC"),
            ArticlePublicationDateCorrected c => new("ARTICLE_PUBLICATION_DATE_CORRECTED",
                $"Publication date corrected to {c.PublishedAt:yyyy-MM-dd HH:mm} UTC{(c.Previous is { } before ? $" (was {before:yyyy-MM-dd HH:mm} UTC)" : "")}", c.Reason),
            _ when !staff => null,
            ArticleDrafted d => new("ARTICLE_DRAFTED", $"Drafted: {Name(d.Kind)} in {Name(d.OriginalLanguage)}{(caller.CanSee(d.Confidentiality) ? $" ({Name(d.Confidentiality)})" : "")}"),
            TranslationSaved t => new("TRANSLATION_SAVED", $"Translation saved: {Name(t.Language)}"),
            // Says which translations, never whose name.
            ArticleTextRedacted r => new("ARTICLE_TEXT_REDACTED", $"A name redacted by an erasure from: {string.Join(", ", r.Translations.Select(t => Name(t.Language)))}"),
            ArticleTagged t => new("ARTICLE_TAGGED", $"Tagged: {string.Join(", ", Changed(t, caller))}", t.Reason),
            ArticleScheduled s => new("ARTICLE_SCHEDULED", $"Scheduled for {s.PublishAt:yyyy-MM-dd HH:mm} UTC"),
            ArticlePublicationWithheld w => new("ARTICLE_PUBLICATION_WITHHELD", "Not published at its scheduled moment: a draft again", w.Reason),
            ArticleUnpublished u => new("ARTICLE_UNPUBLISHED", "Unpublished", u.Reason),
            ArticleArchived => new("ARTICLE_ARCHIVED", "Archived"),
            _ => null,
        };
    }

    private static IEnumerable<string> Changed(ArticleTagged t, Caller caller)
    {
        var any = false;
        foreach (var (list, name) in new (object?, string)[]
                 {
                     (t.Countries, "countries"), (t.Themes, "themes"), (t.CaseIds, "linked cases"), (t.DefenderIds, "linked defenders"),
                     (t.SubmissionIds, "linked submissions"), (t.CallForInputIds, "linked calls for input"),
                 })
        {
            if (list is not null)
            {
                any = true;
                yield return name;
            }
        }

        if (t.Confidentiality is { } level)
        {
            any = true;
            yield return caller.CanSee(level) ? $"confidentiality {Name(level)}" : "confidentiality";
        }

        if (!any)
        {
            yield return "nothing changed";
        }
    }

    private static string Name<T>(T value) where T : struct, Enum => value.ToString().ToConstantCase();
}
