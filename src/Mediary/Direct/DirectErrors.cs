namespace Mediary.Direct;

/// <summary>The direct API's error codes, each with its one HTTP status.</summary>
public static class DirectErrorCodes
{
    public const string ValidationError = "validation_error";
    public const string InvalidFieldName = "invalid_field_name";
    public const string UploadNotReady = "upload_not_ready";
    public const string VerificationFailed = "verification_failed";
    public const string MediaInUse = "media_in_use";
    public const string AuthenticationFailed = "authentication_failed";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string PayloadTooLarge = "payload_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string RateLimitExceeded = "rate_limit_exceeded";
    public const string InternalError = "internal_error";
    public const string ServiceUnavailable = "service_unavailable";
    public const string QuotaExceeded = "quota_exceeded";

    // Resumable uploads (tus) on resumable_upload_url.
    public const string OffsetMismatch = "upload_offset_mismatch";
    public const string TusVersionUnsupported = "tus_version_unsupported";
    public const string ChecksumMismatch = "checksum_mismatch";

    public static int StatusFor(string code) => code switch
    {
        AuthenticationFailed => StatusCodes.Status401Unauthorized,
        Forbidden or QuotaExceeded => StatusCodes.Status403Forbidden,
        NotFound => StatusCodes.Status404NotFound,
        OffsetMismatch => StatusCodes.Status409Conflict,
        TusVersionUnsupported => StatusCodes.Status412PreconditionFailed,
        ChecksumMismatch => Resumable.Tus.ChecksumMismatchStatus,
        MethodNotAllowed => StatusCodes.Status405MethodNotAllowed,
        PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        RateLimitExceeded => StatusCodes.Status429TooManyRequests,
        InternalError => StatusCodes.Status500InternalServerError,
        ServiceUnavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>The code for a status that a request ended with before any endpoint wrote a body.</summary>
    public static (string Code, string Message) ForBareStatus(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => (AuthenticationFailed, "A valid API key is required: send Authorization: Bearer <key>."),
        StatusCodes.Status403Forbidden => (Forbidden, "This request is not allowed."),
        StatusCodes.Status404NotFound => (NotFound, "No such endpoint. See the API documentation for the available routes."),
        StatusCodes.Status405MethodNotAllowed => (MethodNotAllowed, "This endpoint does not accept that HTTP method."),
        StatusCodes.Status413PayloadTooLarge => (PayloadTooLarge, "The request body is too large."),
        StatusCodes.Status415UnsupportedMediaType => (UnsupportedMediaType, "Send the request body as application/json."),
        StatusCodes.Status503ServiceUnavailable => (ServiceUnavailable, "The service is temporarily unavailable; try again shortly."),
        >= 500 => (InternalError, "Something went wrong on our side; try again, and report the request_id if it persists."),
        _ => (ValidationError, "The request could not be processed."),
    };
}

/// <summary>A failure the direct API reports in its envelope: a code, a sentence, and the field at fault if any.</summary>
public sealed class DirectApiException(string code, string message, string? field = null) : Exception(message)
{
    public string Code { get; } = code;
    public string? Field { get; } = field;
    public int Status => DirectErrorCodes.StatusFor(Code);

    public static DirectApiException Validation(string field, string message) => new(DirectErrorCodes.ValidationError, message, field);
    /// <summary>The account's storage quota: the core's sentence without Rails' "Validation failed: ".</summary>
    public static DirectApiException QuotaExceeded(string message) =>
        new(DirectErrorCodes.QuotaExceeded, (message.StartsWith("Validation failed: ", StringComparison.Ordinal) ? message[19..] : message) + ".");

    public static DirectApiException NotFound(string what = "Media") => new(DirectErrorCodes.NotFound, $"{what} not found.");
    public static DirectApiException Forbidden(string message) => new(DirectErrorCodes.Forbidden, message);
    public static DirectApiException VerificationFailed(string message) => new(DirectErrorCodes.VerificationFailed, message);
}
