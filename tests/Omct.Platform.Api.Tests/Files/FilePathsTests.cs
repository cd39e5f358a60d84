using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Files.Export;
using Omct.Platform.Files.FileDetails;
using Omct.Platform.Api.Tests.Integration;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Files;

/// <summary>
/// Every path of the integrators follows the one rule of files (visible where both the file and its record are): the change
/// feed (<c>changes</c>, entity type FILE), the webhooks that follow it, and <c>GET /export/files</c> (NDJSON and CSV). The
/// digests: <see cref="FileDigestTests"/>.
/// </summary>
public sealed class FilePathsTests(WebhookPlatformFactory platform) : IClassFixture<WebhookPlatformFactory>
{
    private static readonly string[] FileType = ["FILE"];

    [Fact]
    public async Task A_file_on_a_RESTRICTED_event_and_a_RESTRICTED_file_are_absent_for_STAFF_on_the_feed_the_exports_and_the_webhooks()
    {
        var staffKey = await FeedKit.KeyAsync(platform, "INTEGRATOR", "STAFF");
        var restrictedKey = await FeedKit.KeyAsync(platform, "INTEGRATOR", "RESTRICTED");
        var (staff, restricted) = (platform.GraphQL(staffKey), platform.GraphQL(restrictedKey));
        var (_, staffStart) = await FeedKit.DrainAsync(staff, types: FileType);
        var (_, restrictedStart) = await FeedKit.DrainAsync(restricted, types: FileType);
        await using var staffReceiver = await WebhookReceiver.StartAsync();
        await using var restrictedReceiver = await WebhookReceiver.StartAsync();
        var (staffHook, _, _) = await WebhookKit.RegisterAsync(staff, staffReceiver.Url, FileType, "staff files");
        var (restrictedHook, _, _) = await WebhookKit.RegisterAsync(restricted, restrictedReceiver.Url, FileType, "restricted files");

        var s = await FilePathsScenario.SeedAsync(platform, "paths");
        string[] all = [s.OnRestrictedEvent, s.RestrictedFile, s.Visible];

        // The feed: CREATED for what the caller may see, nothing at all of the others.
        var (staffChanges, _) = await FeedKit.DrainAsync(staff, staffStart, types: FileType);
        Assert.Equal([(s.Visible, "CREATED")], staffChanges.Select(c => (c.EntityId, c.Kind)));
        Assert.All(staffChanges, c => Assert.Equal("FILE", c.EntityType));
        var (restrictedChanges, _) = await FeedKit.DrainAsync(restricted, restrictedStart, types: FileType);
        Assert.Equal(all.Order(), restrictedChanges.Where(c => c.Kind == "CREATED").Select(c => c.EntityId).Order());
        // The ids resolve with node(id) as File.
        var node = await restricted.QueryAsync("query($id: ID!) { node(id: $id) { ... on File { fileName } } }", new { id = s.RestrictedFile });
        Assert.Equal(s.RestrictedFileName, node.GetProperty("node").GetProperty("fileName").GetString());

        // The export, NDJSON and CSV.
        var staffRows = (await FilePathsScenario.ExportRowsAsync(platform, staffKey)).Where(r => all.Contains(r.GetProperty("id").GetString())).ToList();
        var row = Assert.Single(staffRows);
        Assert.Equal(s.Visible, row.GetProperty("id").GetString());
        Assert.Equal(s.VisibleName, row.GetProperty("fileName").GetString());
        Assert.Equal("CaseEvent", row.GetProperty("recordType").GetString());
        Assert.Equal("STAFF", row.GetProperty("confidentiality").GetString());
        Assert.Equal("DOCUMENT", row.GetProperty("purpose").GetString());
        Assert.Equal("application/pdf", row.GetProperty("mediaType").GetString());
        Assert.Equal(64, row.GetProperty("sha256").GetString()!.Length);
        Assert.Equal(JsonValueKind.String, row.GetProperty("uploadedBy").ValueKind);
        Assert.False(row.TryGetProperty("content", out _));
        var restrictedRows = (await FilePathsScenario.ExportRowsAsync(platform, restrictedKey)).Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.All(all, id => Assert.Contains(id, restrictedRows));

        foreach (var (key, hidden) in new[] { (staffKey, true), (restrictedKey, false) })
        {
            var csvResponse = await FilePathsScenario.ExportAsync(platform, key, "text/csv");
            Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType?.MediaType);
            var csv = await csvResponse.Content.ReadAsStringAsync();
            Assert.StartsWith("id,recordType,recordId,fileName,mediaType,size,sha256,confidentiality,purpose,uploadedAt,uploadedBy", csv, StringComparison.Ordinal);
            Assert.Contains(s.VisibleName, csv, StringComparison.Ordinal);
            foreach (var (id, name) in s.Hidden.Zip(s.HiddenNames))
            {
                Assert.Equal(!hidden, csv.Contains(id, StringComparison.Ordinal));
                Assert.Equal(!hidden, csv.Contains(name, StringComparison.Ordinal));
            }
        }

        // The webhooks deliver what the feed lists for their registrant.
        while (await WebhookKit.DispatchAsync(platform) > 0)
        {
        }

        Assert.Equal([(s.Visible, "CREATED")], WebhookKit.Changes(staffReceiver.Accepted).Select(c => (c.EntityId, c.Kind)));
        Assert.Equal(all.Order(), WebhookKit.Changes(restrictedReceiver.Accepted).Select(c => c.EntityId).Order());
        foreach (var id in s.Hidden)
        {
            Assert.DoesNotContain(staffReceiver.Received, d => System.Text.Encoding.UTF8.GetString(d.Body).Contains(id, StringComparison.Ordinal));
        }

        await WebhookKit.DeleteAsync(platform, staffHook, restrictedHook);
    }

    [Fact]
    public async Task A_reclassification_raising_a_file_gives_a_STAFF_reader_REDACTED_and_a_reader_that_never_saw_it_nothing()
    {
        var staffKey = await FeedKit.KeyAsync(platform, "INTEGRATOR", "STAFF");
        var staff = platform.GraphQL(staffKey);
        var (_, start) = await FeedKit.DrainAsync(staff, types: FileType);
        var s = await FilePathsScenario.SeedAsync(platform, "raise");
        var (created, cursor) = await FeedKit.DrainAsync(staff, start, types: FileType);
        Assert.Equal([(s.Visible, "CREATED")], created.Select(c => (c.EntityId, c.Kind)));

        // Raised past the reader: REDACTED, the id and nothing else. The file on the RESTRICTED event, never seen, raised too: nothing.
        Assert.Equal("RESTRICTED", await FilePathsScenario.ReclassifyAsync(platform, s.Visible, "RESTRICTED"));
        Assert.Equal("RESTRICTED", await FilePathsScenario.ReclassifyAsync(platform, s.OnRestrictedEvent, "RESTRICTED"));
        var (changes, _) = await FeedKit.DrainAsync(staff, cursor, types: FileType);
        var redacted = Assert.Single(changes);
        Assert.Equal((s.Visible, "REDACTED", (int?)null, (string?)null), (redacted.EntityId, redacted.Kind, redacted.Version, redacted.OccurredAt));
        Assert.DoesNotContain(s.Visible, (await FilePathsScenario.ExportRowsAsync(platform, staffKey)).Select(r => r.GetProperty("id").GetString()));

        // A RESTRICTED reader sees both re-classifications as UPDATED.
        var restricted = platform.GraphQL(await FeedKit.KeyAsync(platform, "INTEGRATOR", "RESTRICTED"));
        var (all, _) = await FeedKit.DrainAsync(restricted, start, types: FileType);
        Assert.Equal(2, all.Count(c => c.Kind == "UPDATED" && (c.EntityId == s.Visible || c.EntityId == s.OnRestrictedEvent)));
    }

    [Fact]
    public async Task An_erased_defenders_portrait_is_DELETED_on_the_feed_and_gone_from_the_exports()
    {
        var staffKey = await FeedKit.KeyAsync(platform, "INTEGRATOR", "STAFF");
        var staff = platform.GraphQL(staffKey);
        var (_, start) = await FeedKit.DrainAsync(staff, types: FileType);
        var kit = new AttachKit(platform);
        var defender = await kit.RegisterDefenderAsync("Portrait Paths Person", "STAFF");
        var portrait = await FilePathsScenario.AttachAsync(platform, defender, "portrait.png", "STAFF", 0, "PORTRAIT", AttachKit.Png(400, "paths"), "image/png");
        var kept = await FilePathsScenario.AttachAsync(platform, await kit.RegisterDefenderAsync("Kept Paths Person", "STAFF"), "portrait.png", "STAFF", 0, "PORTRAIT",
            AttachKit.Png(400, "kept"), "image/png");
        var (created, cursor) = await FeedKit.DrainAsync(staff, start, types: FileType);
        Assert.Equal([portrait, kept], created.Where(c => c.Kind == "CREATED").Select(c => c.EntityId));
        Assert.Contains(portrait, (await FilePathsScenario.ExportRowsAsync(platform, staffKey)).Select(r => r.GetProperty("id").GetString()));

        await platform.Admin().QueryAsync("mutation($id: ID!) { eraseDefenderPersonalData(input: { defenderId: $id }) { defender { id } } }", new { id = defender });

        var (changes, _) = await FeedKit.DrainAsync(staff, cursor, types: FileType);
        var deleted = Assert.Single(changes);
        Assert.Equal((portrait, "DELETED"), (deleted.EntityId, deleted.Kind));
        Assert.NotNull(deleted.Version);
        var rows = (await FilePathsScenario.ExportRowsAsync(platform, staffKey)).Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.DoesNotContain(portrait, rows);
        Assert.Contains(kept, rows);
        var erasedAt = (await staff.QueryAsync("query($id: ID!) { node(id: $id) { ... on File { erasedAt } } }", new { id = portrait })).GetProperty("node").GetProperty("erasedAt");
        Assert.Equal(JsonValueKind.String, erasedAt.ValueKind);
    }
    [Fact]
    public async Task An_export_past_one_chunk_with_a_defenders_portrait_in_a_full_chunk_lists_every_file()
    {
        // The portrait first, then more than a chunk of files after it: the first chunk (500 rows, the portrait among them) is
        // checked while the export is still streaming the rest — its consent and erasure checks need a connection of their own.
        var staffKey = await FeedKit.KeyAsync(platform, "INTEGRATOR", "STAFF");
        var kit = new AttachKit(platform);
        var defender = await kit.RegisterDefenderAsync("Chunk Paths Person", "STAFF");
        var portrait = await FilePathsScenario.AttachAsync(platform, defender, "portrait.png", "STAFF", 0, "PORTRAIT", AttachKit.Png(400, "chunk"), "image/png");
        var caseId = await kit.OpenCaseAsync("STAFF", "Chunked export");
        var first = await FilePathsScenario.AttachAsync(platform, caseId, "first.pdf", "STAFF", 0);
        var stored = await platform.Services.GetRequiredService<IDocumentStore>().QuerySession().LoadAsync<StoredFile>(
            GlobalId.DecodeOrNotFound(first, FileIds.File, "The file"));
        Assert.NotNull(stored);

        var copies = Enumerable.Range(0, FileExportSource.Chunk + 100).Select(i => new StoredFile
        {
            Id = Guid.CreateVersion7(), RecordType = stored.RecordType, RecordId = stored.RecordId, Confidentiality = stored.Confidentiality,
            Purpose = stored.Purpose, FileName = $"copy-{i}.pdf", TypeName = stored.TypeName, MediaType = stored.MediaType, Size = stored.Size,
            Sha256 = stored.Sha256, UploadedBy = stored.UploadedBy, UploadedAt = stored.UploadedAt, Version = 1,
            CreatedAt = stored.CreatedAt, UpdatedAt = stored.UpdatedAt,
        }).ToList();
        await using (var session = platform.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            session.Store<StoredFile>(copies);
            await session.SaveChangesAsync();
        }

        var ids = (await FilePathsScenario.ExportRowsAsync(platform, staffKey)).Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.Contains(portrait, ids);
        Assert.Contains(first, ids);
        Assert.Equal(copies.Count, copies.Count(c => ids.Contains(GlobalId.Encode(FileIds.File, c.Id))));
    }
}
