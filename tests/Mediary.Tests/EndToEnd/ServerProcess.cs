using Mediary.Tests.Infrastructure;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mediary.Tests.EndToEnd;

/// <summary>
/// The real Mediary server as a child process (<c>dotnet Mediary.dll serve --data DIR --urls http://127.0.0.1:PORT</c>),
/// for end-to-end tests. Not started by <see cref="Create"/>; started by <see cref="StartAsync(string?, TimeSpan?, IReadOnlyDictionary{string, string?}?, CancellationToken)"/>
/// or <see cref="LaunchAsync"/>. It can be killed (<see cref="Kill"/>, <see cref="StopAsync"/>) and started again on the
/// same data directory and port (<see cref="RestartAsync"/>). Disposing kills it and deletes the data directory.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    /// <summary>Keep at most this much of the server's output (the newest part) for failure messages.</summary>
    private const int MaxLogChars = 512 * 1024;

    public static readonly TimeSpan DefaultStartupTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultCliTimeout = TimeSpan.FromSeconds(120);

    private readonly LockedBuffer _log = new(MaxLogChars);
    private readonly IReadOnlyDictionary<string, string?> _environment;
    private readonly HttpClient _probe = new() { Timeout = TimeSpan.FromSeconds(5) };
    private Process? _process;
    private LockedBuffer _runLog = new(MaxLogChars);
    private int _runs;
    private bool _disposed;

    private readonly bool _ownsDatabase;

    private ServerProcess(string dataDirectory, bool ownsDataDirectory, IReadOnlyDictionary<string, string?> environment,
        TestDatabase? sharedDatabase = null)
    {
        DataDirectory = dataDirectory;
        OwnsDataDirectory = ownsDataDirectory;
        _ownsDatabase = sharedDatabase is null;
        Database = sharedDatabase ?? TestDatabase.For(dataDirectory);
        Bucket = environment.ContainsKey("Storage__Provider") ? null : TestBucket.Create();
        // The server and its CLI runs find their database and bucket the way an operator's would: in the environment.
        var merged = TestDatabase.AsEnvironment(Database.Settings.Concat(Bucket?.Settings ?? []))
            .ToDictionary(variable => variable.Key, variable => (string?)variable.Value);
        foreach (var (name, value) in environment) merged[name] = value;
        _environment = merged;
    }

    /// <summary>The server's database: SQLite in the data directory, or a PostgreSQL database of its own.</summary>
    public TestDatabase Database { get; }

    /// <summary>The server's bucket when the suite runs on s3rver; null on local disk.</summary>
    public TestBucket? Bucket { get; }

    /// <summary>The keys the server stored under <paramref name="prefix"/>, sorted (bucket or local media directory).</summary>
    public Task<IReadOnlyList<string>> StoredKeysAsync(string prefix = "") =>
        TestBucket.StoredKeysAsync(Bucket, Path.Combine(DataDirectory, "media"), prefix);

    /// <summary>The server's <c>Mediary.dll</c>: copied next to the test assembly by the project reference.</summary>
    public static string ServerDllPath => Path.Combine(AppContext.BaseDirectory, "Mediary.dll");

    public string DataDirectory { get; }

    /// <summary>Whether <see cref="DisposeAsync"/> deletes <see cref="DataDirectory"/> (default: yes).</summary>
    public bool OwnsDataDirectory { get; set; }

    /// <summary>The port; 0 until the first start, then kept across restarts.</summary>
    public int Port { get; private set; }

    /// <summary><c>http://127.0.0.1:PORT</c>, no trailing slash.</summary>
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public Uri BaseUri => new(BaseUrl + "/");

    public bool IsRunning => _process is { HasExited: false };

    public int? ProcessId => _process?.Id;

    /// <summary>Everything the server printed so far, across restarts (stderr; stdout lines are prefixed).</summary>
    public string Log => _log.ToString();

    /// <summary>A server object on <paramref name="dataDirectory"/> (a new temporary directory when null), not yet started.</summary>
    /// <param name="serveArguments">Added after <c>serve</c>, e.g. <c>--no-workers</c>.</param>
    public static ServerProcess Create(string? dataDirectory = null, IReadOnlyDictionary<string, string?>? environment = null,
        IReadOnlyList<string>? serveArguments = null)
    {
        var owns = dataDirectory is null;
        var directory = dataDirectory ?? NewTemporaryDirectory("mediary-e2e-data-");
        Directory.CreateDirectory(directory);
        return new ServerProcess(Path.GetFullPath(directory), owns, environment ?? new Dictionary<string, string?>())
        {
            _serveArguments = serveArguments ?? [],
        };
    }

    private IReadOnlyList<string> _serveArguments = [];

    /// <summary>
    /// Another server of <paramref name="first"/>'s cluster, as on another machine: a data directory
    /// of its own, the same database and bucket (which stay <paramref name="first"/>'s to remove).
    /// </summary>
    public static ServerProcess Sibling(ServerProcess first, IReadOnlyList<string>? serveArguments = null) =>
        new(NewTemporaryDirectory("mediary-e2e-data-"), ownsDataDirectory: true, first.Environment, first.Database)
        {
            _serveArguments = serveArguments ?? [],
        };

    /// <summary>The environment the server and its CLI runs get: the database and storage settings and the caller's.</summary>
    public IReadOnlyDictionary<string, string?> Environment => _environment;

    /// <summary>Creates and starts a server, returning once <c>GET /api/v1/instance</c> answers 200.</summary>
    public static async Task<ServerProcess> StartAsync(string? dataDirectory = null, TimeSpan? startupTimeout = null,
        IReadOnlyDictionary<string, string?>? environment = null, CancellationToken cancellationToken = default)
    {
        var server = Create(dataDirectory, environment);
        try
        {
            await server.LaunchAsync(startupTimeout, cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts the server (it must not be running) and waits until it answers. The first start picks a free port;
    /// later starts reuse it, so media URLs handed out before a restart stay valid.
    /// </summary>
    public async Task LaunchAsync(TimeSpan? startupTimeout = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (IsRunning) throw new InvalidOperationException($"the server is already running (pid {_process!.Id})");
        var timeout = startupTimeout ?? DefaultStartupTimeout;

        // A port picked here may be taken by someone else before the server binds it: try a few.
        var pickPort = Port == 0;
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            if (pickPort) Port = FreePort();
            try
            {
                await LaunchOnceAsync(timeout, cancellationToken);
                return;
            }
            catch (ServerExitedException) when (pickPort && attempt < attempts && LastRunLooksLikeAddressInUse())
            {
                _log.AppendLine($"=== port {Port} was taken; trying another ===");
            }
        }
    }

    /// <summary>Kills the server (SIGKILL, whole tree) if running, then starts it again on the same data directory and port.</summary>
    public async Task RestartAsync(TimeSpan? startupTimeout = null, CancellationToken cancellationToken = default)
    {
        Kill();
        await LaunchAsync(startupTimeout, cancellationToken);
    }

    /// <summary>SIGKILL to the server and all its child processes (image helpers, ffmpeg...); waits until it is gone.</summary>
    public void Kill()
    {
        var process = _process;
        if (process is null) return;
        ProcessRunner.KillTree(process);
        _log.AppendLine($"=== killed (run {_runs}) ===");
    }

    /// <summary>
    /// Asks the server to shut down (SIGTERM, as a service manager would) and waits up to <paramref name="grace"/>;
    /// kills the tree if it is still there. Returns the exit code, or null if it had to be killed.
    /// </summary>
    public async Task<int?> StopAsync(TimeSpan? grace = null, CancellationToken cancellationToken = default)
    {
        var process = _process;
        if (process is null || process.HasExited) return process?.ExitCode;
        if (!OperatingSystem.IsWindows() && Signals.Terminate(process.Id))
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(grace ?? TimeSpan.FromSeconds(15));
            try
            {
                await process.WaitForExitAsync(wait.Token);
                _log.AppendLine($"=== stopped by SIGTERM, exit code {process.ExitCode} (run {_runs}) ===");
                return process.ExitCode;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // did not stop in time: kill below
            }
        }
        Kill();
        return null;
    }

    /// <summary>Runs a CLI command of the same build against this data directory: <c>dotnet Mediary.dll ARGS --data DIR</c>.</summary>
    public Task<ProcessResult> RunCliAsync(params string[] args) => RunCliAsync(DataDirectory, args, null, CancellationToken.None, _environment);

    public Task<ProcessResult> RunCliAsync(IEnumerable<string> args, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        RunCliAsync(DataDirectory, args, timeout, cancellationToken, _environment);

    /// <summary>Runs a CLI command against <paramref name="dataDirectory"/> without a <see cref="ServerProcess"/>.</summary>
    public static Task<ProcessResult> RunCliAsync(string dataDirectory, IEnumerable<string> args, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var arguments = new List<string> { ServerDllPath };
        arguments.AddRange(args);
        arguments.Add("--data");
        arguments.Add(dataDirectory);
        return ProcessRunner.RunAsync(DotnetHost, arguments, timeout ?? DefaultCliTimeout, AppContext.BaseDirectory, environment,
            cancellationToken: cancellationToken);
    }

    /// <summary>The newest <paramref name="maxChars"/> characters of <see cref="Log"/>, for assertion messages.</summary>
    public string LogTail(int maxChars = 8000)
    {
        var log = Log;
        return log.Length <= maxChars ? log : "...\n" + log[^maxChars..];
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        Kill();
        _process?.Dispose();
        _process = null;
        _probe.Dispose();
        if (_ownsDatabase) await Database.DisposeAsync();
        if (Bucket is not null) await Bucket.DisposeAsync();
        if (OwnsDataDirectory) await DeleteDirectoryAsync(DataDirectory);
    }

    private async Task LaunchOnceAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!File.Exists(ServerDllPath)) throw new FileNotFoundException($"server assembly not found at {ServerDllPath}");
        _process?.Dispose();
        _runs++;
        var run = _runs;
        var info = new ProcessStartInfo(DotnetHost)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var argument in (string[])[ServerDllPath, "serve", .. _serveArguments, "--data", DataDirectory, "--urls", BaseUrl])
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in _environment) info.Environment[name] = value;

        var runLog = _runLog = new LockedBuffer(MaxLogChars);
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            _log.AppendLine("[stdout] " + e.Data);
            runLog.AppendLine(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            _log.AppendLine(e.Data);
            runLog.AppendLine(e.Data);
        };
        _log.AppendLine($"=== run {run}: {ProcessRunner.CommandLine(DotnetHost, info.ArgumentList)} ===");
        if (!process.Start()) throw new InvalidOperationException("could not start the server process");
        _process = process;
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var stopwatch = Stopwatch.StartNew();
        var probeUri = new Uri(BaseUri, "api/v1/instance");
        string lastProbe = "no answer yet";
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                process.WaitForExit(); // drain the output
                throw new ServerExitedException(
                    $"the server exited with code {process.ExitCode} before answering {probeUri}\n{LogTail()}");
            }
            try
            {
                using var response = await _probe.GetAsync(probeUri, cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    _log.AppendLine($"=== run {run}: ready after {stopwatch.ElapsedMilliseconds} ms ===");
                    return;
                }
                lastProbe = $"HTTP {(int)response.StatusCode}";
            }
            catch (HttpRequestException e)
            {
                lastProbe = e.Message;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                lastProbe = "probe timed out";
            }
            if (stopwatch.Elapsed > timeout)
            {
                Kill();
                throw new TimeoutException(
                    $"the server did not answer 200 on {probeUri} within {timeout.TotalSeconds:0} s (last: {lastProbe}); killed\n{LogTail()}");
            }
            await Task.Delay(100, cancellationToken);
        }
    }

    private bool LastRunLooksLikeAddressInUse()
    {
        var lastRun = _runLog.ToString();
        return lastRun.Contains("address already in use", StringComparison.OrdinalIgnoreCase) ||
               lastRun.Contains("AddressInUse", StringComparison.Ordinal);
    }

    internal static string DotnetHost =>
        System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    internal static string NewTemporaryDirectory(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        return path;
    }

    internal static async Task DeleteDirectoryAsync(string path)
    {
        // Right after a kill, a child may still be closing files: retry briefly.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await Task.Delay(200);
            }
        }
    }

    private sealed class ServerExitedException(string message) : Exception(message);
}
