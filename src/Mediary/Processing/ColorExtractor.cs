namespace Mediary.Processing;

/// <summary><c>meta.colors</c>: lowercase <c>#rrggbb</c> strings.</summary>
public sealed record MediaColorsResult(string Background, string Foreground, string Accent);

/// <summary>
/// Mastodon's thumbnail colour extractor (<c>lib/paperclip/color_extractor.rb</c>, libvips path), including the
/// libvips details it relies on (<c>hist_find_ndim</c>, <c>join</c>, <c>max(size: 10)</c>), so that the same
/// pixels give the same three colours.
/// </summary>
public static class ColorExtractor
{
    private const int Bins = 10;
    private const int PaletteSize = 10;      // histogram.max(size: 10)
    private const double MinContrast = 3.0;  // MIN_CONTRAST, for the foreground
    private const double AccentMinContrast = 2.0;

    // libvips hist_find_ndim: "scale = (max_val + 1) / bins", with max_val 256 for uchar, and the bin is
    // (int)(value / scale). So a bin is 25.7 values wide, not 25.6: 77, 128, 154, 205 and 231 fall one bin
    // lower than value * 10 / 256 would put them.
    private const double BinWidth = (256 + 1) / (double)Bins;

    /// <summary>Computes background, foreground and accent colours as Mastodon does.</summary>
    /// <param name="rgb">
    /// Packed 8-bit sRGB, 3 bytes per pixel, row-major, no padding. Mastodon feeds
    /// <c>Vips::Image.new_from_file(path, access: :random).thumbnail_image(100).colourspace(:srgb).extract_band(0, n: 3)</c>:
    /// the thumbnail fitted inside a 100×100 box (libvips defaults the height to the width, and it upscales
    /// smaller images), converted to sRGB, with alpha dropped rather than flattened.
    /// </param>
    /// <exception cref="ArgumentException">
    /// The image is under 4 pixels wide or high. Mastodon fails there too: its edge crops would be empty,
    /// libvips raises "bad extract area" and the processor turns that into a <c>Paperclip::Error</c>.
    /// </exception>
    public static MediaColorsResult Extract(ReadOnlySpan<byte> rgb, int width, int height)
    {
        if (rgb.Length != (long)width * height * 3)
            throw new ArgumentException($"Expected {(long)width * height * 3} bytes for {width}x{height} RGB, got {rgb.Length}.", nameof(rgb));
        if (width < 4 || height < 4)
            throw new ArgumentException($"A {width}x{height} image has no edge frame to take a background from.", nameof(rgb));

        Rgb[] backgroundPalette = Palette(EdgeHistogram(rgb, width, height));
        Rgb[] foregroundPalette = Palette(Histogram(rgb, width, new Area(0, 0, width, height)));

        // "background_palette.first || foreground_palette.first": libvips always returns 10 maxima, even of
        // empty bins, so the edge palette is never empty and the second half never applies.
        Rgb background = backgroundPalette[0];
        Lab backgroundLab = ColorMath.ToLab(background);
        var candidates = new List<Rgb>(2);

        // The accent: the palette colour farthest from the background (CIEDE2000) with contrast >= 2.0; then the
        // foreground: the farthest with contrast >= 3.0 "&& !foreground_colors.include?(color)". Both tests are
        // strict ("distance > max_distance", starting at 0), so the first of equal distances wins.
        int accentIndex = Farthest(foregroundPalette, background, backgroundLab, AccentMinContrast, excluded: -1);
        if (accentIndex >= 0) candidates.Add(foregroundPalette[accentIndex]);
        int foregroundIndex = Farthest(foregroundPalette, background, backgroundLab, MinContrast, excluded: accentIndex);
        if (foregroundIndex >= 0) candidates.Add(foregroundPalette[foregroundIndex]);

        // "(2 - foreground_colors.size).times { |i| lighten_or_darken(background_color, 35 + (i * 15)) }":
        // with one candidate only the 35 step is added; with none, 35 then 50.
        for (int i = 0; candidates.Count < 2; i++)
            candidates.Add(LightenOrDarken(background, 35 + (i * 15)));

        // "foreground = max_by contrast, accent = max_by HSL saturation". Ruby's max_by keeps the first of equal
        // values, and the saturation compared is the rounded whole percent, so ties are common.
        Rgb foreground = FirstMax(candidates, c => ColorMath.W3cContrast(background, c));
        Rgb accent = FirstMax(candidates, c => ColorMath.ToHsl(c).S);
        return new MediaColorsResult(background.ToHex(), foreground.ToHex(), accent.ToHex());
    }

    private readonly record struct Area(int Left, int Top, int Width, int Height);

    /// <summary>
    /// Mastodon builds the edge image from four crops, with h = floor(height / 4) and w = floor(width / 4):
    /// top and bottom strips of h rows, and left and right strips of w columns starting at row h and
    /// <c>height - 2h</c> rows high. It then joins them with <c>join(..., :horizontal)</c>, whose output is
    /// only as tall as the shorter input (2h rows), so the side strips keep just rows h to 3h - 1. When the
    /// height is not a multiple of 4, their last 1-3 rows are left out.
    /// </summary>
    private static int[] EdgeHistogram(ReadOnlySpan<byte> rgb, int width, int height)
    {
        int h = height / 4, w = width / 4;
        return Histogram(rgb, width,
            new Area(0, 0, width, h),
            new Area(0, height - h, width, h),
            new Area(0, h, w, 2 * h),
            new Area(width - w, h, w, 2 * h));
    }

    /// <summary>
    /// <c>hist_find_ndim(bins: 10)</c> then <c>bandunfold</c>: a 100×10 single-band image holding the count of
    /// bin (r, g, b) at x = r × 10 + b, y = g. Stored here row-major, index y × 100 + x.
    /// </summary>
    private static int[] Histogram(ReadOnlySpan<byte> rgb, int width, params ReadOnlySpan<Area> areas)
    {
        var counts = new int[Bins * Bins * Bins];
        foreach (var area in areas)
        {
            for (int y = area.Top; y < area.Top + area.Height; y++)
            {
                for (int x = area.Left; x < area.Left + area.Width; x++)
                {
                    int p = (y * width + x) * 3;
                    int r = (int)(rgb[p] / BinWidth), g = (int)(rgb[p + 1] / BinWidth), b = (int)(rgb[p + 2] / BinWidth);
                    counts[(g * Bins * Bins) + (r * Bins) + b]++;
                }
            }
        }
        return counts;
    }

    /// <summary>
    /// <c>max(size: 10)</c> on the unfolded histogram, reversed to most populated first, as bin centres.
    /// libvips scans the 100×10 image in raster order (one work unit: it is smaller than a 16-row strip). It
    /// keeps a list sorted by count, equal counts in scan order; the first 10 values enter unconditionally, and
    /// after that a value enters only if it beats the current smallest, which drops out. Two consequences:
    /// equal counts come out later-scanned first (higher g, then r, then b); and when fewer than 10 bins are
    /// populated, empty bins fill the palette. Those are bins of the first row, (r 0, g 0, b 0-9), minus one
    /// per populated bin evicting them from b = 0 upward. They take part in the accent and foreground choice.
    /// </summary>
    private static Rgb[] Palette(int[] counts)
    {
        var kept = new List<(int Count, int Index)>(PaletteSize + 1); // ascending by count, then scan order
        for (int index = 0; index < counts.Length; index++)
        {
            int count = counts[index];
            if (kept.Count == PaletteSize && count <= kept[0].Count) continue;

            int at = kept.FindIndex(k => count < k.Count);
            kept.Insert(at < 0 ? kept.Count : at, (count, index));
            if (kept.Count > PaletteSize) kept.RemoveAt(0);
        }

        var palette = new Rgb[kept.Count];
        for (int i = 0; i < kept.Count; i++)
        {
            int index = kept[kept.Count - 1 - i].Index;
            int x = index % (Bins * Bins), y = index / (Bins * Bins);
            palette[i] = new Rgb(BinCentre(x / Bins), BinCentre(y), BinCentre(x % Bins));
        }
        return palette;
    }

    // rgb_from_hist_xy: "(bin + 0.5) * 256 / BINS", kept as a Float (38.4, 140.8, ...).
    private static double BinCentre(int bin) => (bin + 0.5) * 256 / Bins;

    private static int Farthest(Rgb[] palette, Rgb background, Lab backgroundLab, double minContrast, int excluded)
    {
        double maxDistance = 0;
        int found = -1;
        for (int i = 0; i < palette.Length; i++)
        {
            double distance = ColorMath.Ciede2000(backgroundLab, ColorMath.ToLab(palette[i]));
            if (distance > maxDistance && ColorMath.W3cContrast(background, palette[i]) >= minContrast && i != excluded)
            {
                maxDistance = distance;
                found = i;
            }
        }
        return found;
    }

    /// <summary>
    /// Mastodon's <c>lighten_or_darken</c>: on the rounded HSL lightness, "light &lt; 50 ? min(100, light + by)
    /// : max(0, light - by)", so a lightness of exactly 50 darkens. Hue and saturation stay as rounded.
    /// </summary>
    private static Rgb LightenOrDarken(Rgb color, int by)
    {
        var (hue, saturation, light) = ColorMath.ToHsl(color);
        light = light < 50 ? Math.Min(100, light + by) : Math.Max(0, light - by);
        return ColorMath.FromHsl(hue, saturation, light);
    }

    private static Rgb FirstMax(List<Rgb> colors, Func<Rgb, double> key)
    {
        Rgb best = colors[0];
        double bestKey = key(best);
        foreach (var color in colors.Skip(1))
        {
            double k = key(color);
            if (k > bestKey) (best, bestKey) = (color, k);
        }
        return best;
    }
}
