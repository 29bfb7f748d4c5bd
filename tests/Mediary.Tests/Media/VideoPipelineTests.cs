using System.Net;
using System.Text;
using System.Text.Json;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Media;

/// <summary>Video, audio and animated GIF uploads through the real server, checked with ffprobe on the stored files.</summary>
public sealed class VideoPipelineTests(MediaryApp app) : IClassFixture<MediaryApp>
{
    private static JsonElement Probe(string path) =>
        JsonDocument.Parse(Tools.MustRun("ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", path)).RootElement;

    /// <summary>A digest of the video stream's bytes, as stored (no decoding).</summary>
    private static string VideoMd5(string path) =>
        Tools.MustRun("ffmpeg", "-v", "error", "-i", path, "-map", "0:v", "-c", "copy", "-f", "md5", "-").Trim();

    private static IEnumerable<string?> Codecs(JsonElement probe, string kind) =>
        probe.GetProperty("streams").EnumerateArray().Where(s => s.GetProperty("codec_type").GetString() == kind).Select(s => s.GetProperty("codec_name").GetString());

    [Fact]
    public async Task A_webm_with_sound_answers_202_then_206_then_200_as_an_h264_aac_mp4_video()
    {
        var user = await app.NewUserAsync();
        var accepted = await user.UploadAsync(Fixtures.Path("webm-with-audio.webm"));
        Assert.Equal(HttpStatusCode.Accepted, accepted.Status);
        Assert.Equal(JsonValueKind.Null, accepted.Json.GetProperty("url").ValueKind);
        Assert.EndsWith(".png", accepted.PreviewUrl);
        Assert.Equal("video", accepted.Json.GetProperty("type").GetString());
        Assert.Equal(36, accepted.Json.GetProperty("blurhash").GetString()!.Length);

        var done = await user.WaitUntilProcessedAsync(accepted.Id);
        Assert.Equal(HttpStatusCode.OK, done.Status);
        Assert.EndsWith(".mp4", done.Url);
        var original = done.Meta.GetProperty("original");
        Assert.Equal(["width", "height", "frame_rate", "duration", "bitrate"], original.EnumerateObject().Select(p => p.Name));
        Assert.Equal(320, original.GetProperty("width").GetInt32());
        Assert.Equal(240, original.GetProperty("height").GetInt32());
        Assert.Equal("30/1", original.GetProperty("frame_rate").GetString());
        Assert.InRange(original.GetProperty("duration").GetDouble(), 0.9, 1.2);
        Assert.True(original.GetProperty("bitrate").GetInt64() > 0);

        var stored = Probe(await app.StoredFileAsync(done.Url));
        Assert.Equal(["h264"], Codecs(stored, "video"));
        Assert.Equal(["aac"], Codecs(stored, "audio"));
        var response = await app.FetchAsync(done.Url);
        Assert.Equal("video/mp4", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task A_video_without_sound_is_a_gifv()
    {
        var user = await app.NewUserAsync();
        var done = await user.UploadAsync(Fixtures.Path("silent.mp4"), "v1");
        Assert.Equal(HttpStatusCode.OK, done.Status);
        Assert.Equal("gifv", done.Json.GetProperty("type").GetString());
        var stored = Probe(await app.StoredFileAsync(done.Url));
        Assert.Equal(["h264"], Codecs(stored, "video"));
        Assert.Empty(Codecs(stored, "audio"));
        // The fixture is yuv444p, not passthrough-eligible: re-encoded to yuv420p.
        Assert.Equal("yuv420p", stored.GetProperty("streams")[0].GetProperty("pix_fmt").GetString());
    }

    [Fact]
    public async Task An_h264_aac_mp4_is_passed_through_with_its_video_stream_bytes_unchanged()
    {
        var source = Fixtures.Path("h264-aac.mp4");
        var user = await app.NewUserAsync();
        var done = await user.UploadAsync(source, "v1");
        Assert.Equal(HttpStatusCode.OK, done.Status);
        Assert.Equal("video", done.Json.GetProperty("type").GetString());
        Assert.Equal(VideoMd5(source), VideoMd5(await app.StoredFileAsync(done.Url)));
    }

    [Fact]
    public async Task A_quicktime_movie_is_always_transcoded()
    {
        var source = Fixtures.Path("quicktime.mov");
        var user = await app.NewUserAsync();
        var done = await user.UploadAsync(source, "v1");
        Assert.Equal(HttpStatusCode.OK, done.Status);
        var stored = await app.StoredFileAsync(done.Url);
        Assert.EndsWith(".mp4", stored);
        Assert.NotEqual(VideoMd5(source), VideoMd5(stored));
        Assert.Contains("mp4", Probe(stored).GetProperty("format").GetProperty("format_name").GetString());
    }

    [Fact]
    public async Task A_rotated_phone_video_reports_its_displayed_size()
    {
        var user = await app.NewUserAsync();
        var done = await user.UploadAsync(Fixtures.Path("rotated-90.mp4"), "v1");
        Assert.Contains("\"original\":{\"width\":240,\"height\":320", done.Body);
        Assert.Contains("\"small\":{\"width\":240,\"height\":320", done.Body);
    }

    [Fact]
    public async Task An_animated_gif_becomes_a_gifv_mp4_202_on_v2_and_200_on_v1()
    {
        var user = await app.NewUserAsync();
        var accepted = await user.UploadAsync(Fixtures.Path("animated.gif"));
        Assert.Equal(HttpStatusCode.Accepted, accepted.Status);
        Assert.Equal("gifv", accepted.Json.GetProperty("type").GetString());
        var done = await user.WaitUntilProcessedAsync(accepted.Id);
        Assert.EndsWith(".mp4", done.Url);
        Assert.Contains("\"original\":{\"width\":128,\"height\":128", done.Body);

        var v1 = await user.UploadAsync(Fixtures.Path("animated.gif"), "v1");
        Assert.Equal(HttpStatusCode.OK, v1.Status);
        Assert.Equal(["h264"], Codecs(Probe(await app.StoredFileAsync(v1.Url)), "video"));
    }

    [Theory]
    [InlineData("audio-only.ogg")]
    [InlineData("audio.mp3")]
    [InlineData("audio-only.webm")]
    public async Task Audio_becomes_mp3_with_duration_and_bitrate(string fixture)
    {
        var user = await app.NewUserAsync();
        var accepted = await user.UploadAsync(Fixtures.Path(fixture));
        Assert.Equal(HttpStatusCode.Accepted, accepted.Status);
        Assert.Equal("audio", accepted.Json.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, accepted.Json.GetProperty("preview_url").ValueKind);

        var done = await user.WaitUntilProcessedAsync(accepted.Id);
        Assert.EndsWith(".mp3", done.Url);
        Assert.Equal(["mp3"], Codecs(Probe(await app.StoredFileAsync(done.Url)), "audio"));
        var original = done.Meta.GetProperty("original");
        Assert.Equal(["duration", "bitrate"], original.EnumerateObject().Select(p => p.Name));
        Assert.InRange(original.GetProperty("duration").GetDouble(), 0.9, 1.2);
    }

    [Fact]
    public async Task Cover_art_becomes_the_preview_with_blurhash_and_colors()
    {
        var user = await app.NewUserAsync();
        var done = await user.UploadAsync(Fixtures.Path("audio-cover.mp3"), "v1");
        Assert.Equal(HttpStatusCode.OK, done.Status);
        Assert.Contains("/thumbnails/", done.PreviewUrl);
        Assert.Equal(36, done.Json.GetProperty("blurhash").GetString()!.Length);
        var colors = done.Meta.GetProperty("colors");
        Assert.Equal(["background", "foreground", "accent"], colors.EnumerateObject().Select(p => p.Name));
        // The fixture's cover is #268cd9 with a white square: the edge frame is all blue.
        Assert.Equal("#268cd9", colors.GetProperty("background").GetString());
        Assert.Equal(HttpStatusCode.OK, (await app.FetchAsync(done.PreviewUrl)).StatusCode);
    }

    [Fact]
    public async Task Mastodons_boop_ogg_gives_Mastodons_background_colour_and_duration()
    {
        var user = await app.NewUserAsync();
        var done = await user.UploadAsync(Fixtures.Mastodon("boop.ogg"), "v1");
        Assert.Equal(HttpStatusCode.OK, done.Status);
        Assert.Equal("audio", done.Json.GetProperty("type").GetString());
        Assert.Equal("#268cd9", done.Meta.GetProperty("colors").GetProperty("background").GetString());
        Assert.InRange(done.Meta.GetProperty("original").GetProperty("duration").GetDouble(), 0.185, 0.285);
    }

    [Fact]
    public async Task Mastodons_attachment_webm_is_a_gifv_with_a_640x360_small_at_once()
    {
        var user = await app.NewUserAsync();
        var accepted = await user.UploadAsync(Fixtures.Mastodon("attachment.webm"));
        Assert.Equal(HttpStatusCode.Accepted, accepted.Status);
        Assert.Equal("gifv", accepted.Json.GetProperty("type").GetString());
        Assert.Contains("\"small\":{\"width\":640,\"height\":360", accepted.Body);
        Assert.Contains("\"frame_rate\":\"30000/1001\"", accepted.Body);
        Assert.Equal((640, 360), Tools.ImageSize(await app.StoredFileAsync(accepted.PreviewUrl)));
    }

    [Fact]
    public async Task A_custom_thumbnail_is_taken_for_video_and_refused_for_images_and_gifv()
    {
        var user = await app.NewUserAsync();
        var thumbnail = Fixtures.Path("600x400.png");
        using (var form = Uploads.Form(Fixtures.Path("webm-with-audio.webm")))
        {
            var file = new StreamContent(File.OpenRead(thumbnail));
            form.Add(file, "thumbnail", "thumb.png");
            var accepted = await Answer.FromAsync(await user.Client.PostAsync("/api/v2/media", form));
            Assert.Equal(HttpStatusCode.Accepted, accepted.Status);
            Assert.Contains("/thumbnails/", accepted.PreviewUrl);
            Assert.Contains("\"small\":{\"width\":588,\"height\":392", accepted.Body);
            Assert.True(accepted.Meta.TryGetProperty("colors", out _));
            var done = await user.WaitUntilProcessedAsync(accepted.Id);
            Assert.Equal(accepted.PreviewUrl, done.PreviewUrl);
        }

        foreach (var media in new[] { "600x400.jpg", "silent.mp4" })
        {
            using var form = Uploads.Form(Fixtures.Path(media));
            form.Add(new StreamContent(File.OpenRead(thumbnail)), "thumbnail", "thumb.png");
            var refused = await Answer.FromAsync(await user.Client.PostAsync("/api/v2/media", form));
            refused.AssertError(HttpStatusCode.UnprocessableEntity, "Validation failed: Thumbnail must be blank");
        }

        // Added later with PUT.
        var video = await user.UploadAsync(Fixtures.Path("h264-aac.mp4"), "v1");
        using var update = new MultipartFormDataContent { { new StreamContent(File.OpenRead(Fixtures.Path("600x400.jpg"))), "thumbnail", "t.jpg" } };
        var updated = await Answer.FromAsync(await user.Client.PutAsync($"/api/v1/media/{video.Id}", update));
        Assert.Equal(HttpStatusCode.OK, updated.Status);
        Assert.Contains("/thumbnails/", updated.PreviewUrl);
        Assert.NotEqual(video.Json.GetProperty("blurhash").GetString(), updated.Json.GetProperty("blurhash").GetString());
    }

    [Fact]
    public async Task A_playlist_disguised_as_mp4_is_refused_and_nothing_of_etc_passwd_is_stored()
    {
        var user = await app.NewUserAsync();
        foreach (var version in new[] { "v1", "v2" })
        {
            var answer = await user.UploadAsync(Fixtures.Path("playlist-as.mp4"), version);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        }
        var passwdLine = File.ReadLines("/etc/passwd").First();
        foreach (var file in Directory.EnumerateFiles(app.DataDirectory, "*", SearchOption.AllDirectories).Where(f => !f.Contains("mediary.db") && !f.EndsWith(".lock")))
        {
            Assert.DoesNotContain(passwdLine, Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file)));
        }
    }

    [Fact]
    public async Task Too_high_a_frame_rate_and_too_many_pixels_are_refused_with_Mastodons_strings()
    {
        var user = await app.NewUserAsync();
        var fps = await user.UploadAsync(Fixtures.Path("fps-240.mp4"));
        fps.AssertError(HttpStatusCode.UnprocessableEntity, "240fps videos are not supported");

        var pixels = await user.UploadAsync(Fixtures.Path("too-many-pixels.mp4"));
        pixels.AssertError(HttpStatusCode.UnprocessableEntity, "4096x2048 videos are not supported");
    }

    [Fact]
    public async Task A_truncated_video_is_refused_with_the_processing_error_never_a_500()
    {
        var user = await app.NewUserAsync();
        var answer = await user.UploadAsync(Fixtures.Path("truncated.mp4"));
        answer.AssertError(HttpStatusCode.UnprocessableEntity, "Error processing thumbnail for uploaded media");
        // Neither the upload nor its first frame is left behind. (Jobs of other tests in this class
        // may still be writing their .mp4 outputs there.)
        var temp = Path.Combine(app.DataDirectory, "tmp");
        Assert.Empty(Directory.GetFiles(temp, "*.upload").Concat(Directory.GetFiles(temp, "*.png")));
    }

    [Fact]
    public async Task Deleting_a_processed_video_removes_every_file()
    {
        var user = await app.NewUserAsync();
        var done = await user.UploadAsync(Fixtures.Path("webm-with-audio.webm"), "v1");
        Assert.Equal(HttpStatusCode.OK, (await user.Client.DeleteAsync($"/api/v1/media/{done.Id}")).StatusCode);
        Assert.False(await app.IsStoredAsync(done.Url));
        Assert.False(await app.IsStoredAsync(done.PreviewUrl));
        // The job removes the source just after the media reads as processed.
        Assert.True(await Polling.UntilAsync(async () => (await app.StoredKeysAsync("pending/")).Count == 0, TimeSpan.FromSeconds(30)),
            string.Join(", ", await app.StoredKeysAsync("pending/")));
    }

    [Fact]
    public async Task Edits_made_while_a_video_is_processing_survive_its_completion()
    {
        var user = await app.NewUserAsync();
        var accepted = await user.UploadAsync(LongVideo.Path720p);
        Assert.Equal(HttpStatusCode.Accepted, accepted.Status);
        var edited = await Answer.FromAsync(await user.Client.PutAsync($"/api/v1/media/{accepted.Id}",
            new FormUrlEncodedContent([new("description", "edited mid-way"), new("focus", "0.25,-0.5")])));
        Assert.Equal(HttpStatusCode.PartialContent, edited.Status);

        var done = await user.WaitUntilProcessedAsync(accepted.Id, TimeSpan.FromMinutes(3));
        Assert.Equal(HttpStatusCode.OK, done.Status);
        Assert.Equal("edited mid-way", done.Json.GetProperty("description").GetString());
        Assert.Contains("\"focus\":{\"x\":0.25,\"y\":-0.5}", done.Body);
        Assert.Contains("\"original\":{\"width\":1280,\"height\":720", done.Body);
    }

    [Fact]
    public async Task An_mp4_with_only_sound_is_a_video_without_a_video_stream()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory().FullName, "sound-only.mp4");
        Tools.MustRun("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac", "-f", "mp4", "-y", path);
        var user = await app.NewUserAsync();
        var answer = await user.UploadAsync(path);
        answer.AssertError(HttpStatusCode.UnprocessableEntity, "Video has no video stream");
    }

    [Fact]
    public async Task The_instance_advertises_every_type_it_now_accepts()
    {
        var instance = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/api/v2/instance")).RootElement;
        var types = instance.GetProperty("configuration").GetProperty("media_attachments").GetProperty("supported_mime_types")
            .EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal(28, types.Count);
        Assert.Equal(["image/jpeg", "image/png", "image/gif"], types.Take(3));
        Assert.Contains("video/quicktime", types);
        Assert.Contains("audio/mpeg", types);
        Assert.Equal("video/x-ms-asf", types[^1]);
    }
}
