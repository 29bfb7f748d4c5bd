using System.ComponentModel.DataAnnotations;

namespace Mediary.Configuration;

/// <summary>Section <c>Mediary</c>: where data lives and how media URLs are built.</summary>
public sealed class MediaryOptions
{
    public const string Section = "Mediary";

    /// <summary>Directory holding the SQLite database, media files and temporary uploads.</summary>
    [Required] public string DataDirectory { get; set; } = "data";

    /// <summary>Base of media URLs (e.g. a CDN); unset: the request's scheme and host.</summary>
    [Url] public string? PublicBaseUrl { get; set; }

    /// <summary>
    /// Remember media rows in memory between requests. Correct only while one process writes the
    /// database, as on the embedded default; turn off when several processes share it.
    /// </summary>
    public bool CacheMediaRows { get; set; } = true;
}

public enum DatabaseProvider { Sqlite, PostgreSQL }

/// <summary>Section <c>Database</c>: SQLite in the data directory (the default), or PostgreSQL.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>PostgreSQL's connection string (Npgsql's keywords); unused for SQLite.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Whether processes and CLI commands bring the schema up to date when they start. When false,
    /// only the <c>migrate</c> command changes it, and anything else refuses to run on an old schema.
    /// </summary>
    public bool MigrateOnStart { get; set; } = true;
}

/// <summary>Section <c>Media</c>: Mastodon's limits, all in bytes, pixels or characters.</summary>
public sealed class MediaLimitsOptions
{
    public const string Section = "Media";

    [Range(1, long.MaxValue)] public long ImageSizeLimit { get; set; } = 16 * 1024 * 1024;
    [Range(1, long.MaxValue)] public long ImageMatrixLimit { get; set; } = 33_177_600;
    [Range(1, long.MaxValue)] public long GifMatrixLimit { get; set; } = 921_600;
    [Range(1, long.MaxValue)] public long VideoSizeLimit { get; set; } = 99 * 1024 * 1024;
    [Range(1, long.MaxValue)] public long VideoMatrixLimit { get; set; } = 8_294_400;
    [Range(1, 10_000)] public int VideoFrameRateLimit { get; set; } = 120;
    [Range(1, 1_000_000)] public int DescriptionLimit { get; set; } = 10_000;

    /// <summary>
    /// Most scans a JPEG may have: a progressive JPEG is decoded once per scan, so a small file with
    /// thousands of them keeps a decoder busy for many seconds. Encoders write a few (libjpeg's
    /// progressive mode 10, as do Mastodon's fixtures); 100 empty scans over a 33 MP image decode in
    /// about half a second, where 15,000 took a helper's whole 30 s.
    /// </summary>
    [Range(1, 100_000)] public int JpegMaxScans { get; set; } = 100;

    /// <summary>
    /// Most frames an animated GIF may have. Each frame is composed over the whole screen and
    /// encoded, so frames cost alike however few pixels they change: 8,000 frames of one pixel on a
    /// 960×960 screen took a minute to transcode.
    /// </summary>
    [Range(2, 100_000)] public int AnimationMaxFrames { get; set; } = 3_000;

    /// <summary>
    /// Most pixels an animated GIF may have over all its frames (frames × screen): 500 million is
    /// about 4 s of transcoding here, 540 frames at 960×960 or 2,000 at 500×500.
    /// </summary>
    [Range(1, long.MaxValue)] public long AnimationMaxPixels { get; set; } = 500_000_000;

    /// <summary>Originals above this many pixels are downscaled.</summary>
    [Range(1, long.MaxValue)] public long OriginalMaxPixels { get; set; } = 8_294_400;

    /// <summary>The <c>small</c> preview fits this many pixels (about 640×360).</summary>
    [Range(1, long.MaxValue)] public long SmallMaxPixels { get; set; } = 230_400;

    /// <summary>Room for form fields besides the file in a multipart body.</summary>
    [Range(0, long.MaxValue)] public long FormOverheadBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest urlencoded or JSON body (these are buffered, unlike multipart).</summary>
    [Range(1, long.MaxValue)] public long MaxBufferedBodyBytes { get; set; } = 24 * 1024 * 1024;

    public long LargestFileSize => Math.Max(ImageSizeLimit, VideoSizeLimit);
    public long MaxMultipartBodyBytes => LargestFileSize + FormOverheadBytes;
}

/// <summary>Section <c>Statuses</c>: Mastodon's limits on a status.</summary>
public sealed class StatusOptions
{
    public const string Section = "Statuses";

    /// <summary>Longest status, in Mastodon's count (grapheme clusters; a URL counts as 23); advertised as <c>max_characters</c>.</summary>
    [Range(1, 1_000_000)] public int MaxCharacters { get; set; } = 500;
}

/// <summary>Section <c>Processing</c>: image helper processes.</summary>
public sealed class ProcessingOptions
{
    public const string Section = "Processing";

    /// <summary>Image helper processes kept warm; 0 means one per CPU core.</summary>
    [Range(0, 256)] public int Concurrency { get; set; }

    /// <summary>Longest an upload may wait for and use a helper, in seconds.</summary>
    [Range(1, 3600)] public int TimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Uploads of one account processed at once by this process; more wait their turn (at most
    /// <see cref="TimeoutSeconds"/>, then 503). 0 means half the helpers, at least one, so one
    /// account never holds every helper.
    /// </summary>
    [Range(0, 256)] public int PerAccountConcurrency { get; set; }

    public int EffectivePerAccountConcurrency => PerAccountConcurrency > 0 ? PerAccountConcurrency : Math.Max(1, EffectiveConcurrency / 2);

    public int EffectiveConcurrency => Concurrency > 0 ? Concurrency : Environment.ProcessorCount;
    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);
}

/// <summary>
/// How PDFs are checked and previewed. The keys live in section <c>Direct</c>, where they were
/// first documented: only the direct face accepts documents.
/// </summary>
public sealed class DocumentOptions
{
    public const string Section = "Direct";

    /// <summary>Longest a PDF check or first-page render may run, in seconds.</summary>
    [Range(1, 3600)] public int DocumentTimeoutSeconds { get; set; } = 30;

    /// <summary>Longest side of thumbnails rendered from PDFs, in pixels.</summary>
    [Range(16, 4096)] public int ThumbnailMaxSide { get; set; } = 640;

    public TimeSpan DocumentTimeout => TimeSpan.FromSeconds(DocumentTimeoutSeconds);
}
