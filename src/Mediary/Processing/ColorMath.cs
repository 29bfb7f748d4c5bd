namespace Mediary.Processing;

/// <summary>
/// An sRGB colour with 0-255 channels kept as doubles. Mastodon's palette colours are histogram bin
/// centres such as 38.4, and it measures distance, contrast and saturation on those unrounded values.
/// Only the hex output truncates.
/// </summary>
internal readonly record struct Rgb(double R, double G, double B)
{
    /// <summary>Ruby's <c>format('#%02x%02x%02x', r, g, b)</c> truncates a Float toward zero: 38.4 becomes 0x26.</summary>
    public string ToHex() => $"#{(int)R:x2}{(int)G:x2}{(int)B:x2}";
}

internal readonly record struct Lab(double L, double A, double B);

/// <summary>
/// The colour arithmetic Mastodon's colour extractor uses: the <c>color_diff</c> gem (0.1 and 0.2 have the
/// same code) for XYZ, CIELAB and CIEDE2000, and the extractor's own HSL helpers. The formulas are written in
/// the gem's operation order, so a near-tie between two distances resolves the same way.
/// </summary>
internal static class ColorMath
{
    /// <summary>color_diff <c>Xyz.from_rgb</c>: sRGB companding, then the sRGB/D65 matrix, scaled to 0-100.</summary>
    public static (double X, double Y, double Z) ToXyz(Rgb c)
    {
        double r = Linear(c.R), g = Linear(c.G), b = Linear(c.B);
        return (r * 0.4124 + g * 0.3576 + b * 0.1805,
                r * 0.2126 + g * 0.7152 + b * 0.0722,
                r * 0.0193 + g * 0.1192 + b * 0.9505);

        static double Linear(double channel)
        {
            double v = channel / 255.0;
            v = v > 0.04045 ? Math.Pow((v + 0.055) / 1.055, 2.4) : v / 12.92;
            return v * 100;
        }
    }

    /// <summary>color_diff <c>Lab.from_xyz</c>, white point 95.047 / 100 / 108.883.</summary>
    public static Lab ToLab(Rgb c)
    {
        var (x, y, z) = ToXyz(c);
        double fx = F(x / 95.047), fy = F(y / 100.000), fz = F(z / 108.883);
        return new Lab((116 * fy) - 16, 500 * (fx - fy), 200 * (fy - fz));

        static double F(double t) => t > 0.008856 ? Math.Pow(t, 1 / 3.0) : (t * 7.787) + (16 / 116.0);
    }

    /// <summary>
    /// <c>ColorDiff.between</c>: CIEDE2000 with kL = kC = kH = 1 (not CIE76). Like the gem, the "is either colour
    /// neutral" tests use the unprimed chromas C1 and C2.
    /// </summary>
    public static double Ciede2000(Lab lab1, Lab lab2)
    {
        double c1 = Math.Sqrt(Math.Pow(lab1.A, 2) + Math.Pow(lab1.B, 2));
        double c2 = Math.Sqrt(Math.Pow(lab2.A, 2) + Math.Pow(lab2.B, 2));
        double meanC = (c1 + c2) / 2.0;
        double g = 0.5 * (1 - Math.Sqrt(Math.Pow(meanC, 7.0) / (Math.Pow(meanC, 7.0) + Math.Pow(25.0, 7.0))));

        double a1p = (1.0 + g) * lab1.A, a2p = (1.0 + g) * lab2.A;
        double c1p = Math.Sqrt(Math.Pow(a1p, 2) + Math.Pow(lab1.B, 2));
        double c2p = Math.Sqrt(Math.Pow(a2p, 2) + Math.Pow(lab2.B, 2));
        double h1p = HuePrime(lab1.B, a1p), h2p = HuePrime(lab2.B, a2p);
        bool neutral = c1 * c2 == 0;

        double dLp = lab2.L - lab1.L;
        double dCp = c2p - c1p;
        double hueStep = h2p - h1p;
        double dhp = neutral ? 0 : Math.Abs(hueStep) <= 180 ? hueStep : hueStep > 180 ? hueStep - 360 : hueStep + 360;
        double dHp = 2 * Math.Sqrt(c1p * c2p) * Math.Sin(Radians(dhp) / 2.0);

        double meanL = (lab1.L + lab2.L) / 2.0;
        double meanCp = (c1p + c2p) / 2.0;
        double sum = h1p + h2p, gap = Math.Abs(h1p - h2p);
        double meanHp = neutral ? sum : gap <= 180 ? sum / 2.0 : sum < 360 ? (sum + 360) / 2.0 : (sum - 360) / 2.0;

        double t = 1 - 0.17 * Math.Cos(Radians(meanHp - 30)) + 0.24 * Math.Cos(Radians(2 * meanHp))
                 + 0.32 * Math.Cos(Radians(3 * meanHp + 6)) - 0.20 * Math.Cos(Radians(4 * meanHp - 63));
        double dRo = 30 * Math.Exp(-Math.Pow((meanHp - 275) / 25, 2));
        double rc = Math.Sqrt(Math.Pow(meanCp, 7.0) / (Math.Pow(meanCp, 7.0) + Math.Pow(25.0, 7.0)));
        double sl = 1 + ((0.015 * Math.Pow(meanL - 50, 2)) / Math.Sqrt(20 + Math.Pow(meanL - 50, 2.0)));
        double sc = 1 + 0.045 * meanCp;
        double sh = 1 + 0.015 * meanCp * t;
        double rt = -2 * rc * Math.Sin(Radians(2 * dRo));

        return Math.Sqrt(Math.Pow(dLp / sl, 2) + Math.Pow(dCp / sc, 2) + Math.Pow(dHp / sh, 2) + rt * (dCp / sc) * (dHp / sh));

        static double Radians(double degrees) => Math.PI / 180 * degrees;

        static double HuePrime(double b, double ap)
        {
            double degrees = 180 / Math.PI * Math.Atan2(b, ap);
            return degrees >= 0 ? degrees : degrees + 360;
        }
    }

    /// <summary>
    /// Mastodon's <c>w3c_contrast</c>: (Y1 + 0.05) / (Y2 + 0.05), lighter over darker, with Y the relative
    /// luminance from color_diff's XYZ (so the 0.04045 companding threshold, not WCAG 2.0's 0.03928).
    /// </summary>
    public static double W3cContrast(Rgb first, Rgb second)
    {
        double l1 = (ToXyz(first).Y * 0.01) + 0.05, l2 = (ToXyz(second).Y * 0.01) + 0.05;
        return l1 > l2 ? l1 / l2 : l2 / l1;
    }

    /// <summary>Mastodon's <c>rgb_to_hsl</c>: hue in degrees, saturation and lightness in percent, each rounded half away from zero.</summary>
    public static (int H, int S, int L) ToHsl(Rgb c)
    {
        double r = c.R / 255.0, g = c.G / 255.0, b = c.B / 255.0;
        double max = Math.Max(r, Math.Max(g, b)), min = Math.Min(r, Math.Min(g, b));
        double l = (max + min) / 2.0, h = 0, s = 0;
        if (max != min)
        {
            double d = max - min;
            s = l >= 0.5 ? d / (2.0 - max - min) : d / (max + min);
            h = max == r ? ((g - b) / d) + (g < b ? 6.0 : 0) : max == g ? ((b - r) / d) + 2.0 : ((r - g) / d) + 4.0;
            h /= 6.0;
        }
        return (RoundRuby(h * 360), RoundRuby(s * 100), RoundRuby(l * 100));
    }

    /// <summary>Mastodon's <c>hsl_to_rgb</c>; the channels come back rounded to whole numbers.</summary>
    public static Rgb FromHsl(int hue, int saturation, int lightness)
    {
        double h = hue / 360.0, s = saturation / 100.0, l = lightness / 100.0;
        if (s == 0) return new Rgb(RoundRuby(l * 255), RoundRuby(l * 255), RoundRuby(l * 255));

        double q = l < 0.5 ? l * (s + 1) : l + s - (l * s);
        double p = (2 * l) - q;
        return new Rgb(RoundRuby(Channel(h + (1 / 3.0)) * 255), RoundRuby(Channel(h) * 255), RoundRuby(Channel(h - (1 / 3.0)) * 255));

        double Channel(double t)
        {
            if (t < 0) t += 1;
            if (t > 1) t -= 1;
            if (t < 1 / 6.0) return p + ((q - p) * 6 * t);
            if (t < 1 / 2.0) return q;
            if (t < 2 / 3.0) return p + ((q - p) * ((2 / 3.0) - t) * 6);
            return p;
        }
    }

    /// <summary>Ruby's <c>Float#round</c> rounds halves away from zero; .NET's default is to even.</summary>
    private static int RoundRuby(double value) => (int)Math.Round(value, MidpointRounding.AwayFromZero);
}
