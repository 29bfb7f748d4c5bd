using System.Buffers.Binary;

namespace Mediary.Processing;

/// <summary>
/// What Mastodon's meta needs of an MP4 that Mediary itself just wrote, read from its <c>moov</c>
/// box (at the front, as the outputs are written with faststart) instead of starting ffprobe:
/// the movie's duration (<c>mvhd</c>), the video track's size and display rotation (<c>tkhd</c>),
/// its average frame rate (samples in <c>stts</c> over the <c>mdhd</c> duration, as ffprobe
/// computes <c>avg_frame_rate</c>), and the bitrate from the file size. Anything unexpected gives
/// null, and the caller falls back to ffprobe.
/// </summary>
public static class Mp4Summary
{
    /// <summary>What was read: the movie's duration in seconds and bitrate in bits per second, and the video track's displayed size and frame rate ("num/den") when it has one.</summary>
    public sealed record Summary(double Duration, long Bitrate, int? Width = null, int? Height = null, string? FrameRate = null);

    /// <summary>How far into the file the <c>moov</c> box is looked for.</summary>
    private const int MaxHeaderBytes = 4 * 1024 * 1024;

    public static Summary? TryRead(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            var length = file.Length;
            var head = new byte[(int)Math.Min(length, MaxHeaderBytes)];
            file.ReadExactly(head);
            var moov = FindBox(head.AsMemory(), "moov");
            return moov is { } body ? Summarize(body, length) : null;
        }
        catch (Exception e) when (e is IOException or ArgumentOutOfRangeException or EndOfStreamException)
        {
            return null;
        }
    }

    private static Summary? Summarize(ReadOnlyMemory<byte> moov, long fileSize)
    {
        if (FindBox(moov, "mvhd") is not { } movieHeader) return null;
        var (movieScale, movieDuration) = ScaleAndDuration(movieHeader.Span);
        if (movieScale == 0 || movieDuration == 0) return null;
        var duration = (double)movieDuration / movieScale;

        var summary = new Summary(duration, (long)(fileSize * 8 / duration));
        foreach (var trak in Boxes(moov, "trak"))
        {
            var handler = FindBox(trak, "mdia") is { } mdiaBox ? FindBox(mdiaBox, "hdlr") : null;
            if (handler is not { Length: >= 12 } h || !h.Span.Slice(8, 4).SequenceEqual("vide"u8)) continue;
            return VideoTrack(trak, summary);
        }
        return summary;
    }

    /// <summary>The summary with the video track's size and frame rate; null when the track is not as expected.</summary>
    private static Summary? VideoTrack(ReadOnlyMemory<byte> trak, Summary movie)
    {
        if (FindBox(trak, "tkhd") is not { } tkhdBox) return null;
        var tkhd = tkhdBox.Span;
        // tkhd: version/flags, times and ids (20 bytes, 32 in version 1), 8 reserved, layer, group,
        // volume, reserved (8), the 3×3 matrix (36), then width and height in 16.16 fixed point.
        var matrixAt = (tkhd[0] == 1 ? 32 : 20) + 4 + 8 + 8;
        if (tkhd.Length < matrixAt + 44) return null;
        var a = BinaryPrimitives.ReadInt32BigEndian(tkhd[matrixAt..]);
        var b = BinaryPrimitives.ReadInt32BigEndian(tkhd[(matrixAt + 4)..]);
        var width = (int)(BinaryPrimitives.ReadUInt32BigEndian(tkhd[(matrixAt + 36)..]) >> 16);
        var height = (int)(BinaryPrimitives.ReadUInt32BigEndian(tkhd[(matrixAt + 40)..]) >> 16);
        // A quarter turn in the display matrix: shown with width and height swapped, as Mastodon reports.
        if (Math.Abs(b) > Math.Abs(a)) (width, height) = (height, width);

        var mdia = FindBox(trak, "mdia");
        var mdhd = mdia is { } m ? FindBox(m, "mdhd") : null;
        var stts = mdia is { } m2 && FindBox(m2, "minf") is { } minf && FindBox(minf, "stbl") is { } stbl ? FindBox(stbl, "stts") : null;
        if (mdhd is not { } mediaHeader || stts is not { Length: >= 8 } sttsBox) return null;
        var samples = sttsBox.Span;
        var (scale, trackDuration) = ScaleAndDuration(mediaHeader.Span);
        long frames = 0;
        var entries = BinaryPrimitives.ReadUInt32BigEndian(samples[4..]);
        if (samples.Length < 8 + entries * 8) return null;
        for (var i = 0; i < entries; i++) frames += BinaryPrimitives.ReadUInt32BigEndian(samples[(8 + i * 8)..]);
        if (width <= 0 || height <= 0 || scale == 0 || trackDuration == 0 || frames == 0) return null;

        var rate = Rational.Reduced(frames * scale, trackDuration);
        return movie with { Width = width, Height = height, FrameRate = rate.ToString() };
    }

    /// <summary>mvhd and mdhd: the time scale and the duration, in version 0 or 1 layout.</summary>
    private static (long Scale, long Duration) ScaleAndDuration(ReadOnlySpan<byte> header) => header[0] == 1
        ? (BinaryPrimitives.ReadUInt32BigEndian(header[20..]), (long)BinaryPrimitives.ReadUInt64BigEndian(header[24..]))
        : (BinaryPrimitives.ReadUInt32BigEndian(header[12..]), BinaryPrimitives.ReadUInt32BigEndian(header[16..]));

    private static ReadOnlyMemory<byte>? FindBox(ReadOnlyMemory<byte> data, string type)
    {
        foreach (var (boxType, start, length) in Walk(data))
        {
            if (boxType == type) return data.Slice(start, length);
        }
        return null;
    }

    private static IEnumerable<ReadOnlyMemory<byte>> Boxes(ReadOnlyMemory<byte> data, string type) =>
        Walk(data).Where(box => box.Type == type).Select(box => data.Slice(box.Start, box.Length));

    /// <summary>The boxes at one level: type, and where their body starts and how long it is.</summary>
    private static List<(string Type, int Start, int Length)> Walk(ReadOnlyMemory<byte> memory)
    {
        var data = memory.Span;
        var boxes = new List<(string, int, int)>();
        var offset = 0;
        while (offset + 8 <= data.Length)
        {
            long size = BinaryPrimitives.ReadUInt32BigEndian(data[offset..]);
            var type = System.Text.Encoding.ASCII.GetString(data.Slice(offset + 4, 4));
            var headerLength = 8;
            if (size == 1)
            {
                if (offset + 16 > data.Length) break;
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(data[(offset + 8)..]);
                headerLength = 16;
            }
            else if (size == 0)
            {
                size = data.Length - offset;
            }
            if (size < headerLength || offset + size > data.Length)
            {
                // A box running past what was read: its body is incomplete, except for one we skip anyway.
                if (type is "moov" or "trak" or "mdia" or "minf" or "stbl") break;
                boxes.Add((type, offset + headerLength, 0));
                break;
            }
            boxes.Add((type, offset + headerLength, (int)size - headerLength));
            offset += (int)size;
        }
        return boxes;
    }
}
