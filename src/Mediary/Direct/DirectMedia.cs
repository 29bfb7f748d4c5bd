namespace Mediary.Direct;

/// <summary>
/// What is the direct face's own of an upload: the declaration of step 1, the upload URL's expiry,
/// the claim of a <c>complete</c> under way, a verification's failure and the post link. Once
/// completed, the file is a core media whose record carries this id
/// (<see cref="Media.MediaAttachment.DirectId"/>) and says what it is now.
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

    /// <summary>One of <see cref="DirectStates"/>' stored states.</summary>
    public string State { get; set; } = DirectStates.PendingUpload;

    /// <summary>The type sniffed from the bytes at <c>complete</c>.</summary>
    public string? ContentType { get; set; }

    /// <summary>Why verification failed, for the client; a core media that failed later says so itself.</summary>
    public string? Failure { get; set; }
    public string? PostId { get; set; }

    /// <summary>Until when (Unix seconds) a <c>complete</c> under way holds this upload; null when none does.</summary>
    public long? ClaimedUntil { get; set; }

    /// <summary>When the upload URL stops working, in Unix seconds; an upload still pending then is removed.</summary>
    public long ExpiresAt { get; set; }
    public string CreatedAt { get; set; } = "";

    /// <summary>The status the client sees, as <see cref="DirectMediaRepository"/> derives it (read only).</summary>
    public string Status { get; set; } = DirectStates.PendingUpload;

    /// <summary>The core media that took the upload (read only); null before <c>complete</c> hands it over.</summary>
    public long? CoreId { get; set; }

    /// <summary>Where step 2's bytes wait for <c>complete</c>: never under the public media path.</summary>
    public string UploadKey => UploadKeyFor(Id);

    public static string UploadKeyFor(string id) => $"direct_uploads/{id}";

    public bool IsExpired(DateTimeOffset now) => State == DirectStates.PendingUpload && ExpiresAt <= now.ToUnixTimeSeconds() && !IsClaimed(now);

    /// <summary>A <c>complete</c> is verifying and processing it right now (in this or another process).</summary>
    public bool IsClaimed(DateTimeOffset now) => ClaimedUntil > now.ToUnixTimeSeconds();
}

/// <summary>The <c>type</c> of a direct upload, fixed by the declared content type.</summary>
public static class DirectKinds
{
    public const string Image = "image";
    public const string Video = "video";
    public const string Document = "document";
}

/// <summary>The <c>status</c> values a client sees, and the states stored on the direct row.</summary>
public static class DirectStates
{
    public const string PendingUpload = "pending_upload";
    public const string Processing = "processing";
    public const string Ready = "ready";
    public const string Failed = "failed";

    /// <summary>Stored only: handed over to the core, whose media's processing gives the status.</summary>
    public const string Completed = "completed";

    /// <summary>
    /// Stored only, by an earlier version, and shown as <see cref="Processing"/>: a job of kind
    /// <see cref="DirectCompletionJobs.JobKind"/> completes it.
    /// </summary>
    public const string Verifying = "verifying";
}
