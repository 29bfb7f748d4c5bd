using System.Text;
using Mediary.Processing;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Processing;

/// <summary>What <see cref="GifSanitizer"/> keeps of a GIF, read back as a person checking it would: exiftool, vips, ffmpeg, a byte search.</summary>
public sealed class GifSanitizerTests
{
    [Fact]
    public void An_animated_gif_keeps_its_loop_count_and_frame_delays_and_loses_its_private_extension_and_its_oversized_screen()
    {
        var clean = Sanitize(File.ReadAllBytes(Fixtures.Path("animated-huge-screen.gif")));

        var tags = ExifTags(clean);
        Assert.Equal("5", tags["AnimationIterations"]);
        Assert.Equal("3", tags["FrameCount"]);
        Assert.Equal("1.00 s", tags["Duration"]); // 0.1 + 0.3 + 0.6
        Assert.Equal(("64", "48"), (tags["ImageWidth"], tags["ImageHeight"]));
        AssertAbsent(clean, "MGKIPTC0000", "Fixture Person Name", "48.8584");
    }

    [Fact]
    public void A_frame_far_inside_a_huge_screen_is_moved_to_the_corner_of_a_screen_its_own_size()
    {
        var gif = new GifBytes(65535, 65535).Frame(30000, 40000, 2, 3, colour: 1).End();
        var clean = Sanitize(gif);

        Assert.Equal((2, 3), Tools.ImageSize(clean));
        Assert.Equal(("2", "3"), (ExifTags(clean)["ImageWidth"], ExifTags(clean)["ImageHeight"]));
        Assert.Equal("0 255 0", Tools.MustRun("vips", "getpoint", clean, "1", "2").Trim()); // green, colour 1
    }

    [Fact]
    public void Bytes_after_a_frames_end_code_and_after_the_trailer_are_cut_and_the_pixels_stay()
    {
        var gif = new GifBytes(4, 4).Frame(0, 0, 4, 4, colour: 2, hiddenAfterEnd: "SECRET-IN-THE-DATA"u8.ToArray())
            .End(afterTrailer: "SECRET-AFTER-THE-END"u8.ToArray());
        var clean = Sanitize(gif);

        AssertAbsent(clean, "SECRET");
        Assert.Equal("0 0 255", Tools.MustRun("vips", "getpoint", clean, "3", "3").Trim());
    }

    [Fact]
    public void A_frame_outside_the_screen_becomes_a_transparent_frame_with_its_delay()
    {
        var gif = new GifBytes(10, 10).Loop(0)
            .Frame(0, 0, 10, 10, colour: 0, delay: 10)
            .Frame(50, 50, 5, 5, colour: 1, delay: 40)
            .Frame(0, 0, 5, 5, colour: 2, delay: 50)
            .End();
        var original = Write(gif);
        // ffmpeg gives up on such a frame, which would cost the video its timing.
        Assert.Contains("Invalid left position", Tools.Run("ffmpeg", ["-v", "error", "-i", original, "-f", "null", "-"]).Stderr);

        var clean = Sanitize(gif);
        var tags = ExifTags(clean);
        Assert.Equal(("3", "1.00 s"), (tags["FrameCount"], tags["Duration"]));
        Assert.Equal((10, 10), Tools.ImageSize(clean));
        var decoded = Tools.Run("ffmpeg", ["-v", "error", "-i", clean, "-pix_fmt", "rgb24", "-f", "framemd5", "-"]);
        Assert.Equal("", decoded.Stderr);
        var frames = decoded.Stdout.Split('\n').Where(line => line.Length > 0 && line[0] != '#').Select(line => line.Split(',')[^1].Trim()).ToList();
        // Shown for 0.1 s, then the same picture for 0.4 s, then the blue corner.
        Assert.Equal(3, frames.Count);
        Assert.Equal(frames[0], frames[1]);
        Assert.NotEqual(frames[1], frames[2]);
    }

    [Fact]
    public void A_screen_of_0x0_grows_to_hold_its_first_frame()
    {
        var gif = new GifBytes(0, 0).Frame(0, 0, 8, 6, colour: 0).End();
        Assert.NotEqual(0, Tools.Run("ffmpeg", ["-v", "error", "-i", Write(gif), "-f", "null", "-"]).ExitCode);

        var clean = Sanitize(gif);
        Assert.Equal((8, 6), Tools.ImageSize(clean));
        Assert.Equal(0, Tools.Run("ffmpeg", ["-v", "error", "-i", clean, "-f", "null", "-"]).ExitCode);
    }

    [Fact]
    public void A_gif_with_nothing_visible_is_invalid() =>
        Assert.Throws<InvalidDataException>(() => GifSanitizer.Copy(new MemoryStream(new GifBytes(10, 10).Frame(0, 0, 0, 0, colour: 0).End()), new MemoryStream()));

    private static string Sanitize(byte[] gif)
    {
        var path = Write([]);
        using (var output = File.Create(path)) GifSanitizer.Copy(new MemoryStream(gif), output);
        return path;
    }

    private static string Write(byte[] bytes)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("mediary-gif").FullName, "test.gif");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>exiftool's tags by name ("FrameCount" → "3").</summary>
    private static Dictionary<string, string> ExifTags(string path) =>
        Tools.MustRun("exiftool", "-s", path).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(':', 2))
            .ToDictionary(parts => parts[0].Trim(), parts => parts[1].Trim());

    private static void AssertAbsent(string path, params string[] texts)
    {
        var bytes = Encoding.Latin1.GetString(File.ReadAllBytes(path));
        foreach (var text in texts) Assert.DoesNotContain(text, bytes);
    }
}
