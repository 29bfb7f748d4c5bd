using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Mediary.Processing;

/// <summary>A PDF's page count and the size of its first page.</summary>
/// <param name="Pages">At least 1.</param>
/// <param name="PageWidthPoints">First page's width in points (1/72 inch) as viewers show it: crop box, after /Rotate.</param>
/// <param name="PageHeightPoints">First page's height in points, likewise.</param>
public sealed record PdfInfo(int Pages, double PageWidthPoints, double PageHeightPoints);

/// <summary>
/// A file that poppler could not read as a PDF with pages, or a pdfinfo/pdftoppm run that failed or
/// timed out. The message is fine for logs; <see cref="ToolException.StderrTail"/> may hold server
/// paths: neither goes to a client.
/// </summary>
public sealed class PdfException(string message, int exitCode, string stderrTail, bool timedOut)
    : ToolException(message, exitCode, stderrTail, timedOut);

/// <summary>
/// The one way Mediary runs poppler's <c>pdfinfo</c> and <c>pdftoppm</c> on untrusted PDFs: through
/// <see cref="ToolProcess"/> (argument list, stdin closed, timeout, tree kill), at most
/// <c>maxConcurrent</c> runs at once, absolute paths after <c>--</c> (so no file name reads as an
/// option or as "-", stdin/stdout), and none of the server's environment.
/// </summary>
public sealed partial class PdfTools
{
    /// <summary>The largest <c>maxSide</c> <see cref="RenderFirstPageAsync"/> accepts.</summary>
    public const int MaxRenderSide = 4096;

    private readonly SemaphoreSlim _slots;
    private readonly string _pdfinfoPath;
    private readonly string _pdftoppmPath;

    /// <param name="maxConcurrent">Runs allowed at once; further runs wait (the wait does not count towards their timeout).</param>
    /// <param name="pdfinfoPath">The pdfinfo executable, looked up on PATH by default.</param>
    /// <param name="pdftoppmPath">The pdftoppm executable, looked up on PATH by default.</param>
    public PdfTools(int maxConcurrent, string pdfinfoPath = "pdfinfo", string pdftoppmPath = "pdftoppm")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrent, 1);
        _slots = new SemaphoreSlim(maxConcurrent, maxConcurrent);
        _pdfinfoPath = ToolProcess.ResolveProgram(pdfinfoPath);
        _pdftoppmPath = ToolProcess.ResolveProgram(pdftoppmPath);
    }

    /// <summary>Reads the page count and the first page's size with <c>pdfinfo</c>.</summary>
    /// <exception cref="PdfException">Not a readable PDF, no pages, or pdfinfo failed or timed out.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> fired (the process is killed first).</exception>
    public async Task<PdfInfo> InspectAsync(string pdfPath, TimeSpan timeout, CancellationToken ct)
    {
        var result = await RunAsync("pdfinfo", _pdfinfoPath, ["-f", "1", "-l", "1", "--", Path.GetFullPath(pdfPath)], timeout, ct);
        try
        {
            return ParseInfo(result.Stdout);
        }
        catch (FormatException e)
        {
            throw new PdfException($"pdfinfo output not understood: {e.Message}", result.ExitCode, result.StderrTail, timedOut: false);
        }
    }

    /// <summary>
    /// Renders the first page with <c>pdftoppm</c> to a PNG at <paramref name="outputPngPath"/> whose
    /// longer side is <paramref name="maxSide"/> pixels, whatever the page size claims. The file
    /// appears only when the render succeeded (replacing any file there).
    /// </summary>
    /// <exception cref="PdfException">Not a readable PDF, no pages, or pdftoppm failed or timed out.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> fired (the process is killed first).</exception>
    public async Task RenderFirstPageAsync(string pdfPath, string outputPngPath, int maxSide, TimeSpan timeout, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSide, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxSide, MaxRenderSide);
        var output = Path.GetFullPath(outputPngPath);
        var directory = Path.GetDirectoryName(output)!;
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"output directory {directory} does not exist");

        // pdftoppm writes "<root>.png": render under a private name beside the output, then rename it.
        var root = Path.Combine(directory, $".{Path.GetFileName(output)}.{Guid.NewGuid():N}");
        var partial = root + ".png";
        try
        {
            // -scale-to fits the page into maxSide x maxSide, so a 200000 pt page is no pixel bomb;
            // -cropbox renders what viewers show (and what pdfinfo measures).
            string[] arguments = ["-f", "1", "-l", "1", "-singlefile", "-cropbox", "-png",
                "-scale-to", maxSide.ToString(CultureInfo.InvariantCulture), "--", Path.GetFullPath(pdfPath), root];
            var result = await RunAsync("pdftoppm", _pdftoppmPath, arguments, timeout, ct);
            // pdftoppm exits 0 without writing anything for a PDF without pages.
            if (!File.Exists(partial)) throw new PdfException("pdftoppm wrote no image", result.ExitCode, result.StderrTail, timedOut: false);
            File.Move(partial, output, overwrite: true);
        }
        finally
        {
            if (File.Exists(partial)) File.Delete(partial);
        }
    }

    /// <summary>Page count and first page size from <c>pdfinfo -f 1 -l 1</c>'s output.</summary>
    /// <exception cref="FormatException">No positive page count or no first page size.</exception>
    public static PdfInfo ParseInfo(string pdfinfoOutput)
    {
        // The document's Title, Author, ... come first and may contain line breaks, so a PDF can
        // print its own "Pages:" line; pdfinfo's real lines come after them: take the last match.
        var pages = PagesLine().Matches(pdfinfoOutput).LastOrDefault();
        var size = SizeLine().Matches(pdfinfoOutput).LastOrDefault();
        var rotation = RotationLine().Matches(pdfinfoOutput).LastOrDefault();
        if (pages is null || !int.TryParse(pages.Groups[1].ValueSpan, CultureInfo.InvariantCulture, out var count) || count < 1)
            throw new FormatException("no page count");
        if (size is null
            || !double.TryParse(size.Groups[1].ValueSpan, CultureInfo.InvariantCulture, out var width)
            || !double.TryParse(size.Groups[2].ValueSpan, CultureInfo.InvariantCulture, out var height)
            || !(width > 0 && height > 0 && double.IsFinite(width) && double.IsFinite(height)))
            throw new FormatException("no first page size");
        var quarterTurn = rotation is not null && rotation.Groups[1].Value is "90" or "270";
        return quarterTurn ? new PdfInfo(count, height, width) : new PdfInfo(count, width, height);
    }

    private async Task<ToolResult> RunAsync(string tool, string program, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken ct)
    {
        var startInfo = new ProcessStartInfo(program);
        foreach (var argument in arguments) startInfo.ArgumentList.Add(argument);
        // Nothing of the server's environment (secrets, FONTCONFIG_FILE, ...) reaches poppler;
        // the C locale keeps pdfinfo's numbers in the format ParseInfo reads.
        startInfo.Environment.Clear();
        startInfo.Environment["LC_ALL"] = "C";

        await _slots.WaitAsync(ct);
        try
        {
            return await ToolProcess.RunAsync(tool, startInfo, timeout, ct);
        }
        catch (ToolException e)
        {
            throw new PdfException(e.Message, e.ExitCode, e.StderrTail, e.TimedOut);
        }
        finally
        {
            _slots.Release();
        }
    }

    [GeneratedRegex(@"^Pages:[ \t]*(\d+)[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex PagesLine();

    [GeneratedRegex(@"^Page[ \t]+1 size:[ \t]*([0-9.e+-]+) x ([0-9.e+-]+) pts", RegexOptions.Multiline)]
    private static partial Regex SizeLine();

    [GeneratedRegex(@"^Page[ \t]+1 rot:[ \t]*(\d+)", RegexOptions.Multiline)]
    private static partial Regex RotationLine();
}
