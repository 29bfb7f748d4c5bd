namespace Mediary.Tests.Infrastructure;

/// <summary>
/// The ffmpeg run of a test server's job, frozen with SIGSTOP, so that the transcode cannot end
/// while the test does something mid-transcode (kills the server, takes the storage away): a
/// transcode as slow as the test needs, on a fast machine as on a loaded one. Disposing lets it go
/// on with SIGCONT (nothing, if it was killed meanwhile).
/// </summary>
public sealed class FrozenTranscode : IDisposable
{
    private readonly int _processId;

    private FrozenTranscode(int processId) => _processId = processId;

    /// <summary>
    /// Waits for an ffmpeg process writing an MP4 into <paramref name="temporaryDirectory"/> (the
    /// server's <c>tmp</c>) and freezes it. Only once the output file exists: ffmpeg opens its input
    /// before it creates its output, so a test may then take the input's storage away.
    /// </summary>
    public static async Task<FrozenTranscode> WaitAsync(string temporaryDirectory, TimeSpan timeout)
    {
        var prefix = Path.GetFullPath(temporaryDirectory).TrimEnd('/') + "/";
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            // One that ends before it is frozen does not count: the next one is waited for.
            if (FindTranscode(prefix) is { } processId && Signals.Stop(processId))
            {
                return new FrozenTranscode(processId);
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no ffmpeg wrote an MP4 into {prefix}");
            await Task.Delay(20);
        }
    }

    private static int? FindTranscode(string prefix)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var processId)) continue;
            string[] arguments;
            try
            {
                arguments = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0');
            }
            catch (IOException)
            {
                continue; // gone meanwhile
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }
            if (arguments.Length > 0 && Path.GetFileName(arguments[0]) == "ffmpeg"
                && arguments.Any(argument => argument.StartsWith(prefix, StringComparison.Ordinal) && argument.EndsWith(".mp4", StringComparison.Ordinal)
                    && File.Exists(argument)))
            {
                return processId;
            }
        }
        return null;
    }

    /// <summary>Kills the frozen ffmpeg: its attempt fails as a crashed transcode does (exit 137), with the storage still there.</summary>
    public void Kill() => Signals.Kill(_processId);

    public void Dispose() => Signals.Continue(_processId);
}
