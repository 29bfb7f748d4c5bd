using System.Net;
using Mediary.Media;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Media;

/// <summary>
/// An animated GIF costs its frames times its screen to transcode, however little each frame
/// changes: one past Media:AnimationMaxFrames (3,000) or Media:AnimationMaxPixels (500 million
/// over all frames) is refused at upload, before any job is queued.
/// </summary>
public sealed class AnimationBoundsTests(MediaryApp app) : IClassFixture<MediaryApp>
{
    [Theory]
    [InlineData(1, 921_600, false)]
    [InlineData(3_000, 100, false)]
    [InlineData(3_001, 100, true)]
    [InlineData(542, 921_600, false)]
    [InlineData(543, 921_600, true)]
    public void The_bounds(int frames, long screenPixels, bool refused) =>
        Assert.Equal(refused, UploadRules.AnimationTooCostly(frames, screenPixels, 3_000, 500_000_000));

    [Fact]
    public async Task Eight_thousand_one_pixel_frames_on_a_960_square_screen_are_refused_at_once()
    {
        using var scratch = new ScratchDirectory("animation-bounds");
        var user = await app.NewUserAsync();
        var gif = OnePixelFrames.Write(scratch.PathOf("frames-8000.gif"), 960, 960, 8_000);

        var answer = await user.UploadAsync(gif);

        answer.AssertError(HttpStatusCode.UnprocessableEntity, "Validation failed: File content type is invalid, File is invalid");
    }

    [Fact]
    public async Task Six_hundred_frames_on_a_small_screen_become_a_gifv()
    {
        using var scratch = new ScratchDirectory("animation-bounds");
        var user = await app.NewUserAsync();
        var gif = OnePixelFrames.Write(scratch.PathOf("frames-600.gif"), 100, 100, 600);

        var accepted = await user.UploadAsync(gif);
        Assert.Equal(HttpStatusCode.Accepted, accepted.Status);
        var done = await user.WaitUntilProcessedAsync(accepted.Id);

        Assert.Equal(HttpStatusCode.OK, done.Status);
        Assert.Equal("gifv", done.Json.GetProperty("type").GetString());
        Assert.Equal(100, done.Meta.GetProperty("original").GetProperty("width").GetInt32());
    }
}
