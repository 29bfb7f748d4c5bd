using System.Data.Common;
using System.Diagnostics;
using Dapper;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.EndToEnd;

/// <summary>
/// A <c>worker</c> process (jobs only, no HTTP) of a <see cref="ServerProcess"/>'s cluster, as on
/// another machine: a data directory of its own, the cluster's database and bucket. Its output is
/// kept for failure messages.
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly LockedBuffer _log = new(256 * 1024);
    private readonly string _dataDirectory = ServerProcess.NewTemporaryDirectory("mediary-e2e-worker-");

    private WorkerProcess(ServerProcess cluster)
    {
        var info = new ProcessStartInfo(ServerProcess.DotnetHost)
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var argument in (string[])[ServerProcess.ServerDllPath, "worker", "--data", _dataDirectory]) info.ArgumentList.Add(argument);
        foreach (var (name, value) in cluster.Environment) info.Environment[name] = value;
        _process = Process.Start(info)!;
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _log.AppendLine(e.Data); };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _log.AppendLine(e.Data); };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
    }

    public static WorkerProcess Start(ServerProcess cluster) => new(cluster);

    public int ProcessId => _process.Id;

    /// <summary>How the job queue names this worker in <c>media_jobs.locked_by</c>.</summary>
    public string WorkerId => $"{Environment.MachineName}:{_process.Id}";

    public string Log => _log.ToString();

    /// <summary>SIGKILL, as a crash or an OOM kill would end it: no cleanup runs.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>
    /// Kills the worker with SIGKILL at a moment it holds a job, and returns the media whose jobs it
    /// held. Once the database shows it holding one, the worker is frozen (SIGSTOP) and asked again,
    /// so that a job it finishes in the meantime is not taken for one it was killed in.
    /// </summary>
    public async Task<IReadOnlyList<long>> KillHoldingJobsAsync(DbConnection cluster, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        async Task<List<long>> HeldAsync() => (await cluster.QueryAsync<long>(
            "SELECT CAST(subject AS BIGINT) FROM media_jobs WHERE state = 'in_progress' AND locked_by = @id", new { id = WorkerId })).AsList();
        while (true)
        {
            if ((await HeldAsync()).Count > 0)
            {
                if (!Signals.Stop(ProcessId)) throw new InvalidOperationException("the worker is gone:\n" + Log);
                // What it sent before it froze reaches the database.
                await Task.Delay(200);
                var held = await HeldAsync();
                if (held.Count > 0)
                {
                    await KillAsync();
                    return held;
                }
                Signals.Continue(ProcessId);
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the worker never held a job:\n" + Log);
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        await ServerProcess.DeleteDirectoryAsync(_dataDirectory);
    }
}
