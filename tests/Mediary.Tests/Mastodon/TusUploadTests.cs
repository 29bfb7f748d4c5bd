using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Mediary.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Mediary.Tests.Mastodon;

/// <summary>
/// tus 1.0.0 at /api/v2/media/uploads, as a tus client speaks it: creation, PATCHes, HEAD, the
/// checksum and termination extensions, and the media the last byte makes.
/// </summary>
public sealed class TusUploadTests(TusApp app) : IClassFixture<TusApp>
{
    private const string Uploads = "/api/v2/media/uploads";
    private static readonly long MaxSize = 99L * 1024 * 1024 - 1;

    [Fact]
    public async Task Discovery_needs_no_token_and_says_what_is_offered()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, Uploads);
        using var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("1.0.0", Header(response, "Tus-Version"));
        Assert.Equal("1.0.0", Header(response, "Tus-Resumable"));
        Assert.Equal(MaxSize.ToString(), Header(response, "Tus-Max-Size"));
        Assert.Equal(["checksum", "creation", "creation-with-upload", "expiration", "termination"],
            Header(response, "Tus-Extension").Split(',').Order());
        Assert.Equal(["sha1", "sha256"], Header(response, "Tus-Checksum-Algorithm").Split(',').Order());
    }

    [Fact]
    public async Task An_image_sent_in_pieces_becomes_the_media_a_v2_upload_makes()
    {
        var user = await app.NewUserAsync();
        var file = Fixtures.Path("photo-12mp-exif6.jpg");
        var bytes = await File.ReadAllBytesAsync(file);

        using var created = await CreateAsync(user, bytes.Length, ("filename", "photo.jpg"), ("description", "A hill at dusk"), ("focus", "0.25,-0.5"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var location = created.Headers.Location!.ToString();
        Assert.Matches(@"^http://localhost/api/v2/media/uploads/[A-Za-z0-9_-]{20,64}$", location);
        Assert.Equal("0", Header(created, "Upload-Offset"));
        Assert.Equal("1.0.0", Header(created, "Tus-Resumable"));
        var expires = DateTimeOffset.Parse(Header(created, "Upload-Expires"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(app.Clock.GetUtcNow().AddDays(1).ToUnixTimeSeconds(), expires.ToUnixTimeSeconds(), tolerance: 1);

        var chunk = 1024 * 1024;
        string? mediaId = null;
        for (var offset = 0; offset < bytes.Length; offset += chunk)
        {
            var piece = bytes.AsMemory(offset, Math.Min(chunk, bytes.Length - offset));
            using var patched = await PatchAsync(user, location, offset, piece);
            Assert.Equal(HttpStatusCode.NoContent, patched.StatusCode);
            Assert.Equal((offset + piece.Length).ToString(), Header(patched, "Upload-Offset"));
            var last = offset + piece.Length == bytes.Length;
            Assert.Equal(last, patched.Headers.Contains("Mediary-Media-Id"));
            if (last) mediaId = Header(patched, "Mediary-Media-Id");
        }

        var media = await user.GetMediaAsync(mediaId!);
        Assert.Equal(HttpStatusCode.OK, media.Status);
        Assert.Equal("image", media.Json.GetProperty("type").GetString());
        Assert.Equal("A hill at dusk", media.Json.GetProperty("description").GetString());
        Assert.Equal(0.25, media.Meta.GetProperty("focus").GetProperty("x").GetDouble());
        Assert.Equal(-0.5, media.Meta.GetProperty("focus").GetProperty("y").GetDouble());

        // The same file through POST /api/v2/media: the same processing (orientation, sizes, blurhash).
        var direct = await user.UploadAsync(file);
        Assert.Equal(HttpStatusCode.OK, direct.Status);
        Assert.Equal(direct.Meta.GetProperty("original").GetRawText(), media.Meta.GetProperty("original").GetRawText());
        Assert.Equal(direct.Meta.GetProperty("small").GetRawText(), media.Meta.GetProperty("small").GetRawText());
        Assert.Equal(direct.Json.GetProperty("blurhash").GetString(), media.Json.GetProperty("blurhash").GetString());

        // HEAD after the end: the whole length, and the media's id; the bytes waiting on disk are gone.
        using var head = await HeadAsync(user, location);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(bytes.Length.ToString(), Header(head, "Upload-Offset"));
        Assert.Equal(bytes.Length.ToString(), Header(head, "Upload-Length"));
        Assert.Equal(mediaId, Header(head, "Mediary-Media-Id"));
        Assert.Equal("no-store", head.Headers.CacheControl?.ToString());
        Assert.Null(await app.KeptBytesAsync(IdOf(location)));

        // The last PATCH repeated (its answer lost): the same answer, no second media.
        using var again = await PatchAsync(user, location, bytes.Length, ReadOnlyMemory<byte>.Empty);
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        Assert.Equal(mediaId, Header(again, "Mediary-Media-Id"));
    }

    [Fact]
    public async Task A_video_finishes_processing_in_the_background_as_after_a_v2_upload()
    {
        var user = await app.NewUserAsync();
        var bytes = await File.ReadAllBytesAsync(Fixtures.Path("h264-aac.mp4"));

        // creation-with-upload: the whole file in the creation request.
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        using var created = await CreateAsync(user, bytes.Length, content, ("filename", "clip.mp4"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(bytes.Length.ToString(), Header(created, "Upload-Offset"));
        var mediaId = Header(created, "Mediary-Media-Id");

        var processed = await user.WaitUntilProcessedAsync(mediaId);
        Assert.Equal(HttpStatusCode.OK, processed.Status);
        Assert.Equal("video", processed.Json.GetProperty("type").GetString());
        Assert.EndsWith(".mp4", processed.Url);
    }

    [Fact]
    public async Task A_wrong_offset_is_409_and_changes_nothing()
    {
        var user = await app.NewUserAsync();
        var bytes = await File.ReadAllBytesAsync(Fixtures.Path("600x400.jpg"));
        var location = await CreatedAsync(user, bytes.Length);
        using (var first = await PatchAsync(user, location, 0, bytes.AsMemory(0, 1000))) Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);

        using var behind = await PatchAsync(user, location, 500, bytes.AsMemory(500, 1000));
        await AssertErrorAsync(behind, HttpStatusCode.Conflict, "Upload-Offset is 500, but the upload is at 1000");
        Assert.Equal("1000", Header(behind, "Upload-Offset"));
        using var ahead = await PatchAsync(user, location, 2000, bytes.AsMemory(2000, 1000));
        Assert.Equal(HttpStatusCode.Conflict, ahead.StatusCode);

        Assert.Equal("1000", Header(await HeadAsync(user, location), "Upload-Offset"));
        await FinishAsync(user, location, bytes, 1000);
    }

    [Fact]
    public async Task Another_tus_version_is_412_and_a_body_of_another_type_is_415()
    {
        var user = await app.NewUserAsync();
        var location = await CreatedAsync(user, 1000);

        foreach (var version in new[] { "0.2.2", null })
        {
            using var request = new HttpRequestMessage(HttpMethod.Head, location);
            if (version is not null) request.Headers.Add("Tus-Resumable", version);
            using var response = await user.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
            Assert.Equal("1.0.0", Header(response, "Tus-Version"));
        }

        using var wrongType = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new ByteArrayContent(new byte[10]) };
        wrongType.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        wrongType.Headers.Add("Tus-Resumable", "1.0.0");
        wrongType.Headers.Add("Upload-Offset", "0");
        using var refused = await user.Client.SendAsync(wrongType);
        await AssertErrorAsync(refused, HttpStatusCode.UnsupportedMediaType, "Content-Type must be application/offset+octet-stream");
    }

    [Fact]
    public async Task A_checksum_that_does_not_match_is_460_and_keeps_none_of_the_bytes()
    {
        var user = await app.NewUserAsync();
        var bytes = await File.ReadAllBytesAsync(Fixtures.Path("600x400.jpg"));
        var location = await CreatedAsync(user, bytes.Length);
        var piece = bytes.AsMemory(0, 4096);

        using var wrong = await PatchAsync(user, location, 0, piece, "sha1 " + Convert.ToBase64String(SHA1.HashData(bytes.AsSpan(1, 4096))));
        await AssertErrorAsync(wrong, (HttpStatusCode)460, "Checksum Mismatch: the bytes are not the ones Upload-Checksum describes");
        Assert.Equal("0", Header(await HeadAsync(user, location), "Upload-Offset"));

        using var unknown = await PatchAsync(user, location, 0, piece, "md5 " + Convert.ToBase64String(MD5.HashData(piece.Span)));
        await AssertErrorAsync(unknown, HttpStatusCode.BadRequest, "Upload-Checksum must be one of sha1,sha256 and a base64 digest");

        using var right = await PatchAsync(user, location, 0, piece, "sha256 " + Convert.ToBase64String(SHA256.HashData(piece.Span)));
        Assert.Equal(HttpStatusCode.NoContent, right.StatusCode);
        Assert.Equal("4096", Header(right, "Upload-Offset"));
        await FinishAsync(user, location, bytes, 4096);
    }

    [Fact]
    public async Task A_file_of_a_refused_type_or_over_its_types_limit_is_refused_at_its_first_bytes()
    {
        var user = await app.NewUserAsync();

        // Text, announced as 5 MB: refused once the first 64 bytes are here, not at the end.
        var location = await CreatedAsync(user, 5 * 1024 * 1024, ("filename", "notes.jpg"));
        var text = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("Nothing here is a picture at all. ", 40)));
        using var refused = await PatchAsync(user, location, 0, text);
        await AssertErrorAsync(refused, HttpStatusCode.UnprocessableEntity, "Validation failed: File content type is invalid, File is invalid");
        Assert.Equal(HttpStatusCode.NotFound, (await HeadAsync(user, location)).StatusCode);
        Assert.Null(await app.KeptBytesAsync(IdOf(location)));

        // A JPEG announced at 17 MB: under the video limit (so created), over the image limit.
        var jpeg = await File.ReadAllBytesAsync(Fixtures.Path("600x400.jpg"));
        var big = await CreatedAsync(user, 17 * 1024 * 1024);
        using var tooBig = await PatchAsync(user, big, 0, jpeg.AsMemory(0, 1024));
        await AssertErrorAsync(tooBig, HttpStatusCode.UnprocessableEntity, "Validation failed: File must be less than 16 MB, File file size must be less than 16 MB");
        Assert.Equal(HttpStatusCode.NotFound, (await HeadAsync(user, big)).StatusCode);

        // Over the largest limit: refused at creation, nothing created.
        using var huge = await CreateAsync(user, MaxSize + 1);
        await AssertErrorAsync(huge, HttpStatusCode.RequestEntityTooLarge, "Request entity too large");
    }

    [Fact]
    public async Task The_metadata_is_checked_at_creation()
    {
        var user = await app.NewUserAsync();
        using var tooLong = await CreateAsync(user, 1000, ("description", new string('a', 10_001)));
        await AssertErrorAsync(tooLong, HttpStatusCode.UnprocessableEntity, "Validation failed: Description is too long (maximum is 10000 characters)");

        using var request = new HttpRequestMessage(HttpMethod.Post, Uploads);
        request.Headers.Add("Tus-Resumable", "1.0.0");
        request.Headers.Add("Upload-Length", "1000");
        request.Headers.Add("Upload-Metadata", "filename not*base64");
        using var malformed = await user.Client.SendAsync(request);
        await AssertErrorAsync(malformed, HttpStatusCode.BadRequest, "Upload-Metadata must be comma-separated keys with base64 values");

        using var noLength = new HttpRequestMessage(HttpMethod.Post, Uploads);
        noLength.Headers.Add("Tus-Resumable", "1.0.0");
        using var refused = await user.Client.SendAsync(noLength);
        await AssertErrorAsync(refused, HttpStatusCode.BadRequest, "Upload-Length must be the file's size in bytes");
    }

    [Fact]
    public async Task Another_accounts_upload_is_not_found_and_a_token_without_write_media_is_refused()
    {
        var owner = await app.NewUserAsync();
        var location = await CreatedAsync(owner, 1000);
        var other = await app.NewUserAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await HeadAsync(other, location)).StatusCode);
        using var patch = await PatchAsync(other, location, 0, new byte[100]);
        await AssertErrorAsync(patch, HttpStatusCode.NotFound, "Record not found");
        using var delete = await DeleteAsync(other, location);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await HeadAsync(owner, location)).StatusCode);

        var reader = await app.NewUserAsync("read");
        using var refused = await CreateAsync(reader, 1000);
        await AssertErrorAsync(refused, HttpStatusCode.Forbidden, "This action is outside the authorized scopes");
        using var anonymous = new HttpRequestMessage(HttpMethod.Head, location);
        anonymous.Headers.Add("Tus-Resumable", "1.0.0");
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().SendAsync(anonymous)).StatusCode);
    }

    [Fact]
    public async Task Termination_removes_the_upload_and_its_bytes()
    {
        var user = await app.NewUserAsync();
        var jpeg = await File.ReadAllBytesAsync(Fixtures.Path("600x400.jpg"));
        var location = await CreatedAsync(user, jpeg.Length);
        using (var patched = await PatchAsync(user, location, 0, jpeg.AsMemory(0, 5000))) Assert.Equal(HttpStatusCode.NoContent, patched.StatusCode);
        Assert.Equal(5000, await app.KeptBytesAsync(IdOf(location)));

        using var deleted = await DeleteAsync(user, location);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await HeadAsync(user, location)).StatusCode);
        Assert.Null(await app.KeptBytesAsync(IdOf(location)));
    }

    [Fact]
    public async Task Open_uploads_are_bounded_per_account_and_a_finished_or_cancelled_one_frees_its_place()
    {
        var user = await app.NewUserAsync();
        var open = new List<string>();
        for (var i = 0; i < 3; i++) open.Add(await CreatedAsync(user, 1000));

        using var fourth = await CreateAsync(user, 1000);
        await AssertErrorAsync(fourth, HttpStatusCode.TooManyRequests,
            "Too many unfinished uploads: at most 3 may be open at once; finish or cancel one first");

        (await DeleteAsync(user, open[0])).Dispose();
        using var again = await CreateAsync(user, 1000);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
    }

    [Fact]
    public async Task A_tus_upload_counts_once_against_the_upload_rate_limit()
    {
        var user = await app.NewUserAsync();
        var bytes = await File.ReadAllBytesAsync(Fixtures.Path("600x400.jpg"));
        using var created = await CreateAsync(user, bytes.Length);
        Assert.Equal("4", Header(created, "X-RateLimit-Remaining"));
        var location = created.Headers.Location!.ToString();
        for (var offset = 0; offset < bytes.Length; offset += 4000)
        {
            using var patched = await PatchAsync(user, location, offset, bytes.AsMemory(offset, Math.Min(4000, bytes.Length - offset)));
            Assert.Equal(HttpStatusCode.NoContent, patched.StatusCode);
        }

        for (var i = 0; i < 4; i++) Assert.Equal(HttpStatusCode.OK, (await user.UploadAsync(Fixtures.Path("600x400.jpg"))).Status);
        using var throttled = await CreateAsync(user, bytes.Length);
        await AssertErrorAsync(throttled, HttpStatusCode.TooManyRequests, "Too many requests");
    }

    [Fact]
    public async Task An_upload_past_its_expiry_is_gone_with_its_bytes()
    {
        var user = await app.NewUserAsync();
        var jpeg = await File.ReadAllBytesAsync(Fixtures.Path("600x400.jpg"));
        var location = await CreatedAsync(user, jpeg.Length);
        using (var patched = await PatchAsync(user, location, 0, jpeg.AsMemory(0, 100))) Assert.Equal(HttpStatusCode.NoContent, patched.StatusCode);

        app.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.NotFound, (await HeadAsync(user, location)).StatusCode);
        using var late = await PatchAsync(user, location, 100, jpeg.AsMemory(100, 100));
        Assert.Equal(HttpStatusCode.NotFound, late.StatusCode);

        var removed = await app.Services.GetRequiredService<Mediary.Resumable.ResumableUploads>().RemoveExpiredAsync(CancellationToken.None);
        Assert.True(removed >= 1);
        Assert.Null(await app.KeptBytesAsync(IdOf(location)));
    }

    [Fact]
    public async Task A_patch_whose_connection_went_silent_is_taken_over_and_keeps_what_arrived()
    {
        var user = await app.NewUserAsync();
        var file = Fixtures.Path("photo-12mp-exif6.jpg");
        var bytes = await File.ReadAllBytesAsync(file);
        var location = await CreatedAsync(user, bytes.Length);

        // The client's link dies 2.5 MB into a PATCH of the whole file without the server hearing of it:
        // the request stays open, waiting for bytes. (The test server's own client streams the body;
        // the factory's default one would buffer it whole first.)
        using var streaming = new HttpClient(app.Server.CreateHandler()) { BaseAddress = app.Server.BaseAddress };
        using var gone = new CancellationTokenSource();
        var stalling = new StallingContent(bytes, stallAfter: 2_500_000);
        using var request = PatchRequest(location, 0, stalling);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        var silent = streaming.SendAsync(request, gone.Token);
        await stalling.Stalled.WaitAsync(TimeSpan.FromSeconds(30));

        // The client comes back and asks where the upload is: the silent request is stopped, and what it
        // had received is kept and answered at once, not after a timeout.
        var asked = DateTime.UtcNow;
        using var head = await HeadAsync(user, location);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.True(DateTime.UtcNow - asked < TimeSpan.FromSeconds(20), "HEAD waited for the silent request");
        var offset = long.Parse(Header(head, "Upload-Offset"));
        Assert.InRange(offset, 1, 2_500_000);
        // The silent request, should its client still listen, is told the same offset.
        using (var stopped = await silent.WaitAsync(TimeSpan.FromSeconds(20)))
        {
            Assert.Equal(HttpStatusCode.NoContent, stopped.StatusCode);
            Assert.Equal(offset.ToString(), Header(stopped, "Upload-Offset"));
        }
        gone.Cancel();

        var mediaId = await FinishAsync(user, location, bytes, offset);
        var media = await user.GetMediaAsync(mediaId);
        var whole = await user.UploadAsync(file);
        Assert.Equal(whole.Json.GetProperty("blurhash").GetString(), media.Json.GetProperty("blurhash").GetString());
    }

    private static async Task<string> FinishAsync(User user, string location, byte[] bytes, long offset)
    {
        using var rest = await PatchAsync(user, location, offset, bytes.AsMemory((int)offset));
        Assert.Equal(HttpStatusCode.NoContent, rest.StatusCode);
        Assert.Equal(bytes.Length.ToString(), Header(rest, "Upload-Offset"));
        return Header(rest, "Mediary-Media-Id");
    }

    private static async Task<string> CreatedAsync(User user, long length, params (string Key, string Value)[] metadata)
    {
        using var created = await CreateAsync(user, length, metadata);
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"creation: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
        return created.Headers.Location!.ToString();
    }

    private static Task<HttpResponseMessage> CreateAsync(User user, long length, params (string Key, string Value)[] metadata) =>
        CreateAsync(user, length, null, metadata);

    private static Task<HttpResponseMessage> CreateAsync(User user, long length, HttpContent? body, params (string Key, string Value)[] metadata)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Uploads) { Content = body };
        request.Headers.Add("Tus-Resumable", "1.0.0");
        request.Headers.Add("Upload-Length", length.ToString());
        if (metadata.Length > 0)
        {
            request.Headers.Add("Upload-Metadata",
                string.Join(",", metadata.Select(pair => $"{pair.Key} {Convert.ToBase64String(Encoding.UTF8.GetBytes(pair.Value))}")));
        }
        return user.Client.SendAsync(request);
    }

    private static HttpRequestMessage PatchRequest(string location, long offset, HttpContent content, string? checksum = null)
    {
        content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = content };
        request.Headers.Add("Tus-Resumable", "1.0.0");
        request.Headers.Add("Upload-Offset", offset.ToString());
        if (checksum is not null) request.Headers.Add("Upload-Checksum", checksum);
        return request;
    }

    private static async Task<HttpResponseMessage> PatchAsync(User user, string location, long offset, ReadOnlyMemory<byte> bytes, string? checksum = null)
    {
        using var request = PatchRequest(location, offset, new ReadOnlyMemoryContent(bytes), checksum);
        return await user.Client.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> HeadAsync(User user, string location)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, location);
        request.Headers.Add("Tus-Resumable", "1.0.0");
        return await user.Client.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> DeleteAsync(User user, string location)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, location);
        request.Headers.Add("Tus-Resumable", "1.0.0");
        return await user.Client.SendAsync(request);
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string message)
    {
        var answer = await Answer.FromAsync(response);
        answer.AssertError(status, message);
        Assert.Equal("1.0.0", Header(response, "Tus-Resumable"));
    }

    private static string IdOf(string location) => location[(location.LastIndexOf('/') + 1)..];

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : throw new Xunit.Sdk.XunitException($"no {name} on {(int)response.StatusCode}");

    /// <summary>A body that sends its first <paramref name="stallAfter"/> bytes, then nothing more, as a dead mobile link does.</summary>
    private sealed class StallingContent(byte[] bytes, int stallAfter) : HttpContent
    {
        private readonly TaskCompletionSource _stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Stalled => _stalled.Task;

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            for (var sent = 0; sent < stallAfter; sent += 64 * 1024)
            {
                await stream.WriteAsync(bytes.AsMemory(sent, Math.Min(64 * 1024, stallAfter - sent)), cancellationToken);
                await stream.FlushAsync(cancellationToken);
            }
            _stalled.SetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = bytes.Length;
            return true;
        }
    }
}
