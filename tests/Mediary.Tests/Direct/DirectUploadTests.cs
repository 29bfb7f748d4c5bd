using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Json;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Direct;

/// <summary>The three-step flow of the direct upload API, driven over HTTP as a client does it.</summary>
public sealed class DirectUploadTests(MediaryApp app) : IClassFixture<MediaryApp>
{
    /// <summary>
    /// In a bucket, what only a video's whole file can tell (its checksum, its probe, audio only) is
    /// checked by its job, not within complete; its type and length, and everything of images and
    /// PDFs, are checked by complete on every storage.
    /// </summary>
    private bool ByJob => app.Bucket is not null;

    [Fact]
    public async Task A_jpeg_is_ready_after_three_requests_without_its_gps_metadata()
    {
        var user = await app.NewDirectUserAsync();
        var path = Fixtures.Path("photo-12mp-exif6.jpg");
        var before = DateTimeOffset.UtcNow;
        var declared = await user.DeclareFileAsync(path, "image/jpeg");

        Assert.Equal(HttpStatusCode.OK, declared.Status);
        var id = declared.MediaId;
        Assert.True(Guid.TryParse(id, out _), id);
        Assert.Equal([id], declared.Data.GetProperty("media_ids").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("pending_upload", declared.MediaStatus);
        var uploadUrl = declared.Data.GetProperty("upload_url").GetString()!;
        if (app.Bucket is null)
        {
            Assert.Matches($"^http://localhost/v1/uploads/{id}\\?expires=[0-9]{{10}}&signature=[0-9a-f]{{64}}$", uploadUrl);
            Assert.Equal("local", declared.Data.GetProperty("provider").GetString());
        }
        else
        {
            Assert.StartsWith($"{app.Bucket.PublicBaseUrl}/direct_uploads/{id}?", uploadUrl);
            Assert.Equal("s3", declared.Data.GetProperty("provider").GetString());
        }
        var method = declared.Data.GetProperty("upload_method");
        Assert.Equal("PUT", method.GetProperty("method").GetString());
        Assert.Equal("image/jpeg", method.GetProperty("content_type").GetString());
        Assert.Equal("image/jpeg", method.GetProperty("headers").GetProperty("Content-Type").GetString());
        Assert.InRange(declared.Data.GetProperty("expires_in").GetInt64(), 3590, 3600);
        var expiresAt = DateTimeOffset.Parse(declared.Data.GetProperty("expires_at").GetString()!);
        Assert.InRange(expiresAt, before.AddSeconds(3590), DateTimeOffset.UtcNow.AddSeconds(3601));
        Assert.Equal(20 * 1024 * 1024, declared.Data.GetProperty("max_size").GetInt64());
        Assert.Contains($"POST /v1/media/{id}/complete", declared.Data.GetProperty("next_step").GetString());

        var put = await user.PutFileAsync(uploadUrl, path, "image/jpeg");
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("", await put.Content.ReadAsStringAsync());

        var completed = await user.CompleteAsync(id);
        Assert.Equal(HttpStatusCode.OK, completed.Status);
        var data = completed.Data;
        Assert.Equal("ready", data.GetProperty("status").GetString());
        Assert.Equal("image", data.GetProperty("type").GetString());
        // The camera stored it sideways (EXIF orientation 6): it is served upright, so taller than wide.
        Assert.True(data.GetProperty("height").GetInt32() > data.GetProperty("width").GetInt32(), completed.Body);
        Assert.Equal(JsonValueKind.Null, data.GetProperty("duration").ValueKind);
        Assert.Equal(new FileInfo(path).Length, data.GetProperty("size").GetInt64());
        Assert.Equal("image/jpeg", data.GetProperty("content_type").GetString());
        Assert.Contains($"\"media_ids\": [\"{id}\"]", data.GetProperty("next_step").GetString());
        Assert.Contains("POST /v1/posts", data.GetProperty("next_step").GetString());

        var shown = await user.GetDirectMediaAsync(id);
        Assert.Equal("photo-12mp-exif6.jpg", shown.Data.GetProperty("filename").GetString());
        var file = await app.FetchAsync(shown.Data.GetProperty("url").GetString()!);
        Assert.Equal("image/jpeg", file.Content.Headers.ContentType?.MediaType);
        var stored = await app.StoredFileAsync(shown.Data.GetProperty("url").GetString()!);
        Assert.DoesNotContain("GPS", Tools.ExifDump(stored));
        Assert.Equal(HttpStatusCode.OK, (await app.FetchAsync(shown.Data.GetProperty("thumbnail_url").GetString()!)).StatusCode);
    }

    [Fact]
    public async Task An_mp4_is_probed_at_complete_and_becomes_ready_in_the_background()
    {
        var user = await app.NewDirectUserAsync();
        var completed = await user.UploadDirectAsync(Fixtures.Path("h264-aac.mp4"), "video/mp4");

        Assert.Equal(HttpStatusCode.OK, completed.Status);
        Assert.Equal("video", completed.Data.GetProperty("type").GetString());
        var probed = completed;
        if (ByJob)
        {
            // Nothing is known before the job has fetched it.
            Assert.Equal("processing", completed.MediaStatus);
            Assert.Equal(JsonValueKind.Null, completed.Data.GetProperty("width").ValueKind);
            probed = await user.WaitUntilSettledAsync(completed.MediaId);
        }
        Assert.Contains(probed.MediaStatus, new[] { "processing", "ready" });
        Assert.Equal(320, probed.Data.GetProperty("width").GetInt32());
        Assert.Equal(240, probed.Data.GetProperty("height").GetInt32());
        Assert.True(probed.Data.GetProperty("duration").GetDouble() > 0.5, probed.Body);

        var ready = await user.WaitUntilSettledAsync(completed.MediaId);
        Assert.Equal("ready", ready.MediaStatus);
        var video = await app.FetchAsync(ready.Data.GetProperty("url").GetString()!);
        Assert.Equal(HttpStatusCode.OK, video.StatusCode);
        Assert.Equal("video/mp4", video.Content.Headers.ContentType?.MediaType);
        var thumbnail = await app.FetchAsync(ready.Data.GetProperty("thumbnail_url").GetString()!);
        Assert.Equal("image/png", thumbnail.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_pdf_is_ready_with_its_page_count_and_a_first_page_thumbnail_of_at_most_640_px()
    {
        var user = await app.NewDirectUserAsync();
        var completed = await user.SettleAsync(await user.UploadDirectAsync(Fixtures.Path("document.pdf"), "application/pdf"), byJob: false);

        Assert.Equal(HttpStatusCode.OK, completed.Status);
        Assert.Equal("ready", completed.MediaStatus);
        Assert.Equal("document", completed.Data.GetProperty("type").GetString());
        Assert.Equal("application/pdf", completed.Data.GetProperty("content_type").GetString());
        var shown = await user.GetDirectMediaAsync(completed.MediaId);
        Assert.Equal(3, shown.Data.GetProperty("page_count").GetInt32());
        var pdf = await (await app.FetchAsync(shown.Data.GetProperty("url").GetString()!)).Content.ReadAsByteArrayAsync();
        Assert.Equal(File.ReadAllBytes(Fixtures.Path("document.pdf")), pdf);
        var thumbnail = await app.StoredFileAsync(shown.Data.GetProperty("thumbnail_url").GetString()!);
        var (width, height) = Tools.ImageSize(thumbnail);
        Assert.Equal(640, Math.Max(width, height));
    }

    [Fact]
    public async Task A_pdf_with_a_giant_page_gets_a_bounded_thumbnail_and_a_broken_pdf_fails_verification()
    {
        var user = await app.NewDirectUserAsync();
        var giant = await user.SettleAsync(await user.UploadDirectAsync(Fixtures.Path("giant-page.pdf"), "application/pdf"), byJob: false);
        Assert.Equal("ready", giant.MediaStatus);
        var shown = await user.GetDirectMediaAsync(giant.MediaId);
        var (width, height) = Tools.ImageSize(await app.StoredFileAsync(shown.Data.GetProperty("thumbnail_url").GetString()!));
        Assert.True(width <= 640 && height <= 640, $"{width}x{height}");

        var broken = await user.UploadDirectAsync(Fixtures.Path("broken.pdf"), "application/pdf");
        Assert.Contains("PDF", await user.VerificationFailureAsync(broken, byJob: false));
    }

    [Fact]
    public async Task Complete_twice_gives_the_same_answer()
    {
        var user = await app.NewDirectUserAsync();
        var first = await user.UploadDirectAsync(Fixtures.Path("600x400.png"), "image/png");
        var second = await user.CompleteAsync(first.MediaId);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal(first.Data.ToString(), second.Data.ToString());
    }

    [Fact]
    public async Task Concurrent_completes_of_one_upload_process_it_once()
    {
        var user = await app.NewDirectUserAsync();
        var path = Fixtures.Path("photo-12mp-exif6.jpg");
        var declared = await user.DeclareFileAsync(path, "image/jpeg");
        Assert.Equal(HttpStatusCode.OK, (await user.PutFileAsync(declared.Data.GetProperty("upload_url").GetString()!, path, "image/jpeg")).StatusCode);

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => user.CompleteAsync(declared.MediaId)));
        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer.Status));
        Assert.All(answers, answer => Assert.Contains(answer.MediaStatus, new[] { "processing", "ready" }));
        Assert.Contains(answers, answer => answer.MediaStatus == "ready");
        Assert.Equal("ready", (await user.GetDirectMediaAsync(declared.MediaId)).MediaStatus);
        await using var connection = await app.Database.OpenAsync();
        Assert.Equal(1L, await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection,
            "SELECT COUNT(*) FROM media_attachments WHERE direct_id = @id", new { id = declared.MediaId }));
    }

    [Fact]
    public async Task Complete_before_any_bytes_arrived_is_upload_not_ready()
    {
        var user = await app.NewDirectUserAsync();
        var declared = await user.DeclareFileAsync(Fixtures.Path("600x400.jpg"), "image/jpeg");
        var answer = await user.CompleteAsync(declared.MediaId);
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("upload_not_ready", answer.ErrorCode);

        // Still pending: the upload can go ahead.
        var put = await user.PutFileAsync(declared.Data.GetProperty("upload_url").GetString()!, Fixtures.Path("600x400.jpg"), "image/jpeg");
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("ready", (await user.CompleteAsync(declared.MediaId)).MediaStatus);
    }

    [Fact]
    public async Task A_png_declared_as_mp4_fails_verification_and_stays_failed()
    {
        var user = await app.NewDirectUserAsync();
        var answer = await user.UploadDirectAsync(Fixtures.Path("600x400.png"), "video/mp4");
        Assert.Contains("image/png", await user.VerificationFailureAsync(answer, byJob: false));

        var declaredId = (await user.Client.GetFromJsonAsync<JsonElement>("/v1/media?status=failed")).GetProperty("data")
            .GetProperty("items")[0].GetProperty("media_id").GetString()!;
        var shown = await user.GetDirectMediaAsync(declaredId);
        Assert.Equal("failed", shown.MediaStatus);
        Assert.Equal(JsonValueKind.Null, shown.Data.GetProperty("url").ValueKind);
        Assert.False(await app.HoldsDirectUploadAsync(declaredId));
    }

    [Fact]
    public async Task A_checksum_that_does_not_match_fails_verification_and_a_matching_one_passes()
    {
        var user = await app.NewDirectUserAsync();
        var path = Fixtures.Path("600x400.jpg");
        var wrong = Convert.ToHexStringLower(SHA256.HashData("something else"u8));
        var declared = await user.DeclareFileAsync(path, "image/jpeg", wrong);
        await user.PutFileAsync(declared.Data.GetProperty("upload_url").GetString()!, path, "image/jpeg");
        var answer = await user.CompleteAsync(declared.MediaId);
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("verification_failed", answer.ErrorCode);
        Assert.Contains("SHA-256", answer.ErrorMessage);

        var right = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
        var good = await user.DeclareFileAsync(path, "image/jpeg", right.ToUpperInvariant());
        await user.PutFileAsync(good.Data.GetProperty("upload_url").GetString()!, path, "image/jpeg");
        Assert.Equal("ready", (await user.CompleteAsync(good.MediaId)).MediaStatus);
    }

    [Fact]
    public async Task A_broken_upload_may_be_retried_on_the_same_url_and_the_last_body_wins()
    {
        var user = await app.NewDirectUserAsync();
        var path = Fixtures.Path("600x400.jpg");
        var declared = await user.DeclareFileAsync(path, "image/jpeg");
        var url = declared.Data.GetProperty("upload_url").GetString()!;
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(HttpStatusCode.OK, (await user.PutBytesAsync(url, new ByteArrayContent(bytes[..(bytes.Length / 2)]), "image/jpeg")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await user.PutFileAsync(url, path, "image/jpeg")).StatusCode);
        var completed = await user.CompleteAsync(declared.MediaId);
        Assert.Equal("ready", completed.MediaStatus);
        Assert.Equal(600, completed.Data.GetProperty("width").GetInt32());
    }

    [Fact]
    public async Task A_body_shorter_than_declared_fails_verification()
    {
        var user = await app.NewDirectUserAsync();
        var path = Fixtures.Path("600x400.jpg");
        var declared = await user.DeclareAsync(new { filename = "a.jpg", content_type = "image/jpeg", size = new FileInfo(path).Length + 10 });
        await user.PutFileAsync(declared.Data.GetProperty("upload_url").GetString()!, path, "image/jpeg");
        var answer = await user.CompleteAsync(declared.MediaId);
        Assert.Equal("verification_failed", answer.ErrorCode);
        Assert.Contains("bytes", answer.ErrorMessage);
    }
}
