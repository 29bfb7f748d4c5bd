using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dapper;
using Mediary.Tests.EndToEnd;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Jobs;

/// <summary>
/// Resumable uploads behind a load balancer that sends each request to either of two API
/// processes (one PostgreSQL database, one bucket): the bytes wait in the bucket, so each PATCH
/// may reach the other process, and a resumption sent to one process fences off a request the
/// other is still stuck in.
/// </summary>
public sealed class ClusterResumableUploadTests
{
    /// <summary>13 MB: with the tests' 5 MiB parts, two parts and a tail in the bucket.</summary>
    private static byte[] PaddedPhoto() => [.. File.ReadAllBytes(Fixtures.Path("photo-12mp-exif6.jpg")), .. new byte[9_900_000]];

    [Fact]
    public async Task Tus_and_draft_uploads_go_on_whichever_process_each_request_reaches()
    {
        Assert.SkipUnless(TestDatabase.OnPostgres && TestBucket.InUse, "two API processes need PostgreSQL and S3 storage (the suite's second run starts both)");
        await using var first = ServerProcess.Create();
        await using var second = ServerProcess.Sibling(first, ["--no-workers"]);
        var clients = await SignedInAsync(first, second);
        var step = 0;
        HttpClient Next() => clients[step++ % 2];
        var bytes = PaddedPhoto();

        // tus: creation on one process, every PATCH and HEAD on the next.
        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/v2/media/uploads");
        create.Headers.Add("Tus-Resumable", "1.0.0");
        create.Headers.Add("Upload-Length", bytes.Length.ToString());
        create.Headers.Add("Upload-Metadata", "filename cGhvdG8uanBn,description " + Convert.ToBase64String(Encoding.UTF8.GetBytes("From two processes")));
        using var created = await Next().SendAsync(create);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var location = created.Headers.Location!.PathAndQuery;
        string? mediaId = null;
        for (var offset = 0; offset < bytes.Length; offset += 3_000_000)
        {
            using (var wrong = await Next().SendAsync(TusPatch(location, offset + 1, bytes.AsMemory(offset, 10))))
            {
                Assert.Equal(HttpStatusCode.Conflict, wrong.StatusCode);
                Assert.Equal(offset.ToString(), Header(wrong, "Upload-Offset"));
            }
            using var patched = await Next().SendAsync(TusPatch(location, offset, bytes.AsMemory(offset, Math.Min(3_000_000, bytes.Length - offset))));
            Assert.True(patched.StatusCode == HttpStatusCode.NoContent, $"{(int)patched.StatusCode} {await patched.Content.ReadAsStringAsync()}");
            using var head = new HttpRequestMessage(HttpMethod.Head, location);
            head.Headers.Add("Tus-Resumable", "1.0.0");
            using var state = await Next().SendAsync(head);
            Assert.Equal(Math.Min(offset + 3_000_000, bytes.Length).ToString(), Header(state, "Upload-Offset"));
            if (patched.Headers.TryGetValues("Mediary-Media-Id", out var ids)) mediaId = ids.Single();
        }
        Assert.NotNull(mediaId);
        using (var media = JsonDocument.Parse(await Next().GetStringAsync($"/api/v1/media/{mediaId}")))
        {
            Assert.Equal("image", media.RootElement.GetProperty("type").GetString());
            Assert.Equal("From two processes", media.RootElement.GetProperty("description").GetString());
        }

        // The draft: the same, as a multipart form, answered by the completing PATCH with the media itself.
        var boundary = "cluster-rufh";
        byte[] form = [.. Encoding.UTF8.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photo.jpg\"\r\n" +
            "Content-Type: image/jpeg\r\n\r\n"), .. bytes, .. Encoding.UTF8.GetBytes($"\r\n--{boundary}--\r\n")];
        using var start = new HttpRequestMessage(HttpMethod.Post, "/api/v2/media") { Content = Body(form.AsMemory(0, 3_000_000), $"multipart/form-data; boundary={boundary}") };
        start.Headers.Add("Upload-Draft-Interop-Version", "8");
        start.Headers.Add("Upload-Complete", "?0");
        using var started = await Next().SendAsync(start);
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var resource = started.Headers.Location!.PathAndQuery;
        HttpResponseMessage? last = null;
        for (var offset = 3_000_000; offset < form.Length; offset += 3_000_000)
        {
            var length = Math.Min(3_000_000, form.Length - offset);
            using var patch = new HttpRequestMessage(HttpMethod.Patch, resource) { Content = Body(form.AsMemory(offset, length), "application/partial-upload") };
            patch.Headers.Add("Upload-Offset", offset.ToString());
            patch.Headers.Add("Upload-Complete", offset + length == form.Length ? "?1" : "?0");
            last?.Dispose();
            last = await Next().SendAsync(patch);
            Assert.True(last.IsSuccessStatusCode, $"{(int)last.StatusCode} {await last.Content.ReadAsStringAsync()}");
        }
        Assert.Equal(HttpStatusCode.OK, last!.StatusCode);
        using var answered = JsonDocument.Parse(await last.Content.ReadAsStringAsync());
        Assert.Equal("image", answered.RootElement.GetProperty("type").GetString());
        last.Dispose();
    }

    [Fact]
    public async Task A_resumption_on_one_process_fences_off_a_request_stuck_on_the_other()
    {
        Assert.SkipUnless(TestDatabase.OnPostgres && TestBucket.InUse, "two API processes need PostgreSQL and S3 storage (the suite's second run starts both)");
        await using var first = ServerProcess.Create();
        await using var second = ServerProcess.Sibling(first, ["--no-workers"]);
        var clients = await SignedInAsync(first, second);
        var bytes = PaddedPhoto();

        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/v2/media/uploads");
        create.Headers.Add("Tus-Resumable", "1.0.0");
        create.Headers.Add("Upload-Length", bytes.Length.ToString());
        using var created = await clients[0].SendAsync(create);
        var location = created.Headers.Location!.PathAndQuery;

        // 7 MB reach the first process, then the body stalls, as on a connection lost on the way.
        var stalled = new StallingContent(bytes, 7_000_000);
        using var stuckRequest = TusPatch(location, 0, stalled);
        var stuck = clients[0].SendAsync(stuckRequest);
        await stalled.Stalled.WaitAsync(TimeSpan.FromSeconds(30));

        // Once the first part is in the bucket (and only then: a HEAD takes the upload over), the client
        // resumes through the second process: HEAD stops the stuck request's claim at its durable offset.
        var id = location[(location.LastIndexOf('/') + 1)..];
        Assert.True(await Polling.UntilAsync(async () =>
        {
            await using var connection = await first.Database.OpenAsync();
            return await connection.ExecuteScalarAsync<long>("SELECT upload_offset FROM resumable_uploads WHERE id = @id", new { id }) > 0;
        }, TimeSpan.FromSeconds(60)), "the first part was never recorded");
        using var head = new HttpRequestMessage(HttpMethod.Head, location);
        head.Headers.Add("Tus-Resumable", "1.0.0");
        using var state = await clients[1].SendAsync(head);
        var offset = long.Parse(Header(state, "Upload-Offset"));
        Assert.InRange(offset, 5 * 1024 * 1024, 7_000_000);
        using var rest = await clients[1].SendAsync(TusPatch(location, offset, bytes.AsMemory((int)offset)));
        Assert.True(rest.StatusCode == HttpStatusCode.NoContent, $"{(int)rest.StatusCode} {await rest.Content.ReadAsStringAsync()}");
        var mediaId = Header(rest, "Mediary-Media-Id");

        // The stuck request goes on: it may record nothing more (409, or the connection ended before its
        // body was read), and the media is the whole file's, as one plain upload of it makes it.
        stalled.Resume();
        try
        {
            using var ended = await stuck;
            Assert.Equal(HttpStatusCode.Conflict, ended.StatusCode);
        }
        catch (HttpRequestException)
        {
        }
        using var media = JsonDocument.Parse(await clients[0].GetStringAsync($"/api/v1/media/{mediaId}"));
        using var plain = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", "photo.jpg" } };
        using var uploaded = await clients[1].PostAsync("/api/v2/media", plain);
        using var whole = JsonDocument.Parse(await uploaded.Content.ReadAsStringAsync());
        Assert.Equal(whole.RootElement.GetProperty("meta").GetProperty("original").GetRawText(),
            media.RootElement.GetProperty("meta").GetProperty("original").GetRawText());
        Assert.Equal(whole.RootElement.GetProperty("blurhash").GetString(), media.RootElement.GetProperty("blurhash").GetString());
    }

    private static async Task<HttpClient[]> SignedInAsync(ServerProcess first, ServerProcess second)
    {
        Assert.Equal(0, (await first.RunCliAsync("accounts", "create", "resumer")).ExitCode);
        var token = (await first.RunCliAsync("tokens", "create", "--account", "resumer", "--scopes", "read write")).Stdout.Trim();
        await Task.WhenAll(first.LaunchAsync(), second.LaunchAsync());
        return [.. new[] { first, second }.Select(api =>
        {
            var client = new HttpClient { BaseAddress = api.BaseUri, Timeout = TimeSpan.FromMinutes(2) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return client;
        })];
    }

    private static HttpRequestMessage TusPatch(string location, long offset, ReadOnlyMemory<byte> bytes) => TusPatch(location, offset, new ReadOnlyMemoryContent(bytes));

    private static HttpRequestMessage TusPatch(string location, long offset, HttpContent content)
    {
        content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = content };
        request.Headers.Add("Tus-Resumable", "1.0.0");
        request.Headers.Add("Upload-Offset", offset.ToString());
        return request;
    }

    private static HttpContent Body(ReadOnlyMemory<byte> bytes, string contentType)
    {
        var content = new ReadOnlyMemoryContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : throw new Xunit.Sdk.XunitException($"no {name} on {(int)response.StatusCode}");

    /// <summary>Sends the first <paramref name="stallAfter"/> bytes, waits to be resumed, then sends the rest.</summary>
    private sealed class StallingContent(byte[] bytes, int stallAfter) : HttpContent
    {
        private readonly TaskCompletionSource _stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _resume = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Stalled => _stalled.Task;

        public void Resume() => _resume.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(bytes.AsMemory(0, stallAfter));
            await stream.FlushAsync();
            _stalled.TrySetResult();
            await _resume.Task;
            await stream.WriteAsync(bytes.AsMemory(stallAfter));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = bytes.Length;
            return true;
        }
    }
}
