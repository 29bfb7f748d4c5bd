using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Mediary.Storage;
using Mediary.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Mediary.Tests.Storage;

/// <summary>
/// Media in an S3-compatible bucket, against a real S3 server (s3rver on loopback, started by
/// scripts/test.sh for the suite's PostgreSQL run). s3rver checks no signatures, so a presigned
/// URL is checked twice: the bytes land in the bucket through it, and <see cref="PresignedUrlCheck"/>
/// verifies its signature the way S3 would.
/// </summary>
public sealed class S3StorageTests(MediaryApp app) : IClassFixture<MediaryApp>
{
    private static void NeedBucket() => Assert.SkipWhen(!TestBucket.InUse, "needs the S3 server that scripts/test.sh starts (MEDIARY_TEST_S3)");

    [Fact]
    public async Task Files_go_to_the_bucket_and_back_in_parts_when_large_and_are_deleted()
    {
        NeedBucket();
        var storage = app.Services.GetRequiredService<IMediaStorage>();
        Assert.IsType<S3MediaStorage>(storage);
        var bytes = RandomNumberGenerator.GetBytes(12 * 1024 * 1024 + 123); // three parts of 5 MiB
        var source = Path.GetTempFileName();
        await File.WriteAllBytesAsync(source, bytes);
        var key = $"tests/{Guid.NewGuid():N}.bin";

        await storage.PutFileAsync(key, source, "application/octet-stream");
        Assert.False(File.Exists(source), "the local file is handed over");
        Assert.True(await storage.ExistsAsync(key));
        var back = Path.GetTempFileName();
        await storage.CopyToFileAsync(key, back);
        Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(await File.ReadAllBytesAsync(back)));
        File.Delete(back);

        await storage.DeleteAsync(key);
        Assert.False(await storage.ExistsAsync(key));
        await storage.DeleteAsync(key); // a missing key is not an error
    }

    [Fact]
    public async Task Mastodon_uploads_are_served_from_the_bucket_and_deleting_removes_every_rendition()
    {
        NeedBucket();
        var user = await app.NewUserAsync();
        var image = await user.UploadAsync(Fixtures.Path("600x400.jpg"));
        Assert.Equal(HttpStatusCode.OK, image.Status);
        Assert.StartsWith(app.Bucket!.PublicBaseUrl + "/media_attachments/", image.Url);
        using var anonymous = new HttpClient();
        var served = await anonymous.GetAsync(image.Url);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(0xFF, (await served.Content.ReadAsByteArrayAsync())[0]);

        var video = await user.UploadAsync(Fixtures.Path("webm-with-audio.webm"));
        var done = await user.WaitUntilProcessedAsync(video.Id);
        Assert.EndsWith(".mp4", done.Url);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(done.Url)).StatusCode);

        foreach (var media in new[] { image, done })
        {
            Assert.Equal(HttpStatusCode.OK, (await user.Client.DeleteAsync($"/api/v1/media/{media.Id}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(media.Url)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(media.PreviewUrl)).StatusCode);
        }
    }

    [Fact]
    public async Task A_direct_upload_goes_straight_to_the_bucket_through_a_presigned_url()
    {
        NeedBucket();
        var user = await app.NewDirectUserAsync();
        var path = Fixtures.Path("600x400.png");
        var declared = await user.DeclareFileAsync(path, "image/png");
        Assert.Equal("s3", declared.Data.GetProperty("provider").GetString());
        var uploadUrl = declared.Data.GetProperty("upload_url").GetString()!;
        Assert.StartsWith($"{app.Bucket!.PublicBaseUrl}/direct_uploads/{declared.MediaId}?", uploadUrl);
        Assert.Contains("X-Amz-Signature=", uploadUrl);

        Assert.Equal(HttpStatusCode.OK, (await user.PutFileAsync(uploadUrl, path, "image/png")).StatusCode);

        var completed = await user.CompleteAsync(declared.MediaId);
        Assert.Equal("ready", completed.MediaStatus);
        var shown = await user.GetDirectMediaAsync(declared.MediaId);
        var url = shown.Data.GetProperty("url").GetString()!;
        Assert.StartsWith(app.Bucket!.PublicBaseUrl, url);
        using var browser = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(url)).StatusCode);
        // The raw upload is gone from the bucket once processed.
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"{app.Bucket!.PublicBaseUrl}/direct_uploads/{declared.MediaId}")).StatusCode);
    }

    [Fact]
    public async Task A_presigned_url_signs_the_declared_type_and_length_so_s3_refuses_any_other_upload()
    {
        NeedBucket();
        var user = await app.NewDirectUserAsync();
        var path = Fixtures.Path("600x400.png");
        var length = new FileInfo(path).Length;
        var declared = await user.DeclareFileAsync(path, "image/png");
        var uploadUrl = declared.Data.GetProperty("upload_url").GetString()!;
        var query = PresignedUrlCheck.Query(uploadUrl);
        Assert.Equal("content-length;content-type;host", query["X-Amz-SignedHeaders"]);
        // S3 stops taking the URL when Mediary says it expires.
        var signedAt = DateTimeOffset.ParseExact(query["X-Amz-Date"], "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var expiresAt = DateTimeOffset.Parse(declared.Data.GetProperty("expires_at").GetString()!, CultureInfo.InvariantCulture);
        Assert.InRange((signedAt.AddSeconds(int.Parse(query["X-Amz-Expires"])) - expiresAt).Duration(), TimeSpan.Zero, TimeSpan.FromSeconds(2));

        var s3 = new PresignedUrlCheck("S3RVER", "S3RVER");
        Dictionary<string, string> Headers(string type, long bytes) => new() { ["Content-Type"] = type, ["Content-Length"] = bytes.ToString() };
        Assert.True(s3.Accepts("PUT", uploadUrl, Headers("image/png", length)));
        Assert.False(s3.Accepts("PUT", uploadUrl, Headers("text/html", length)), "another content type");
        Assert.False(s3.Accepts("PUT", uploadUrl, Headers("image/png", length + 1)), "more bytes than declared");
        Assert.False(s3.Accepts("PUT", uploadUrl, Headers("image/png", length - 1)), "fewer bytes than declared");
        Assert.False(s3.Accepts("GET", uploadUrl, Headers("image/png", length)), "another method");
        Assert.False(s3.Accepts("PUT", uploadUrl.Replace($"/{declared.MediaId}?", $"/{declared.MediaId}0?"), Headers("image/png", length)),
            "another key");
        Assert.False(new PresignedUrlCheck("S3RVER", "another secret").Accepts("PUT", uploadUrl, Headers("image/png", length)), "another secret");
    }

    [Fact]
    public async Task Presigned_upload_urls_are_made_for_the_endpoint_clients_reach_when_it_is_not_mediarys()
    {
        NeedBucket();
        // Mediary reaches the store as 127.0.0.1, clients as localhost: two names, one server.
        var clientsEndpoint = TestBucket.Url!.Replace("127.0.0.1", "localhost");
        await using var server = new BucketApp(TestBucket.Create()!, new() { ["Storage:S3:UploadServiceUrl"] = clientsEndpoint });
        var user = await server.NewDirectUserAsync();
        var path = Fixtures.Path("600x400.png");
        var declared = await user.DeclareFileAsync(path, "image/png");
        var uploadUrl = declared.Data.GetProperty("upload_url").GetString()!;
        Assert.StartsWith($"{clientsEndpoint}/{server.Bucket!.Name}/direct_uploads/{declared.MediaId}?", uploadUrl);
        var headers = new Dictionary<string, string> { ["Content-Type"] = "image/png", ["Content-Length"] = new FileInfo(path).Length.ToString() };
        Assert.True(new PresignedUrlCheck("S3RVER", "S3RVER").Accepts("PUT", uploadUrl, headers), "signed for the clients' host");

        using var client = new HttpClient();
        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(path));
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync(uploadUrl, content)).StatusCode);
        Assert.Equal("ready", (await user.CompleteAsync(declared.MediaId)).MediaStatus);
    }
}
