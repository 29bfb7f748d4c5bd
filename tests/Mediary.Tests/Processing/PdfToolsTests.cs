using System.Diagnostics;
using Mediary.Processing;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Processing;

/// <summary><see cref="PdfTools"/> against the real poppler (pdfinfo, pdftoppm) and the generated PDFs.</summary>
public sealed class PdfToolsTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);
    private readonly PdfTools _pdf = new(maxConcurrent: 2);
    private readonly ScratchDirectory _scratch = new("mediary-pdf-tests-");

    public void Dispose() => _scratch.Dispose();

    private string Temp(string name) => _scratch.PathOf(name);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string UniqueCopy(string fixture) => _scratch.UniqueCopy(fixture);

    private string[] TempFiles() => _scratch.FileNames();

    private static bool AnyProcessMentions(string text) =>
        Directory.EnumerateDirectories("/proc").Any(dir =>
        {
            try
            {
                return int.TryParse(Path.GetFileName(dir), out _) && File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(text);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        });

    [Theory]
    [InlineData("document.pdf", 3, 612, 792)]
    [InlineData("giant-page.pdf", 1, 200000, 200000)]
    [InlineData("slow-render.pdf", 1, 612, 792)] // pdfinfo does not render: no timeout here
    [InlineData("pdf-as.png", 1, 300, 100)]      // the name does not matter, the content does
    public async Task Inspect_reads_the_page_count_and_the_first_page_size(string fixture, int pages, double width, double height) =>
        Assert.Equal(new PdfInfo(pages, width, height), await _pdf.InspectAsync(Fixtures.Path(fixture), Generous, Ct));

    [Theory]
    [InlineData("broken.pdf")]
    [InlineData("600x400.jpg")]
    [InlineData("html-as.jpg")]
    [InlineData("empty.jpg")]
    public async Task Inspect_refuses_what_is_not_a_readable_pdf(string fixture)
    {
        var error = await Assert.ThrowsAsync<PdfException>(() => _pdf.InspectAsync(Fixtures.Path(fixture), Generous, Ct));
        Assert.False(error.TimedOut);
        Assert.NotEqual(0, error.ExitCode);
    }

    [Fact]
    public async Task First_page_is_rendered_to_exactly_the_requested_path_with_its_longer_side_at_maxSide()
    {
        var output = Temp("thumbnail"); // no .png: pdftoppm's own naming must not leak through
        await _pdf.RenderFirstPageAsync(Fixtures.Path("document.pdf"), output, 640, Generous, Ct);

        Assert.Equal(["thumbnail"], TempFiles());
        Assert.Equal("pngload", Tools.MustRun("vipsheader", "-f", "vips-loader", output).Trim());
        Assert.Equal((495, 640), Tools.ImageSize(output));
        // Page 1 is white with a blue rectangle in its upper half and a red one lower left.
        Assert.Equal("255 255 255", Tools.MustRun("vips", "getpoint", output, "10", "10").Trim());
        Assert.Equal("0 0 255", Tools.MustRun("vips", "getpoint", output, "247", "203").Trim());
        Assert.Equal("255 0 0", Tools.MustRun("vips", "getpoint", output, "116", "523").Trim());
    }

    [Fact]
    public async Task Giant_page_renders_at_maxSide_not_at_its_own_size()
    {
        var output = Temp("giant.png");
        var clock = Stopwatch.StartNew();
        await _pdf.RenderFirstPageAsync(Fixtures.Path("giant-page.pdf"), output, 640, Generous, Ct);
        Assert.Equal((640, 640), Tools.ImageSize(output));
        Assert.Equal("0 128 0", Tools.MustRun("vips", "getpoint", output, "10", "630").Trim()); // the green lower-left quarter
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Rendering_replaces_an_existing_file()
    {
        var output = Temp("thumb.png");
        File.WriteAllText(output, "old");
        await _pdf.RenderFirstPageAsync(Fixtures.Path("pdf-as.png"), output, 300, Generous, Ct);
        Assert.Equal((300, 100), Tools.ImageSize(output));
        Assert.Equal(["thumb.png"], TempFiles());
    }

    [Theory]
    [InlineData("broken.pdf")]
    [InlineData("600x400.jpg")]
    public async Task Unreadable_pdf_fails_to_render_and_leaves_no_file(string fixture)
    {
        var error = await Assert.ThrowsAsync<PdfException>(() => _pdf.RenderFirstPageAsync(Fixtures.Path(fixture), Temp("thumb.png"), 640, Generous, Ct));
        Assert.False(error.TimedOut);
        Assert.Empty(TempFiles());
    }

    [Fact]
    public async Task Endless_render_is_killed_at_the_timeout_and_leaves_nothing_behind()
    {
        var input = UniqueCopy("slow-render.pdf");
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<PdfException>(() => _pdf.RenderFirstPageAsync(input, Temp("thumb.png"), 640, TimeSpan.FromSeconds(1), Ct));
        Assert.True(error.TimedOut);
        Assert.Contains("timed out", error.Message);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(15));
        Assert.False(AnyProcessMentions(Path.GetFileName(input)));
        Assert.Equal([Path.GetFileName(input)], TempFiles());
    }

    [Fact]
    public async Task Cancellation_kills_the_render()
    {
        var input = UniqueCopy("slow-render.pdf");
        using var cancel = new CancellationTokenSource();
        var run = _pdf.RenderFirstPageAsync(input, Temp("thumb.png"), 640, Generous, cancel.Token);
        Assert.True(await Polling.UntilAsync(() => Task.FromResult(AnyProcessMentions(Path.GetFileName(input))), TimeSpan.FromSeconds(20)),
            "the pdftoppm process should be visible while it runs");
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.False(AnyProcessMentions(Path.GetFileName(input)));
        Assert.Equal([Path.GetFileName(input)], TempFiles());
    }

    [Fact]
    public async Task Runs_beyond_the_limit_wait_for_a_slot()
    {
        var single = new PdfTools(maxConcurrent: 1);
        var input = UniqueCopy("slow-render.pdf");
        var clock = Stopwatch.StartNew();
        var runs = new[] { "a.png", "b.png" }.Select(name =>
            Assert.ThrowsAsync<PdfException>(() => single.RenderFirstPageAsync(input, Temp(name), 640, TimeSpan.FromSeconds(1), Ct)));
        var errors = await Task.WhenAll(runs);
        Assert.All(errors, e => Assert.True(e.TimedOut));
        // One after the other: the second run's second only starts when the first is killed.
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Missing_tool_is_a_pdf_error_not_a_crash()
    {
        var tools = new PdfTools(maxConcurrent: 1, pdfinfoPath: "/nonexistent/pdfinfo", pdftoppmPath: "/nonexistent/pdftoppm");
        var error = await Assert.ThrowsAsync<PdfException>(() => tools.InspectAsync(Fixtures.Path("document.pdf"), Generous, Ct));
        Assert.Equal((-1, false), (error.ExitCode, error.TimedOut));
        await Assert.ThrowsAsync<PdfException>(() => tools.RenderFirstPageAsync(Fixtures.Path("document.pdf"), Temp("t.png"), 640, Generous, Ct));
        Assert.Empty(TempFiles());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(PdfTools.MaxRenderSide + 1)]
    public async Task Render_size_out_of_range_is_refused(int maxSide) =>
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _pdf.RenderFirstPageAsync(Fixtures.Path("document.pdf"), Temp("t.png"), maxSide, Generous, Ct));
}
