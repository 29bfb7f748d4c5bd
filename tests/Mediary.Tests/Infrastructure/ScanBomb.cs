namespace Mediary.Tests.Infrastructure;

/// <summary>
/// A grey 1000×1000 progressive JPEG (libvips) with empty AC scans added before its end: each is a
/// Huffman table with one code, for one end-of-band run over all 15,625 blocks (2 bytes of data).
/// </summary>
internal static class ScanBomb
{
    public static string Progressive(ScratchDirectory scratch)
    {
        var grey = scratch.PathOf("grey.png");
        var progressive = scratch.PathOf("progressive.jpg");
        if (!File.Exists(progressive))
        {
            Tools.MustRun("vips", "gaussnoise", grey, "1000", "1000");
            Tools.MustRun("vips", "copy", grey, progressive + "[interlace,Q=75]");
        }
        return progressive;
    }

    public static string Write(ScratchDirectory scratch, int extraScans)
    {
        var jpeg = File.ReadAllBytes(Progressive(scratch));
        Assert.True(jpeg[^2] == 0xFF && jpeg[^1] == 0xD9);
        // DHT: class 1 (AC), table 0; one code of length 1, for symbol 0xD0 (an EOB run of 2^13 + 13 extra bits).
        byte[] table = [0xFF, 0xC4, 0x00, 0x14, 0x10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xD0];
        // SOS: one component (1), tables 0/0, Ss=1, Se=63, Ah=Al=0; then code "0", 13 bits of 15625 - 8192, padded with ones.
        byte[] scan = [0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x01, 0x3F, 0x00];
        const int extra = 15_625 - 8_192;
        var bits = (0 << 13 | extra) << 2 | 0b11; // 1 + 13 + 2 padding bits
        byte[] data = [(byte)(bits >> 8), (byte)bits];
        Assert.DoesNotContain((byte)0xFF, data);

        var path = scratch.PathOf($"bomb-{extraScans}.jpg");
        using var output = File.Create(path);
        output.Write(jpeg.AsSpan(0, jpeg.Length - 2));
        output.Write(table);
        for (var i = 0; i < extraScans; i++)
        {
            output.Write(scan);
            output.Write(data);
        }
        output.Write([0xFF, 0xD9]);
        return path;
    }
}
