using Mediary.Tests.Infrastructure;
using System.Text.Json;

namespace Mediary.Tests.EndToEnd;

/// <summary>
/// Real npm Mastodon clients (masto, megalodon; see tests/e2e) drive the real server, started as a child process.
/// Needs node on PATH (skipped otherwise) and ffmpeg or libvips-tools for the test image.
/// Installs tests/e2e/node_modules with npm ci when it is missing or stale.
/// </summary>
public sealed class MastoClientTests(ITestOutputHelper output)
{
    private static readonly TimeSpan NodeFlowTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan NpmTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(60);
    private static readonly SemaphoreSlim NpmInstallLock = new(1, 1);

    [Fact(Timeout = 600_000)]
    public Task Masto_creates_fetches_updates_and_removes_media() => RunClientFlowAsync("masto-flow.mjs");

    [Fact(Timeout = 600_000)]
    public Task Megalodon_uploads_gets_and_updates_media() => RunClientFlowAsync("megalodon-flow.mjs");

    private async Task RunClientFlowAsync(string script)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var node = FindOnPath("node");
        if (node is null) Assert.Skip("node is not on PATH: the npm-client end-to-end tests need node 20+");

        var e2eDirectory = Path.Combine(RepositoryRoot(), "tests", "e2e");
        await EnsureNodeModulesAsync(e2eDirectory, cancellationToken);

        var scratch = ServerProcess.NewTemporaryDirectory("mediary-e2e-work-");
        await using var server = ServerProcess.Create();
        try
        {
            var image = await MakeTestJpegAsync(scratch, cancellationToken);

            var account = await server.RunCliAsync(["accounts", "create", "alice"], cancellationToken);
            Assert.True(account.ExitCode == 0, $"accounts create failed: {account}");
            var tokenResult = await server.RunCliAsync(["tokens", "create", "--account", "alice", "--scopes", "read write"], cancellationToken);
            Assert.True(tokenResult.ExitCode == 0, $"tokens create failed: {tokenResult}");
            var token = tokenResult.Stdout.Trim();
            Assert.False(string.IsNullOrEmpty(token) || token.Any(char.IsWhiteSpace),
                $"tokens create should print only the token on stdout: {tokenResult}");

            await server.LaunchAsync(cancellationToken: cancellationToken);

            var flow = await ProcessRunner.RunAsync(node, [Path.Combine(e2eDirectory, script)], NodeFlowTimeout, e2eDirectory,
                new Dictionary<string, string?>
                {
                    ["MEDIARY_URL"] = server.BaseUrl,
                    ["MEDIARY_TOKEN"] = token,
                    ["MEDIARY_IMAGE"] = image,
                    ["MEDIARY_VIDEO"] = Fixtures.Path("webm-with-audio.webm"),
                    ["NO_COLOR"] = "1",
                },
                cancellationToken);
            output.WriteLine($"node {script}: {flow}");

            Assert.True(flow.ExitCode == 0,
                $"node {script} failed ({flow.ExitCode}).\n--- node stdout ---\n{flow.Stdout}\n--- node stderr ---\n{flow.Stderr}\n" +
                $"--- server log (tail) ---\n{server.LogTail()}");
            Assert.True(server.IsRunning, $"the server died during the flow\n{server.LogTail()}");
        }
        finally
        {
            await ServerProcess.DeleteDirectoryAsync(scratch);
        }
    }

    /// <summary>A 640×480 JPEG: ffmpeg's test card, or a plain black image from libvips if ffmpeg is missing.</summary>
    private static async Task<string> MakeTestJpegAsync(string directory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, "testcard.jpg");
        var attempts = new List<string>();
        if (FindOnPath("ffmpeg") is { } ffmpeg)
        {
            var result = await ProcessRunner.RunAsync(ffmpeg,
                ["-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=640x480", "-frames:v", "1", path],
                ToolTimeout, directory, cancellationToken: cancellationToken);
            if (result.ExitCode == 0 && IsJpeg(path)) return path;
            attempts.Add($"ffmpeg: {result}");
        }
        if (FindOnPath("vips") is { } vips)
        {
            var result = await ProcessRunner.RunAsync(vips, ["black", path, "640", "480"], ToolTimeout, directory,
                cancellationToken: cancellationToken);
            if (result.ExitCode == 0 && IsJpeg(path)) return path;
            attempts.Add($"vips: {result}");
        }
        Assert.Fail("could not make a test JPEG: install ffmpeg or libvips-tools\n" + string.Join('\n', attempts));
        return path;
    }

    private static bool IsJpeg(string path)
    {
        if (!File.Exists(path)) return false;
        Span<byte> head = stackalloc byte[3];
        using var stream = File.OpenRead(path);
        return stream.Read(head) == 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF;
    }

    /// <summary>
    /// Runs npm ci in tests/e2e unless every dependency pinned in package.json is installed at that version
    /// (so a plain <c>dotnet test</c> works on a fresh clone). Serialized: both tests may get here at once.
    /// </summary>
    private static async Task EnsureNodeModulesAsync(string e2eDirectory, CancellationToken cancellationToken)
    {
        await NpmInstallLock.WaitAsync(cancellationToken);
        try
        {
            if (MissingDependencies(e2eDirectory) is not { Count: > 0 } missing) return;
            var npm = FindOnPath("npm");
            Assert.True(npm is not null, $"tests/e2e needs {string.Join(", ", missing)} but npm is not on PATH");
            var command = File.Exists(Path.Combine(e2eDirectory, "package-lock.json")) ? "ci" : "install";
            var result = await ProcessRunner.RunAsync(npm, [command, "--no-audit", "--no-fund"], NpmTimeout, e2eDirectory,
                cancellationToken: cancellationToken);
            Assert.True(result.ExitCode == 0, $"npm {command} in {e2eDirectory} failed: {result}");
            missing = MissingDependencies(e2eDirectory);
            Assert.True(missing.Count == 0, $"after npm {command}, still missing: {string.Join(", ", missing)}");
        }
        finally
        {
            NpmInstallLock.Release();
        }
    }

    /// <summary>"name@version" for each dependency of package.json that node_modules lacks at that exact version.</summary>
    private static List<string> MissingDependencies(string e2eDirectory)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(e2eDirectory, "package.json")));
        var missing = new List<string>();
        if (!manifest.RootElement.TryGetProperty("dependencies", out var dependencies)) return missing;
        foreach (var dependency in dependencies.EnumerateObject())
        {
            var wanted = dependency.Value.GetString() ?? "";
            var installedManifest = Path.Combine(e2eDirectory, "node_modules", dependency.Name, "package.json");
            string? installed = null;
            if (File.Exists(installedManifest))
            {
                using var document = JsonDocument.Parse(File.ReadAllText(installedManifest));
                installed = document.RootElement.TryGetProperty("version", out var version) ? version.GetString() : null;
            }
            if (installed != wanted) missing.Add($"{dependency.Name}@{wanted}");
        }
        return missing;
    }

    /// <summary>The folder holding Mediary.slnx, found by walking up from the test assembly.</summary>
    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Mediary.slnx"))) return directory.FullName;
        }
        throw new InvalidOperationException($"no Mediary.slnx above {AppContext.BaseDirectory}");
    }

    private static string? FindOnPath(string program)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (directory.Length == 0) continue;
            var candidate = Path.Combine(directory, program);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
