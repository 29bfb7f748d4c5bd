namespace Mediary.Direct;

/// <summary>
/// A direct upload as stored: what the client declared in step 1, then what <c>complete</c> found.
/// Images and videos are processed by the shared core, whose record carries this id
/// (<see cref="Media.MediaAttachment.DirectId"/>); PDFs are handled here and keep their files in
/// <see cref="FileKey"/> and <see cref="ThumbnailKey"/>.
/// </summary>
public sealed class DirectMedia
{
    public string Id { get; set; } = "";
    public long AccountId { get; set; }
    public string Kind { get; set; } = DirectKinds.Image;
    public string Filename { get; set; } = "";
    public string DeclaredType { get; set; } = "";
    public long DeclaredSize { get; set; }
    public string? ChecksumSha256 { get; set; }
    public string State { get; set; } = DirectStates.PendingUpload;

    /// <summary>The type sniffed from the bytes at <c>complete</c>.</summary>
    public string? ContentType { get; set; }
    public long? Size { get; set; }
    public long? Width { get; set; }
    public long? Height { get; set; }
    public long? Pages { get; set; }
    public string? FileKey { get; set; }
    public string? ThumbnailKey { get; set; }

    /// <summary>Why verification or processing failed, for the client.</summary>
    public string? Failure { get; set; }
    public string? PostId { get; set; }

    /// <summary>Until when (Unix seconds) a <c>complete</c> under way holds this upload; null when none does.</summary>
    public long? ClaimedUntil { get; set; }

    /// <summary>When the upload URL stops working, in Unix seconds; an upload still pending then is removed.</summary>
    public long ExpiresAt { get; set; }
    public string CreatedAt { get; set; } = "";

    /// <summary>Where step 2's bytes wait for <c>complete</c>: never under the public media path.</summary>
    public string UploadKey => UploadKeyFor(Id);

    public static string UploadKeyFor(string id) => $"direct_uploads/{id}";

    public bool IsExpired(DateTimeOffset now) => State == DirectStates.PendingUpload && ExpiresAt <= now.ToUnixTimeSeconds() && !IsClaimed(now);

    /// <summary>A <c>complete</c> is verifying and processing it right now (in this or another process).</summary>
    public bool IsClaimed(DateTimeOffset now) => ClaimedUntil > now.ToUnixTimeSeconds();

    public IEnumerable<string?> StoredKeys => [UploadKey, FileKey, ThumbnailKey];
}

/// <summary>The <c>type</c> of a direct upload, fixed by the declared content type.</summary>
public static class DirectKinds
{
    public const string Image = "image";
    public const string Video = "video";
    public const string Document = "document";
}

/// <summary><c>status</c> values; a handed-over image or video reads its status from its core record.</summary>
public static class DirectStates
{
    public const string PendingUpload = "pending_upload";
    public const string Processing = "processing";
    public const string Ready = "ready";
    public const string Failed = "failed";

    /// <summary>
    /// Stored only, shown as <see cref="Processing"/>: <c>complete</c> accepted the upload and a job
    /// verifies and processes it (a video or PDF in a bucket is fetched by a worker, not in the request).
    /// </summary>
    public const string Verifying = "verifying";
}
