using Mediary.Processing;

namespace Mediary.Tests.Processing;

/// <summary>
/// The transcode's bitrate stays within what libx264 accepts: Mastodon's formula, never below
/// 64 kb/s (tiny frames and long videos would give libx264 0 kb/s or a negative number).
/// </summary>
public sealed class VideoBitrateTests
{
    private const long VideoLimit = 99L * 1024 * 1024;

    [Fact]
    public void A_three_hour_video_gets_a_positive_bitrate_within_the_bounds()
    {
        // Mastodon's budget: floor(99 MB · 8 / 10800 s) − 192000 = −115,106 b/s.
        var arguments = FfmpegCommands.Transcode("/in/long.mp4", "/out/x.mp4", Video(1920, 1080, duration: 3 * 3600), VideoLimit);

        var bitrate = long.Parse(After(arguments, "-b:v"));
        Assert.InRange(bitrate, 64_000, 1920 * 1080 * 30 * 0.11);
        Assert.Equal(64_000, bitrate);
        Assert.Equal(bitrate + 192_000, long.Parse(After(arguments, "-maxrate")));
        Assert.Equal(bitrate * 5, long.Parse(After(arguments, "-bufsize")));
    }

    [Theory]
    [InlineData(16, 16)] // Mastodon: 844 b/s, which libx264 reads as 0 kb/s
    [InlineData(17, 17)]
    [InlineData(1, 64)]
    public void A_tiny_animation_gets_the_floor(int width, int height) =>
        Assert.Equal("64000", After(FfmpegCommands.Transcode("/in/a.gif", "/out/a.mp4", Video(width, height, duration: 0.5), VideoLimit), "-b:v"));

    [Theory]
    [InlineData(1, 64, "scale=2:ih:flags=neighbor,setsar=1,crop=floor(iw/2)*2:floor(ih/2)*2")]
    [InlineData(64, 1, "scale=iw:2:flags=neighbor,setsar=1,crop=floor(iw/2)*2:floor(ih/2)*2")]
    [InlineData(17, 17, "crop=floor(iw/2)*2:floor(ih/2)*2")]
    public void A_side_of_one_pixel_is_doubled_instead_of_cropped_to_nothing(int width, int height, string filter) =>
        Assert.Equal(filter, After(FfmpegCommands.Transcode("/in/a.gif", "/out/a.mp4", Video(width, height, duration: 0.5), VideoLimit), "-vf"));

    private static MediaProbe Video(int width, int height, double duration) => new()
    {
        FormatName = "gif",
        Duration = duration,
        Video = new ProbedVideoStream(0, "gif", "bgra", width, height, 0, "10/1", 10, 10),
    };

    private static string After(List<string> arguments, string option) => arguments[arguments.IndexOf(option) + 1];
}
