using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.BuildingBlocks.Rendering;
using Omct.Platform.Digests.Composing;
using Omct.Platform.Digests.Subscriptions;
using Omct.Platform.Testing;
using Xunit;
using static Omct.Platform.Api.Tests.Digests.DigestKit;

namespace Omct.Platform.Api.Tests.Digests;

/// <summary>
/// Issue 4: after a defender's personal data is erased no digest shows the name — not the stored
/// digests (Markdown, HTML, sections), not a delivery still waiting, not after a projection rebuild.
/// </summary>
public sealed class DigestErasureTests : DeliveryTestBase
{
    private const string Name = "Halima Erasename";
    private const string Pseudonym = "Codename Ibis";
    private const string Kept = "Kossi Keptname";
    private static readonly string[] Personal = ["Halima", "Erasename", "Codename", "Ibis"];

    [Fact]
    public async Task An_erased_defender_is_named_in_no_stored_digest_no_pending_delivery_and_no_rebuild()
    {
        var admin = App.Admin();
        var asOf = TodayInGeneva().AddDays(1);
        var caseId = await OpenCaseAsync(admin, "Togo: two journalists detained in Lomé", "TG", "PUBLIC");
        // No consent to publish her name: staff read the name, the public the pseudonym. The second victim stays named.
        var erasable = await RegisterAsync(admin, Name, Pseudonym, consent: false);
        var kept = await RegisterAsync(admin, Kept, null, consent: true);
        var erasableVictim = await AddVictimAsync(admin, caseId, erasable, null, "PUBLIC");
        var keptVictim = await AddVictimAsync(admin, caseId, kept, null, "PUBLIC");
        // Recorded today (Geneva), so in the daily digest of asOf whatever its date.
        await RecordEventAsync(admin, caseId, "ARREST", Iso(LatestEventDate()), "Arrested at dawn.", "PUBLIC", erasableVictim, keptVictim);
        var (staff, _) = await SubscribeAsync(admin, new { name = "Staff desk", period = "DAILY", audience = "STAFF", countries = new[] { "TG" }, emailRecipients = new[] { "staff-desk@example.org" } });
        var (open, _) = await SubscribeAsync(admin, new { name = "Public desk", period = "DAILY", audience = "PUBLIC", countries = new[] { "TG" }, emailRecipients = new[] { "public-desk@example.org" } });
        Assert.Equal(2, (await RunAsync(admin, "DIGEST", asOf)).GetProperty("items").GetInt32());

        // Before: the staff digest names her, the public one by her pseudonym.
        var before = await DigestsAsync(admin);
        Assert.Equal($"Arrested at dawn. Victims: {Name}, {Kept}", EventText(Of(before, staff)));
        Assert.Equal($"Arrested at dawn. Victims: {Pseudonym}, {Kept}", EventText(Of(before, open)));
        Assert.Contains(Name, Of(before, staff).GetProperty("html").GetString(), StringComparison.Ordinal);

        await admin.QueryAsync("mutation($id: ID!) { eraseDefenderPersonalData(input: { defenderId: $id }) { defender { id } } }", new { id = erasable });

        // After: neither name nor pseudonym in any of the three forms; the rest of the digest is as it was.
        await AssertErasedAsync(admin, staff, open);
        foreach (var digest in new[] { Of(await DigestsAsync(admin), staff), Of(await DigestsAsync(admin), open) })
        {
            // Not cancelled: the deliveries wait as before, and send the digest as it is now.
            Assert.All(digest.GetProperty("deliveries").EnumerateArray(), d => Assert.Equal("PENDING", d.GetProperty("status").GetString()));
        }

        Assert.Equal(2, (await RunAsync(admin, "DIGEST_DELIVERY", null)).GetProperty("items").GetInt32());
        var messages = Smtp.Messages();
        Assert.Equal(2, messages.Count);
        foreach (var message in messages)
        {
            var mail = message.GetRawText();
            Assert.All(Personal, p => Assert.DoesNotContain(p, mail, StringComparison.Ordinal));
            Assert.Contains(MarkdownText.Escape($"Victims: {DigestErasure.Replacement}, {Kept}"), message.GetProperty("text").GetString(), StringComparison.Ordinal);
            Assert.Contains($"Victims: {DigestErasure.Replacement}, {Kept}", message.GetProperty("html").GetString(), StringComparison.Ordinal);
        }

        // Rebuilds (the defenders' read model and the digests' erasure projection) bring nothing back and remove nothing else.
        var store = App.Services.GetRequiredService<IDocumentStore>();
        using (var daemon = await store.BuildProjectionDaemonAsync())
        {
            await daemon.RebuildProjectionAsync<Omct.Platform.Defenders.Profiles.DefenderProjection>(CancellationToken.None);
            await daemon.RebuildProjectionAsync(DigestErasureProjection.Name, CancellationToken.None);
        }

        await AssertErasedAsync(admin, staff, open);
        Assert.Equal(0, await CountInDigestTablesAsync());
    }

    [Fact]
    public async Task A_digest_composed_before_an_erasure_and_stored_after_it_is_stored_without_the_name()
    {
        // The DIGEST job read the names a moment before the erasure committed: the store drops them on insert.
        var admin = App.Admin();
        var erasable = await RegisterAsync(admin, Name, Pseudonym, consent: true);
        GlobalId.TryDecode(erasable, out _, out var defenderId);
        await admin.QueryAsync("mutation($id: ID!) { eraseDefenderPersonalData(input: { defenderId: $id }) { defender { id } } }", new { id = erasable });

        var day = TodayInGeneva();
        var item = new DigestItem("Togo: a case", $"Victims: {Name}", Iso(day), "TG-2026-0001", "TG", "ARREST", "Case", Guid.CreateVersion7(),
            [new DigestTextPart("Victims: "), new DigestTextPart(Name, defenderId)]);
        var composed = DigestComposer.Rendered(new Digest(Guid.CreateVersion7(), Guid.CreateVersion7(), "Late desk", DigestPeriod.Daily, day, day,
            Confidentiality.Staff, DateTimeOffset.UtcNow, "", "", [new DigestSection(DigestSectionKind.CaseEvents, "New case events", [item])]));
        Assert.Contains(Name, composed.Html, StringComparison.Ordinal);
        var digests = App.Services.GetRequiredService<DigestStore>();
        await using (var connection = await digests.OpenAsync(CancellationToken.None))
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            Assert.True(await digests.InsertNewAsync(composed, [], connection, transaction, CancellationToken.None));
            await transaction.CommitAsync();
        }

        var stored = Assert.Single(await DigestsAsync(admin));
        Assert.Equal($"Victims: {DigestErasure.Replacement}", EventText(stored));
        Assert.All(Personal, p => Assert.DoesNotContain(p, AllText(stored), StringComparison.Ordinal));
        Assert.Equal(0, await CountInDigestTablesAsync());
    }

    private async Task AssertErasedAsync(GraphQLClient admin, string staff, string open)
    {
        var after = await DigestsAsync(admin);
        foreach (var subscription in new[] { staff, open })
        {
            var digest = Of(after, subscription);
            var text = AllText(digest);
            Assert.All(Personal, p => Assert.DoesNotContain(p, text, StringComparison.Ordinal));
            Assert.Equal($"Arrested at dawn. Victims: {DigestErasure.Replacement}, {Kept}", EventText(digest));
            Assert.Contains(MarkdownText.Escape($"Victims: {DigestErasure.Replacement}, {Kept}"), digest.GetProperty("markdown").GetString(), StringComparison.Ordinal);
            Assert.Contains($"Victims: {DigestErasure.Replacement}, {Kept}", digest.GetProperty("html").GetString(), StringComparison.Ordinal);
            Assert.Contains("Togo: two journalists detained in Lomé", digest.GetProperty("html").GetString(), StringComparison.Ordinal);
        }
    }

    private static string? EventText(JsonElement digest) =>
        digest.GetProperty("sections").EnumerateArray().Single(s => s.GetProperty("kind").GetString() == "CASE_EVENTS")
            .GetProperty("items").EnumerateArray().Single().GetProperty("text").GetString();

    private static async Task<string> RegisterAsync(GraphQLClient admin, string name, string? pseudonym, bool consent) =>
        (await admin.QueryAsync(
            "mutation($name: String!, $pseudonym: String, $consent: Boolean!) { registerDefender(input: { name: $name, pseudonym: $pseudonym, countryCode: \"TG\", consentToPublishName: $consent, confidentiality: PUBLIC }) { defender { id } } }",
            new { name, pseudonym, consent })).GetProperty("registerDefender").GetProperty("defender").GetProperty("id").GetString()!;

    /// <summary>Rows of the digests' own tables (digests, deliveries) that hold any of the erased person's names, read in the database itself.</summary>
    private async Task<long> CountInDigestTablesAsync()
    {
        await using var connection = new NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select (select count(*) from omct.{DigestStore.DigestTable} d where d::text ilike any($1)) + " +
            $"(select count(*) from omct.{DigestStore.DeliveryTable} d where d::text ilike any($1))", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = Personal.Select(p => $"%{p}%").ToArray() });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
