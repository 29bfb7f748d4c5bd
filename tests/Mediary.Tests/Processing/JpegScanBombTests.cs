using System.Net;
using Mediary.Processing;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Processing;

/// <summary>
/// A progressive JPEG is decoded once per scan: a small file with thousands of empty scans keeps an
/// image helper busy for many seconds. Scans are counted from the markers, and a JPEG with more
/// than <c>Media:JpegMaxScans</c> (100) is refused before any decoder sees it.
/// </summary>
public sealed class JpegScanBombTests(MediaryApp app) : IClassFixture<MediaryApp>
{
    [Fact]
    public void Scans_are_counted_from_the_markers()
    {
        using var scratch = new ScratchDirectory("jpeg-scans");
        var baseline = scratch.PathOf("baseline.jpg");
        Tools.MustRun("vips", "copy", Fixtures.Path("600x400.jpg"), baseline);
        Assert.Equal(1, JpegScans.Count(baseline, 500));

        var bomb = ScanBomb.Write(scratch, extraScans: 700);
        var progressiveScans = JpegScans.Count(ScanBomb.Progressive(scratch), 500);
        Assert.InRange(progressiveScans, 2, 20);
        Assert.Equal(progressiveScans + 700, JpegScans.Count(bomb, 10_000));
        // It stops counting past the bound.
        Assert.Equal(101, JpegScans.Count(bomb, 100));
    }

    [Fact]
    public async Task A_jpeg_with_more_scans_than_the_bound_is_refused_and_one_within_it_is_stored()
    {
        using var scratch = new ScratchDirectory("jpeg-scans");
        var user = await app.NewUserAsync();

        var within = await user.UploadAsync(ScanBomb.Write(scratch, extraScans: 50));
        Assert.Equal(HttpStatusCode.OK, within.Status);
        Assert.Equal(1000, within.Meta.GetProperty("original").GetProperty("width").GetInt32());

        // 700 empty scans decode in well under a second at this size, so the decoder would take it:
        // the refusal is the bound's, from the markers alone.
        var over = await user.UploadAsync(ScanBomb.Write(scratch, extraScans: 700));
        over.AssertError(HttpStatusCode.UnprocessableEntity, "Validation failed: File content type is invalid, File is invalid");
    }
}

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
