using Mediary.Media;

namespace Mediary.Direct;

/// <summary>
/// A direct upload as a client sees it at <paramref name="Now"/>, with what its core record (images,
/// videos) adds.
/// </summary>
public sealed record DirectMediaView(DirectMedia Media, MediaAttachment? Core, DateTimeOffset Now)
{
    private readonly MediaGeometry? _original = Core is null ? null : MediaMeta.Parse(Core.Meta).Original;

    public string Status => Media.State switch
    {
        DirectStates.Processing when Media.Kind != DirectKinds.Document => Core?.Processing switch
        {
            ProcessingStates.Complete => DirectStates.Ready,
            ProcessingStates.Queued or ProcessingStates.InProgress => DirectStates.Processing,
            _ => DirectStates.Failed,
        },
        // A complete under way, here or in another process, or a job verifying the upload.
        DirectStates.PendingUpload when Media.IsClaimed(Now) => DirectStates.Processing,
        DirectStates.Verifying => DirectStates.Processing,
        _ => Media.State,
    };

    public long? Width => _original?.Width ?? Media.Width;
    public long? Height => _original?.Height ?? Media.Height;

    /// <summary>Seconds, for videos.</summary>
    public double? Duration => Media.Kind == DirectKinds.Video ? _original?.Duration : null;

    /// <summary>The processed file, once ready.</summary>
    public string? FileKey => Status == DirectStates.Ready ? Core?.FileKey ?? Media.FileKey : null;

    public string? ThumbnailKey => Core?.PreviewKey ?? Media.ThumbnailKey;
}
