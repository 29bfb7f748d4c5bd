using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Mediary.Processing;

/// <summary>What a successful ffmpeg/ffprobe run printed.</summary>
/// <param name="ExitCode">Always 0: a non-zero exit throws <see cref="FfmpegException"/>.</param>
/// <param name="Stdout">Standard output (ffprobe's JSON), at most <see cref="FfmpegRunner.MaxStdoutBytes"/> bytes.</param>
/// <param name="StderrTail">The last <see cref="FfmpegRunner.StderrTailChars"/> characters of standard error.</param>
public sealed record FfmpegResult(int ExitCode, string Stdout, string StderrTail, TimeSpan Elapsed);

/// <summary>
/// An ffmpeg/ffprobe run that failed: non-zero exit, timeout, too much output, or the tool could
/// not be started. <see cref="StderrTail"/> may hold server paths: log it, never send it to a client.
/// </summary>
public sealed class FfmpegException(string message, int exitCode, string stderrTail, bool timedOut) : Exception(message)
{
    /// <summary>The tool's exit code; -1 when it could not be started.</summary>
    public int ExitCode { get; } = exitCode;
    public string StderrTail { get; } = stderrTail;
    /// <summary>The run was killed because it exceeded its timeout.</summary>
    public bool TimedOut { get; } = timedOut;
}

/// <summary>
/// The one way Mediary runs <c>ffmpeg</c> and <c>ffprobe</c>: arguments as an argument list (no
/// shell, no quoting), stdin closed, at most <c>maxConcurrent</c> runs at once, a timeout per run
/// after which the process tree is killed, and safety options for untrusted input added to every
/// input so no caller can forget them.
/// </summary>
public sealed class FfmpegRunner
{
    /// <summary>
    /// Demuxers an upload may be read with, by ffmpeg 5.1's names. A demuxer whose name is a list
    /// ("mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm") is allowed when any of its names is listed.
    /// Everything else, notably <c>hls</c>, <c>concat</c> and the other demuxers that open further
    /// files named inside the input, is refused with "Format not on whitelist".
    /// </summary>
    public const string FormatWhitelist = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,ogg,mp3,wav,flac,gif,aac,asf,image2,png_pipe,jpeg_pipe";

    /// <summary>Protocols an input may be opened with: local files only (no http, data, subfile, concat, ...).</summary>
    public const string ProtocolWhitelist = "file";

    public const int MaxStdoutBytes = 4 * 1024 * 1024;
    public const int StderrTailChars = 4096;

    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _slots;
    private readonly string _ffmpegPath;
    private readonly string _ffprobePath;

    /// <param name="maxConcurrent">Runs allowed at once; further runs wait (the wait does not count towards their timeout).</param>
    /// <param name="ffmpegPath">The ffmpeg executable, looked up on PATH by default.</param>
    /// <param name="ffprobePath">The ffprobe executable, looked up on PATH by default.</param>
    public FfmpegRunner(int maxConcurrent, string ffmpegPath = "ffmpeg", string ffprobePath = "ffprobe")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrent, 1);
        _slots = new SemaphoreSlim(maxConcurrent, maxConcurrent);
        _ffmpegPath = ffmpegPath;
        _ffprobePath = ffprobePath;
    }

    /// <summary>
    /// Runs <paramref name="tool"/> ("ffmpeg" or "ffprobe") with <paramref name="arguments"/> plus the
    /// safety options (see <see cref="WithSafetyArguments"/>).
    /// </summary>
    /// <exception cref="FfmpegException">Non-zero exit, timeout, more than <see cref="MaxStdoutBytes"/> of output, or not startable.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired (the process is killed first).</exception>
    public async Task<FfmpegResult> RunAsync(string tool, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var program = tool switch
        {
            "ffmpeg" => _ffmpegPath,
            "ffprobe" => _ffprobePath,
            _ => throw new ArgumentException($"unknown tool '{tool}': expected ffmpeg or ffprobe", nameof(tool)),
        };
        var startInfo = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in WithSafetyArguments(tool, arguments)) startInfo.ArgumentList.Add(argument);
        // FFREPORT would make ffmpeg write log files wherever it runs.
        startInfo.Environment.Remove("FFREPORT");
        startInfo.Environment["AV_LOG_FORCE_NOCOLOR"] = "1";

        await _slots.WaitAsync(cancellationToken);
        try
        {
            return await RunProcessAsync(tool, startInfo, timeout, cancellationToken);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>
    /// The argument list actually run. ffmpeg: <c>-nostdin -hide_banner</c> first, and
    /// <c>-protocol_whitelist file -format_whitelist …</c> right before every <c>-i</c> (they are
    /// per-input options: after <c>-i</c> they would apply to the output instead). ffprobe has a
    /// single input and takes them anywhere, so they go first.
    /// </summary>
    public static IReadOnlyList<string> WithSafetyArguments(string tool, IReadOnlyList<string> arguments)
    {
        string[] safety = ["-protocol_whitelist", ProtocolWhitelist, "-format_whitelist", FormatWhitelist];
        if (tool == "ffprobe") return ["-hide_banner", .. safety, .. arguments];

        var result = new List<string>(arguments.Count + 12) { "-nostdin", "-hide_banner" };
        var inputs = 0;
        for (var i = 0; i < arguments.Count; i++)
        {
            if (arguments[i] == "-i")
            {
                result.AddRange(safety);
                inputs++;
                if (i + 1 < arguments.Count) result.Add(arguments[i++]);
            }
            result.Add(arguments[i]);
        }
        if (inputs == 0) throw new ArgumentException("an ffmpeg run needs an input (-i)", nameof(arguments));
        return result;
    }

    private static async Task<FfmpegResult> RunProcessAsync(string tool, ProcessStartInfo startInfo, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new FfmpegException($"could not start {tool}: {e.Message}", -1, "", timedOut: false);
        }
        // Neither tool may read our stdin (ffprobe has no -nostdin).
        process.StandardInput.Close();

        using var outputTooLarge = new CancellationTokenSource();
        var stdout = ReadCappedAsync(process.StandardOutput.BaseStream, MaxStdoutBytes, outputTooLarge);
        var stderr = ReadTailAsync(process.StandardError, StderrTailChars);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, outputTooLarge.Token);
        deadline.CancelAfter(timeout);
        var killed = false;
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            killed = true;
            KillTree(process);
            using var grace = new CancellationTokenSource(KillGrace);
            try
            {
                await process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                throw new FfmpegException($"{tool} (pid {process.Id}) did not die within {KillGrace.TotalSeconds} s of being killed", -1, "", timedOut: true);
            }
        }

        var output = await stdout;
        var tail = await stderr;
        stopwatch.Stop();

        if (killed)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (outputTooLarge.IsCancellationRequested)
                throw new FfmpegException($"{tool} printed more than {MaxStdoutBytes} bytes", process.ExitCode, tail, timedOut: false);
            throw new FfmpegException($"{tool} timed out after {timeout.TotalSeconds:0.###} s", process.ExitCode, tail, timedOut: true);
        }
        if (process.ExitCode != 0)
            throw new FfmpegException($"{tool} exited with code {process.ExitCode}: {LastLine(tail)}", process.ExitCode, tail, timedOut: false);
        return new FfmpegResult(process.ExitCode, output, tail, stopwatch.Elapsed);
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited on its own meanwhile.
        }
    }

    /// <summary>Reads a stream to its end, keeping at most <paramref name="cap"/> bytes; cancels <paramref name="overflow"/> past it.</summary>
    private static async Task<string> ReadCappedAsync(Stream stream, int cap, CancellationTokenSource overflow)
    {
        using var kept = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            var room = cap - (int)kept.Length;
            if (read > room)
            {
                kept.Write(buffer, 0, room);
                await overflow.CancelAsync();
                // Keep draining until the kill closes the pipe, so the child never blocks on a full pipe.
                while (await stream.ReadAsync(buffer) > 0) { }
                break;
            }
            kept.Write(buffer, 0, read);
        }
        return Encoding.UTF8.GetString(kept.GetBuffer(), 0, (int)kept.Length);
    }

    /// <summary>Reads a text stream to its end, keeping only its last <paramref name="tailChars"/> characters.</summary>
    private static async Task<string> ReadTailAsync(StreamReader reader, int tailChars)
    {
        var tail = new StringBuilder();
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            tail.Append(buffer, 0, read);
            if (tail.Length > 2 * tailChars) tail.Remove(0, tail.Length - tailChars);
        }
        if (tail.Length > tailChars) tail.Remove(0, tail.Length - tailChars);
        return tail.ToString();
    }

    private static string LastLine(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "(no message)" : lines[^1];
    }
}
