namespace Mediary.Media;

/// <summary>
/// What one API face accepts: which families of file, and its size bound per family in bytes with
/// its own rule (Mastodon's "less than the limit", the direct face's "at most max_size").
/// Uploads of the direct face carry its upload's id in <see cref="DirectId"/>, which keeps the
/// core record out of the Mastodon face and its vacuum.
/// </summary>
public sealed record UploadPolicy(string Face, IReadOnlySet<MediaFamily> Families, long ImageSizeLimit, long VideoSizeLimit,
    long DocumentSizeLimit, bool LimitIsInclusive, string? DirectId = null)
{
    /// <summary>Ogg and WebM count as video or audio until probed: accepted when either is.</summary>
    public bool Accepts(MediaFamily family) => family == MediaFamily.VideoOrAudio
        ? Families.Contains(MediaFamily.Video) || Families.Contains(MediaFamily.Audio)
        : Families.Contains(family);

    public bool AcceptsAudio => Families.Contains(MediaFamily.Audio);

    /// <summary>Mastodon's rule: the file must be less than the limit (16 MB images, 99 MB videos).</summary>
    public static UploadPolicy Mastodon(long imageSizeLimit, long videoSizeLimit) =>
        new("mastodon", new HashSet<MediaFamily> { MediaFamily.Image, MediaFamily.Video, MediaFamily.Audio }, imageSizeLimit, videoSizeLimit,
            DocumentSizeLimit: 0, LimitIsInclusive: false);
}

/// <summary>
/// An upload whose bytes are already stored under <see cref="Key"/> (the direct face's step 2),
/// with what its client declared: the core checks the bytes against it.
/// </summary>
public sealed record StoredUpload(string Key, string FileName, string DeclaredType, long DeclaredLength, string? Sha256);

/// <summary>
/// What a stored source must still be shown to be, when only its whole file can tell (a video in a
/// bucket, checked by its job): its length, its SHA-256 if declared, and whether audio alone will do.
/// </summary>
public sealed record SourceCheck(long Length, string? Sha256, bool AudioAllowed, string DeclaredType)
{
    public string Serialize() => System.Text.Json.JsonSerializer.Serialize(this);

    public static SourceCheck? Parse(string? json) => string.IsNullOrEmpty(json) ? null : System.Text.Json.JsonSerializer.Deserialize<SourceCheck>(json);
}
