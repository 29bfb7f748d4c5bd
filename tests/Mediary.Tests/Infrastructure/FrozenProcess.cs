namespace Mediary.Tests.Infrastructure;

/// <summary>
/// A child process of the test (a tool the in-process server runs) frozen with SIGSTOP while the
/// test acts, found by its command line; disposing lets it go on with SIGCONT (nothing, if it was
/// killed meanwhile).
/// </summary>
public sealed class FrozenProcess : IDisposable
{
    private readonly int _processId;

    private FrozenProcess(int processId) => _processId = processId;

    /// <summary>Waits for a <paramref name="program"/> run with an argument containing <paramref name="argumentPart"/>, and freezes it.</summary>
    public static async Task<FrozenProcess> WaitAsync(string program, string argumentPart, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (Find(program, argumentPart) is { } processId && Signals.Stop(processId)) return new FrozenProcess(processId);
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no {program} ran on {argumentPart}");
            await Task.Delay(10);
        }
    }

    private static int? Find(string program, string argumentPart)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var processId)) continue;
            string[] arguments;
            try
            {
                arguments = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // gone meanwhile
            }
            if (arguments.Length > 0 && Path.GetFileName(arguments[0]) == program
                && arguments.Any(argument => argument.Contains(argumentPart, StringComparison.Ordinal)))
            {
                return processId;
            }
        }
        return null;
    }

    public void Dispose() => Signals.Continue(_processId);
}
