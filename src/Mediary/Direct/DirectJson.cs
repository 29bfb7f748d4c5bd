namespace Mediary.Direct;

/// <summary>The direct face's response shapes (snake_case on the wire), built from the records.</summary>
public static class DirectJson
{
    public sealed record UploadMethod(string Method, string ContentType, IReadOnlyDictionary<string, string> Headers);

    public sealed record UploadTicket(string MediaId, string[] MediaIds, string Status, string UploadUrl, string ResumableUploadUrl, UploadMethod UploadMethod,
        string Provider, long ExpiresIn, string ExpiresAt, long MaxSize, string NextStep);

    public sealed record Media(string MediaId, string[] MediaIds, string Status, string Type, long? Width, long? Height, double? Duration,
        long Size, string ContentType, string CreatedAt, string NextStep);

    public sealed record MediaDetails(string MediaId, string[] MediaIds, string Status, string Type, long? Width, long? Height,
        double? Duration, long Size, string ContentType, string CreatedAt, string NextStep, string Filename, string? Url,
        string? ThumbnailUrl, long? PageCount);

    public sealed record MediaList(IReadOnlyList<MediaDetails> Items, long Total, int Limit, int Offset);

    public sealed record Post(string Id, string Content, IReadOnlyList<string> MediaIds, string CreatedAt);

    public static UploadTicket Ticket(DirectMedia media, string uploadUrl, string resumableUploadUrl, string provider, long maxSize,
        DateTimeOffset now) => new(
        media.Id, [media.Id], media.State, uploadUrl, resumableUploadUrl,
        new UploadMethod("PUT", media.DeclaredType, new Dictionary<string, string> { ["Content-Type"] = media.DeclaredType }),
        provider, Math.Max(0, media.ExpiresAt - now.ToUnixTimeSeconds()), DirectEnvelope.Timestamp(DateTimeOffset.FromUnixTimeSeconds(media.ExpiresAt)),
        maxSize, NextStep(media.Id, DirectStates.PendingUpload, null));

    public static Media Completed(DirectMediaView view)
    {
        var m = view.Media;
        return new Media(m.Id, [m.Id], view.Status, m.Kind, view.Width, view.Height, view.Duration, m.DeclaredSize,
            m.ContentType ?? m.DeclaredType, m.CreatedAt, NextStep(m.Id, view.Status, view.Failure));
    }

    public static MediaDetails Details(DirectMediaView view, string mediaBaseUrl)
    {
        var c = Completed(view);
        return new MediaDetails(c.MediaId, c.MediaIds, c.Status, c.Type, c.Width, c.Height, c.Duration, c.Size, c.ContentType, c.CreatedAt,
            c.NextStep, view.Media.Filename, Url(mediaBaseUrl, view.FileKey), Url(mediaBaseUrl, view.ThumbnailKey), view.Pages);
    }

    public static Post ForPost(DirectPost post) => new(post.Id, post.Content, post.MediaIdList, post.CreatedAt);

    private static string? Url(string baseUrl, string? key) => Web.MediaUrls.Combine(baseUrl, key);

    private static string NextStep(string id, string status, string? failure) => status switch
    {
        DirectStates.Ready => $"Media is ready. Attach it to a post by passing \"media_ids\": [\"{id}\"] to POST /v1/posts.",
        DirectStates.Processing => $"Media is processing. Poll GET /v1/media/{id} until status is ready, then pass \"media_ids\": [\"{id}\"] to POST /v1/posts.",
        DirectStates.Failed => $"Processing failed{(failure is null ? "" : ": " + failure)} Declare the file again with POST /v1/media/upload.",
        _ => $"Upload your file to upload_url, then call POST /v1/media/{id}/complete to finalize.",
    };
}
