using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Mastodon;

/// <summary>
/// Resumable Uploads for HTTP (draft-ietf-httpbis-resumable-upload, interop version 8) on
/// POST /api/v2/media: the request Mastodon clients send, in pieces, and the answer of the whole.
/// </summary>
public sealed class RufhUploadTests(TusApp app) : IClassFixture<TusApp>
{
    private const string Boundary = "mediary-rufh-test";

    [Fact]
    public async Task A_multipart_upload_in_pieces_answers_as_the_whole_request_would()
    {
        var user = await app.NewUserAsync();
        var form = Form(await File.ReadAllBytesAsync(Fixtures.Path("photo-12mp-exif6.jpg")), "photo.jpg", "A hill at dusk", "0.25,-0.5");

        using var created = await CreateAsync(user, form.AsMemory(0, 100_000), $"multipart/form-data; boundary={Boundary}", uploadLength: form.Length);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var location = created.Headers.Location!.ToString();
        Assert.Matches(@"^http://localhost/api/v2/media/resumable/[A-Za-z0-9_-]{20,64}$", location);
        Assert.Equal("100000", Header(created, "Upload-Offset"));
        Assert.Equal("?0", Header(created, "Upload-Complete"));
        Assert.Matches(@"^max-size=\d+, max-age=8640\d$", Header(created, "Upload-Limit"));

        using (var head = await HeadAsync(user, location))
        {
            Assert.Equal(HttpStatusCode.NoContent, head.StatusCode);
            Assert.Equal("100000", Header(head, "Upload-Offset"));
            Assert.Equal("?0", Header(head, "Upload-Complete"));
            Assert.Equal(form.Length.ToString(), Header(head, "Upload-Length"));
            Assert.Equal("no-store", Header(head, "Cache-Control"));
        }

        using (var middle = await PatchAsync(user, location, 100_000, form.AsMemory(100_000, 1_000_000), complete: false))
        {
            Assert.Equal(HttpStatusCode.NoContent, middle.StatusCode);
            Assert.Equal("1100000", Header(middle, "Upload-Offset"));
            Assert.Equal("?0", Header(middle, "Upload-Complete"));
        }

        using var last = await PatchAsync(user, location, 1_100_000, form.AsMemory(1_100_000), complete: true);
        Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        Assert.Equal("?1", Header(last, "Upload-Complete"));
        using var json = JsonDocument.Parse(await last.Content.ReadAsStringAsync());
        var media = json.RootElement;
        Assert.Equal("image", media.GetProperty("type").GetString());
        Assert.Equal("A hill at dusk", media.GetProperty("description").GetString());
        Assert.Equal(0.25, media.GetProperty("meta").GetProperty("focus").GetProperty("x").GetDouble());
        Assert.Equal(Header(last, "Mediary-Media-Id"), media.GetProperty("id").GetString());

        // The same request in one piece: the same processing.
        var whole = await user.UploadAsync(Fixtures.Path("photo-12mp-exif6.jpg"));
        Assert.Equal(whole.Meta.GetProperty("original").GetRawText(), media.GetProperty("meta").GetProperty("original").GetRawText());
        Assert.Equal(whole.Json.GetProperty("blurhash").GetString(), media.GetProperty("blurhash").GetString());

        // After the end: HEAD says complete, with the media's id; nothing more can be appended; the bytes are gone.
        using (var head = await HeadAsync(user, location))
        {
            Assert.Equal("?1", Header(head, "Upload-Complete"));
            Assert.Equal(form.Length.ToString(), Header(head, "Upload-Offset"));
            Assert.Equal(media.GetProperty("id").GetString(), Header(head, "Mediary-Media-Id"));
        }
        using var again = await PatchAsync(user, location, form.Length, ReadOnlyMemory<byte>.Empty, complete: true);
        await AssertProblemAsync(again, HttpStatusCode.BadRequest, "https://iana.org/assignments/http-problem-types#completed-upload");
        using var more = await PatchAsync(user, location, form.Length, new byte[10], complete: true);
        await AssertProblemAsync(more, HttpStatusCode.BadRequest, "https://iana.org/assignments/http-problem-types#inconsistent-upload-length");
        Assert.Null(await app.KeptBytesAsync(IdOf(location)));
    }

    [Theory]
    [InlineData(null, "?0")]
    [InlineData("7", "?0")]
    [InlineData("8", "?1")]
    public async Task Any_other_request_is_a_plain_upload(string? version, string complete)
    {
        var user = await app.NewUserAsync();
        var form = Form(await File.ReadAllBytesAsync(Fixtures.Path("600x400.png")), "small.png", "plain", null);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v2/media") { Content = Body(form, $"multipart/form-data; boundary={Boundary}") };
        if (version is not null) request.Headers.Add("Upload-Draft-Interop-Version", version);
        request.Headers.Add("Upload-Complete", complete);

        using var response = await user.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.False(response.Headers.Contains("Upload-Limit"));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("plain", json.RootElement.GetProperty("description").GetString());
    }

    [Fact]
    public async Task A_file_sent_as_itself_of_unknown_length_becomes_a_video_with_the_digest_asked_for()
    {
        var user = await app.NewUserAsync();
        var bytes = await File.ReadAllBytesAsync(Fixtures.Path("960x540.mp4"));

        using var created = await CreateAsync(user, bytes.AsMemory(0, 8000), "video/mp4", query: "?description=A%20short%20clip",
            headers: [("Content-Disposition", "inline; filename=\"clip.mp4\""), ("Want-Repr-Digest", "sha-256=1")]);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.False(created.Headers.Contains("Upload-Length"));
        var location = created.Headers.Location!.ToString();

        using var last = await PatchAsync(user, location, 8000, bytes.AsMemory(8000), complete: true);

        Assert.Equal(HttpStatusCode.Accepted, last.StatusCode);
        Assert.Equal("?1", Header(last, "Upload-Complete"));
        Assert.Equal($"sha-256=:{Convert.ToBase64String(SHA256.HashData(bytes))}:", Header(last, "Repr-Digest"));
        using var json = JsonDocument.Parse(await last.Content.ReadAsStringAsync());
        Assert.Equal("A short clip", json.RootElement.GetProperty("description").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("url").ValueKind);
        var processed = await user.WaitUntilProcessedAsync(json.RootElement.GetProperty("id").GetString()!);
        Assert.Equal(HttpStatusCode.OK, processed.Status);
        Assert.Equal(960, processed.Meta.GetProperty("original").GetProperty("width").GetInt32());
        using var head = await HeadAsync(user, location);
        Assert.Equal(bytes.Length.ToString(), Header(head, "Upload-Length"));
    }

    [Fact]
    public async Task A_wrong_offset_is_409_with_the_right_one()
    {
        var user = await app.NewUserAsync();
        var bytes = await File.ReadAllBytesAsync(Fixtures.Path("600x400.png"));
        var location = await CreatedAsync(user, bytes.AsMemory(0, 1000), "image/png");

        using var response = await PatchAsync(user, location, 500, bytes.AsMemory(500), complete: true);

        using var problem = await AssertProblemAsync(response, HttpStatusCode.Conflict, "https://iana.org/assignments/http-problem-types#mismatching-upload-offset");
        Assert.Equal(1000, problem.RootElement.GetProperty("expected-offset").GetInt64());
        Assert.Equal(500, problem.RootElement.GetProperty("provided-offset").GetInt64());
        Assert.Equal("1000", Header(response, "Upload-Offset"));
        using var head = await HeadAsync(user, location);
        Assert.Equal("1000", Header(head, "Upload-Offset"));
    }

    [Fact]
    public async Task Lengths_said_differently_are_refused_and_the_bytes_stay()
    {
        var user = await app.NewUserAsync();
        var bytes = await File.ReadAllBytesAsync(Fixtures.Path("600x400.png"));
        var location = await CreatedAsync(user, bytes.AsMemory(0, 1000), "image/png", uploadLength: bytes.Length);

        using var request = PatchRequest(location, 1000, bytes.AsMemory(1000, 100), complete: false);
        request.Headers.Add("Upload-Length", (bytes.Length + 1).ToString());
        using var response = await user.Client.SendAsync(request);
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "https://iana.org/assignments/http-problem-types#inconsistent-upload-length");

        // A completing request that ends before the length: the same.
        using var early = await PatchAsync(user, location, 1000, bytes.AsMemory(1000, 100), complete: true);
        await AssertProblemAsync(early, HttpStatusCode.BadRequest, "https://iana.org/assignments/http-problem-types#inconsistent-upload-length");
        using var rest = await PatchAsync(user, location, 1000, bytes.AsMemory(1000), complete: true);
        Assert.Equal(HttpStatusCode.OK, rest.StatusCode);
    }

    [Fact]
    public async Task A_representation_that_is_not_the_one_its_digest_names_is_refused_and_removed()
    {
        var user = await app.NewUserAsync();
        var bytes = await File.ReadAllBytesAsync(Fixtures.Path("600x400.png"));
        var other = SHA256.HashData(Encoding.UTF8.GetBytes("something else"));
        var location = await CreatedAsync(user, bytes.AsMemory(0, 1000), "image/png", headers: [("Repr-Digest", $"sha-256=:{Convert.ToBase64String(other)}:")]);

        using var response = await PatchAsync(user, location, 1000, bytes.AsMemory(1000), complete: true);

        (await Answer.FromAsync(response)).AssertError(HttpStatusCode.BadRequest,
            "Repr-Digest does not match the uploaded representation; the upload is removed");
        Assert.Equal("?1", Header(response, "Upload-Complete"));
        using var head = await HeadAsync(user, location);
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task A_piece_whose_content_digest_is_wrong_keeps_nothing()
    {
        var user = await app.NewUserAsync();
        var bytes = await File.ReadAllBytesAsync(Fixtures.Path("600x400.png"));
        var location = await CreatedAsync(user, bytes.AsMemory(0, 1000), "image/png");

        using var request = PatchRequest(location, 1000, bytes.AsMemory(1000), complete: true);
        request.Headers.Add("Content-Digest", $"sha-256=:{Convert.ToBase64String(SHA256.HashData(bytes))}:");
        using var response = await user.Client.SendAsync(request);

        (await Answer.FromAsync(response)).AssertError(HttpStatusCode.BadRequest, "Content-Digest does not match the bytes sent; none of them was kept");
        using var head = await HeadAsync(user, location);
        Assert.Equal("1000", Header(head, "Upload-Offset"));

        using var right = PatchRequest(location, 1000, bytes.AsMemory(1000), complete: true);
        right.Headers.Add("Content-Digest", $"sha-256=:{Convert.ToBase64String(SHA256.HashData(bytes.AsSpan(1000)))}:");
        using var finished = await user.Client.SendAsync(right);
        Assert.Equal(HttpStatusCode.OK, finished.StatusCode);
    }

    [Fact]
    public async Task A_file_that_lies_about_its_type_is_refused_at_its_first_bytes()
    {
        var user = await app.NewUserAsync();
        var junk = RandomNumberGenerator.GetBytes(4096);
        var waiting = await app.KeptUploadsAsync();

        using var response = await CreateAsync(user, junk, "image/png", uploadLength: 1_000_000);

        (await Answer.FromAsync(response)).AssertError((HttpStatusCode)422, "Validation failed: File content type is invalid, File is invalid");
        Assert.Equal(waiting, await app.KeptUploadsAsync());
    }

    [Fact]
    public async Task Too_large_is_413_with_the_limit()
    {
        var user = await app.NewUserAsync();

        using var response = await CreateAsync(user, new byte[10], "video/mp4", uploadLength: 200L * 1024 * 1024);

        (await Answer.FromAsync(response)).AssertError(HttpStatusCode.RequestEntityTooLarge, "Request entity too large");
        Assert.StartsWith($"max-size={99L * 1024 * 1024 - 1}", Header(response, "Upload-Limit"));
    }

    [Fact]
    public async Task The_upload_is_its_accounts_and_cancelling_removes_it()
    {
        var owner = await app.NewUserAsync();
        var other = await app.NewUserAsync();
        var bytes = await File.ReadAllBytesAsync(Fixtures.Path("600x400.png"));
        var location = await CreatedAsync(owner, bytes.AsMemory(0, 1000), "image/png");
        Assert.NotNull(await app.KeptBytesAsync(IdOf(location)));

        using (var head = await HeadAsync(other, location)) Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        using (var patch = await PatchAsync(other, location, 1000, bytes.AsMemory(1000), complete: true)) Assert.Equal(HttpStatusCode.NotFound, patch.StatusCode);
        using (var delete = await other.Client.DeleteAsync(location)) Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);

        using (var delete = await owner.Client.DeleteAsync(location)) Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        using (var head = await HeadAsync(owner, location)) Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        Assert.Null(await app.KeptBytesAsync(IdOf(location)));
    }

    [Fact]
    public async Task A_creation_counts_once_against_the_upload_limit()
    {
        var user = await app.NewUserAsync();
        var bytes = await File.ReadAllBytesAsync(Fixtures.Path("600x400.png"));

        using var created = await CreateAsync(user, bytes.AsMemory(0, 100), "image/png");
        Assert.Equal("4", Header(created, "X-RateLimit-Remaining"));
        var location = created.Headers.Location!.ToString();
        for (var offset = 100; offset < bytes.Length; offset += 2000)
        {
            var piece = bytes.AsMemory(offset, Math.Min(2000, bytes.Length - offset));
            using var patched = await PatchAsync(user, location, offset, piece, complete: offset + piece.Length == bytes.Length);
            Assert.True(patched.IsSuccessStatusCode, $"{(int)patched.StatusCode}");
        }

        using var next = await CreateAsync(user, bytes.AsMemory(0, 100), "image/png");
        Assert.Equal("3", Header(next, "X-RateLimit-Remaining"));
    }

    [Fact]
    public async Task Malformed_appends_are_refused_in_words()
    {
        var user = await app.NewUserAsync();
        var bytes = await File.ReadAllBytesAsync(Fixtures.Path("600x400.png"));
        var location = await CreatedAsync(user, bytes.AsMemory(0, 1000), "image/png");

        using (var request = PatchRequest(location, 1000, bytes.AsMemory(1000), complete: true))
        {
            request.Content!.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
            using var response = await user.Client.SendAsync(request);
            (await Answer.FromAsync(response)).AssertError(HttpStatusCode.UnsupportedMediaType, "Content-Type must be application/partial-upload");
        }
        using (var request = PatchRequest(location, 1000, bytes.AsMemory(1000), complete: true))
        {
            request.Headers.Remove("Upload-Complete");
            using var response = await user.Client.SendAsync(request);
            (await Answer.FromAsync(response)).AssertError(HttpStatusCode.BadRequest, "Upload-Complete must be ?0 or ?1");
        }
        using (var request = PatchRequest(location, 1000, bytes.AsMemory(1000), complete: true))
        {
            request.Headers.Remove("Upload-Offset");
            request.Headers.Add("Upload-Offset", "-5");
            using var response = await user.Client.SendAsync(request);
            (await Answer.FromAsync(response)).AssertError(HttpStatusCode.BadRequest, "Upload-Offset must be the offset the bytes start at");
        }
    }

    [Fact]
    public async Task Discovery_says_partial_uploads_are_taken()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/v2/media");
        using var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Contains("application/partial-upload", Header(response, "Accept-Patch"));
        Assert.Matches(@"^max-size=\d+, max-age=86400$", Header(response, "Upload-Limit"));
    }

    private static byte[] Form(byte[] file, string fileName, string? description, string? focus)
    {
        var head = new StringBuilder();
        if (description is not null) head.Append($"--{Boundary}\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\n{description}\r\n");
        if (focus is not null) head.Append($"--{Boundary}\r\nContent-Disposition: form-data; name=\"focus\"\r\n\r\n{focus}\r\n");
        head.Append($"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{fileName}\"\r\nContent-Type: application/octet-stream\r\n\r\n");
        return [.. Encoding.UTF8.GetBytes(head.ToString()), .. file, .. Encoding.UTF8.GetBytes($"\r\n--{Boundary}--\r\n")];
    }

    private static async Task<string> CreatedAsync(User user, ReadOnlyMemory<byte> first, string contentType, long? uploadLength = null,
        (string Name, string Value)[]? headers = null)
    {
        using var created = await CreateAsync(user, first, contentType, uploadLength: uploadLength, headers: headers);
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"creation: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
        return created.Headers.Location!.ToString();
    }

    private static Task<HttpResponseMessage> CreateAsync(User user, ReadOnlyMemory<byte> first, string contentType, string query = "",
        long? uploadLength = null, (string Name, string Value)[]? headers = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v2/media" + query) { Content = Body(first, contentType) };
        request.Headers.Add("Upload-Draft-Interop-Version", "8");
        request.Headers.Add("Upload-Complete", "?0");
        if (uploadLength is { } length) request.Headers.Add("Upload-Length", length.ToString());
        foreach (var (name, value) in headers ?? [])
        {
            if (!request.Headers.TryAddWithoutValidation(name, value)) request.Content.Headers.TryAddWithoutValidation(name, value);
        }
        return user.Client.SendAsync(request);
    }

    private static HttpContent Body(ReadOnlyMemory<byte> bytes, string contentType)
    {
        var content = new ReadOnlyMemoryContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    private static HttpRequestMessage PatchRequest(string location, long offset, ReadOnlyMemory<byte> bytes, bool complete)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = Body(bytes, "application/partial-upload") };
        request.Headers.Add("Upload-Draft-Interop-Version", "8");
        request.Headers.Add("Upload-Offset", offset.ToString());
        request.Headers.Add("Upload-Complete", complete ? "?1" : "?0");
        return request;
    }

    private static async Task<HttpResponseMessage> PatchAsync(User user, string location, long offset, ReadOnlyMemory<byte> bytes, bool complete)
    {
        using var request = PatchRequest(location, offset, bytes, complete);
        return await user.Client.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> HeadAsync(User user, string location)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, location);
        request.Headers.Add("Upload-Draft-Interop-Version", "8");
        return await user.Client.SendAsync(request);
    }

    private static async Task<JsonDocument> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body);
        Assert.Equal(type, problem.RootElement.GetProperty("type").GetString());
        return problem;
    }

    private static string IdOf(string location) => location[(location.LastIndexOf('/') + 1)..];

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : throw new Xunit.Sdk.XunitException($"no {name} on {(int)response.StatusCode}");
}
