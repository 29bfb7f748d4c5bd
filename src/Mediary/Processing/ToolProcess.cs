using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Mediary.Processing;

/// <summary>What a successful external tool run printed.</summary>
/// <param name="ExitCode">Always 0: a non-zero exit throws <see cref="ToolException"/>.</param>
/// <param name="Stdout">Standard output, at most <see cref="ToolProcess.MaxStdoutBytes"/> bytes.</param>
/// <param name="StderrTail">The last <see cref="ToolProcess.StderrTailChars"/> characters of standard error.</param>
public sealed record ToolResult(int ExitCode, string Stdout, string StderrTail, TimeSpan Elapsed);

/// <summary>
/// An external tool run that failed: non-zero exit, timeout, too much output, or the tool could not
/// be started. <see cref="StderrTail"/> may hold server paths: log it, never send it to a client.
/// </summary>
public class ToolException(string message, int exitCode, string stderrTail, bool timedOut) : Exception(message)
{
    /// <summary>The tool's exit code; -1 when it could not be started.</summary>
    public int ExitCode { get; } = exitCode;
    public string StderrTail { get; } = stderrTail;
    /// <summary>The run was killed because it exceeded its timeout.</summary>
    public bool TimedOut { get; } = timedOut;
}

/// <summary>
/// Runs one external tool process for the tool wrappers (<see cref="FfmpegRunner"/>,
/// <see cref="PdfTools"/>): no shell, stdin closed, stdout kept up to a cap, only stderr's tail kept,
/// and the whole process tree killed at the timeout, on cancellation or when stdout overflows.
/// Bounding concurrency and choosing safe arguments are the wrappers' job.
/// </summary>
public static class ToolProcess
{
    public const int MaxStdoutBytes = 4 * 1024 * 1024;
    public const int StderrTailChars = 4096;

    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Starts <paramref name="startInfo"/> (its program, <see cref="ProcessStartInfo.ArgumentList"/> and
    /// environment; the shell and stream settings are overwritten) and waits for it to exit.
    /// </summary>
    /// <param name="displayName">The tool's name in exception messages, e.g. "ffprobe".</param>
    /// <exception cref="ToolException">Non-zero exit, timeout, more than <see cref="MaxStdoutBytes"/> of output, or not startable.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired (the process is killed first).</exception>
    public static async Task<ToolResult> RunAsync(string displayName, ProcessStartInfo startInfo, TimeSpan timeout, CancellationToken cancellationToken)
    {
        startInfo.UseShellExecute = false;
        startInfo.RedirectStandardInput = true;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.StandardOutputEncoding = Encoding.UTF8;
        startInfo.StandardErrorEncoding = Encoding.UTF8;

        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new ToolException($"could not start {displayName}: {e.Message}", -1, "", timedOut: false);
        }
        // No tool may read our stdin (ffprobe has no -nostdin; poppler reads a file named "-" from it).
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
                throw new ToolException($"{displayName} (pid {process.Id}) did not die within {KillGrace.TotalSeconds} s of being killed", -1, "", timedOut: true);
            }
        }

        var output = await stdout;
        var tail = await stderr;
        stopwatch.Stop();

        if (killed)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (outputTooLarge.IsCancellationRequested)
                throw new ToolException($"{displayName} printed more than {MaxStdoutBytes} bytes", process.ExitCode, tail, timedOut: false);
            throw new ToolException($"{displayName} timed out after {timeout.TotalSeconds:0.###} s", process.ExitCode, tail, timedOut: true);
        }
        if (process.ExitCode != 0)
            throw new ToolException($"{displayName} exited with code {process.ExitCode}: {LastLine(tail)}", process.ExitCode, tail, timedOut: false);
        return new ToolResult(process.ExitCode, output, tail, stopwatch.Elapsed);
    }

    /// <summary>
    /// The absolute path of <paramref name="program"/>: a path as given (made absolute), a bare name
    /// looked up in PATH's directories only. <see cref="Process"/> would also try the application's
    /// and the current directory first; a name not found on PATH is returned unchanged.
    /// </summary>
    public static string ResolveProgram(string program)
    {
        if (program.Contains(Path.DirectorySeparatorChar)) return Path.GetFullPath(program);
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, program);
            if (Path.IsPathRooted(candidate) && File.Exists(candidate) && IsExecutable(candidate)) return candidate;
        }
        return program;
    }

    private static bool IsExecutable(string path) =>
        OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

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
