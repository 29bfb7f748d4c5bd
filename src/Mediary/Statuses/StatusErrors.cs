namespace Mediary.Statuses;

/// <summary>Mastodon's media_attachments.validations.* and status validation messages.</summary>
public static class StatusMessages
{
    public const string TooMany = "Cannot attach more than 4 files";
    public const string ImagesAndVideo = "Cannot attach a video to a post that already contains images";
    public const string NotReady = "Cannot attach files that have not finished processing. Try again in a moment!";
    public const string TextBlank = "Validation failed: Text can't be blank";

    public static string NotFound<T>(IEnumerable<T> ids) => $"Media {string.Join(", ", ids)} not found or already attached to another post";
}
