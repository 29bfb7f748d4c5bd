using System.Buffers.Binary;
using System.Net;
using System.Text;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Mastodon;

/// <summary>GIF uploads are stored rewritten: nothing private left, a screen the size of the frames, Mastodon's meta for it.</summary>
public sealed class CleanGifTests(MediaryApp app) : IClassFixture<MediaryApp>
{
    private static readonly string[] Private =
        ["MGKIPTC0000", "MGK8BIM0000", "XMP", "Fixture Person Name", "48.8584", "HIDDEN-AFTER-END-CODE", "HIDDEN-AFTER-TRAILER"];

    [Fact]
    public async Task A_static_gif_with_imagemagick_extensions_is_served_without_anything_private_and_with_the_same_pixels()
    {
        var source = Fixtures.Path("gif-private-extensions.gif");
        Assert.Contains("GPSLatitude", Tools.ExifDump(source));

        var user = await app.NewUserAsync();
        var answer = await user.UploadAsync(source);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.EndsWith(".gif", answer.Url);
        Assert.Contains("\"original\":{\"width\":320,\"height\":240,\"size\":\"320x240\",\"aspect\":1.3333333333333333}", answer.Body);

        var served = await ServedAsync(answer.Url);
        var bytes = Encoding.Latin1.GetString(await File.ReadAllBytesAsync(served));
        foreach (var text in Private) Assert.DoesNotContain(text, bytes);
        var tags = Tools.ExifDump(served);
        foreach (var text in new[] { "GPS", "Creator", "Fixture", "Text", "Comment", "XMP" }) Assert.DoesNotContain(text, tags);
        Assert.Equal(Tools.MustRun("vips", "avg", source), Tools.MustRun("vips", "avg", served));
    }

    [Fact]
    public async Task A_1x1_frame_in_a_65535x65535_screen_is_served_declaring_1x1_with_meta_1x1()
    {
        var user = await app.NewUserAsync();
        var answer = await user.UploadAsync(Fixtures.Path("gif-huge-screen.gif"));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Contains("\"original\":{\"width\":1,\"height\":1,\"size\":\"1x1\",\"aspect\":1.0}", answer.Body);

        var header = (await File.ReadAllBytesAsync(await ServedAsync(answer.Url)))[..10];
        Assert.Equal("GIF89a", Encoding.ASCII.GetString(header, 0, 6));
        Assert.Equal((1, 1), (BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(6)), BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(8))));
    }

    [Fact]
    public async Task An_animation_in_a_65535x65535_screen_becomes_a_gifv_of_its_frames_size_with_its_frame_delays()
    {
        var user = await app.NewUserAsync();
        var accepted = await user.UploadAsync(Fixtures.Path("animated-huge-screen.gif"));
        Assert.Equal(HttpStatusCode.Accepted, accepted.Status);
        Assert.Contains("\"original\":{\"width\":64,\"height\":48", accepted.Body);

        var done = await user.WaitUntilProcessedAsync(accepted.Id);
        Assert.Equal(HttpStatusCode.OK, done.Status);
        Assert.EndsWith(".mp4", done.Url);
        var original = done.Meta.GetProperty("original");
        Assert.Equal((64, 48), (original.GetProperty("width").GetInt32(), original.GetProperty("height").GetInt32()));
        // The frames start at 0, 0.1 and 0.4 s (at 0.1 s each it would be 0.3 s). ffmpeg's filter
        // graph ends the video one frame period after the last one starts, as on Mastodon.
        Assert.InRange(original.GetProperty("duration").GetDouble(), 0.55, 1.05);
        Assert.Equal((64, 48), Tools.ImageSize(await FirstFrameAsync(done.Url)));
    }

    [Fact]
    public async Task Mastodons_animated_avatar_keeps_its_128x128()
    {
        var avatar = Fixtures.Mastodon("avatar.gif");
        var user = await app.NewUserAsync();
        var done = await user.UploadAsync(avatar, "v1");
        Assert.Equal(HttpStatusCode.OK, done.Status);
        Assert.Equal("gifv", done.Json.GetProperty("type").GetString());
        Assert.Contains("\"original\":{\"width\":128,\"height\":128", done.Body);
    }

    /// <summary>The file as a browser gets it from its URL.</summary>
    private async Task<string> ServedAsync(string url)
    {
        var response = await app.FetchAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var path = Path.Combine(Directory.CreateTempSubdirectory("mediary-served").FullName, Path.GetFileName(new Uri(url).AbsolutePath));
        await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());
        return path;
    }

    private async Task<string> FirstFrameAsync(string url)
    {
        var frame = Path.Combine(Directory.CreateTempSubdirectory("mediary-frame").FullName, "frame.png");
        Tools.MustRun("ffmpeg", "-v", "error", "-i", await app.StoredFileAsync(url), "-frames:v", "1", "-y", frame);
        return frame;
    }
}
