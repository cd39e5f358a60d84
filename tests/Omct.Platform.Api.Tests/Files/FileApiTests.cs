using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Files;

/// <summary>
/// Files end to end through the host: a resumable (tus) upload in several requests, an interrupted request resumed from
/// HEAD's offset, the SHA-256 of what arrived, the type allow-list on the content, attaching under the write rules, the
/// visibility of a file (its own level and its record's), verified downloads, a tampered chunk, and the chain of custody.
/// </summary>
public sealed class FileApiTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private const int MiB = 1024 * 1024;

    private const string Attach = "mutation($r: ID!, $u: ID!, $l: Confidentiality, $d: String, $m: String) { attachFile(input: { recordId: $r, uploadId: $u, confidentiality: $l, description: $d, clientMutationId: $m }) " +
                                  "{ file { id fileName mediaType size sha256 confidentiality description downloadUrl version custody { kind by } } clientMutationId } }";

    [Fact]
    public async Task A_multi_chunk_upload_interrupted_and_resumed_ends_with_the_right_SHA256_and_downloads_as_sent()
    {
        var admin = new TusKit(platform, PlatformFactory.AdminKey);
        var content = TusKit.Pdf((2 * MiB) + (MiB / 2) + 123);
        var location = await admin.CreateAsync(content.Length, "../../Arrest warrant\u202Efdp.exe.pdf");
        Assert.Equal(0, await admin.OffsetAsync(location));

        // A first request that stops in the middle of the second chunk, as a partner's connection might.
        var first = await admin.PatchAsync(location, 0, content.AsMemory(0, MiB + 300_000));
        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal("1.0.0", first.Headers.GetValues("Tus-Resumable").Single());
        Assert.Equal(MiB + 300_000, await admin.OffsetAsync(location));

        // A second request whose connection drops after 600,000 more bytes (the in-memory test server cannot drop a
        // connection, so the body is a stream that fails there, as Kestrel's does): what arrived is kept.
        BuildingBlocks.Ids.GlobalId.TryDecode(TusKit.IdOf(location), "Upload", out var uploadId);
        using (var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateScope(platform.Services))
        {
            var uploads = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Omct.Platform.Files.Uploads.FileUploads>(scope.ServiceProvider);
            var dropped = await uploads.AppendAsync(uploadId, MiB + 300_000, new DroppingStream(content[(MiB + 300_000)..], 600_000), CancellationToken.None);
            Assert.Equal(Omct.Platform.Files.Uploads.AppendOutcome.Interrupted, dropped.Outcome);
        }

        // HEAD says where to go on: every byte that arrived, across the chunk boundary at 2 MiB.
        var resumeAt = await admin.OffsetAsync(location);
        Assert.Equal(MiB + 300_000 + 600_000, resumeAt);

        // The rest, from there.
        var last = await admin.PatchAsync(location, resumeAt, content.AsMemory((int)resumeAt));
        Assert.Equal(HttpStatusCode.NoContent, last.StatusCode);
        Assert.Equal(content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), last.Headers.GetValues("Upload-Offset").Single());

        var caseId = await OpenCaseAsync("STAFF");
        var file = (await platform.Admin().QueryAsync(Attach, new { r = caseId, u = TusKit.IdOf(location), d = "Scan of the warrant" }))
            .GetProperty("attachFile").GetProperty("file");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), file.GetProperty("sha256").GetString());
        Assert.Equal(content.Length, file.GetProperty("size").GetInt64());
        Assert.Equal("application/pdf", file.GetProperty("mediaType").GetString());
        Assert.Equal("STAFF", file.GetProperty("confidentiality").GetString());
        // No path, no right-to-left override: the name cannot pose as something else.
        Assert.Equal("Arrest warrantfdp.exe.pdf", file.GetProperty("fileName").GetString());

        var download = await DownloadAsync(file.GetProperty("downloadUrl").GetString()!, PlatformFactory.AdminKey);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(content, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/pdf", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("Arrest warrantfdp.exe.pdf", download.Content.Headers.ContentDisposition.FileNameStar);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("sandbox; default-src 'none'", download.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal($"sha-256=:{Convert.ToBase64String(SHA256.HashData(content))}:", download.Headers.GetValues("Repr-Digest").Single());
    }

    [Fact]
    public async Task A_PATCH_at_another_offset_is_409_and_writes_nothing()
    {
        var admin = new TusKit(platform, PlatformFactory.AdminKey);
        var content = TusKit.Pdf(300_000);
        var location = await admin.CreateAsync(content.Length);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PatchAsync(location, 0, content.AsMemory(0, 100_000))).StatusCode);

        var behind = await admin.PatchAsync(location, 0, content.AsMemory(0, 100_000));
        var ahead = await admin.PatchAsync(location, 150_000, content.AsMemory(150_000));
        Assert.Equal(HttpStatusCode.Conflict, behind.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, ahead.StatusCode);
        Assert.Equal("100000", behind.Headers.GetValues("Upload-Offset").Single());
        Assert.Equal("CONFLICT", TusKit.ErrorCode(await behind.Content.ReadAsStringAsync()));
        Assert.Equal(100_000, await admin.OffsetAsync(location));
    }

    [Fact]
    public async Task A_HEAD_and_a_PATCH_meeting_a_PATCH_still_writing_wait_for_it_and_go_on_from_what_it_stored()
    {
        var admin = new TusKit(platform, PlatformFactory.AdminKey);
        var content = TusKit.Pdf(3 * MiB);
        var location = await admin.CreateAsync(content.Length);
        BuildingBlocks.Ids.GlobalId.TryDecode(TusKit.IdOf(location), "Upload", out var uploadId);
        using var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateScope(platform.Services);
        var uploads = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Omct.Platform.Files.Uploads.FileUploads>(scope.ServiceProvider);

        // 1. A PATCH has sent 1.5 MiB and stalls (its first chunk stored, half a chunk in its buffer): a HEAD waits for it.
        var stall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stalled = Task.Run(() => uploads.AppendAsync(uploadId, 0, new GatedDroppingStream(content, MiB + (MiB / 2), stall.Task), CancellationToken.None));
        await TusOverHttp.StoredAtLeastAsync(platform.ConnectionString, location, MiB, TimeSpan.FromMinutes(1));
        var head = admin.OffsetAsync(location);
        await WaitingForUploadLocksAsync(1);
        stall.SetResult();
        Assert.Equal(Omct.Platform.Files.Uploads.AppendOutcome.Interrupted, (await stalled).Outcome);
        // Not the 1 MiB stored when it asked: everything the dropped request received.
        Assert.Equal(MiB + (MiB / 2), await head);

        // 2. Another PATCH goes on from there, fills its chunk to 2 MiB and stalls: a PATCH from 2 MiB waits for it, then is taken.
        var stall2 = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stalled2 = Task.Run(() => uploads.AppendAsync(uploadId, MiB + (MiB / 2), new GatedDroppingStream(content[(MiB + (MiB / 2))..], MiB / 2, stall2.Task), CancellationToken.None));
        await TusOverHttp.StoredAtLeastAsync(platform.ConnectionString, location, 2 * MiB, TimeSpan.FromMinutes(1));
        var rest = admin.PatchAsync(location, 2 * MiB, content.AsMemory(2 * MiB));
        await WaitingForUploadLocksAsync(1);
        stall2.SetResult();
        Assert.Equal(Omct.Platform.Files.Uploads.AppendOutcome.Interrupted, (await stalled2).Outcome);
        var done = await rest;
        Assert.Equal(HttpStatusCode.NoContent, done.StatusCode);
        Assert.Equal((3 * MiB).ToString(System.Globalization.CultureInfo.InvariantCulture), done.Headers.GetValues("Upload-Offset").Single());

        var caseId = await OpenCaseAsync("STAFF");
        var file = (await platform.Admin().QueryAsync(Attach, new { r = caseId, u = TusKit.IdOf(location) })).GetProperty("attachFile").GetProperty("file");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), file.GetProperty("sha256").GetString());
    }

    /// <summary>Waits (a minute at most) until <paramref name="count"/> requests of this test's database wait for an upload's lock.</summary>
    private async Task WaitingForUploadLocksAsync(int count)
    {
        await using var connection = new Npgsql.NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            // The uploads' advisory lock class is "FILE" (0x46494C45), with the upload's key as the second number.
            await using var command = new Npgsql.NpgsqlCommand(
                "select count(*) from pg_locks where locktype = 'advisory' and not granted and objsubid = 2 and classid = 1179208773::oid " +
                "and database = (select oid from pg_database where datname = current_database())", connection);
            if ((long)(await command.ExecuteScalarAsync())! >= count)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{count} request(s) were not waiting for the upload after a minute.");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task The_tus_core_protocol_answers_as_specified()
    {
        var admin = new TusKit(platform, PlatformFactory.AdminKey);
        var options = await admin.SendAsync(admin.Request(HttpMethod.Options, TusKit.Uploads, resumable: false));
        Assert.Equal(HttpStatusCode.NoContent, options.StatusCode);
        Assert.Equal("1.0.0", options.Headers.GetValues("Tus-Version").Single());
        Assert.Equal((256L * MiB).ToString(System.Globalization.CultureInfo.InvariantCulture), options.Headers.GetValues("Tus-Max-Size").Single());

        // Without Tus-Resumable: 412 and the versions this server speaks.
        var noVersion = admin.Request(HttpMethod.Post, TusKit.Uploads, resumable: false);
        noVersion.Headers.Add("Upload-Length", "10");
        var refused = await admin.SendAsync(noVersion);
        Assert.Equal(HttpStatusCode.PreconditionFailed, refused.StatusCode);
        Assert.Equal("1.0.0", refused.Headers.GetValues("Tus-Version").Single());

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await admin.CreateResponseAsync((256L * MiB) + 1)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.CreateResponseAsync(0)).StatusCode);

        var location = await admin.CreateAsync(1000);
        var wrongType = admin.Request(HttpMethod.Patch, location);
        wrongType.Headers.Add("Upload-Offset", "0");
        wrongType.Content = new ByteArrayContent(TusKit.Pdf(1000));
        wrongType.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await admin.SendAsync(wrongType)).StatusCode);

        // A body longer than the upload: what fits is kept, the rest refused.
        var tooLong = await admin.PatchAsync(location, 0, TusKit.Pdf(1500));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLong.StatusCode);

        // Someone else's upload does not exist for the caller; nor does an upload for the anonymous caller.
        var staff = new TusKit(platform, await KeyAsync("STAFF", "RESTRICTED"));
        var other = await admin.CreateAsync(1000);
        var head = await staff.SendAsync(staff.Request(HttpMethod.Head, other));
        var unknown = await staff.SendAsync(staff.Request(HttpMethod.Head, TusKit.Uploads + "/" + BuildingBlocks.Ids.GlobalId.Encode("Upload", Guid.CreateVersion7())));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await staff.PatchAsync(other, 0, TusKit.Pdf(1000))).StatusCode);
        Assert.Equal(0, await admin.OffsetAsync(other));
        Assert.Equal(HttpStatusCode.Unauthorized, (await new TusKit(platform, null).CreateResponseAsync(10)).StatusCode);
        // An integrator pulls data; it does not add any.
        Assert.Equal(HttpStatusCode.Forbidden, (await new TusKit(platform, await KeyAsync("INTEGRATOR", "RESTRICTED")).CreateResponseAsync(10)).StatusCode);
    }

    [Fact]
    public async Task A_forged_type_is_refused_by_its_content_whatever_its_name()
    {
        var admin = new TusKit(platform, PlatformFactory.AdminKey);
        var html = Encoding.UTF8.GetBytes("  <!DOCTYPE html><html><body><script>fetch('/graphql')</script></body></html>");
        var location = await admin.CreateAsync(html.Length, "report.pdf", "application/pdf");
        var response = await admin.PatchAsync(location, 0, html);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("VALIDATION", TusKit.ErrorCode(await response.Content.ReadAsStringAsync()));
        // The upload is gone: nothing to resume, nothing to attach.
        Assert.Equal(HttpStatusCode.NotFound, (await admin.SendAsync(admin.Request(HttpMethod.Head, location))).StatusCode);
        var attach = await platform.Admin().PostAsync(Attach, new { r = await OpenCaseAsync("STAFF"), u = TusKit.IdOf(location) });
        Assert.Equal("NOT_FOUND", attach.ErrorCode);

        // An SVG (script inside) and a ZIP that is no office document are refused too; plain text is accepted.
        await Assert.ThrowsAsync<InvalidOperationException>(() => admin.UploadAsync("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"u8.ToArray(), "logo.png", "image/png"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => admin.UploadAsync(Zip(("payload.exe", "MZ")), "statement.docx"));
        var text = await admin.UploadAsync(Encoding.UTF8.GetBytes("Témoignage recueilli le 3 mai 2013 à Minsk.\n"), "notes.pdf");
        var file = (await platform.Admin().QueryAsync(Attach, new { r = await OpenCaseAsync("STAFF"), u = text })).GetProperty("attachFile").GetProperty("file");
        Assert.Equal("text/plain; charset=utf-8", file.GetProperty("mediaType").GetString());
        Assert.Equal("notes.pdf.txt", file.GetProperty("fileName").GetString());
    }

    [Fact]
    public async Task A_file_on_a_RESTRICTED_case_event_is_absent_for_a_STAFF_caller_in_GraphQL_and_download()
    {
        var caseId = await OpenCaseAsync("STAFF");
        var events = (await platform.Admin().QueryAsync(
                "mutation($c: ID!) { a: recordCaseEvent(input: { caseId: $c, type: ARREST, date: \"2013-05-05\", confidentiality: RESTRICTED }) { case { id } } " +
                "b: recordCaseEvent(input: { caseId: $c, type: DETENTION, date: \"2013-05-06\", confidentiality: STAFF }) { case { events { id confidentiality } } } }", new { c = caseId }))
            .GetProperty("b").GetProperty("case").GetProperty("events").EnumerateArray().ToList();
        var restrictedEvent = events.Single(e => e.GetProperty("confidentiality").GetString() == "RESTRICTED").GetProperty("id").GetString();
        var staffEvent = events.Single(e => e.GetProperty("confidentiality").GetString() == "STAFF").GetProperty("id").GetString();

        var admin = new TusKit(platform, PlatformFactory.AdminKey);
        var onRestrictedEvent = await AttachAsync(restrictedEvent!, await admin.UploadAsync(TusKit.Pdf(5000, 1)), "STAFF");
        var restrictedOnStaffEvent = await AttachAsync(staffEvent!, await admin.UploadAsync(TusKit.Pdf(5000, 2)), "RESTRICTED");
        var visible = await AttachAsync(staffEvent!, await admin.UploadAsync(TusKit.Pdf(5000, 3)), "STAFF");

        var staffKey = await KeyAsync("STAFF", "STAFF");
        var staff = platform.GraphQL(staffKey);
        var read = await staff.QueryAsync("query($c: ID!) { case(id: $c) { events { id files { id } } files { id } } }", new { c = caseId });
        var seen = read.GetProperty("case").GetProperty("events").EnumerateArray()
            .SelectMany(e => e.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("id").GetString())).ToList();
        Assert.Equal([visible.Id], seen);
        Assert.Single(read.GetProperty("case").GetProperty("events").EnumerateArray());

        foreach (var hidden in new[] { onRestrictedEvent, restrictedOnStaffEvent })
        {
            var node = await staff.QueryAsync("query($id: ID!) { node(id: $id) { id } }", new { id = hidden.Id });
            Assert.Equal(JsonValueKind.Null, node.GetProperty("node").ValueKind);
            var refused = await DownloadAsync(hidden.Url, staffKey);
            var unknown = await DownloadAsync("/files/" + BuildingBlocks.Ids.GlobalId.Encode("File", Guid.CreateVersion7()), staffKey);
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.Equal(await unknown.Content.ReadAsStringAsync(), await refused.Content.ReadAsStringAsync());
            // The admin (RESTRICTED) gets it.
            Assert.Equal(HttpStatusCode.OK, (await DownloadAsync(hidden.Url, PlatformFactory.AdminKey)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await DownloadAsync(visible.Url, staffKey)).StatusCode);

        // The record raised above the caller takes its files with it.
        await platform.Admin().QueryAsync("mutation($c: ID!) { changeCaseConfidentiality(input: { caseId: $c, confidentiality: RESTRICTED }) { case { id } } }", new { c = caseId });
        Assert.Equal(HttpStatusCode.NotFound, (await DownloadAsync(visible.Url, staffKey)).StatusCode);
        Assert.Equal(JsonValueKind.Null, (await staff.QueryAsync("query($id: ID!) { node(id: $id) { id } }", new { id = visible.Id })).GetProperty("node").ValueKind);
    }

    [Fact]
    public async Task Attaching_follows_the_write_rules()
    {
        var staffKey = await KeyAsync("STAFF", "STAFF");
        var staff = platform.GraphQL(staffKey);
        var upload = await new TusKit(platform, staffKey).UploadAsync(TusKit.Pdf(2000));
        var caseId = await OpenCaseAsync("STAFF");

        // A level above the caller's clearance: VALIDATION on the field, nothing attached.
        var above = await staff.PostAsync(Attach, new { r = caseId, u = upload, l = "RESTRICTED" });
        Assert.Equal("VALIDATION", above.ErrorCode);
        Assert.Equal("confidentiality", above.ErrorField);

        // A record the caller may not see answers as one that does not exist.
        var hidden = await staff.PostAsync(Attach, new { r = await OpenCaseAsync("RESTRICTED"), u = upload });
        var unknown = await staff.PostAsync(Attach, new { r = BuildingBlocks.Ids.GlobalId.Encode("Case", Guid.CreateVersion7()), u = upload });
        Assert.Equal("NOT_FOUND", hidden.ErrorCode);
        Assert.Equal(unknown.Raw, hidden.Raw);

        // Another caller's upload does not exist for it either.
        var othersUpload = await new TusKit(platform, PlatformFactory.AdminKey).UploadAsync(TusKit.Pdf(2000));
        Assert.Equal("NOT_FOUND", (await staff.PostAsync(Attach, new { r = caseId, u = othersUpload })).ErrorCode);

        // An incomplete upload is not a file yet.
        var tus = new TusKit(platform, staffKey);
        var partial = await tus.CreateAsync(4000);
        await tus.PatchAsync(partial, 0, TusKit.Pdf(4000).AsMemory(0, 1000));
        var incomplete = await staff.PostAsync(Attach, new { r = caseId, u = TusKit.IdOf(partial) });
        Assert.Equal("VALIDATION", incomplete.ErrorCode);
        Assert.Equal("uploadId", incomplete.ErrorField);

        // Within the rules it is attached, once; the same clientMutationId answers the first result.
        var attached = await staff.PostAsync(Attach, new { r = caseId, u = upload, m = "attach-1" });
        Assert.False(attached.HasErrors, attached.Raw);
        var again = await staff.PostAsync(Attach, new { r = caseId, u = upload, m = "attach-1" });
        Assert.Equal(attached.Data.GetProperty("attachFile").GetProperty("file").GetProperty("id").GetString(),
            again.Data.GetProperty("attachFile").GetProperty("file").GetProperty("id").GetString());
        Assert.Equal("CONFLICT", (await staff.PostAsync(Attach, new { r = caseId, u = upload, m = "attach-2" })).ErrorCode);
    }

    [Fact]
    public async Task A_tampered_stored_chunk_makes_the_download_fail_loudly_and_sends_nothing()
    {
        var content = TusKit.Pdf((2 * MiB) + 10);
        var file = await AttachAsync(await OpenCaseAsync("STAFF"), await new TusKit(platform, PlatformFactory.AdminKey).UploadAsync(content), "STAFF");
        Assert.Equal(HttpStatusCode.OK, (await DownloadAsync(file.Url, PlatformFactory.AdminKey)).StatusCode);

        BuildingBlocks.Ids.GlobalId.TryDecode(file.Id, "File", out var id);
        await using (var connection = new Npgsql.NpgsqlConnection(platform.ConnectionString))
        {
            await connection.OpenAsync();
            // One bit of the second chunk's ciphertext.
            await using var tamper = new Npgsql.NpgsqlCommand(
                $"update {Schema}.files_chunk set sealed = set_byte(sealed, 1000, get_byte(sealed, 1000) # 1) where file_id = @id and chunk_index = 1", connection);
            tamper.Parameters.AddWithValue("id", id);
            Assert.Equal(1, await tamper.ExecuteNonQueryAsync());
        }

        var download = await DownloadAsync(file.Url, PlatformFactory.AdminKey);
        Assert.Equal(HttpStatusCode.InternalServerError, download.StatusCode);
        var body = await download.Content.ReadAsStringAsync();
        Assert.Contains("integrity check failed", body, StringComparison.Ordinal);
        Assert.DoesNotContain("%PDF", body, StringComparison.Ordinal);
        Assert.Contains(platform.Logs.Events, e => e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("failed its integrity check", StringComparison.Ordinal));

        // The bit flipped back, it verifies again; chunks swapped in place decrypt nowhere: each is bound to its index.
        await SqlAsync($"update {Schema}.files_chunk set sealed = set_byte(sealed, 1000, get_byte(sealed, 1000) # 1) where file_id = @id and chunk_index = 1", id);
        Assert.Equal(HttpStatusCode.OK, (await DownloadAsync(file.Url, PlatformFactory.AdminKey)).StatusCode);
        Assert.Equal(2, await SqlAsync($"update {Schema}.files_chunk c set nonce = o.nonce, sealed = o.sealed from {Schema}.files_chunk o " +
                                       "where c.file_id = @id and o.file_id = @id and c.chunk_index + o.chunk_index = 2 and c.chunk_index <> o.chunk_index", id));
        Assert.Equal(HttpStatusCode.InternalServerError, (await DownloadAsync(file.Url, PlatformFactory.AdminKey)).StatusCode);
    }

    [Fact]
    public async Task The_chain_of_custody_is_on_the_file_and_in_the_audit_trail()
    {
        var staffKey = await KeyAsync("STAFF", "STAFF");
        var staff = platform.GraphQL(staffKey);
        var file = await AttachAsync(await OpenCaseAsync("STAFF"), await new TusKit(platform, staffKey).UploadAsync(TusKit.Pdf(3000)), "STAFF", staffKey);
        Assert.Equal(HttpStatusCode.OK, (await DownloadAsync(file.Url, staffKey)).StatusCode);
        var reclassified = await staff.QueryAsync("mutation($f: ID!) { reclassifyFile(input: { fileId: $f, confidentiality: NETWORK }) { file { confidentiality version custody { kind by from to } } } }", new { f = file.Id });
        var shown = reclassified.GetProperty("reclassifyFile").GetProperty("file");
        Assert.Equal("NETWORK", shown.GetProperty("confidentiality").GetString());
        var custody = shown.GetProperty("custody").EnumerateArray().ToList();
        Assert.Equal(["UPLOADED", "ATTACHED", "DOWNLOADED", "RECLASSIFIED"], custody.Select(c => c.GetProperty("kind").GetString()));
        Assert.All(custody, c => Assert.StartsWith("apikey:", c.GetProperty("by").GetString(), StringComparison.Ordinal));
        Assert.Equal("STAFF", custody[3].GetProperty("from").GetString());
        Assert.Equal("NETWORK", custody[3].GetProperty("to").GetString());

        // Above the caller's clearance: refused on the field.
        var above = await staff.PostAsync("mutation($f: ID!) { reclassifyFile(input: { fileId: $f, confidentiality: RESTRICTED }) { file { id } } }", new { f = file.Id });
        Assert.Equal("VALIDATION", above.ErrorCode);

        var trail = await platform.Admin().QueryAsync("query($id: ID!) { auditTrail(entityId: $id) { action by } }", new { id = file.Id });
        Assert.Equal(["files.file_uploaded", "files.file_attached", "files.file_downloaded", "files.file_reclassified"],
            trail.GetProperty("auditTrail").EnumerateArray().Select(e => e.GetProperty("action").GetString()));

        // A network member sees the NETWORK file on a NETWORK case, but not who handled it.
        await platform.Admin().QueryAsync("mutation($f: ID!) { reclassifyFile(input: { fileId: $f, confidentiality: NETWORK }) { file { id } } }", new { f = file.Id });
        var member = platform.GraphQL(await KeyAsync("NETWORK_MEMBER", "NETWORK"));
        var node = await member.QueryAsync("query($id: ID!) { node(id: $id) { ... on File { sha256 custody { kind } } } }", new { id = file.Id });
        Assert.Equal(JsonValueKind.Null, node.GetProperty("node").ValueKind); // the case itself is STAFF
    }

    private string Schema => Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
        .GetRequiredService<Marten.IDocumentStore>(platform.Services).Options.DatabaseSchemaName;

    private sealed record AttachedFile(string Id, string Url);

    private async Task<int> SqlAsync(string sql, Guid id)
    {
        await using var connection = new Npgsql.NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteNonQueryAsync();
    }

    private async Task<AttachedFile> AttachAsync(string recordId, string uploadId, string level, string? key = null)
    {
        var data = await platform.GraphQL(key ?? PlatformFactory.AdminKey).QueryAsync(Attach, new { r = recordId, u = uploadId, l = level });
        var file = data.GetProperty("attachFile").GetProperty("file");
        return new(file.GetProperty("id").GetString()!, file.GetProperty("downloadUrl").GetString()!);
    }

    private async Task<HttpResponseMessage> DownloadAsync(string url, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("X-Api-Key", key);
        return await platform.CreateClient().SendAsync(request);
    }

    private async Task<string> OpenCaseAsync(string level) =>
        (await platform.Admin().QueryAsync("mutation($l: Confidentiality) { openCase(input: { title: \"Belarus: files\", countryCode: \"BY\", confidentiality: $l }) { case { id } } }", new { l = level }))
        .GetProperty("openCase").GetProperty("case").GetProperty("id").GetString()!;

    private async Task<string> KeyAsync(string role, string clearance) =>
        (await platform.Admin().QueryAsync("mutation($r: Role!, $c: Confidentiality!) { createApiKey(input: { name: \"files\", role: $r, clearance: $c }) { key } }", new { r = role, c = clearance }))
        .GetProperty("createApiKey").GetProperty("key").GetString()!;

    private static byte[] Zip(params (string Name, string Content)[] entries)
    {
        using var memory = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(memory, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in entries)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open());
                writer.Write(text);
            }
        }

        return memory.ToArray();
    }
}
