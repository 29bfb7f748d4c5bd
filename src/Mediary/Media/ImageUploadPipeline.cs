using Mediary.Configuration;
using Mediary.Processing;
using Mediary.Storage;
using Microsoft.Extensions.Options;

namespace Mediary.Media;

/// <summary>
/// A sniffed image whose header has been read and checked against the pixel limits. A GIF has been
/// rewritten clean (<see cref="GifSanitizer"/>) into <see cref="CleanGif"/>, which is what is kept
/// of it, and <see cref="Probe"/> gives that file's logical screen.
/// </summary>
public sealed record PreparedImage(UploadedFile File, SniffedType Type, ImageProbe Probe, UploadedFile? CleanGif = null) : IDisposable
{
    /// <summary>An animated GIF becomes a gifv video, as on Mastodon.</summary>
    public bool IsAnimatedGif => Type.IsGif && Probe.Pages > 1;

    /// <summary>The file to read the pixels from: the clean GIF, or the upload itself.</summary>
    public UploadedFile Pixels => CleanGif ?? File;

    public void Dispose() => CleanGif?.Dispose();
}

/// <summary>
/// Images, following Mastodon's styles: the original re-encoded without metadata (downscaled above
/// <see cref="MediaLimitsOptions.OriginalMaxPixels"/>; HEIC/HEIF/AVIF become JPEG; a static GIF keeps
/// its pixels and palette but only the blocks that display it, where Mastodon keeps its bytes), and a
/// <c>small</c> preview with its blurhash.
/// </summary>
public sealed class ImageUploadPipeline(ImageProcessor processor, IMediaStorage storage, TempFiles temp,
    IOptions<MediaLimitsOptions> limits, ILogger<ImageUploadPipeline> logger)
{
    private readonly MediaLimitsOptions _limits = limits.Value;

    /// <summary>
    /// Reads the header only, so a pixel bomb is refused before anything is decoded. A GIF is
    /// rewritten first: its limits apply to the screen it is stored with.
    /// </summary>
    public async Task<PreparedImage> PrepareAsync(UploadedFile file, SniffedType type, CancellationToken cancellationToken)
    {
        if (type.IsJpeg && JpegScans.Count(file.Path, _limits.JpegMaxScans) > _limits.JpegMaxScans)
        {
            logger.LogInformation("Refused a JPEG with more than {Limit} scans", _limits.JpegMaxScans);
            throw MediaException.ValidationFailed([MediaMessages.ContentTypeInvalid]);
        }
        var clean = type.IsGif ? SanitizeGif(file) : null;
        try
        {
            var probe = await ProbeAsync(clean?.File ?? file, type, cancellationToken);
            if (clean is not null) probe = probe with { Width = clean.Value.Screen.Width, Height = clean.Value.Screen.Height };

            var pixels = (long)probe.Width * probe.Height;
            if (type.IsGif && pixels > _limits.GifMatrixLimit) throw MediaException.Invalid(MediaMessages.GifTooManyPixels(probe.Width, probe.Height));
            if (pixels > _limits.ImageMatrixLimit) throw MediaException.Invalid(MediaMessages.ImageTooManyPixels(probe.Width, probe.Height));
            if (UploadRules.AnimationTooCostly(probe.Pages, pixels, _limits.AnimationMaxFrames, _limits.AnimationMaxPixels))
            {
                logger.LogInformation("Refused a {Width}x{Height} animation of {Frames} frames", probe.Width, probe.Height, probe.Pages);
                throw MediaException.ValidationFailed([MediaMessages.ContentTypeInvalid]);
            }
            return new PreparedImage(file, type, probe, clean?.File);
        }
        catch
        {
            clean?.File.Dispose();
            throw;
        }
    }

    private async Task<ImageProbe> ProbeAsync(UploadedFile file, SniffedType type, CancellationToken cancellationToken)
    {
        ImageProbe probe;
        try
        {
            probe = await processor.ProbeAsync(file.Path, cancellationToken);
        }
        catch (ImageProcessingException e)
        {
            throw e.HelperFailed ? MediaException.ProcessingFailed() : MediaException.ValidationFailed([MediaMessages.ContentTypeInvalid]);
        }
        if (probe.Loader is null || !probe.Loader.StartsWith(LoaderFor(type), StringComparison.Ordinal) || probe.Width <= 0 || probe.Height <= 0)
        {
            throw MediaException.ValidationFailed([MediaMessages.ContentTypeInvalid]);
        }
        return probe;
    }

    /// <summary>The GIF with only the blocks that display it, in a temporary file, and the screen it declares.</summary>
    private (UploadedFile File, SanitizedGif Screen)? SanitizeGif(UploadedFile file)
    {
        var path = temp.NewPath("gif");
        try
        {
            SanitizedGif screen;
            using (var source = File.OpenRead(file.Path))
            using (var target = File.Create(path))
            {
                screen = GifSanitizer.Copy(source, target);
            }
            return (new UploadedFile(path, file.FileName, new FileInfo(path).Length), screen);
        }
        catch (InvalidDataException)
        {
            File.Delete(path);
            throw MediaException.ValidationFailed([MediaMessages.ContentTypeInvalid]);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    /// <summary>Renders, stores and describes the image on <paramref name="media"/>; returns the stored keys.</summary>
    public async Task<IReadOnlyList<string>> ProcessAndStoreAsync(MediaAttachment media, PreparedImage image, string name,
        CancellationToken cancellationToken)
    {
        var extension = image.Type.ConvertsToJpeg ? "jpeg" : MediaSniffer.ExtensionFor(image.Type, image.File.FileName);
        var smallExtension = image.Type.IsGif ? "png" : extension;
        var originalPath = temp.NewPath(extension);
        var smallPath = temp.NewPath(smallExtension);
        var stored = new List<string>();
        try
        {
            var (original, small, blurhash) = image.Type.IsGif
                ? await RenderGifAsync(image, originalPath, smallPath, cancellationToken)
                : await RenderAsync(image, originalPath, smallPath, cancellationToken);

            var originalKey = MediaKeys.Original(media.Id, name, extension);
            var smallKey = MediaKeys.Small(media.Id, name, smallExtension);
            var contentType = image.Type.ConvertsToJpeg ? "image/jpeg" : image.Type.MimeType;
            var originalSize = new FileInfo(originalPath).Length;
            await storage.PutFileAsync(originalKey, originalPath, contentType, cancellationToken);
            stored.Add(originalKey);
            await storage.PutFileAsync(smallKey, smallPath, image.Type.IsGif ? "image/png" : contentType, cancellationToken);
            stored.Add(smallKey);

            media.FileKey = originalKey;
            media.SmallKey = smallKey;
            media.FileContentType = contentType;
            media.FileSize = originalSize;
            media.Blurhash = blurhash;
            media.Meta = new MediaMeta
            {
                Original = MediaGeometry.ForImage(original.Width, original.Height),
                Small = MediaGeometry.ForImage(small.Width, small.Height),
            };
            return stored;
        }
        catch
        {
            // A file that cannot be deleted is logged; the error the client gets is the original one.
            await storage.DeleteAllAsync(stored, logger);
            throw;
        }
        finally
        {
            File.Delete(originalPath);
            File.Delete(smallPath);
        }
    }

    private async Task<(ImageSize, ImageSize, string?)> RenderAsync(PreparedImage image, string originalPath, string smallPath,
        CancellationToken cancellationToken)
    {
        var result = await RunAsync(() => processor.RenderAsync(image.File.Path,
            [(originalPath, _limits.OriginalMaxPixels), (smallPath, _limits.SmallMaxPixels)], blurhashFrom: 1, cancellationToken));
        return (result.Outputs[0], result.Outputs[1], result.Blurhash);
    }

    /// <summary>A static GIF is stored as rewritten clean; its preview is a real PNG.</summary>
    private async Task<(ImageSize, ImageSize, string?)> RenderGifAsync(PreparedImage image, string originalPath, string smallPath,
        CancellationToken cancellationToken)
    {
        File.Copy(image.Pixels.Path, originalPath, overwrite: true);
        var result = await RunAsync(() => processor.RenderAsync(originalPath, [(smallPath, _limits.SmallMaxPixels)], blurhashFrom: 0, cancellationToken));
        return (new ImageSize(image.Probe.Width, image.Probe.Height), result.Outputs[0], result.Blurhash);
    }

    private static async Task<ImageRenderResult> RunAsync(Func<Task<ImageRenderResult>> render)
    {
        try
        {
            return await render();
        }
        catch (ImageProcessingException)
        {
            throw MediaException.ProcessingFailed();
        }
    }

    private static string LoaderFor(SniffedType type) => type.MimeType switch
    {
        "image/jpeg" => "jpegload",
        "image/png" => "pngload",
        "image/gif" => "gifload",
        "image/webp" => "webpload",
        _ => "heifload",
    };
}
