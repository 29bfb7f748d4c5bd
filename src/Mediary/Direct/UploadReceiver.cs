using Mediary.Media;
using Mediary.Storage;
using Microsoft.AspNetCore.Http.Features;

namespace Mediary.Direct;

/// <summary>
/// Step 2 on Mediary's own signed URL: checks the signature, expiry and Content-Type, then streams
/// the body to storage, refusing it (413) as soon as it runs past the declared size. The URL takes
/// repeated PUTs until <c>complete</c> succeeds or it expires; the last complete body wins.
/// </summary>
public sealed class UploadReceiver(DirectMediaRepository repository, UploadSigner signer, IMediaStorage storage, TempFiles temp, TimeProvider clock)
{
    public async Task ReceiveAsync(HttpContext http, string id, CancellationToken cancellationToken)
    {
        var request = http.Request;
        var media = await AuthorizeAsync(request, id, cancellationToken);
        var contentType = request.ContentType?.Trim() ?? "";
        if (!string.Equals(contentType, media.DeclaredType, StringComparison.OrdinalIgnoreCase))
        {
            throw DirectApiException.Forbidden($"Content-Type must be {media.DeclaredType}, as declared; it was \"{contentType}\".");
        }
        if (request.ContentLength > media.DeclaredSize) throw TooLarge(media);

        // Our own bound replaces the server-wide one: exactly the declared size.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit) bodyLimit.MaxRequestBodySize = null;
        var partial = temp.NewPath();
        try
        {
            await CopyBodyAsync(http, partial, media, cancellationToken);
            await storage.PutFileAsync(media.UploadKey, partial, media.DeclaredType, cancellationToken);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    /// <summary>
    /// The declaration a signed upload URL (<c>upload_url</c> or <c>resumable_upload_url</c>) is for,
    /// once its signature, expiry and state allow bytes to be taken.
    /// </summary>
    public async Task<DirectMedia> AuthorizeAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        long.TryParse(request.Query["expires"], out var expires);
        // Checked first: once expired, the upload may already have been swept away.
        if (expires <= clock.GetUtcNow().ToUnixTimeSeconds())
        {
            throw DirectApiException.Forbidden("This upload URL has expired: declare the file again with POST /v1/media/upload.");
        }
        var media = Guid.TryParse(id, out var parsed) ? await repository.FindForUploadAsync(parsed.ToString(), clock.GetUtcNow().ToUnixTimeSeconds(), cancellationToken) : null;
        if (media is null || !signer.IsValid(media.Id, media.DeclaredType, media.DeclaredSize, expires, request.Query["signature"]))
        {
            throw DirectApiException.Forbidden("This upload URL is not valid: use upload_url exactly as POST /v1/media/upload returned it.");
        }
        if (media.State != DirectStates.PendingUpload)
        {
            throw DirectApiException.Forbidden("This upload was already completed; its URL no longer takes uploads.");
        }
        if (media.IsClaimed(clock.GetUtcNow()))
        {
            // The bytes are being verified: they must not change under the verification.
            throw DirectApiException.Forbidden("This upload is being completed; its URL no longer takes uploads.");
        }
        return media;
    }

    /// <summary>
    /// Writes each batch Kestrel hands over with one gathered write (pwritev) straight from its
    /// buffers: no copy into a FileStream buffer, and one system call per batch rather than per block.
    /// </summary>
    private static async Task CopyBodyAsync(HttpContext http, string path, DirectMedia media, CancellationToken cancellationToken)
    {
        var reader = http.Request.BodyReader;
        using var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        var segments = new List<ReadOnlyMemory<byte>>();
        long received = 0;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (received + buffer.Length > media.DeclaredSize)
            {
                reader.AdvanceTo(buffer.End);
                throw TooLarge(media);
            }
            segments.Clear();
            foreach (var segment in buffer) segments.Add(segment);
            RandomAccess.Write(file, segments, received);
            received += buffer.Length;
            reader.AdvanceTo(buffer.End);
            if (result.IsCompleted) break;
        }
    }

    private static DirectApiException TooLarge(DirectMedia media) => new(DirectErrorCodes.PayloadTooLarge,
        $"The body is larger than the {media.DeclaredSize} bytes declared in size; declare the real size with POST /v1/media/upload.");
}
