using System.Diagnostics;
using Mediary.Telemetry;

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
public sealed class FfmpegException(string message, int exitCode, string stderrTail, bool timedOut)
    : ToolException(message, exitCode, stderrTail, timedOut);

/// <summary>Which slots a run takes: short steps never queue behind transcodes.</summary>
public enum FfmpegLane
{
    /// <summary>Probes, first frames, cover art: seconds at most.</summary>
    Short,

    /// <summary>Transcodes, which may take minutes.</summary>
    Transcode,
}

/// <summary>
/// The one way Mediary runs <c>ffmpeg</c> and <c>ffprobe</c>: arguments as an argument list (no
/// shell, no quoting), stdin closed, at most <c>maxConcurrent</c> runs at once in each lane, a bounded wait for a slot, a timeout per run
/// after which the process tree is killed (all through <see cref="ToolProcess"/>), and safety
/// options for untrusted input added to every input so no caller can forget them.
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

    public const int MaxStdoutBytes = ToolProcess.MaxStdoutBytes;
    public const int StderrTailChars = ToolProcess.StderrTailChars;

    private readonly int _maxConcurrent;
    private readonly SemaphoreSlim _quick;
    private readonly SemaphoreSlim _long;
    private readonly TimeSpan _slotWait;
    private readonly string _ffmpegPath;
    private readonly string _ffprobePath;

    /// <param name="maxConcurrent">Runs allowed at once in each lane; further runs wait (the wait does not count towards their timeout).</param>
    /// <param name="ffmpegPath">The ffmpeg executable, looked up on PATH by default.</param>
    /// <param name="ffprobePath">The ffprobe executable, looked up on PATH by default.</param>
    /// <param name="slotWait">Longest a run waits for a slot before <see cref="ProcessingBusyException"/>; 30 s by default.</param>
    public FfmpegRunner(int maxConcurrent, string ffmpegPath = "ffmpeg", string ffprobePath = "ffprobe", TimeSpan? slotWait = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrent, 1);
        _maxConcurrent = maxConcurrent;
        _quick = new SemaphoreSlim(maxConcurrent, maxConcurrent);
        _long = new SemaphoreSlim(maxConcurrent, maxConcurrent);
        _slotWait = slotWait ?? TimeSpan.FromSeconds(30);
        _ffmpegPath = ffmpegPath;
        _ffprobePath = ffprobePath;
    }

    /// <summary>Runs allowed at once in each lane.</summary>
    public int SlotsPerLane => _maxConcurrent;

    /// <summary>Slots of <paramref name="lane"/> held by a run now.</summary>
    public int Busy(FfmpegLane lane) => _maxConcurrent - (lane == FfmpegLane.Transcode ? _long : _quick).CurrentCount;

    /// <summary>
    /// Runs <paramref name="tool"/> ("ffmpeg" or "ffprobe") with <paramref name="arguments"/> plus the
    /// safety options (see <see cref="WithSafetyArguments"/>).
    /// </summary>
    /// <exception cref="FfmpegException">Non-zero exit, timeout, more than <see cref="MaxStdoutBytes"/> of output, or not startable.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired (the process is killed first).</exception>
    /// <exception cref="ProcessingBusyException">No slot of <paramref name="lane"/> became free within the slot wait.</exception>
    public async Task<FfmpegResult> RunAsync(string tool, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken,
        FfmpegLane lane = FfmpegLane.Short)
    {
        var program = tool switch
        {
            "ffmpeg" => _ffmpegPath,
            "ffprobe" => _ffprobePath,
            _ => throw new ArgumentException($"unknown tool '{tool}': expected ffmpeg or ffprobe", nameof(tool)),
        };
        var startInfo = new ProcessStartInfo(program);
        foreach (var argument in WithSafetyArguments(tool, arguments)) startInfo.ArgumentList.Add(argument);
        // FFREPORT would make ffmpeg write log files wherever it runs.
        startInfo.Environment.Remove("FFREPORT");
        startInfo.Environment["AV_LOG_FORCE_NOCOLOR"] = "1";

        using var span = MediaryTraces.Source.StartActivity(tool);
        span?.SetTag("mediary.ffmpeg.lane", lane == FfmpegLane.Transcode ? "transcode" : "short");
        var slots = lane == FfmpegLane.Transcode ? _long : _quick;
        if (!await slots.WaitAsync(_slotWait, cancellationToken))
        {
            var busy = new ProcessingBusyException($"{tool} slot", _slotWait);
            span.Failed(busy);
            throw busy;
        }
        try
        {
            span?.AddEvent(new ActivityEvent("slot taken"));
            var result = await ToolProcess.RunAsync(tool, startInfo, timeout, cancellationToken);
            return new FfmpegResult(result.ExitCode, result.Stdout, result.StderrTail, result.Elapsed);
        }
        catch (ToolException e)
        {
            span?.SetTag("process.exit.code", e.ExitCode);
            span.Failed(e);
            throw new FfmpegException(e.Message, e.ExitCode, e.StderrTail, e.TimedOut);
        }
        finally
        {
            slots.Release();
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
}
