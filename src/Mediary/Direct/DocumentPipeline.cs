using Mediary.Media;
using Mediary.Processing;
using Mediary.Storage;
using Microsoft.Extensions.Options;

namespace Mediary.Direct;

/// <summary>A PDF that parsed: its page count, and the stored keys of the file and of its first-page thumbnail.</summary>
public sealed record StoredDocument(int Pages, string FileKey, string? ThumbnailKey);

/// <summary>
/// PDFs: checked with <c>pdfinfo</c> (a file that does not parse is refused), stored as uploaded,
/// and given a thumbnail of page 1 rendered by <c>pdftoppm</c> at most
/// <see cref="DirectOptions.ThumbnailMaxSide"/> px, under a timeout. A page that cannot be
/// rendered in time (a pixel or complexity bomb) leaves the document without a thumbnail.
/// </summary>
public sealed class DocumentPipeline(PdfTools pdf, IMediaStorage storage, TempFiles temp, IOptions<DirectOptions> options,
    ILogger<DocumentPipeline> logger)
{
    public static bool LooksLikePdf(ReadOnlySpan<byte> head) => head.StartsWith("%PDF-"u8);

    /// <exception cref="DirectApiException">verification_failed: not a readable PDF.</exception>
    public async Task<StoredDocument> ProcessAndStoreAsync(string directId, string path, CancellationToken cancellationToken)
    {
        var timeout = options.Value.DocumentTimeout;
        PdfInfo info;
        try
        {
            info = await pdf.InspectAsync(path, timeout, cancellationToken);
        }
        catch (PdfException e)
        {
            logger.LogInformation("Direct upload {DirectId} is not a readable PDF: {Reason}", directId, e.Message);
            throw DirectApiException.VerificationFailed("The file is not a readable PDF document.");
        }

        var name = MediaKeys.RandomName();
        var fileKey = $"media_attachments/documents/{directId}/original/{name}.pdf";
        var thumbnailKey = $"media_attachments/documents/{directId}/small/{name}.png";
        var thumbnail = temp.NewPath("png");
        try
        {
            var rendered = await TryRenderFirstPageAsync(directId, path, thumbnail, timeout, cancellationToken);
            if (rendered) await storage.PutFileAsync(thumbnailKey, thumbnail, "image/png", cancellationToken);
            await storage.PutFileAsync(fileKey, path, "application/pdf", cancellationToken);
            return new StoredDocument(info.Pages, fileKey, rendered ? thumbnailKey : null);
        }
        finally
        {
            File.Delete(thumbnail);
        }
    }

    private async Task<bool> TryRenderFirstPageAsync(string directId, string path, string output, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await pdf.RenderFirstPageAsync(path, output, options.Value.ThumbnailMaxSide, timeout, cancellationToken);
            return File.Exists(output);
        }
        catch (PdfException e)
        {
            logger.LogWarning("No thumbnail for PDF {DirectId}: {Reason}", directId, e.Message);
            return false;
        }
    }
}
