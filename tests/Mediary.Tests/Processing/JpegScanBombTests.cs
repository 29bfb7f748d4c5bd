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
