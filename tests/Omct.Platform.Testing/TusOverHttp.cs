using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Npgsql;
using Omct.Platform.BuildingBlocks.Ids;

namespace Omct.Platform.Testing;

/// <summary>
/// A tus 1.0 client's interrupted and resumed upload over real HTTP, against the host as its own process: shared by
/// <c>HostUploadResumeTests</c> (20 MB) and the <c>upload</c> benchmark of build/bench (200 MB, which links this file).
/// No test framework in here: failures are exceptions.
/// </summary>
public static class TusOverHttp
{
    public const string OffsetOctetStream = "application/offset+octet-stream";

    public static HttpRequestMessage Request(HttpMethod method, string path, string apiKey)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Api-Key", apiKey);
        request.Headers.Add("Tus-Resumable", "1.0.0");
        return request;
    }

    /// <summary>POST: the new upload's path (its Location).</summary>
    public static async Task<string> CreateAsync(HttpClient http, long length, string fileName, string fileType, string apiKey)
    {
        using var create = Request(HttpMethod.Post, "/files/uploads", apiKey);
        create.Headers.Add("Upload-Length", length.ToString(CultureInfo.InvariantCulture));
        create.Headers.Add("Upload-Metadata", $"filename {B64(fileName)},filetype {B64(fileType)}");
        using var created = await http.SendAsync(create);
        return created.StatusCode == HttpStatusCode.Created
            ? created.Headers.Location!.OriginalString
            : throw new InvalidOperationException($"POST answered {(int)created.StatusCode}: {await created.Content.ReadAsStringAsync()}");
    }

    /// <summary>
    /// One PATCH from 0 announcing the whole <paramref name="content"/>, of which it sends <paramref name="sendOnly"/> bytes;
    /// once <paramref name="beforeAbort"/> completes (what the host must have received by then), the connection is dropped.
    /// </summary>
    public static async Task AbortedPatchAsync(HttpClient http, string location, byte[] content, long sendOnly, Func<Task> beforeAbort, string apiKey)
    {
        using var abort = new CancellationTokenSource();
        using var patch = Request(HttpMethod.Patch, location, apiKey);
        patch.Headers.Add("Upload-Offset", "0");
        patch.Content = new AbortingContent(content, sendOnly, abort, beforeAbort);
        try
        {
            using var answered = await http.SendAsync(patch, abort.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException)
        {
            return;
        }

        throw new InvalidOperationException("The aborted PATCH was answered.");
    }

    /// <summary>
    /// As tus-js-client does after an error: HEAD for the offset, PATCH the rest from there; a 409 sends it back to HEAD (at
    /// most <paramref name="maxPatches"/> times). Returns the offset it resumed from (the first HEAD's) and the PATCHes sent.
    /// </summary>
    public static async Task<(long Offset, int Patches)> ResumeAsync(HttpClient http, string location, byte[] content, string apiKey, int maxPatches = 50)
    {
        long first = -1;
        for (var patches = 1; patches <= maxPatches; patches++)
        {
            using var head = await http.SendAsync(Request(HttpMethod.Head, location, apiKey));
            if (head.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"HEAD answered {(int)head.StatusCode}.");
            }

            var offset = long.Parse(head.Headers.GetValues("Upload-Offset").Single(), CultureInfo.InvariantCulture);
            first = first < 0 ? offset : first;
            using var patch = Request(HttpMethod.Patch, location, apiKey);
            patch.Headers.Add("Upload-Offset", offset.ToString(CultureInfo.InvariantCulture));
            patch.Content = new ByteArrayContent(content, (int)offset, (int)(content.LongLength - offset));
            patch.Content.Headers.ContentType = new MediaTypeHeaderValue(OffsetOctetStream);
            using var patched = await http.SendAsync(patch);
            if (patched.StatusCode == HttpStatusCode.NoContent)
            {
                var now = patched.Headers.GetValues("Upload-Offset").Single();
                return now == content.LongLength.ToString(CultureInfo.InvariantCulture)
                    ? (first, patches)
                    : throw new InvalidOperationException($"The last PATCH left the upload at {now} of {content.LongLength} bytes.");
            }

            if (patched.StatusCode != HttpStatusCode.Conflict)
            {
                throw new InvalidOperationException($"PATCH from {offset} answered {(int)patched.StatusCode}: {await patched.Content.ReadAsStringAsync()}");
            }
        }

        throw new InvalidOperationException($"The upload did not resume in {maxPatches} PATCHes.");
    }

    /// <summary>
    /// Waits until the host has stored at least <paramref name="bytes"/> of the upload at <paramref name="location"/>, as its
    /// row in the host's database says (polled: a host process gives no other signal), for at most <paramref name="timeout"/>.
    /// </summary>
    public static async Task StoredAtLeastAsync(string connectionString, string location, long bytes, TimeSpan timeout)
    {
        var id = GlobalId.TryDecode(location[(location.LastIndexOf('/') + 1)..], "Upload", out var guid)
            ? guid
            : throw new ArgumentException($"'{location}' is not an upload's location.", nameof(location));
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            await using var command = new NpgsqlCommand("select (data->>'offset')::bigint from omct.mt_doc_files_upload where id = @id", connection);
            command.Parameters.AddWithValue("id", id);
            if (await command.ExecuteScalarAsync() is long stored && stored >= bytes)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The host had not stored {bytes} bytes of the upload after {timeout.TotalSeconds} s.");
            }

            await Task.Delay(20);
        }
    }

    private static string B64(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// A PATCH body that announces the whole content (Content-Length) but sends only the first <c>sendOnly</c> bytes, awaits
    /// <c>beforeAbort</c>, then aborts the request: the client's connection is dropped midway, as a partner's line drops.
    /// </summary>
    private sealed class AbortingContent : HttpContent
    {
        private readonly byte[] _content;
        private readonly long _sendOnly;
        private readonly CancellationTokenSource _abort;
        private readonly Func<Task> _beforeAbort;

        public AbortingContent(byte[] content, long sendOnly, CancellationTokenSource abort, Func<Task> beforeAbort)
        {
            (_content, _sendOnly, _abort, _beforeAbort) = (content, sendOnly, abort, beforeAbort);
            Headers.ContentType = new MediaTypeHeaderValue(OffsetOctetStream);
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (long sent = 0; sent < _sendOnly;)
            {
                var n = (int)Math.Min(64 * 1024, _sendOnly - sent);
                await stream.WriteAsync(_content.AsMemory((int)sent, n));
                sent += n;
            }

            await stream.FlushAsync();
            await _beforeAbort();
            await _abort.CancelAsync();
            throw new IOException("The connection dropped.");
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _content.LongLength;
            return true;
        }
    }
}
