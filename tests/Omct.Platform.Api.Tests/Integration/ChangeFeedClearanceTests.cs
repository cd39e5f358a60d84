using Marten;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Defenders.Profiles;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Integration;

/// <summary>What each caller sees of the change feed: only entities it may see now, REDACTED once when it loses sight of one.</summary>
public sealed class ChangeFeedClearanceTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    [Fact]
    public async Task A_public_integrator_sees_a_public_case_and_nothing_of_a_staff_case()
    {
        var start = (await FeedKit.DrainAsync(platform.Admin())).EndCursor;
        var open = await FeedKit.OpenCaseAsync(platform.Admin(), "Cameroon: open for all");
        var hidden = await FeedKit.OpenCaseAsync(platform.Admin(), "Cameroon: staff eyes only", "STAFF");
        await FeedKit.RecordEventAsync(platform.Admin(), open);
        await FeedKit.RecordEventAsync(platform.Admin(), hidden);

        var integrator = platform.GraphQL(await FeedKit.KeyAsync(platform, "INTEGRATOR", "PUBLIC"));
        var (publicView, _) = await FeedKit.DrainAsync(integrator, start);
        Assert.Equal([("CREATED", 1), ("UPDATED", 2)], publicView.Select(c => (c.Kind, c.Version!.Value)));
        Assert.All(publicView, c => Assert.Equal(open, c.EntityId));
        Assert.All(publicView, c => Assert.Equal("CASE", c.EntityType));

        var (staffView, _) = await FeedKit.DrainAsync(platform.GraphQL(await FeedKit.KeyAsync(platform, "INTEGRATOR", "STAFF")), start);
        Assert.Equal(4, staffView.Count);
        Assert.Equal(2, staffView.Count(c => c.EntityId == hidden));
        Assert.True(staffView.Select(c => c.Sequence).SequenceEqual(staffView.Select(c => c.Sequence).Order()), "oldest first");
    }

    [Fact]
    public async Task Raising_a_case_above_a_readers_clearance_shows_once_as_REDACTED_and_nothing_else_of_it()
    {
        var start = (await FeedKit.DrainAsync(platform.Admin())).EndCursor;
        var integrator = platform.GraphQL(await FeedKit.KeyAsync(platform, "INTEGRATOR", "PUBLIC"));
        var staffReader = platform.GraphQL(await FeedKit.KeyAsync(platform, "INTEGRATOR", "STAFF"));
        var caseId = await FeedKit.OpenCaseAsync(platform.Admin(), "Togo: will be raised");
        await FeedKit.RecordEventAsync(platform.Admin(), caseId);
        var (followed, cursor) = await FeedKit.DrainAsync(integrator, start);
        Assert.Equal(["CREATED", "UPDATED"], followed.Select(c => c.Kind));

        await FeedKit.SetCaseConfidentialityAsync(platform.Admin(), caseId, "STAFF");
        await FeedKit.RecordEventAsync(platform.Admin(), caseId);
        await FeedKit.SetCaseConfidentialityAsync(platform.Admin(), caseId, "RESTRICTED");
        await FeedKit.RecordEventAsync(platform.Admin(), caseId);

        // The reader that followed the case: one REDACTED, no detail, and nothing after it.
        var (afterRaise, _) = await FeedKit.DrainAsync(integrator, cursor);
        var redacted = Assert.Single(afterRaise);
        Assert.Equal(("REDACTED", caseId, (int?)null, (string?)null), (redacted.Kind, redacted.EntityId, redacted.Version, redacted.OccurredAt));

        // A reader from the beginning: the case's earlier events are gone too; only the REDACTED remains.
        var (fromStart, _) = await FeedKit.DrainAsync(integrator, start);
        Assert.Equal([("REDACTED", redacted.Sequence)], fromStart.Where(c => c.EntityId == caseId).Select(c => (c.Kind, c.Sequence)));

        // A STAFF reader saw it until the second raise: that one is its REDACTED, the first is not.
        var (staffView, _) = await FeedKit.DrainAsync(staffReader, start);
        var staffRedacted = Assert.Single(staffView, c => c.EntityId == caseId);
        Assert.Equal("REDACTED", staffRedacted.Kind);
        Assert.True(staffRedacted.Sequence > redacted.Sequence);

        // Lowered again: visible now, so every change of it is listed (the raises as UPDATED).
        await FeedKit.SetCaseConfidentialityAsync(platform.Admin(), caseId, "PUBLIC");
        var (lowered, _) = await FeedKit.DrainAsync(integrator, start);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], lowered.Where(c => c.EntityId == caseId).Select(c => c.Version!.Value));
    }

    [Fact]
    public async Task A_reader_that_never_could_see_a_case_is_never_told_it_was_raised()
    {
        var start = (await FeedKit.DrainAsync(platform.Admin())).EndCursor;
        var caseId = await FeedKit.OpenCaseAsync(platform.Admin(), "Togo: staff from the start", "STAFF");
        await FeedKit.SetCaseConfidentialityAsync(platform.Admin(), caseId, "RESTRICTED");
        var (publicView, _) = await FeedKit.DrainAsync(platform.GraphQL(await FeedKit.KeyAsync(platform, "INTEGRATOR", "PUBLIC")), start);
        Assert.DoesNotContain(publicView, c => c.EntityId == caseId);
        var (networkView, _) = await FeedKit.DrainAsync(platform.GraphQL(await FeedKit.KeyAsync(platform, "INTEGRATOR", "NETWORK")), start);
        Assert.DoesNotContain(networkView, c => c.EntityId == caseId);
    }

    [Fact]
    public async Task Drafts_are_invisible_to_an_integrator_and_an_unpublished_article_is_REDACTED_for_it()
    {
        var start = (await FeedKit.DrainAsync(platform.Admin())).EndCursor;
        var integrator = platform.GraphQL(await FeedKit.KeyAsync(platform, "INTEGRATOR", "RESTRICTED"));
        var editor = platform.GraphQL(await FeedKit.KeyAsync(platform, "EDITOR", "RESTRICTED"));
        var draft = (await editor.QueryAsync("mutation { draftArticle(input: { kind: STATEMENT, language: EN, title: \"Feed draft\", body: \"Text\" }) { article { id } } }"))
            .GetProperty("draftArticle").GetProperty("article").GetProperty("id").GetString()!;
        Assert.DoesNotContain((await FeedKit.DrainAsync(integrator, start)).Changes, c => c.EntityId == draft);
        Assert.Equal(["CREATED", "UPDATED"], (await FeedKit.DrainAsync(editor, start)).Changes.Where(c => c.EntityId == draft).Select(c => c.Kind));

        await editor.QueryAsync($"mutation {{ publishArticle(input: {{ articleId: \"{draft}\" }}) {{ article {{ status }} }} }}");
        var (published, cursor) = await FeedKit.DrainAsync(integrator, start);
        Assert.Equal([1, 2, 3], published.Where(c => c.EntityId == draft).Select(c => c.Version!.Value));

        await editor.QueryAsync($"mutation {{ unpublishArticle(input: {{ articleId: \"{draft}\" }}) {{ article {{ status }} }} }}");
        Assert.Equal(["REDACTED"], (await FeedKit.DrainAsync(integrator, cursor)).Changes.Select(c => c.Kind));
        Assert.Equal(["UPDATED"], (await FeedKit.DrainAsync(editor, cursor)).Changes.Select(c => c.Kind));

        await editor.QueryAsync($"mutation {{ archiveArticle(input: {{ articleId: \"{draft}\" }}) {{ article {{ status }} }} }}");
        var (archived, _) = await FeedKit.DrainAsync(editor, cursor);
        Assert.Equal(["UPDATED", "DELETED"], archived.Select(c => c.Kind));
        // Unpublished, it was already out of the integrator's sight: archiving tells it nothing more.
        Assert.Equal(["REDACTED"], (await FeedKit.DrainAsync(integrator, cursor)).Changes.Select(c => c.Kind));
    }

    [Fact]
    public async Task A_profile_without_consent_or_pseudonym_is_not_listed_to_the_public_and_withdrawing_consent_redacts_it()
    {
        var start = (await FeedKit.DrainAsync(platform.Admin())).EndCursor;
        var publicReader = platform.GraphQL(await FeedKit.KeyAsync(platform, "INTEGRATOR", "PUBLIC"));
        var unnamed = await RegisterAsync("No Consent Person", consent: false, pseudonym: null);
        var pseudonymous = await RegisterAsync("Pseudonymous Person", consent: false, pseudonym: "Witness 7");
        var consenting = await RegisterAsync("Consenting Person", consent: true, pseudonym: null);
        var (seen, cursor) = await FeedKit.DrainAsync(publicReader, start);
        Assert.DoesNotContain(seen, c => c.EntityId == unnamed);
        Assert.Contains(seen, c => c.EntityId == pseudonymous && c.Kind == "CREATED");
        Assert.Contains(seen, c => c.EntityId == consenting && c.Kind == "CREATED");

        await platform.Admin().QueryAsync("mutation($id: ID!) { recordConsent(input: { defenderId: $id, toPublishName: false, toPublishPortrait: false }) { defender { id } } }",
            new { id = consenting });
        var redacted = Assert.Single((await FeedKit.DrainAsync(publicReader, cursor)).Changes);
        Assert.Equal(("REDACTED", consenting), (redacted.Kind, redacted.EntityId));
    }

    [Fact]
    public async Task An_erased_defenders_changes_carry_nothing_personal_also_after_a_rebuild()
    {
        var start = (await FeedKit.DrainAsync(platform.Admin())).EndCursor;
        var id = (await platform.Admin().QueryAsync(
                "mutation { registerDefender(input: { name: \"Erasable Secretname\", pseudonym: \"Erasable\", countryCode: \"TG\", consentToPublishName: true, " +
                "confidentiality: PUBLIC, contact: \"+228 90 00 00 00\", location: \"Lomé, rue 12\" }) { defender { id } } }"))
            .GetProperty("registerDefender").GetProperty("defender").GetProperty("id").GetString()!;
        await platform.Admin().QueryAsync("mutation($id: ID!) { eraseDefenderPersonalData(input: { defenderId: $id }) { defender { id } } }", new { id });

        async Task<string> FeedJsonAsync() => (await platform.Admin().PostAsync(FeedKit.Page, new { after = start, first = 1000 })).Raw;
        var feed = await FeedJsonAsync();
        var (changes, _) = await FeedKit.DrainAsync(platform.Admin(), start);
        Assert.Equal(["CREATED", "UPDATED", "DELETED"], changes.Where(c => c.EntityId == id).Select(c => c.Kind));
        foreach (var personal in new[] { "Secretname", "+228", "Lomé", "rue 12" })
        {
            Assert.DoesNotContain(personal, feed, StringComparison.Ordinal);
        }

        GlobalId.TryDecode(id, out _, out var streamId);
        await platform.Services.GetRequiredService<IDocumentStore>().Advanced.RebuildSingleStreamAsync<Defender>(streamId);
        var rebuilt = await FeedJsonAsync();
        // The same changes (cursors differ: they carry the snapshot they were read in).
        Assert.Equal(changes.Select(c => c with { Cursor = "" }), (await FeedKit.DrainAsync(platform.Admin(), start)).Changes.Select(c => c with { Cursor = "" }));
        foreach (var personal in new[] { "Secretname", "+228", "Lomé" })
        {
            Assert.DoesNotContain(personal, rebuilt, StringComparison.Ordinal);
        }

        var profile = await platform.Admin().QueryAsync("query($id: ID!) { defender(id: $id) { name contact location erased } }", new { id });
        Assert.Equal("{\"name\":null,\"contact\":null,\"location\":null,\"erased\":true}", profile.GetProperty("defender").GetRawText());
    }

    private async Task<string> RegisterAsync(string name, bool consent, string? pseudonym) =>
        (await platform.Admin().QueryAsync(
            "mutation($name: String!, $consent: Boolean!, $pseudonym: String) { registerDefender(input: { name: $name, pseudonym: $pseudonym, countryCode: \"TG\", " +
            "consentToPublishName: $consent, confidentiality: PUBLIC }) { defender { id } } }", new { name, consent, pseudonym }))
        .GetProperty("registerDefender").GetProperty("defender").GetProperty("id").GetString()!;
}
