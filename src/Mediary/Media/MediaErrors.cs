namespace Mediary.Media;

public enum MediaErrorKind
{
    Validation,
    NotFound,
    InUse,
    ProcessingFailed,
    TooLarge,
    Unavailable,

    /// <summary>A stored upload is not what its client declared (type, length, checksum, audio only); the message says how.</summary>
    Rejected,

    /// <summary>No bytes are stored under a stored upload's key yet.</summary>
    SourceMissing,

    /// <summary>The account's storage quota (<c>Quotas:StorageBytes</c>) would be exceeded.</summary>
    QuotaExceeded,
}

/// <summary>
/// A failure the client should hear about. The message is Mastodon's exact text; each API face
/// turns the kind into its own status code and body, in one place.
/// </summary>
public sealed class MediaException(MediaErrorKind kind, string message) : Exception(message)
{
    public MediaErrorKind Kind { get; } = kind;

    public static MediaException NotFound() => new(MediaErrorKind.NotFound, "Record not found");
    public static MediaException InUse() => new(MediaErrorKind.InUse, "Media attachment is currently used by a status");
    public static MediaException ProcessingFailed() => new(MediaErrorKind.ProcessingFailed, "Error processing thumbnail for uploaded media");
    public static MediaException TooLarge() => new(MediaErrorKind.TooLarge, "Request entity too large");
    public static MediaException Invalid(string message) => new(MediaErrorKind.Validation, message);
    public static MediaException Rejected(string reason) => new(MediaErrorKind.Rejected, reason);
    /// <summary>A sentence of Mediary's own (Mastodon has no quotas), worded as Rails words its validations.</summary>
    public static MediaException QuotaExceeded(long limit) =>
        new(MediaErrorKind.QuotaExceeded, $"Validation failed: Storage quota of {MediaMessages.HumanSize(limit)} exceeded");

    public static MediaException SourceMissing() => new(MediaErrorKind.SourceMissing, "No file has been uploaded yet");

    /// <summary>Rails' RecordInvalid: "Validation failed: " and the messages joined with ", ".</summary>
    public static MediaException ValidationFailed(IEnumerable<string> messages) =>
        new(MediaErrorKind.Validation, "Validation failed: " + string.Join(", ", messages));
}

/// <summary>Mastodon's validation messages.</summary>
public static class MediaMessages
{
    public const string FileBlank = "File can't be blank";
    public const string ContentTypeInvalid = "File content type is invalid, File is invalid";
    public const string ThumbnailMustBeBlank = "Thumbnail must be blank";
    public const string FocusInvalid = "Focus must be two comma-separated numbers";

    public static string DescriptionTooLong(int limit) => $"Description is too long (maximum is {limit} characters)";

    public static string FileTooBig(long limit)
    {
        var human = HumanSize(limit);
        return $"File must be less than {human}, File file size must be less than {human}";
    }

    public static string ImageTooManyPixels(int width, int height) => $"{width}x{height} images are not supported";
    public static string GifTooManyPixels(int width, int height) => $"{width}x{height} GIF files are not supported";

    /// <summary>Rails' number_to_human_size: base 1024, three significant digits, trailing zeros dropped.</summary>
    public static string HumanSize(long bytes)
    {
        string[] units = ["Bytes", "KB", "MB", "GB", "TB"];
        if (bytes < 1024) return bytes == 1 ? "1 Byte" : $"{bytes} Bytes";
        var exponent = Math.Min((int)Math.Floor(Math.Log(bytes, 1024)), units.Length - 1);
        var value = bytes / Math.Pow(1024, exponent);
        var digits = Math.Max(0, 3 - ((int)Math.Floor(Math.Log10(value)) + 1));
        var rounded = Math.Round(value, digits, MidpointRounding.AwayFromZero);
        return $"{rounded.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)} {units[exponent]}";
    }
}
