namespace Mediary.Media;

/// <summary>
/// The API face an upload comes through, with that face's size limits in bytes. Mastodon uploads
/// have no <see cref="DirectId"/>; a direct upload's core record carries the direct upload's id.
/// </summary>
public sealed record UploadOrigin(long ImageSizeLimit, long VideoSizeLimit, string? DirectId = null);
