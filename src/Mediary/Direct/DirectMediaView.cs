using Mediary.Media;

namespace Mediary.Direct;

/// <summary>A direct upload as a client sees it, with what its core media (once completed) adds.</summary>
public sealed record DirectMediaView(DirectMedia Media, MediaAttachment? Core)
{
    private readonly MediaGeometry? _original = Core is null ? null : Core.Meta?.Original;

    public string Status => Media.Status;

    public string? Failure => Media.Failure ?? Core?.Failure;

    public long? Width => _original?.Width;
    public long? Height => _original?.Height;

    /// <summary>Seconds, for videos.</summary>
    public double? Duration => Media.Kind == DirectKinds.Video ? _original?.Duration : null;

    /// <summary>Documents: the page count.</summary>
    public long? Pages => _original?.Pages;

    /// <summary>The processed file, once ready.</summary>
    public string? FileKey => Status == DirectStates.Ready ? Core?.FileKey : null;

    public string? ThumbnailKey => Core?.PreviewKey;
}
