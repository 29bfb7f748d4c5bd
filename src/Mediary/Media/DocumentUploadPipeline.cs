using Mediary.Configuration;
using Mediary.Processing;
using Mediary.Storage;
using Microsoft.Extensions.Options;

namespace Mediary.Media;

/// <summary>
/// PDFs, beside the image and video pipelines: checked with <c>pdfinfo</c> (a file that does not
/// parse is refused), stored as uploaded, and previewed by page 1 rendered by <c>pdftoppm</c> at
/// most <see cref="DocumentOptions.ThumbnailMaxSide"/> px, under a timeout. A page that cannot be
/// rendered in time (a pixel or complexity bomb) leaves the document without a preview.
/// </summary>
public sealed class DocumentUploadPipeline(PdfTools pdf, IMediaStorage storage, TempFiles temp, IOptions<DocumentOptions> options,
    ILogger<DocumentUploadPipeline> logger)
{
    /// <summary>Checks, stores and describes the PDF on <paramref name="media"/>; returns the stored keys.</summary>
    /// <exception cref="MediaException">Rejected: not a readable PDF.</exception>
    public async Task<IReadOnlyList<string>> ProcessAndStoreAsync(MediaAttachment media, UploadedFile file, CancellationToken cancellationToken)
    {
        var timeout = options.Value.DocumentTimeout;
        PdfInfo info;
        try
        {
            info = await pdf.InspectAsync(file.Path, timeout, cancellationToken);
        }
        catch (PdfException e)
        {
            logger.LogInformation("Media {MediaId} is not a readable PDF: {Reason}", media.Id, e.Message);
            throw MediaException.Rejected("The file is not a readable PDF document.");
        }

        var fileKey = MediaKeys.Original(media.Id, media.FileName!, "pdf");
        var previewKey = MediaKeys.Small(media.Id, media.FileName!, "png");
        var preview = temp.NewPath("png");
        // Storage takes a second name: the upload itself stays until its record is written.
        var original = temp.SecondName(file.Path);
        var stored = new List<string>();
        try
        {
            var rendered = await TryRenderFirstPageAsync(media.Id, file.Path, preview, timeout, cancellationToken);
            if (rendered)
            {
                await storage.PutFileAsync(previewKey, preview, "image/png", cancellationToken);
                stored.Add(previewKey);
            }
            await storage.PutFileAsync(fileKey, original, "application/pdf", cancellationToken);
            stored.Add(fileKey);
        }
        catch
        {
            await storage.DeleteAllAsync(stored, logger);
            throw;
        }
        finally
        {
            File.Delete(preview);
            File.Delete(original);
        }
        media.FileKey = fileKey;
        media.FileContentType = "application/pdf";
        media.FileSize = file.Length;
        media.SmallKey = stored.Contains(previewKey) ? previewKey : null;
        (media.Meta ??= new()).Original = new MediaGeometry { Pages = info.Pages };
        return stored;
    }

    private async Task<bool> TryRenderFirstPageAsync(long mediaId, string path, string output, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await pdf.RenderFirstPageAsync(path, output, options.Value.ThumbnailMaxSide, timeout, cancellationToken);
            return File.Exists(output);
        }
        catch (PdfException e)
        {
            logger.LogWarning("No preview for PDF {MediaId}: {Reason}", mediaId, e.Message);
            return false;
        }
    }
}
