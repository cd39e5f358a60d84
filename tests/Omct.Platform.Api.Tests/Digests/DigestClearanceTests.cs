using System.Text.Json;
using Omct.Platform.Testing;
using Xunit;
using static Omct.Platform.Api.Tests.Digests.DigestKit;

namespace Omct.Platform.Api.Tests.Digests;

/// <summary>A digest never shows its audience more than its clearance allows, on any of its three forms (Markdown, HTML, sections).</summary>
public sealed class DigestClearanceTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    /// <summary>Identifying strings of what a PUBLIC audience may not see; each is seeded below and must appear in a RESTRICTED digest.</summary>
    private static readonly string[] Hidden =
    [
        "SECRET-CASE-TITLE", "SECRET-CASE-EVENT-TEXT", "SECRET-EVENT-ON-PUBLIC-CASE", "SECRET-VICTIM-NAME", "Zorana Secretname",
        "SECRET-ARTICLE-TITLE", "SECRET-SUBMISSION-TITLE", "SECRET-CALL-TITLE", "SECRET-ANNIVERSARY-TEXT",
    ];

    [Fact]
    public async Task A_digest_for_a_PUBLIC_audience_contains_nothing_above_PUBLIC()
    {
        var admin = platform.Admin();
        var asOf = TodayInGeneva().AddDays(1); // the daily digest made tomorrow covers today, when all of this is recorded
        var lastYear = asOf.AddYears(-1);

        // A public case with a public event of a defender who has not consented to publish her name, a hidden event
        // (also with a yearly anniversary in the next 14 days) and a hidden named victim.
        var publicCase = await OpenCaseAsync(admin, "Niger: PUBLIC-CASE-TITLE arbitrary detention", "NE", "PUBLIC");
        var defender = (await admin.QueryAsync(
                "mutation { registerDefender(input: { name: \"Zorana Secretname\", pseudonym: \"Defender Z\", countryCode: \"NE\", consentToPublishName: false, confidentiality: PUBLIC }) { defender { id } } }"))
            .GetProperty("registerDefender").GetProperty("defender").GetProperty("id").GetString();
        var defenderVictim = await AddVictimAsync(admin, publicCase, defender, null, "PUBLIC");
        var hiddenVictim = await AddVictimAsync(admin, publicCase, null, "SECRET-VICTIM-NAME", "STAFF");
        await RecordEventAsync(admin, publicCase, "ARREST", Iso(lastYear.AddDays(3)), "PUBLIC-EVENT-TEXT", "PUBLIC", defenderVictim);
        await RecordEventAsync(admin, publicCase, "TORTURE", Iso(lastYear.AddDays(5)), "SECRET-EVENT-ON-PUBLIC-CASE SECRET-ANNIVERSARY-TEXT", "STAFF", hiddenVictim);
        await IssueInterventionAsync(admin, publicCase);

        // A confidential case with its event, victim and intervention.
        var secretCase = await OpenCaseAsync(admin, "Niger: SECRET-CASE-TITLE", "NE", "STAFF");
        var secretVictim = await AddVictimAsync(admin, secretCase, null, "SECRET-VICTIM-NAME", "STAFF");
        await RecordEventAsync(admin, secretCase, "KILLING", Iso(lastYear.AddDays(4)), "SECRET-CASE-EVENT-TEXT", "STAFF", secretVictim);
        await IssueInterventionAsync(admin, secretCase);

        // Articles: public, staff-only, and a public draft (the digest's system caller must read as a reader, not as an editor).
        await PublishArticleAsync(admin, "PUBLIC-ARTICLE-TITLE", "PUBLIC", countries: ["NE"]);
        await PublishArticleAsync(admin, "SECRET-ARTICLE-TITLE", "STAFF", countries: ["NE"]);
        await PublishArticleAsync(admin, "DRAFT-ARTICLE-TITLE", "PUBLIC", publish: false, countries: ["NE"]);

        // Deadlines and calls for input: a public and a staff submission; a call (calls are the network's business, whatever their level).
        foreach (var (title, level) in new[] { ("PUBLIC-SUBMISSION-TITLE", "PUBLIC"), ("SECRET-SUBMISSION-TITLE", "STAFF") })
        {
            await admin.QueryAsync("mutation($title: String!, $due: Date!, $level: Confidentiality) { planSubmission(input: { mechanism: CAT, countryCode: \"NE\", title: $title, dueOn: $due, confidentiality: $level }) { submission { id } } }",
                new { title, due = Iso(asOf.AddDays(10)), level });
        }

        await admin.QueryAsync("mutation($deadline: Date!) { openCallForInput(input: { title: \"SECRET-CALL-TITLE\", question: \"What happened?\", deadline: $deadline, confidentiality: PUBLIC }) { callForInput { id } } }",
            new { deadline = Iso(asOf.AddDays(20)) });

        var (publicSubscription, _) = await SubscribeAsync(admin, new { name = "Public newsletter", period = "DAILY", audience = "PUBLIC", countries = new[] { "NE" }, emailRecipients = new[] { "newsletter@example.org" } });
        var (restrictedSubscription, _) = await SubscribeAsync(admin, new { name = "Secretariat", period = "DAILY", audience = "RESTRICTED", countries = new[] { "NE" }, emailRecipients = new[] { "secretariat@example.org" } });
        var (networkSubscription, _) = await SubscribeAsync(admin, new { name = "Network", period = "DAILY", audience = "NETWORK", countries = new[] { "NE" }, emailRecipients = new[] { "network@example.org" } });

        var run = await RunAsync(admin, "DIGEST", asOf);
        Assert.Equal(3, run.GetProperty("items").GetInt32());

        var digests = await DigestsAsync(admin);
        var publicDigest = Of(digests, publicSubscription);
        Assert.Equal(("DAILY", Iso(asOf.AddDays(-1)), Iso(asOf.AddDays(-1)), "PUBLIC"),
            (publicDigest.GetProperty("period").GetString(), publicDigest.GetProperty("from").GetString(), publicDigest.GetProperty("to").GetString(), publicDigest.GetProperty("audience").GetString()));
        var publicText = AllText(publicDigest);
        Assert.All(Hidden, secret => Assert.DoesNotContain(secret, publicText, StringComparison.Ordinal));
        Assert.DoesNotContain("DRAFT-ARTICLE-TITLE", publicText, StringComparison.Ordinal);

        // What the public may see is there: the case, its public event with the defender under her pseudonym, the intervention, the anniversary, the article, the deadline.
        var sections = Sections(publicDigest);
        Assert.Equal(["PUBLIC-CASE-TITLE"], Titles(sections["NEW_CASES"]));
        var publicEvent = Assert.Single(sections["CASE_EVENTS"]);
        Assert.Equal(("ARREST", "PUBLIC-EVENT-TEXT Victims: Defender Z"), (publicEvent.GetProperty("type").GetString(), publicEvent.GetProperty("text").GetString()));
        Assert.Single(sections["INTERVENTIONS"]);
        var anniversary = Assert.Single(sections["ANNIVERSARIES"], a => a.GetProperty("type").GetString() == "YEARLY");
        Assert.Equal(Iso(asOf.AddDays(3)), anniversary.GetProperty("date").GetString());
        Assert.Equal(["PUBLIC-ARTICLE-TITLE"], Titles(sections["ARTICLES"]));
        Assert.Equal(["PUBLIC-SUBMISSION-TITLE"], Titles(sections["DEADLINES"]));
        Assert.Empty(sections["CALLS_FOR_INPUT"]);
        Assert.Contains("Defender Z", publicDigest.GetProperty("html").GetString(), StringComparison.Ordinal);

        // The same data at RESTRICTED shows every one of them: the check above could fail.
        var restrictedText = AllText(Of(digests, restrictedSubscription));
        Assert.All(Hidden, secret => Assert.Contains(secret, restrictedText, StringComparison.Ordinal));
        Assert.DoesNotContain("DRAFT-ARTICLE-TITLE", restrictedText, StringComparison.Ordinal);

        // NETWORK: the call for input, but nothing at STAFF.
        var networkSections = Sections(Of(digests, networkSubscription));
        Assert.Equal(["SECRET-CALL-TITLE"], Titles(networkSections["CALLS_FOR_INPUT"]));
        Assert.Contains(networkSections["DEADLINES"], d => d.GetProperty("title").GetString() == "SECRET-CALL-TITLE");
        Assert.DoesNotContain("SECRET-CASE-TITLE", AllText(Of(digests, networkSubscription)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_case_raised_after_its_digest_was_made_leaves_the_digests_below_its_new_level()
    {
        var admin = platform.Admin();
        var asOf = TodayInGeneva().AddDays(1);
        var raised = await OpenCaseAsync(admin, "Chad: raised after the digest", "TD", "STAFF");
        await RecordEventAsync(admin, raised, "ARREST", Iso(LatestEventDate()), "Arrested in N'Djamena.", "STAFF");
        await OpenCaseAsync(admin, "Chad: stays in the digest", "TD", "STAFF");
        var (staff, _) = await SubscribeAsync(admin, new { name = "Chad STAFF", period = "DAILY", audience = "STAFF", countries = new[] { "TD" }, emailRecipients = new[] { "c@example.org" } });
        var (restricted, _) = await SubscribeAsync(admin, new { name = "Chad RESTRICTED", period = "DAILY", audience = "RESTRICTED", countries = new[] { "TD" }, emailRecipients = new[] { "d@example.org" } });
        await RunAsync(admin, "DIGEST", asOf);
        Assert.Contains("raised after the digest", AllText(Of(await DigestsAsync(admin), staff)), StringComparison.Ordinal);

        await admin.QueryAsync("mutation($id: ID!) { changeCaseConfidentiality(input: { caseId: $id, confidentiality: RESTRICTED }) { case { id } } }", new { id = raised });

        var after = await DigestsAsync(admin);
        var staffText = AllText(Of(after, staff));
        Assert.DoesNotContain("raised after the digest", staffText, StringComparison.Ordinal);
        Assert.DoesNotContain("N'Djamena", staffText, StringComparison.Ordinal);
        Assert.DoesNotContain(raised[^8..], staffText, StringComparison.Ordinal);
        Assert.Contains("stays in the digest", staffText, StringComparison.Ordinal);
        Assert.Contains("## New cases (1)", Of(after, staff).GetProperty("markdown").GetString(), StringComparison.Ordinal);
        Assert.Contains("raised after the digest", AllText(Of(after, restricted)), StringComparison.Ordinal); // its audience may see it
    }

    [Fact]
    public async Task Digests_are_listed_only_to_staff_whose_clearance_reaches_their_audience()
    {
        var admin = platform.Admin();
        var asOf = TodayInGeneva().AddDays(1);
        await OpenCaseAsync(admin, "Mali: listing check", "ML", "PUBLIC");
        var (network, _) = await SubscribeAsync(admin, new { name = "Listing NETWORK", period = "DAILY", audience = "NETWORK", countries = new[] { "ML" }, emailRecipients = new[] { "a@example.org" } });
        var (staff, _) = await SubscribeAsync(admin, new { name = "Listing STAFF", period = "DAILY", audience = "STAFF", countries = new[] { "ML" }, emailRecipients = new[] { "b@example.org" } });
        await RunAsync(admin, "DIGEST", asOf);

        var networkStaff = platform.GraphQL(await CreateKeyAsync(admin, "STAFF", "NETWORK"));
        var seen = await DigestsAsync(networkStaff);
        Assert.Contains(seen, d => d.GetProperty("subscriptionId").GetString() == network);
        Assert.DoesNotContain(seen, d => d.GetProperty("subscriptionId").GetString() == staff);
        Assert.All(seen, d => Assert.Contains(d.GetProperty("audience").GetString(), new[] { "PUBLIC", "NETWORK" }));
        var subscriptions = (await networkStaff.QueryAsync("{ digestSubscriptions(first: 100) { totalCount nodes { id audience } } }")).GetProperty("digestSubscriptions");
        Assert.DoesNotContain(subscriptions.GetProperty("nodes").EnumerateArray(), s => s.GetProperty("id").GetString() == staff);

        // Below STAFF the field is refused: a network member and an integrator, whatever their clearance.
        var member = platform.GraphQL(await CreateKeyAsync(admin, "INTEGRATOR", "RESTRICTED"));
        Assert.Equal("FORBIDDEN", (await member.PostAsync(DigestKit.Digests)).ErrorCode);
        Assert.Equal("UNAUTHENTICATED", (await platform.GraphQL().PostAsync(DigestKit.Digests)).ErrorCode);
    }

    [Fact]
    public async Task Text_from_the_records_stays_text_in_the_digest_no_markup_no_script_no_link()
    {
        var admin = platform.Admin();
        await OpenCaseAsync(admin, "Benin: <script>alert(1)</script> [click](javascript:alert(1)) **loud** | cell", "BJ", "PUBLIC");
        var (subscription, _) = await SubscribeAsync(admin, new { name = "Benin *digest*", period = "DAILY", audience = "PUBLIC", countries = new[] { "BJ" }, emailRecipients = new[] { "bj@example.org" } });
        await RunAsync(admin, "DIGEST", TodayInGeneva().AddDays(1));

        var html = Of(await DigestsAsync(admin), subscription).GetProperty("html").GetString()!;
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", html.Replace("[click](javascript:alert(1))", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<a ", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<strong>loud</strong>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<em>digest</em>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; [click](javascript:alert(1)) **loud** | cell", html, StringComparison.Ordinal);
    }

    private static Dictionary<string, List<JsonElement>> Sections(JsonElement digest) =>
        digest.GetProperty("sections").EnumerateArray().ToDictionary(s => s.GetProperty("kind").GetString()!, s => s.GetProperty("items").EnumerateArray().ToList());

    private static List<string> Titles(IEnumerable<JsonElement> items) =>
        items.Select(i => i.GetProperty("title").GetString()!.Replace("Niger: ", "", StringComparison.Ordinal).Replace(" arbitrary detention", "", StringComparison.Ordinal)).ToList();
}
