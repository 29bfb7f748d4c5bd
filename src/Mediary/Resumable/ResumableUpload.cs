namespace Mediary.Resumable;

/// <summary>Where a resumable upload is in its life.</summary>
public static class ResumableStates
{
    /// <summary>Taking bytes.</summary>
    public const string Open = "open";

    /// <summary>Every byte is here and the upload became a media (its id in <see cref="ResumableUpload.MediaId"/>); its bytes are gone.</summary>
    public const string Done = "done";
}

/// <summary>
/// One resumable upload: its unguessable id (the last segment of its URL), its owner, the face it
/// belongs to, its length when known, and the offset up to which its bytes are durable. A direct
/// upload's bytes end as the declared upload of <see cref="DirectId"/>.
/// </summary>
public sealed record ResumableUpload
{
    public string Id { get; init; } = "";
    public long AccountId { get; init; }
    public string Face { get; init; } = "";
    public string? DirectId { get; init; }
    public long? Length { get; init; }
    public long Offset { get; init; }

    /// <summary>The tus <c>Upload-Metadata</c> header as the client sent it, or null.</summary>
    public string? Metadata { get; init; }

    public string State { get; init; } = ResumableStates.Open;
    public string? MediaId { get; init; }

    /// <summary>What the bytes backend keeps of this upload (JSON), or null.</summary>
    public string? BackendState { get; init; }

    public long Generation { get; init; }

    /// <summary>Unix seconds.</summary>
    public long ExpiresAt { get; init; }

    public string CreatedAt { get; init; } = "";

    public bool IsComplete => Length is { } length && Offset == length;

    public DateTimeOffset Expires => DateTimeOffset.FromUnixTimeSeconds(ExpiresAt);
}
