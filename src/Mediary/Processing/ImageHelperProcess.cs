using System.Diagnostics;
using System.Text.Json;

namespace Mediary.Processing;

/// <summary>One warm <c>image-helper</c> child process, serving one request at a time.</summary>
internal sealed class ImageHelperProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string?> _ready;

    public ImageHelperProcess(ProcessStartInfo startInfo, ILogger logger)
    {
        startInfo.RedirectStandardInput = true;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.UseShellExecute = false;
        _process = Process.Start(startInfo) ?? throw new InvalidOperationException("could not start the image helper");
        _process.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrEmpty(e.Data)) logger.LogWarning("image-helper[{Pid}]: {Line}", ProcessId, e.Data);
        };
        _process.BeginErrorReadLine();
        // The helper says hello once libvips is initialised; requests wait for it.
        _ready = _process.StandardOutput.ReadLineAsync();
    }

    public int ProcessId => _process.Id;
    public bool Busy { get; private set; }
    public bool IsAlive => !_process.HasExited;

    /// <summary>True once the helper has said hello; false if it exited first.</summary>
    public async Task<bool> WaitUntilStartedAsync(CancellationToken cancellationToken) => await _ready.WaitAsync(cancellationToken) is not null;

    /// <summary>Sends one request to a started helper (<see cref="WaitUntilStartedAsync"/>).</summary>
    public async Task<HelperResponse> SendAsync(HelperRequest request, CancellationToken cancellationToken)
    {
        Busy = true;
        try
        {
            await _process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(request, HelperJson.Options).AsMemory(), cancellationToken);
            await _process.StandardInput.FlushAsync(cancellationToken);
            var line = await _process.StandardOutput.ReadLineAsync(cancellationToken)
                ?? throw new HelperCrashedException($"exited with code {ExitCodeOrNone()}");
            return JsonSerializer.Deserialize<HelperResponse>(line, HelperJson.Options)
                ?? throw new HelperCrashedException("sent an empty answer");
        }
        catch (IOException e)
        {
            throw new HelperCrashedException(e.Message);
        }
        catch (JsonException e)
        {
            throw new HelperCrashedException($"sent an unreadable answer: {e.Message}");
        }
        finally
        {
            Busy = false;
        }
    }

    private string ExitCodeOrNone()
    {
        try { return _process.WaitForExit(1000) ? _process.ExitCode.ToString() : "none"; }
        catch (InvalidOperationException) { return "none"; }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }
}

internal sealed class HelperCrashedException(string message) : Exception(message);
