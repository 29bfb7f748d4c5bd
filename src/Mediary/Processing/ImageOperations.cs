namespace Mediary.Processing;

/// <summary>
/// The libvips work itself. Runs only inside an image helper process, never in the server, so
/// that a decoder crash or hang costs one helper, not the service.
/// </summary>
internal static class ImageOperations
{
    // Mastodon keeps only the colour profile: EXIF (GPS, camera, orientation), XMP, IPTC and
    // comments go. libvips 8.14's webpsave rebuilds EXIF from the exif-ifd* fields even with
    // strip, so every field is removed by name rather than trusting a saver option.
    private static readonly HashSet<string> KeptFields = ["icc-profile-data"];

    public static void Initialise()
    {
        if (VipsNative.vips_init("mediary-image-helper") != 0) throw new VipsException("vips_init failed");
        VipsNative.vips_block_untrusted_set(1);
        VipsNative.vips_cache_set_max(0);
    }

    public static HelperResponse Probe(string path)
    {
        using var image = VipsImage.OpenHeader(path);
        var (width, height) = OrientedSize(image);
        return new HelperResponse(true, Width: width, Height: height, Pages: image.Pages,
            Loader: image.GetString("vips-loader"));
    }

    public static HelperResponse Render(HelperRequest request)
    {
        var outputs = request.Outputs ?? [];
        int width, height;
        using (var header = VipsImage.OpenHeader(request.Input)) (width, height) = OrientedSize(header);

        // The outputs are independent pipelines straight from the file: running them side by
        // side keeps JPEG shrink-on-load for each and uses both cores.
        var sizes = new RenderedSize[outputs.Count];
        Parallel.For(0, outputs.Count, i => sizes[i] = RenderOne(request.Input, outputs[i], width, height));

        string? blurhash = null;
        if (request.BlurhashFrom >= 0) blurhash = ComputeBlurhash(outputs[request.BlurhashFrom].Path);
        MediaColorsResult? colors = null;
        if (request.ColorsFrom >= 0) colors = ComputeColors(outputs[request.ColorsFrom].Path);
        return new HelperResponse(true, Width: width, Height: height, Outputs: sizes, Blurhash: blurhash, Colors: colors);
    }

    private static RenderedSize RenderOne(string input, RenderOutput output, int width, int height)
    {
        var (boxWidth, boxHeight) = PixelBox.Fit(width, height, output.MaxPixels);
        using var image = VipsImage.Thumbnail(input, boxWidth, boxHeight);
        foreach (var field in image.FieldNames())
        {
            if (!KeptFields.Contains(field)) image.RemoveField(field);
        }
        image.Save(output.Path);
        return new RenderedSize(image.Width, image.Height);
    }

    /// <summary>Mastodon: a 4×4-component blurhash of the preview fitted into 100×100, in sRGB.</summary>
    private static string ComputeBlurhash(string path)
    {
        var (rgb, width, height) = SrgbPixels(path, 100);
        return Blurhash.Encode(rgb, width, height);
    }

    /// <summary>
    /// Mastodon's colour extractor reads the thumbnail fitted into 100×100 (enlarged if smaller),
    /// in sRGB. Below 4 px a side it has no edge frame to read: no colours, as an error would be.
    /// </summary>
    private static MediaColorsResult? ComputeColors(string path)
    {
        var (rgb, width, height) = SrgbPixels(path, 100);
        return width >= 4 && height >= 4 ? ColorExtractor.Extract(rgb, width, height) : null;
    }

    private static (byte[] Rgb, int Width, int Height) SrgbPixels(string path, int box)
    {
        using var tiny = VipsImage.Thumbnail(path, box);
        using var srgb = tiny.ToSrgb();
        using var rgb = srgb.Bands > 3 ? srgb.ExtractBands(0, 3) : srgb.ToSrgb();
        using var bytes = rgb.CastToUchar();
        return (bytes.ToBytes(), bytes.Width, bytes.Height);
    }

    /// <summary>Width and height as displayed: EXIF orientations 5-8 swap them.</summary>
    private static (int Width, int Height) OrientedSize(VipsImage image)
    {
        var orientation = image.GetInt("orientation") ?? 1;
        var height = image.Pages > 1 ? image.GetInt("page-height") ?? image.Height : image.Height;
        return orientation is >= 5 and <= 8 ? (height, image.Width) : (image.Width, height);
    }
}
