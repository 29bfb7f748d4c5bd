using Mediary.Processing;

namespace Mediary.Media;

/// <summary>
/// The upload rules, as pure functions of what is known about a file: each returns the
/// face-neutral error (Mastodon's text, which the direct face wraps in its own), or null when the
/// rule holds. Both faces and every entry point use these.
/// </summary>
public static class UploadRules
{
    /// <summary>The size bound: less than <paramref name="limit"/>, or at most it when <paramref name="inclusive"/>.</summary>
    public static string? SizeError(long length, long limit, bool inclusive) =>
        (inclusive ? length > limit : length >= limit) ? MediaMessages.FileTooBig(limit) : null;

    /// <summary>
    /// Whether an animation would cost too much to transcode: more than <paramref name="maxFrames"/>
    /// frames, or more than <paramref name="maxPixels"/> pixels over all its frames (every frame is
    /// composed over the whole screen, however small the part it changes).
    /// </summary>
    public static bool AnimationTooCostly(int frames, long screenPixels, int maxFrames, long maxPixels) =>
        frames > 1 && (frames > maxFrames || frames * screenPixels > maxPixels);

    /// <summary>Mastodon counts Unicode code points (Ruby String#length), not UTF-16 units.</summary>
    public static string? DescriptionError(TextInput description, int limit) =>
        description.Overflowed || (description.Value is not null && CodePoints(description.Value) > limit)
            ? MediaMessages.DescriptionTooLong(limit)
            : TextRules.NullCharacterError("Description", description.Value);

    /// <summary>Mastodon's check_video_dimensions, in its order: no stream, then pixels, then frame rate.</summary>
    public static string? VideoError(ProbedVideoStream? video, long matrixLimit, int frameRateLimit)
    {
        if (video is null || video.Width <= 0 || video.FrameRateValue <= 0) return "Video has no video stream";
        if ((long)video.Width * video.Height > matrixLimit) return $"{video.Width}x{video.Height} videos are not supported";
        var fps = (int)Math.Floor(video.FrameRateValue);
        return fps > frameRateLimit ? $"{fps}fps videos are not supported" : null;
    }

    /// <summary>A stored upload's bytes against its declaration: the length first, then the SHA-256 when one was declared.</summary>
    public static string? DeclarationError(long length, string? sha256, long declaredLength, string? declaredSha256) =>
        length != declaredLength ? $"The uploaded file is {length} bytes, but size declared {declaredLength}."
        : declaredSha256 is not null && !string.Equals(sha256, declaredSha256, StringComparison.OrdinalIgnoreCase)
            ? "The uploaded file's SHA-256 does not match the one declared (checksum_sha256)."
            : null;

    /// <summary>The sniffed type must be of a family the policy accepts.</summary>
    public static string? TypeError(SniffedType? found, UploadPolicy policy, string declaredType) =>
        TypeError(found, policy.Accepts, declaredType);

    /// <summary>The sniffed type must be of a family <paramref name="accepts"/> takes.</summary>
    public static string? TypeError(SniffedType? found, Func<MediaFamily, bool> accepts, string declaredType) =>
        found is not null && accepts(found.Family) ? null
        : $"The file's content is {(found is null ? "not a supported image, video or PDF" : found.MimeType)}, but {declaredType} was declared.";

    /// <summary>A file whose probe finds only sound, where the policy wants a picture.</summary>
    public static string? AudioOnlyError(bool audioOnly, bool audioAllowed, string declaredType) =>
        audioOnly && !audioAllowed ? $"The file holds only audio, but {declaredType} was declared." : null;

    private static int CodePoints(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes()) count++;
        return count;
    }
}
