using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.EventSourcing;
using Omct.Platform.News.Domain;
using Xunit;

namespace Omct.Platform.News.Tests;

/// <summary>Given an article's events, when a command, then events or an error — no database.</summary>
public sealed class ArticleDeciderTests
{
    private static readonly DateTimeOffset Now = new(2024, 5, 6, 10, 0, 0, TimeSpan.Zero);

    private static readonly TranslationInput English = new(Language.En, "Zimbabwe: Ongoing risks", "Summary", "**Body**", null);

    private static IReadOnlyList<object> Drafted(ArticleKind kind = ArticleKind.PressRelease, Confidentiality? level = Confidentiality.Public) =>
        ArticleDecider.Draft(Guid.NewGuid(), new DraftArticle(kind, English, level, ["zw"], ["Torture"], [], [], []), Confidentiality.Restricted);

    private static ArticleState Given(params object[] history) => WriteModel.Fold<ArticleState>(ArticleDecider.Evolve, history)!;

    private static ArticleState Article(ArticleKind kind = ArticleKind.PressRelease, params object[] then) => Given([.. Drafted(kind), .. then]);

    private static void Refused(string field, Action act)
    {
        var error = Assert.Throws<DomainException>(act);
        Assert.Equal(ErrorCodes.Validation, error.Code);
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void Drafting_records_the_article_and_its_original_with_a_slug_from_the_title()
    {
        var events = ArticleDecider.Draft(Guid.NewGuid(),
            new DraftArticle(ArticleKind.Statement, English, null, ["zw", "ZW"], [" Torture ", "torture"], [], [], []), Confidentiality.Restricted);

        var drafted = Assert.IsType<ArticleDrafted>(events[0]);
        var original = Assert.IsType<TranslationSaved>(events[1]);
        Assert.Equal((ArticleKind.Statement, Language.En, Confidentiality.Staff), (drafted.Kind, drafted.OriginalLanguage, drafted.Confidentiality));
        Assert.Equal(["ZW"], drafted.Countries);
        Assert.Equal(["torture"], drafted.Themes);
        Assert.Equal("zimbabwe-ongoing-risks", original.Slug);
        Assert.Contains("<strong>Body</strong>", original.BodyHtml);
    }

    [Theory]
    [InlineData(Confidentiality.Public, Confidentiality.Network)]
    [InlineData(Confidentiality.Staff, Confidentiality.Restricted)]
    public void Nothing_is_written_above_the_callers_clearance(Confidentiality clearance, Confidentiality above)
    {
        Refused("confidentiality", () => ArticleDecider.Draft(Guid.NewGuid(), new DraftArticle(ArticleKind.Report, English, above, [], [], [], [], []), clearance));
        Refused("confidentiality", () => ArticleDecider.Tag(Article(), new TagArticle(null, null, null, null, above), clearance));
    }

    [Theory]
    [InlineData("", "Body", null, "title")]
    [InlineData("Title", " ", null, "body")]
    [InlineData("Title", "Body", "Not a slug", "slug")]
    [InlineData("Title", "Body", "-dash", "slug")]
    public void A_translation_needs_a_title_a_body_and_a_valid_slug(string title, string body, string? slug, string field) =>
        Refused(field, () => ArticleDecider.Save(Article(), new TranslationInput(Language.Fr, title, null, body, slug)));

    [Fact]
    public void Drafting_refuses_an_unknown_country() =>
        Refused("countryCodes[1]", () => ArticleDecider.Draft(Guid.NewGuid(), new DraftArticle(ArticleKind.Report, English, null, ["ZW", "XX"], [], [], [], []), Confidentiality.Staff));

    [Fact]
    public void Tagging_refuses_more_than_twenty_themes() =>
        Refused("themes", () => ArticleDecider.Tag(Article(), new TagArticle(null, [.. Enumerable.Range(0, 21).Select(i => $"theme {i}")], null, null, null), Confidentiality.Staff));

    [Fact]
    public void A_translation_keeps_its_slug_and_a_published_articles_slug_does_not_change()
    {
        var draft = Article();
        Assert.Equal("zimbabwe-ongoing-risks", ArticleDecider.Save(draft, English with { Title = "Another title" }).Slug);
        Assert.Equal("new-slug", ArticleDecider.Save(draft, English with { Slug = "new-slug" }).Slug);

        var published = Article(ArticleKind.PressRelease, new ArticlePublished(Now));
        Refused("slug", () => ArticleDecider.Save(published, English with { Slug = "new-slug" }));
        // A new language of a published article takes any slug; unpublishing does not make the old one free to change.
        Assert.Equal("risques", ArticleDecider.Save(published, new TranslationInput(Language.Fr, "Risques", null, "Corps", "risques")).Slug);
        Refused("slug", () => ArticleDecider.Save(Given([.. Drafted(), new ArticlePublished(Now), new ArticleUnpublished(Now)]), English with { Slug = "new-slug" }));
    }

    [Fact]
    public void Tagging_a_new_level_says_who_could_read_it_before()
    {
        var published = Article(ArticleKind.PressRelease, new ArticlePublished(Now));
        var raised = ArticleDecider.Tag(published, new TagArticle(null, null, null, null, Confidentiality.Staff), Confidentiality.Staff);
        Assert.Equal((Confidentiality.Staff, Confidentiality.Public, true), (raised.Confidentiality, raised.ConfidentialityFrom, raised.Published));

        var same = ArticleDecider.Tag(published, new TagArticle(["ZW"], null, null, null, Confidentiality.Public), Confidentiality.Staff);
        Assert.Null(same.ConfidentialityFrom);
        Assert.Equal(["ZW"], same.Countries);
    }

    [Fact]
    public void An_archived_article_is_not_edited_published_or_archived_again()
    {
        var archived = Article(ArticleKind.PressRelease, new ArticleArchived(Now));
        Refused("articleId", () => ArticleDecider.Save(archived, English));
        Refused("articleId", () => ArticleDecider.Tag(archived, new TagArticle(["ZW"], null, null, null, null), Confidentiality.Staff));
        Refused("articleId", () => ArticleDecider.Publish(archived, null, Now, portraitConsented: true));
        Refused("articleId", () => ArticleDecider.Archive(archived, Now));
    }

    [Fact]
    public void Publishing_now_or_later_and_not_twice()
    {
        Assert.Equal(new ArticlePublished(Now), ArticleDecider.Publish(Article(), null, Now, portraitConsented: false));
        Assert.Equal(new ArticlePublished(Now), ArticleDecider.Publish(Article(), Now.AddHours(-1), Now, portraitConsented: false));
        Assert.Equal(new ArticleScheduled(Now.AddDays(1)), ArticleDecider.Publish(Article(), Now.AddDays(1), Now, portraitConsented: false));
        Refused("articleId", () => ArticleDecider.Publish(Article(ArticleKind.PressRelease, new ArticlePublished(Now)), null, Now, portraitConsented: false));
    }

    [Fact]
    public void A_portrait_is_published_only_with_consent()
    {
        Refused("articleId", () => ArticleDecider.Publish(Article(ArticleKind.Portrait), null, Now, portraitConsented: false));
        Assert.IsType<ArticlePublished>(ArticleDecider.Publish(Article(ArticleKind.Portrait), null, Now, portraitConsented: true));
    }

    [Fact]
    public void The_scheduler_publishes_once_at_the_moment_chosen()
    {
        var scheduled = Article(ArticleKind.PressRelease, new ArticleScheduled(Now.AddMinutes(-5)));
        Assert.Equal([new ArticlePublished(Now.AddMinutes(-5))], ArticleDecider.PublishScheduled(scheduled, Now, portraitConsented: false));
        Assert.Empty(ArticleDecider.PublishScheduled(Article(ArticleKind.PressRelease, new ArticleScheduled(Now.AddMinutes(5))), Now, portraitConsented: false));
        Assert.Empty(ArticleDecider.PublishScheduled(Given([.. Drafted(), new ArticleScheduled(Now.AddMinutes(-5)), new ArticlePublished(Now)]), Now, false));
        // Unpublished before its moment: nothing to do.
        Assert.Empty(ArticleDecider.PublishScheduled(Given([.. Drafted(), new ArticleScheduled(Now.AddMinutes(-5)), new ArticleUnpublished(Now)]), Now, false));
    }

    [Fact]
    public void A_scheduled_portrait_without_consent_goes_back_to_the_editors_with_the_reason()
    {
        var portrait = Article(ArticleKind.Portrait, new ArticleScheduled(Now.AddMinutes(-1)));
        var withheld = Assert.IsType<ArticlePublicationWithheld>(Assert.Single(ArticleDecider.PublishScheduled(portrait, Now, portraitConsented: false)));
        Assert.Equal(ArticleDecider.PortraitConsentMissing, withheld.Reason);
        Assert.Equal(ArticleStatus.Draft, ArticleDecider.Evolve(portrait, withheld)!.Status);
        Assert.IsType<ArticlePublished>(Assert.Single(ArticleDecider.PublishScheduled(portrait, Now, portraitConsented: true)));
    }

    [Fact]
    public void A_published_portrait_whose_consent_was_withdrawn_is_unpublished_and_nothing_else_is()
    {
        var portrait = Article(ArticleKind.Portrait, new ArticlePublished(Now));
        var unpublished = Assert.IsType<ArticleUnpublished>(Assert.Single(ArticleDecider.WithdrawPortrait(portrait, Now)));
        Assert.Equal((ArticleDecider.PortraitConsentMissing, ArticleStatus.Published, Confidentiality.Public),
            (unpublished.Reason, unpublished.From, unpublished.Confidentiality));
        Assert.Empty(ArticleDecider.WithdrawPortrait(Article(ArticleKind.Portrait), Now));
        Assert.Empty(ArticleDecider.WithdrawPortrait(Article(ArticleKind.Report, new ArticlePublished(Now)), Now));
    }

    [Fact]
    public void Unpublishing_takes_a_published_or_scheduled_article_off_and_says_what_it_was()
    {
        Assert.Equal(new ArticleUnpublished(Now, null, ArticleStatus.Published, Confidentiality.Public),
            ArticleDecider.Unpublish(Article(ArticleKind.Report, new ArticlePublished(Now)), Now));
        Assert.Equal(ArticleStatus.Scheduled, ArticleDecider.Unpublish(Article(ArticleKind.Report, new ArticleScheduled(Now.AddDays(1))), Now).From);
        Refused("articleId", () => ArticleDecider.Unpublish(Article(), Now));
    }

    [Fact]
    public void Archiving_records_the_status_and_level_it_had()
    {
        var staff = Given([.. Drafted(level: Confidentiality.Staff), new ArticlePublished(Now)]);
        Assert.Equal(new ArticleArchived(Now, ArticleStatus.Published, Confidentiality.Staff), ArticleDecider.Archive(staff, Now));
    }

    [Fact]
    public void The_state_follows_the_events()
    {
        var events = Drafted();
        var id = ((ArticleDrafted)events[0]).ArticleId;
        var state = Given([.. events,
            new TranslationSaved(Language.Fr, "Titre", null, "Corps", "<p>Corps</p>", "titre"),
            new TranslationSaved(Language.En, "Title", null, "Body", "<p>Body</p>", "title-2"),
            new ArticleTagged(null, null, null, null, Confidentiality.Network),
            new ArticleScheduled(Now)]);

        Assert.Equal((id, ArticleStatus.Scheduled, Confidentiality.Network, Now, false), (state.Id, state.Status, state.Confidentiality, state.PublishAt, state.WasPublished));
        Assert.Equal(("title-2", "titre", (string?)null), (state.SlugIn(Language.En), state.SlugIn(Language.Fr), state.SlugIn(Language.Es)));
        Assert.Equal(2, state.Translations.Count);

        var published = ArticleDecider.Evolve(state, new ArticlePublished(Now))!;
        Assert.Equal((ArticleStatus.Published, (DateTimeOffset?)null, true), (published.Status, published.PublishAt, published.WasPublished));
        Assert.Null(ArticleDecider.Evolve(null, new ArticlePublished(Now)));
    }
}
