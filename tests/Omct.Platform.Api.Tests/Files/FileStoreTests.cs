using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Files.Storage;
using Omct.Platform.Files.Uploads;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Files;

/// <summary>
/// The same tests over each storage backend (<see cref="PostgresFileStoreTests"/>, <see cref="S3FileStoreTests"/>):
/// an upload in several requests, one of them interrupted, resumed and downloaded as sent with its SHA-256; a tampered
/// or moved chunk fails the download; the file's key destroyed, nothing is readable; a terminated upload and an
/// abandoned one (the clean-up job) leave no chunk and no key behind, while a fresh upload and an attached file stay.
/// A subclass says how to reach the stored chunks of its backend.
/// </summary>
public abstract class FileStoreTests<TFactory>(TFactory platform) : IClassFixture<TFactory>
    where TFactory : PlatformFactory
{
    protected const int MiB = 1024 * 1024;

    protected TFactory Platform => platform;

    /// <summary>Flips one bit of chunk <paramref name="index"/>'s stored ciphertext (byte 1000 of it).</summary>
    protected abstract Task FlipBitAsync(Guid fileId, int index);

    /// <summary>Swaps what is stored for chunks <paramref name="a"/> and <paramref name="b"/> of the file.</summary>
    protected abstract Task SwapAsync(Guid fileId, int a, int b);

    /// <summary>How many chunks of the file are stored.</summary>
    protected abstract Task<int> StoredChunksAsync(Guid fileId);

    [Fact]
    public async Task An_upload_interrupted_and_resumed_is_stored_in_this_backend_and_downloads_as_sent()
    {
        var admin = new TusKit(platform, PlatformFactory.AdminKey);
        var content = TusKit.Pdf((3 * MiB) + 4321, seed: 11);
        var location = await admin.CreateAsync(content.Length);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PatchAsync(location, 0, content.AsMemory(0, MiB + 1000))).StatusCode);

        var id = UploadId(location);
        using (var scope = platform.Services.CreateScope())
        {
            var dropped = await scope.ServiceProvider.GetRequiredService<FileUploads>()
                .AppendAsync(id, MiB + 1000, new DroppingStream(content[(MiB + 1000)..], MiB + 5000), CancellationToken.None);
            Assert.Equal(AppendOutcome.Interrupted, dropped.Outcome);
        }

        var resumeAt = await admin.OffsetAsync(location);
        Assert.Equal((2 * MiB) + 6000, resumeAt);
        Assert.Equal(3, await StoredChunksAsync(id));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PatchAsync(location, resumeAt, content.AsMemory((int)resumeAt))).StatusCode);
        Assert.Equal(4, await StoredChunksAsync(id));

        var file = await AttachAsync(TusKit.IdOf(location));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), file.Sha256);
        var download = await DownloadAsync(file.Url);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(content, await download.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_tampered_or_moved_chunk_makes_the_download_fail_and_the_destroyed_key_leaves_nothing_readable()
    {
        var content = TusKit.Pdf((2 * MiB) + 10, seed: 12);
        var file = await AttachAsync(await new TusKit(platform, PlatformFactory.AdminKey).UploadAsync(content));
        Assert.Equal(HttpStatusCode.OK, (await DownloadAsync(file.Url)).StatusCode);
        GlobalId.TryDecode(file.Id, "File", out var id);

        await FlipBitAsync(id, 1);
        var tampered = await DownloadAsync(file.Url);
        Assert.Equal(HttpStatusCode.InternalServerError, tampered.StatusCode);
        var body = await tampered.Content.ReadAsStringAsync();
        Assert.Contains("integrity check failed", body, StringComparison.Ordinal);
        Assert.DoesNotContain("%PDF", body, StringComparison.Ordinal);

        // Flipped back it verifies again; chunks swapped decrypt nowhere (each is bound to its index).
        await FlipBitAsync(id, 1);
        Assert.Equal(content, await (await DownloadAsync(file.Url)).Content.ReadAsByteArrayAsync());
        await SwapAsync(id, 0, 2);
        Assert.Equal(HttpStatusCode.InternalServerError, (await DownloadAsync(file.Url)).StatusCode);
        await SwapAsync(id, 0, 2);
        Assert.Equal(HttpStatusCode.OK, (await DownloadAsync(file.Url)).StatusCode);

        // Erasure destroys the key only: the chunks are still stored, and no longer readable.
        using (var scope = platform.Services.CreateScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<IFileStore>();
            await store.DestroyKeyAsync(id, CancellationToken.None);
            await Assert.ThrowsAsync<FileIntegrityException>(() => store.ReadChunkAsync(id, 0, CancellationToken.None));
        }

        Assert.Equal(3, await StoredChunksAsync(id));
        Assert.Equal(HttpStatusCode.InternalServerError, (await DownloadAsync(file.Url)).StatusCode);
    }

    [Fact]
    public async Task A_terminated_upload_leaves_no_chunk_and_no_key()
    {
        var admin = new TusKit(platform, PlatformFactory.AdminKey);
        var location = await admin.CreateAsync(3 * MiB);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PatchAsync(location, 0, TusKit.Pdf((2 * MiB) + 7))).StatusCode);
        var id = UploadId(location);
        Assert.Equal(3, await StoredChunksAsync(id));

        Assert.Equal(HttpStatusCode.NoContent, (await admin.SendAsync(admin.Request(HttpMethod.Delete, location))).StatusCode);
        Assert.Equal(0, await StoredChunksAsync(id));
        Assert.False(await KeyExistsAsync(id));
    }

    [Fact]
    public async Task The_clean_up_job_deletes_old_abandoned_uploads_and_keeps_fresh_ones_and_attached_files()
    {
        var admin = new TusKit(platform, PlatformFactory.AdminKey);
        // Abandoned: one never completed, one completed and never attached. Kept: a fresh one, an old attached file.
        var unfinished = await admin.CreateAsync(2 * MiB);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PatchAsync(unfinished, 0, TusKit.Pdf(MiB + 10))).StatusCode);
        var unattached = TusKit.IdOf(await CreateCompleteAsync(admin, TusKit.Pdf(5000)));
        var fresh = await admin.CreateAsync(MiB);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PatchAsync(fresh, 0, TusKit.Pdf(1000))).StatusCode);
        var attached = await AttachAsync(await admin.UploadAsync(TusKit.Pdf(MiB + 20, seed: 3)));
        // Kept too: one created long ago that is still being resumed (bytes stored an hour ago), and an old one a request
        // is writing to at the moment the job comes (its lock held).
        var resumed = await admin.CreateAsync(MiB);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PatchAsync(resumed, 0, TusKit.Pdf(2000))).StatusCode);
        var busy = await admin.CreateAsync(MiB);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PatchAsync(busy, 0, TusKit.Pdf(3000))).StatusCode);

        var unfinishedId = UploadId(unfinished);
        GlobalId.TryDecode(unattached, "Upload", out var unattachedId);
        GlobalId.TryDecode(attached.Id, "File", out var attachedId);
        // 25 hours ago (the default is 24): created and last written then, as far as the job can tell.
        await AgeAsync(TimeSpan.FromHours(25), unfinishedId, unattachedId, attachedId, UploadId(busy));
        await AgeAsync(TimeSpan.FromHours(72), written: TimeSpan.FromHours(1), UploadId(resumed));

        JsonElement run;
        await using (var scope = platform.Services.CreateAsyncScope())
        await using (await scope.ServiceProvider.GetRequiredService<FileUploads>().HoldAsync(UploadId(busy), wait: false, CancellationToken.None))
        {
            run = (await platform.Admin().QueryAsync("mutation { runJob(input: { name: DELETE_ABANDONED_UPLOADS }) { run { outcome items } } }"))
                .GetProperty("runJob").GetProperty("run");
        }

        Assert.Equal("SUCCEEDED", run.GetProperty("outcome").GetString());
        Assert.Equal(2, run.GetProperty("items").GetInt32());
        Assert.Equal(2000, await admin.OffsetAsync(resumed));
        Assert.Equal(3000, await admin.OffsetAsync(busy));

        foreach (var gone in new[] { unfinishedId, unattachedId })
        {
            Assert.Equal(0, await StoredChunksAsync(gone));
            Assert.False(await KeyExistsAsync(gone));
        }

        Assert.Equal(HttpStatusCode.NotFound, (await admin.SendAsync(admin.Request(HttpMethod.Head, unfinished))).StatusCode);
        Assert.Contains(platform.Logs.Events, e => e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture)
            .Contains($"Abandoned upload {unfinishedId} deleted", StringComparison.Ordinal));

        Assert.Equal(1000, await admin.OffsetAsync(fresh));
        Assert.Equal(HttpStatusCode.OK, (await DownloadAsync(attached.Url)).StatusCode);
        Assert.Equal(2, await StoredChunksAsync(attachedId));

        // The next run takes the one that was busy, and nothing else.
        var again = (await platform.Admin().QueryAsync("mutation { runJob(input: { name: DELETE_ABANDONED_UPLOADS }) { run { items } } }"))
            .GetProperty("runJob").GetProperty("run");
        Assert.Equal(1, again.GetProperty("items").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.SendAsync(admin.Request(HttpMethod.Head, busy))).StatusCode);
        Assert.Equal(2000, await admin.OffsetAsync(resumed));
        var last = (await platform.Admin().QueryAsync("mutation { runJob(input: { name: DELETE_ABANDONED_UPLOADS }) { run { items } } }"))
            .GetProperty("runJob").GetProperty("run");
        Assert.Equal(0, last.GetProperty("items").GetInt32());
    }

    protected sealed record AttachedFile(string Id, string Url, string Sha256);

    protected static Guid UploadId(string location)
    {
        Assert.True(GlobalId.TryDecode(TusKit.IdOf(location), "Upload", out var id));
        return id;
    }

    private static async Task<string> CreateCompleteAsync(TusKit tus, byte[] content)
    {
        var location = await tus.CreateAsync(content.Length);
        Assert.Equal(HttpStatusCode.NoContent, (await tus.PatchAsync(location, 0, content)).StatusCode);
        return location;
    }

    private Task AgeAsync(TimeSpan by, params Guid[] ids) => AgeAsync(by, by, ids);

    /// <summary>Moves the uploads' creation <paramref name="by"/> and their last write <paramref name="written"/> into the past.</summary>
    private async Task AgeAsync(TimeSpan by, TimeSpan written, params Guid[] ids)
    {
        var store = platform.Services.GetRequiredService<IDocumentStore>();
        await using var session = store.LightweightSession();
        foreach (var id in ids)
        {
            var upload = await session.LoadAsync<FileUpload>(id) ?? throw new InvalidOperationException($"No upload {id}.");
            upload.CreatedAt -= by;
            upload.LastWrittenAt -= written;
            session.Store(upload);
        }

        await session.SaveChangesAsync();
    }

    private async Task<bool> KeyExistsAsync(Guid id)
    {
        await using var session = platform.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.LoadAsync<BuildingBlocks.Privacy.PersonalDataKey>(id) is not null;
    }

    private async Task<AttachedFile> AttachAsync(string uploadId)
    {
        var caseId = (await platform.Admin().QueryAsync("mutation { openCase(input: { title: \"Belarus: storage\", countryCode: \"BY\" }) { case { id } } }"))
            .GetProperty("openCase").GetProperty("case").GetProperty("id").GetString()!;
        var file = (await platform.Admin().QueryAsync(
                "mutation($r: ID!, $u: ID!) { attachFile(input: { recordId: $r, uploadId: $u }) { file { id downloadUrl sha256 } } }", new { r = caseId, u = uploadId }))
            .GetProperty("attachFile").GetProperty("file");
        return new(file.GetProperty("id").GetString()!, file.GetProperty("downloadUrl").GetString()!, file.GetProperty("sha256").GetString()!);
    }

    private async Task<HttpResponseMessage> DownloadAsync(string url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("X-Api-Key", PlatformFactory.AdminKey);
        return await platform.CreateClient().SendAsync(request);
    }
}
