namespace Mediary.Processing;

/// <summary>The logical screen of a GIF rewritten by <see cref="GifSanitizer"/>, its frame count and loop count.</summary>
public sealed record SanitizedGif(int Width, int Height, int Frames, int? LoopCount);

/// <summary>
/// Rewrites a GIF with only what displays it: the header, the logical screen and global colour
/// table, each frame's graphic control, descriptor, local colour table and image data, and the
/// loop count. Everything else goes: comments, plain text, every other application extension
/// (XMP, ImageMagick's MGKIPTC0000 and MGK8BIM0000, ...), image data after a frame's end code and
/// anything after the trailer. The logical screen becomes the bounds of what is visible, so a
/// 1×1 frame in a claimed 65535×65535 screen is a 1×1 GIF (see <see cref="GifLayout"/>).
/// Palettes, pixels and timing are copied untouched.
/// </summary>
public static class GifSanitizer
{
    /// <summary>Reads <paramref name="input"/> (seekable) twice: once to measure, once to write.</summary>
    /// <exception cref="InvalidDataException">Malformed, truncated, or without a visible frame.</exception>
    public static SanitizedGif Copy(Stream input, Stream output)
    {
        if (!input.CanSeek) throw new ArgumentException("the GIF is read twice: the stream must be seekable", nameof(input));
        var start = input.Position;
        var layout = new GifLayout();
        new GifPass(input, layout, output: null).Run();
        layout.Complete();
        input.Position = start;
        new GifPass(input, layout, output).Run();
        return new SanitizedGif(layout.Width, layout.Height, layout.Frames, layout.LoopCount);
    }
}

/// <summary>
/// Where the frames of a GIF are shown, measured on the first pass. The canvas is the declared
/// screen, enlarged to hold the first frame (as browsers and libvips do; a screen of 0×0 is
/// common from broken encoders); a frame is visible where it meets the canvas, and the stored
/// screen is the bounding box of the visible parts, with the frames moved by its corner. A frame
/// reaching past the canvas keeps its size and is cropped by every decoder as before; a frame
/// entirely outside it, or empty, becomes a transparent 1×1 frame with the same delay.
/// </summary>
internal sealed class GifLayout
{
    private int _canvasWidth, _canvasHeight;
    private int _minX = int.MaxValue, _minY = int.MaxValue, _maxX, _maxY;
    private bool _measured;

    public int Frames { get; private set; }
    public int? LoopCount { get; set; }
    public bool HasControl { get; set; }
    public bool HasPlaceholder { get; private set; }
    public int OffsetX => _minX;
    public int OffsetY => _minY;
    public int Width => _maxX - _minX;
    public int Height => _maxY - _minY;

    /// <summary>Starts a pass at the declared screen.</summary>
    public void Screen(int width, int height)
    {
        (_canvasWidth, _canvasHeight) = (width, height);
        Frames = 0;
    }

    /// <summary>The next frame; returns whether any of it is visible. The first pass measures the bounds.</summary>
    public bool Place(int left, int top, int width, int height)
    {
        if (Frames++ == 0 && width > 0 && height > 0)
        {
            _canvasWidth = Math.Max(_canvasWidth, left + width);
            _canvasHeight = Math.Max(_canvasHeight, top + height);
        }
        var visible = width > 0 && height > 0 && left < _canvasWidth && top < _canvasHeight;
        if (_measured) return visible;
        if (!visible)
        {
            HasPlaceholder = true;
            return false;
        }
        _minX = Math.Min(_minX, left);
        _minY = Math.Min(_minY, top);
        _maxX = Math.Max(_maxX, Math.Min(left + width, _canvasWidth));
        _maxY = Math.Max(_maxY, Math.Min(top + height, _canvasHeight));
        return true;
    }

    /// <summary>Ends the first pass; the second replays the same frames against the bounds found.</summary>
    public void Complete()
    {
        if (_minX == int.MaxValue) throw new InvalidDataException("no frame of the GIF is inside its screen");
        if (Width > ushort.MaxValue || Height > ushort.MaxValue) throw new InvalidDataException("the GIF's frames span more than a GIF screen can hold");
        _measured = true;
    }
}
