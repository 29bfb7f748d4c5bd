namespace Mediary.Processing;

public sealed record ImageProbe(int Width, int Height, int Pages, string? Loader);

public sealed record ImageSize(int Width, int Height);

public sealed record ImageRenderResult(IReadOnlyList<ImageSize> Outputs, string? Blurhash, MediaColorsResult? Colors = null);

/// <summary>
/// Image work as the core sees it: header probes and renders, each run in a warm helper process
/// (see <see cref="ImageHelperPool"/>) so a hostile file cannot take the server down.
/// </summary>
public sealed class ImageProcessor
{
    private readonly ImageHelperPool _pool;

    internal ImageProcessor(ImageHelperPool pool) => _pool = pool;

    /// <summary>Reads the header only: dimensions as displayed (EXIF orientation applied) and frame count.</summary>
    public async Task<ImageProbe> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        var response = await _pool.SendAsync(new HelperRequest("probe", path), cancellationToken);
        return new ImageProbe(response.Width, response.Height, response.Pages, response.Loader);
    }

    /// <summary>
    /// Writes each output auto-rotated, fitted into its pixel budget, with every metadata field
    /// but the ICC profile removed; the format follows each output path's extension.
    /// </summary>
    public async Task<ImageRenderResult> RenderAsync(string input, IReadOnlyList<(string Path, long MaxPixels)> outputs,
        int blurhashFrom, CancellationToken cancellationToken, int colorsFrom = -1)
    {
        var request = new HelperRequest("render", input, outputs.Select(o => new RenderOutput(o.Path, o.MaxPixels)).ToList(), blurhashFrom, colorsFrom);
        var response = await _pool.SendAsync(request, cancellationToken);
        var sizes = (response.Outputs ?? []).Select(o => new ImageSize(o.Width, o.Height)).ToList();
        return new ImageRenderResult(sizes, response.Blurhash, response.Colors);
    }
}
