using Mediary.Configuration;
using Mediary.Processing;
using Mediary.Storage;
using Microsoft.Extensions.Options;

namespace Mediary.Media;

/// <summary>
/// A custom thumbnail for video or audio (or an audio file's cover art): checked like an image
/// upload, rendered as a <c>small</c> preview, with blurhash and Mastodon's <c>meta.colors</c>.
/// </summary>
/// <summary>A rendered and stored thumbnail, to be set on a media attachment with <see cref="Apply"/>.</summary>
public sealed record RenderedThumbnail(string Key, MediaGeometry Small, MediaColors? Colors, string? Blurhash)
{
    /// <summary>Makes this the media's preview; returns the key of the thumbnail it replaces, if any.</summary>
    public string? Apply(MediaAttachment media)
    {
        var previous = media.ThumbnailKey;
        var meta = media.Meta ??= new();
        meta.Small = Small;
        meta.Colors = Colors;
        media.Blurhash = Blurhash;
        media.ThumbnailKey = Key;
        return previous;
    }
}

public sealed class ThumbnailPipeline(ImageUploadPipeline images, ImageProcessor processor, IMediaStorage storage, TempFiles temp,
    IOptions<MediaLimitsOptions> limits)
{
    private readonly MediaLimitsOptions _limits = limits.Value;

    /// <summary>Checks, renders and stores a thumbnail for media <paramref name="mediaId"/>.</summary>
    public async Task<RenderedThumbnail> RenderAsync(long mediaId, UploadedFile image, CancellationToken cancellationToken)
    {
        var type = await MediaService.SniffAsync(image.Path, cancellationToken);
        if (type is not { Family: MediaFamily.Image }) throw MediaException.ValidationFailed(["Thumbnail content type is invalid, Thumbnail is invalid"]);
        if (image.Length >= _limits.ImageSizeLimit)
        {
            var human = MediaMessages.HumanSize(_limits.ImageSizeLimit);
            throw MediaException.ValidationFailed([$"Thumbnail must be less than {human}, Thumbnail file size must be less than {human}"]);
        }
        using var prepared = await images.PrepareAsync(image, type, cancellationToken);

        var extension = type.ConvertsToJpeg ? "jpeg" : type.IsGif ? "png" : type.Extensions[0];
        var output = temp.NewPath(extension);
        try
        {
            ImageRenderResult result;
            try
            {
                result = await processor.RenderAsync(prepared.Pixels.Path, [(output, _limits.SmallMaxPixels)], blurhashFrom: 0, cancellationToken, colorsFrom: 0);
            }
            catch (ImageProcessingException)
            {
                throw MediaException.ProcessingFailed();
            }
            // A new name each time, so a cached old thumbnail is never served for the new one.
            var key = MediaKeys.Thumbnail(mediaId, MediaKeys.RandomName(), extension);
            await storage.PutFileAsync(key, output, type.ConvertsToJpeg ? "image/jpeg" : type.IsGif ? "image/png" : type.MimeType, cancellationToken);
            var colors = result.Colors is { } c ? new MediaColors { Background = c.Background, Foreground = c.Foreground, Accent = c.Accent } : null;
            return new RenderedThumbnail(key, MediaGeometry.ForImage(result.Outputs[0].Width, result.Outputs[0].Height), colors, result.Blurhash);
        }
        finally
        {
            File.Delete(output);
        }
    }
}
