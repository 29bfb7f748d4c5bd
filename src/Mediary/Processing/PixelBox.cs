namespace Mediary.Processing;

/// <summary>Mastodon's "pixels: P" style geometry.</summary>
internal static class PixelBox
{
    /// <summary>
    /// The box a w×h image is fitted into for a pixel budget P:
    /// W = round(sqrt(P·w/h)), H = round(sqrt(P·h/w)); an image already within P keeps its size
    /// (600×400 with P = 230,400 gives 588×392).
    /// </summary>
    public static (int Width, int Height) Fit(int width, int height, long maxPixels)
    {
        if ((long)width * height <= maxPixels) return (width, height);
        var ratio = (double)width / height;
        var boxWidth = (int)Math.Round(Math.Sqrt(maxPixels * ratio), MidpointRounding.AwayFromZero);
        var boxHeight = (int)Math.Round(Math.Sqrt(maxPixels / ratio), MidpointRounding.AwayFromZero);
        return (Math.Max(boxWidth, 1), Math.Max(boxHeight, 1));
    }
}
