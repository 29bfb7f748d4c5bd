namespace Mediary.Media;

/// <summary>A media attachment as stored.</summary>
public sealed class MediaAttachment
{
    public long Id { get; set; }
    public long AccountId { get; set; }
    public string Type { get; set; } = MediaTypes.Image;
    public string Processing { get; set; } = ProcessingStates.Complete;
    public string? FileKey { get; set; }
    public string? FileContentType { get; set; }
    public long? FileSize { get; set; }
    public string? SmallKey { get; set; }

    /// <summary>Custom or extracted (audio cover art) thumbnail; replaces <see cref="SmallKey"/> as the preview.</summary>
    public string? ThumbnailKey { get; set; }

    /// <summary>The raw upload of a video, audio or animated GIF, waiting for its processing job.</summary>
    public string? SourceKey { get; set; }

    /// <summary>ffprobe's JSON for <see cref="SourceKey"/>, when it was probed at upload.</summary>
    public string? SourceProbe { get; set; }

    /// <summary>
    /// What the source must still be shown to be before it is processed, when that needs the whole
    /// stored file (a video in a bucket): the serialized <see cref="Media.SourceCheck"/>; null once checked.
    /// </summary>
    public string? SourceCheck { get; set; }

    /// <summary>Why processing failed, in words for the client (the Mastodon face answers its own fixed text).</summary>
    public string? Failure { get; set; }

    /// <summary>The random stored name (16 hex digits) shared by every file of this media.</summary>
    public string? FileName { get; set; }

    /// <summary>Mastodon's <c>meta</c>; null until something about the file is known.</summary>
    public MediaMeta? Meta { get; set; }
    public string? Description { get; set; }
    public string? Blurhash { get; set; }
    public long? StatusId { get; set; }

    /// <summary>The direct upload this record processes; such media belong to the direct face only.</summary>
    public string? DirectId { get; set; }
    public string CreatedAt { get; set; } = "";
    /// <summary>Rewritten by every change of the row's content (Mastodon.MediaJsonCache answers by it).</summary>
    public string UpdatedAt { get; set; } = "";

    /// <summary>Mastodon's not_processed?: queued, in progress or failed.</summary>
    public bool IsProcessed => Processing == ProcessingStates.Complete;

    public string? PreviewKey => ThumbnailKey ?? SmallKey;

    /// <summary>
    /// A video or animated GIF whose first-frame preview is not written yet: its upload makes it
    /// while the job transcodes, and the media is done only when both are (<see cref="CompleteIfTranscoded"/>).
    /// </summary>
    public bool AwaitsPreview => Type is MediaTypes.Video or MediaTypes.Gifv && SmallKey is null;

    /// <summary>
    /// Marks done a media whose job already published its file while the preview was being made;
    /// true when it did, so the caller tells of it.
    /// </summary>
    public bool CompleteIfTranscoded()
    {
        if (Processing != ProcessingStates.InProgress || SourceKey is not null || FileKey is null || AwaitsPreview) return false;
        Processing = ProcessingStates.Complete;
        return true;
    }

    /// <summary>A copy that shares nothing mutable with this one.</summary>
    public MediaAttachment Copy()
    {
        var copy = (MediaAttachment)MemberwiseClone();
        copy.Meta = Meta?.Clone();
        return copy;
    }

    /// <summary>Every stored file of this media.</summary>
    public IEnumerable<string?> StoredKeys => [FileKey, SmallKey, ThumbnailKey, SourceKey];
}

public static class MediaTypes
{
    public const string Image = "image";
    public const string Gifv = "gifv";
    public const string Video = "video";
    public const string Audio = "audio";

    /// <summary>A PDF (direct face only): stored as uploaded, with its first page as the preview.</summary>
    public const string Document = "document";
}

public static class ProcessingStates
{
    public const string Queued = "queued";
    public const string InProgress = "in_progress";
    public const string Complete = "complete";
    public const string Failed = "failed";
}
