namespace Mediary.Processing;

/// <summary>
/// Counts the scans (SOS markers) of a JPEG from its markers alone, without decoding it. A
/// progressive JPEG is decoded once per scan, so thousands of tiny scans over a large image keep
/// a decoder busy for many seconds while the file stays small; libjpeg-turbo guards against this
/// the same way (<c>djpeg -maxscans</c>, TurboJPEG's scan limit).
/// </summary>
public static class JpegScans
{
    /// <summary>The scans in the file, counting no further than <paramref name="stopAfter"/> (a bomb is read no further than needed).</summary>
    public static int Count(string path, int stopAfter)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        if (file.ReadByte() != 0xFF || file.ReadByte() != 0xD8) return 0;
        var scans = 0;
        while (scans <= stopAfter)
        {
            var current = file.ReadByte();
            if (current < 0) break;
            if (current != 0xFF) continue;
            var marker = file.ReadByte();
            while (marker == 0xFF) marker = file.ReadByte(); // fill bytes
            if (marker < 0 || marker == 0xD9) break; // end of file or of image
            // Segments are skipped by their length; what follows a scan's header is its data, read
            // up to the next marker: 0xFF00 there is a stuffed byte and RST0..7 restart markers.
            if (marker == 0x00 || marker is >= 0xD0 and <= 0xD7 || marker is 0x01 or 0xD8) continue;
            var high = file.ReadByte();
            var low = file.ReadByte();
            if (low < 0) break;
            var length = (high << 8) | low;
            if (length < 2) break;
            file.Seek(length - 2, SeekOrigin.Current);
            if (marker == 0xDA) scans++;
        }
        return scans;
    }
}
