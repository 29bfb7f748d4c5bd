using Mediary.Processing;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Processing;

/// <summary>
/// Mastodon's <c>lib/paperclip/color_extractor.rb</c> (libvips path) with the <c>color_diff</c> gem. Facts the
/// derivations below use:
/// - a channel value v falls in bin (int)(v / 25.7) (libvips hist_find_ndim), whose colour is (bin + 0.5) × 25.6,
///   written truncated: bin 0 → 12.8 → 0c, 1 → 38.4 → 26, 2 → 64 → 40, 5 → 140.8 → 8c, 7 → 192 → c0,
///   8 → 217.6 → d9, 9 → 243.2 → f3;
/// - the palette always has 10 entries: with fewer populated bins, libvips max(size: 10) pads it with empty bins
///   (r 0, g 0, b 9 down to 1 when one bin is populated), colours #0c0cf3, #0c0cd9 ... #0c0c26, whose
///   luminance ranges from 0.0051 (#0c0c26) to 0.0685 (#0c0cf3);
/// - contrast = (Y1 + 0.05) / (Y2 + 0.05), lighter over darker.
/// </summary>
public sealed class ColorExtractorTests
{
    [Fact]
    public void Boop_cover_gives_Mastodons_colours()
    {
        var (rgb, width, height) = MastodonInput(Fixtures.Mastodon("boop.ogg"));
        var colors = ColorExtractor.Extract(rgb, width, height);

        // Mastodon's media_attachment_spec: "sets meta" for boop.ogg expects colors.background #268cd9.
        Assert.Equal("#268cd9", colors.Background);

        // Derived by hand from the palette libvips gives (bins, most populated first): 268cd9 (6507 px),
        // f3f3f3 (2904), 408cd9, c0d9f3, 73a6d9, 59a6d9, d9f3f3, 8cc0d9, a6c0f3, 8cc0f3.
        // Background Y = 0.2445. Contrast >= 2: f3f3f3 3.22, d9f3f3 3.07, c0d9f3 2.47; the others are under 2.
        // CIEDE2000 from the background: f3f3f3 36.6 > d9f3f3 34.8 > c0d9f3 24.9, so accent candidate f3f3f3,
        // foreground candidate (>= 3, not f3f3f3) d9f3f3. Foreground = higher contrast = f3f3f3;
        // accent = higher saturation = d9f3f3 (52 % against 0 %).
        Assert.Equal("#f3f3f3", colors.Foreground);
        Assert.Equal("#d9f3f3", colors.Accent);
    }

    [Fact]
    public void Uniform_image_background_is_its_bin_centre_with_bins_25_7_wide()
    {
        // (128, 77, 205) -> bins (4, 2, 7): 128 / 25.7 = 4.98 and 77 / 25.7 = 2.996 fall one bin below what
        // value * 10 / 256 gives (5 and 3). Centres 115.2, 64, 192 -> #7340c0, not #8c59d9.
        var colors = Extract(100, 100, (_, _) => (128, 77, 205));
        Assert.Equal("#7340c0", colors.Background);
    }

    [Fact]
    public void Uniform_white_image_takes_foreground_and_accent_from_the_empty_bins_libvips_pads_with()
    {
        // Palette: f3f3f3 then the empty bins #0c0cf3 ... #0c0c26. Against Y 0.898 all of those have
        // contrast >= 8, so all qualify. CIEDE2000 from f3f3f3 grows as they darken: 0c0cf3 63.1 ... 0c0c40 91.3,
        // 0c0c26 92.3. Accent candidate 0c0c26, foreground candidate (next farthest) 0c0c40.
        // Foreground = higher contrast: 0c0c26 (17.2 against 16.5). Accent = higher saturation: 0c0c40 (67 % against 50 %).
        var colors = Extract(100, 100, (_, _) => (250, 250, 250));
        Assert.Equal(new MediaColorsResult("#f3f3f3", "#0c0c26", "#0c0c40"), colors);
    }

    [Fact]
    public void Blue_frame_around_red_centre_takes_the_accent_from_the_red()
    {
        // 100×100: the edge frame (25 px each side) is exactly everything outside the 50×50 centre.
        // Frame (30, 30, 140) -> bins (1, 1, 5) -> background (38.4, 38.4, 140.8) #26268c, Y 0.0375.
        // Centre (230, 40, 40) -> bins (8, 1, 1) -> (217.6, 38.4, 38.4) #d92626, Y 0.167: contrast 2.45, so it is
        // an accent candidate (>= 2) but not a foreground one (< 3). The empty bins have contrast 1.36-1.59: none.
        // One candidate, so one generated colour: background HSL (240, 57, 35); 35 < 50 lightens by 35 to
        // HSL (240, 57, 70) = (135, 135, 222) #8787de, contrast 3.74.
        // Foreground = higher contrast = #8787de; accent = higher saturation = #d92626 (71 % against 57 %).
        var colors = Extract(100, 100, (x, y) => InCentre(x, y) ? (230, 40, 40) : (30, 30, 140));
        Assert.Equal(new MediaColorsResult("#26268c", "#8787de", "#d92626"), colors);
    }

    [Fact]
    public void Dark_image_without_contrasting_colours_falls_back_to_lightening_by_35_then_50()
    {
        // (60, 60, 60) -> bin 2 -> (64, 64, 64) #404040, Y 0.0513. Empty bins: contrast 1.17-1.84, all under 2.
        // No candidate, so two generated colours: HSL lightness 25 (< 50, lighten) + 35 = 60 -> 153 #999999,
        // then + 50 = 75 -> 191.25 -> 191 #bfbfbf. Foreground = higher contrast = #bfbfbf.
        // Accent = higher saturation: both 0 %, and Ruby's max_by keeps the first, #999999.
        var colors = Extract(100, 100, (_, _) => (60, 60, 60));
        Assert.Equal(new MediaColorsResult("#404040", "#bfbfbf", "#999999"), colors);
    }

    [Fact]
    public void Light_image_without_contrasting_colours_falls_back_to_darkening()
    {
        // A white frame around 12 light colours (channels 200, 220 or 250, so bins 7, 8, 9). With 13 populated
        // bins there are no empty ones in the palette, and none of these colours reaches contrast 2 against
        // f3f3f3 (the darkest, c0c0c0, gives 1.64). Lightness 95 (>= 50, darken) - 35 = 60 -> #999999,
        // - 50 = 45 -> 114.75 -> 115 #737373. Foreground = higher contrast = #737373; accent = first of equal 0 % = #999999.
        (int, int, int)[] light = [(200, 200, 200), (200, 200, 220), (200, 220, 200), (220, 200, 200), (200, 220, 220), (220, 200, 220),
            (220, 220, 200), (220, 220, 220), (250, 220, 220), (220, 250, 220), (220, 220, 250), (250, 250, 220)];
        var colors = Extract(100, 100, (x, y) => InCentre(x, y) ? light[(y * 100 + x) % light.Length] : (250, 250, 250));
        Assert.Equal(new MediaColorsResult("#f3f3f3", "#737373", "#999999"), colors);
    }

    [Fact]
    public void Side_strips_of_the_edge_frame_stop_at_three_quarters_of_a_height_not_divisible_by_4()
    {
        // 100×103: strips of 25 rows top (0-24) and bottom (78-102). The side crops are rows 25-77, but vips join
        // keeps only as many rows as the top+bottom image has (50), so rows 75-77 of the sides are left out.
        // Red: top 2500 + 50 px of row 78 = 2550. Green: sides rows 25-74 = 2500. Blue: rest of bottom 2450,
        // plus 150 px in the dropped rows. Mastodon: red wins. Counting rows 75-77 would make blue (2600) win.
        var colors = Extract(100, 103, (x, y) =>
            y < 25 || (y == 78 && x < 50) ? (250, 10, 10)
            : y >= 78 ? (10, 10, 250)
            : x is >= 25 and < 75 ? (128, 128, 128)
            : y < 75 ? (10, 250, 10) : (10, 10, 250));
        Assert.Equal("#f30c0c", colors.Background);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Equally_populated_bins_rank_later_scanned_first(bool swapped)
    {
        // Red (bin r9 g0 b0, histogram position x 90, y 0) and green (r0 g9 b0, x 0, y 9) take 3750 edge pixels
        // each. libvips max keeps equal values in scan order and Mastodon reverses the list, so the bin with the
        // higher g (then r, then b) comes first, wherever its pixels are: green.
        (int, int, int) red = (250, 10, 10), green = (10, 250, 10);
        if (swapped) (red, green) = (green, red);
        var colors = Extract(100, 100, (x, y) =>
            y < 25 || (y < 75 && x < 25) ? red
            : y >= 75 || x >= 75 ? green
            : (128, 128, 128));
        Assert.Equal("#0cf30c", colors.Background);
    }

    [Fact]
    public void Cie_distance_is_color_diffs_ciede2000()
    {
        // The values the color_diff gem documents for ColorDiff.between.
        Assert.Equal(11.584521223499245, Distance((255, 255, 0), (255, 215, 0)), 1e-12);
        Assert.Equal(52.87867414046132, Distance((0, 0, 255), (255, 0, 0)), 1e-12);

        // color_diff's spec: RGB (55, 100, 130) is "L40.473A-6.106B-21.417".
        var lab = ColorMath.ToLab(new Rgb(55, 100, 130));
        Assert.Equal((40.473, -6.106, -21.417), (Math.Round(lab.L, 3), Math.Round(lab.A, 3), Math.Round(lab.B, 3)));
    }

    [Fact]
    public void Noise_gives_a_bin_centre_background_and_lowercase_hex()
    {
        var noise = new byte[100 * 60 * 3];
        new Random(7).NextBytes(noise);
        var colors = ColorExtractor.Extract(noise, 100, 60);

        Assert.Matches("^#(0c|26|40|59|73|8c|a6|c0|d9|f3){3}$", colors.Background);
        Assert.Matches("^#[0-9a-f]{6}$", colors.Foreground);
        Assert.Matches("^#[0-9a-f]{6}$", colors.Accent);
    }

    [Theory]
    [InlineData(3, 100)]
    [InlineData(100, 3)]
    public void Images_too_small_for_an_edge_frame_are_refused(int width, int height) =>
        Assert.Throws<ArgumentException>(() => ColorExtractor.Extract(new byte[width * height * 3], width, height));

    private static bool InCentre(int x, int y) => x is >= 25 and < 75 && y is >= 25 and < 75;

    private static MediaColorsResult Extract(int width, int height, Func<int, int, (int R, int G, int B)> pixel)
    {
        var rgb = new byte[width * height * 3];
        for (int y = 0, p = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++, p += 3)
            {
                var (r, g, b) = pixel(x, y);
                (rgb[p], rgb[p + 1], rgb[p + 2]) = ((byte)r, (byte)g, (byte)b);
            }
        }
        return ColorExtractor.Extract(rgb, width, height);
    }

    private static double Distance((int R, int G, int B) first, (int R, int G, int B) second) =>
        ColorMath.Ciede2000(ColorMath.ToLab(new Rgb(first.R, first.G, first.B)), ColorMath.ToLab(new Rgb(second.R, second.G, second.B)));

    /// <summary>
    /// The pixels Mastodon hands its extractor for an audio file's cover: ffmpeg writes the cover as PNG
    /// (image_extractor.rb), then <c>new_from_file(...).thumbnail_image(100).colourspace(:srgb).extract_band(0, n: 3)</c>.
    /// The lazy-thumbnail step in between only re-saves the 150×150 PNG, losslessly.
    /// </summary>
    private static (byte[] Rgb, int Width, int Height) MastodonInput(string audio)
    {
        var dir = Directory.CreateTempSubdirectory("mediary-colors-");
        try
        {
            string Temp(string name) => Path.Combine(dir.FullName, name);
            Tools.MustRun("ffmpeg", "-nostdin", "-loglevel", "error", "-i", audio, "-an", "-vframes", "1", Temp("cover.png"));
            Tools.MustRun("vips", "thumbnail_image", Temp("cover.png"), Temp("small.v"), "100");
            Tools.MustRun("vips", "colourspace", Temp("small.v"), Temp("srgb.v"), "srgb");
            Tools.MustRun("vips", "extract_band", Temp("srgb.v"), Temp("rgb.v"), "0", "--n", "3");
            Tools.MustRun("vips", "rawsave", Temp("rgb.v"), Temp("rgb.raw"));
            var (width, height) = Tools.ImageSize(Temp("rgb.v"));
            return (File.ReadAllBytes(Temp("rgb.raw")), width, height);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
