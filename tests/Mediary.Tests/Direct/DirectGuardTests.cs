using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Direct;

/// <summary>
/// What the signed upload URL and the API key refuse, and how the refusals read. Step 2 here is
/// Mediary's own upload endpoint (local disk); on a bucket, S3 checks its presigned URL itself.
/// </summary>
public sealed class DirectGuardTests(LocalDiskApp app) : IClassFixture<LocalDiskApp>
{
    private static string UploadUrl(DirectAnswer declared) => declared.Data.GetProperty("upload_url").GetString()!;

    private static async Task<DirectAnswer> Unkeyed(HttpResponseMessage response) => await DirectAnswer.FromAsync(response, keyed: false);

    [Fact]
    public async Task A_tampered_signature_or_a_changed_content_type_is_403_and_stores_nothing()
    {
        var user = await app.NewDirectUserAsync();
        var path = Fixtures.Path("600x400.jpg");
        var declared = await user.DeclareFileAsync(path, "image/jpeg");
        var url = UploadUrl(declared);
        var signature = url[^64..];
        var flipped = url[..^1] + (url[^1] == '0' ? '1' : '0');
        var laterExpiry = url.Replace("expires=", "expires=9");

        foreach (var tampered in new[] { flipped, laterExpiry, url[..^65] + "signature=" })
        {
            var answer = await Unkeyed(await user.PutFileAsync(tampered, path, "image/jpeg"));
            Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
            Assert.Equal("forbidden", answer.ErrorCode);
        }
        var wrongType = await Unkeyed(await user.PutFileAsync(url, path, "image/png"));
        Assert.Equal(HttpStatusCode.Forbidden, wrongType.Status);
        Assert.Contains("image/jpeg", wrongType.ErrorMessage);

        // Another upload's id with this signature.
        var other = await user.DeclareFileAsync(path, "image/jpeg");
        var swapped = UploadUrl(other)[..^64] + signature;
        Assert.Equal(HttpStatusCode.Forbidden, (await user.PutFileAsync(swapped, path, "image/jpeg")).StatusCode);

        Assert.False(await app.HoldsDirectUploadAsync(declared.MediaId));
        Assert.Equal("upload_not_ready", (await user.CompleteAsync(declared.MediaId)).ErrorCode);
    }

    [Fact]
    public async Task A_body_longer_than_declared_is_413_while_streaming_and_leaves_nothing_behind()
    {
        var user = await app.NewDirectUserAsync();
        var declared = await user.DeclareAsync(new { filename = "a.jpg", content_type = "image/jpeg", size = 1000 });
        var url = UploadUrl(declared);
        var tmpBefore = Directory.GetFiles(Path.Combine(app.DataDirectory, "tmp")).ToHashSet();

        // With a Content-Length, refused before reading; without one (chunked), as soon as byte 1001 arrives.
        var withLength = await Unkeyed(await user.PutBytesAsync(url, new ByteArrayContent(new byte[5000]), "image/jpeg"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, withLength.Status);
        Assert.Equal("payload_too_large", withLength.ErrorCode);
        var endless = new StreamContent(new UnsizedStream(50 * 1024 * 1024));
        var chunked = await Unkeyed(await user.PutBytesAsync(url, endless, "image/jpeg"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunked.Status);

        Assert.False(await app.HoldsDirectUploadAsync(declared.MediaId));
        Assert.DoesNotContain(Directory.GetFiles(Path.Combine(app.DataDirectory, "tmp")), f => !tmpBefore.Contains(f) && f.EndsWith(".upload"));
        Assert.Equal("upload_not_ready", (await user.CompleteAsync(declared.MediaId)).ErrorCode);
    }

    [Fact]
    public async Task Declarations_outside_the_limits_are_validation_errors_naming_the_field()
    {
        var user = await app.NewDirectUserAsync();
        var cases = new (object Body, string Field)[]
        {
            (new { content_type = "image/jpeg", size = 10 }, "filename"),
            (new { filename = "noextension", content_type = "image/jpeg", size = 10 }, "filename"),
            (new { filename = "a.exe", content_type = "application/x-msdownload", size = 10 }, "content_type"),
            (new { filename = "a.jpg", content_type = "image/jpeg", size = 20 * 1024 * 1024 + 1 }, "size"),
            (new { filename = "a.mp4", content_type = "video/mp4", size = 500L * 1024 * 1024 + 1 }, "size"),
            (new { filename = "a.pdf", content_type = "application/pdf" }, "size"),
            (new { filename = "a.jpg", content_type = "image/jpeg", size = 10, checksum_sha256 = "abc" }, "checksum_sha256"),
        };
        foreach (var (body, field) in cases)
        {
            var answer = await user.DeclareAsync(body);
            Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
            Assert.Equal("validation_error", answer.ErrorCode);
            Assert.Equal(field, answer.Json.GetProperty("error").GetProperty("details").GetProperty("field").GetString());
        }
        // The official SDK's file_size works like size, and the biggest video is allowed.
        var sdk = await user.DeclareAsync(new { filename = "a.mp4", content_type = "video/mp4", file_size = 500L * 1024 * 1024 });
        Assert.Equal(HttpStatusCode.OK, sdk.Status);
        Assert.Equal(500L * 1024 * 1024, sdk.Data.GetProperty("max_size").GetInt64());

        using var form = new StringContent("filename=a.jpg", Encoding.UTF8, "application/x-www-form-urlencoded");
        var notJson = await DirectAnswer.FromAsync(await user.Client.PostAsync("/v1/media/upload", form));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notJson.Status);
        Assert.Equal("unsupported_media_type", notJson.ErrorCode);
        using var broken = new StringContent("{\"filename\":", Encoding.UTF8, "application/json");
        Assert.Equal("validation_error", (await DirectAnswer.FromAsync(await user.Client.PostAsync("/v1/media/upload", broken))).ErrorCode);
    }

    [Fact]
    public async Task Missing_bad_revoked_and_mastodon_tokens_are_401_and_a_key_does_not_open_the_mastodon_api()
    {
        using var anonymous = app.CreateClient();
        var missing = await Unkeyed(await anonymous.GetAsync("/v1/media"));
        Assert.Equal(HttpStatusCode.Unauthorized, missing.Status);
        Assert.Equal("authentication_failed", missing.ErrorCode);
        Assert.Null(missing.Header("X-RateLimit-Limit"));

        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-key");
        Assert.Equal("authentication_failed", (await Unkeyed(await anonymous.GetAsync("/v1/media"))).ErrorCode);

        var mastodon = await app.NewUserAsync("read write");
        Assert.Equal(HttpStatusCode.Unauthorized, (await Unkeyed(await mastodon.Client.GetAsync("/v1/media"))).Status);

        var user = await app.NewDirectUserAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await user.Client.GetAsync("/api/v1/accounts/verify_credentials")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await DirectAnswer.FromAsync(await user.Client.GetAsync("/v1/media"))).Status);
        await app.Services.GetRequiredService<Mediary.Auth.TokenStore>().RevokeAsync(user.Key);
        var revoked = await Unkeyed(await user.Client.GetAsync("/v1/media"));
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.Status);
        Assert.Contains("revoked", revoked.ErrorMessage);
    }

    [Fact]
    public async Task Unknown_routes_and_methods_answer_in_the_envelope()
    {
        var user = await app.NewDirectUserAsync();
        var unknown = await DirectAnswer.FromAsync(await user.Client.GetAsync("/v1/nothing-here"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal("not_found", unknown.ErrorCode);
        var wrongMethod = await DirectAnswer.FromAsync(await user.Client.PutAsync("/v1/posts", null));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.Status);
        Assert.Equal("method_not_allowed", wrongMethod.ErrorCode);
        var missingMedia = await user.GetDirectMediaAsync(Guid.NewGuid().ToString());
        Assert.Equal("not_found", missingMedia.ErrorCode);
    }

    [Fact]
    public async Task A_browser_may_upload_directly_the_preflight_is_answered()
    {
        using var client = app.CreateClient();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, $"/v1/uploads/{Guid.NewGuid()}?expires=1&signature=x");
        preflight.Headers.Add("Origin", "https://app.example");
        preflight.Headers.Add("Access-Control-Request-Method", "PUT");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type");
        var response = await client.SendAsync(preflight);
        Assert.True(response.IsSuccessStatusCode, response.ToString());
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("PUT", response.Headers.GetValues("Access-Control-Allow-Methods").Single());
    }

    [Fact]
    public async Task The_61st_request_in_a_minute_is_429_with_retry_after()
    {
        var user = await app.NewDirectUserAsync();
        for (var i = 1; i <= 60; i++)
        {
            var answer = await DirectAnswer.FromAsync(await user.Client.GetAsync("/v1/media"));
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            Assert.Equal("60", answer.Header("X-RateLimit-Limit"));
            Assert.Equal((60 - i).ToString(), answer.Header("X-RateLimit-Remaining"));
        }
        var limited = await DirectAnswer.FromAsync(await user.Client.GetAsync("/v1/media"));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Equal("rate_limit_exceeded", limited.ErrorCode);
        Assert.Equal("0", limited.Header("X-RateLimit-Remaining"));
        Assert.InRange(int.Parse(limited.Header("Retry-After")!), 1, 60);
        var reset = long.Parse(limited.Header("X-RateLimit-Reset")!);
        Assert.InRange(reset, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddSeconds(61).ToUnixTimeSeconds());

        // The window is per key: another key of another account is not held up.
        var other = await app.NewDirectUserAsync();
        Assert.Equal(HttpStatusCode.OK, (await DirectAnswer.FromAsync(await other.Client.GetAsync("/v1/media"))).Status);
    }

    /// <summary>Bytes of no announced length, so the client sends them chunked.</summary>
    private sealed class UnsizedStream(long length) : Stream
    {
        private long _left = length;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, _left);
            Array.Fill(buffer, (byte)0xFF, offset, n);
            _left -= n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
