using Mediary.Tests.Infrastructure;
using System.Text.Json;

namespace Mediary.Tests.EndToEnd;

/// <summary>
/// What the tests running tests/e2e's node scripts share: finding node, installing tests/e2e/node_modules
/// with npm ci when it is missing or stale, and the JPEG the scripts upload.
/// </summary>
public static class NodeScripts
{
    private static readonly TimeSpan NpmTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(60);
    private static readonly SemaphoreSlim NpmInstallLock = new(1, 1);

    /// <summary>tests/e2e in the repository.</summary>
    public static string Directory { get; } = Path.Combine(RepoPaths.Root, "tests", "e2e");

    /// <summary>
    /// Runs npm ci in tests/e2e unless every dependency pinned in package.json is installed at that version
    /// (so a plain <c>dotnet test</c> works on a fresh clone, and after package.json gained or changed a pin).
    /// The one installer of tests/e2e: npm ci empties node_modules first, so it must not run while another test uses it.
    /// </summary>
    public static async Task EnsureNodeModulesAsync(CancellationToken cancellationToken)
    {
        await NpmInstallLock.WaitAsync(cancellationToken);
        try
        {
            if (MissingDependencies() is not { Count: > 0 } missing) return;
            var npm = FindOnPath("npm");
            Assert.True(npm is not null, $"tests/e2e needs {string.Join(", ", missing)} but npm is not on PATH");
            var command = File.Exists(Path.Combine(Directory, "package-lock.json")) ? "ci" : "install";
            var result = await ProcessRunner.RunAsync(npm, [command, "--no-audit", "--no-fund"], NpmTimeout, Directory,
                cancellationToken: cancellationToken);
            Assert.True(result.ExitCode == 0, $"npm {command} in {Directory} failed: {result}");
            missing = MissingDependencies();
            Assert.True(missing.Count == 0, $"after npm {command}, still missing: {string.Join(", ", missing)}");
        }
        finally
        {
            NpmInstallLock.Release();
        }
    }

    /// <summary>"name@version" for each dependency and dev dependency of package.json that node_modules lacks at that exact version.</summary>
    private static List<string> MissingDependencies()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "package.json")));
        var missing = new List<string>();
        foreach (var section in (string[])["dependencies", "devDependencies"])
        {
            if (!manifest.RootElement.TryGetProperty(section, out var dependencies)) continue;
            foreach (var dependency in dependencies.EnumerateObject())
            {
                var wanted = dependency.Value.GetString() ?? "";
                var installedManifest = Path.Combine(Directory, "node_modules", dependency.Name, "package.json");
                string? installed = null;
                if (File.Exists(installedManifest))
                {
                    using var document = JsonDocument.Parse(File.ReadAllText(installedManifest));
                    installed = document.RootElement.TryGetProperty("version", out var version) ? version.GetString() : null;
                }
                if (installed != wanted) missing.Add($"{dependency.Name}@{wanted}");
            }
        }
        return missing;
    }

    /// <summary>
    /// Runs one script of tests/e2e against <paramref name="server"/> and asserts what a user of the flow needs:
    /// the script succeeded (else its output and the server's log tail) and the server is still up. Returns what it printed.
    /// </summary>
    public static async Task<ProcessResult> RunFlowAsync(string node, string script, ServerProcess server,
        IReadOnlyDictionary<string, string?> environment, TimeSpan timeout, ITestOutputHelper output, CancellationToken cancellationToken)
    {
        var flow = await ProcessRunner.RunAsync(node, [Path.Combine(Directory, script)], timeout, Directory, environment, cancellationToken);
        output.WriteLine($"node {script}: {flow}");
        Assert.True(flow.ExitCode == 0,
            $"node {script} failed ({flow.ExitCode}).\n--- node stdout ---\n{flow.Stdout}\n--- node stderr ---\n{flow.Stderr}\n" +
            $"--- server log (tail) ---\n{server.LogTail()}");
        Assert.True(server.IsRunning, $"the server died during the flow\n{server.LogTail()}");
        return flow;
    }

    /// <summary>A 640×480 JPEG: ffmpeg's test card, or a plain black image from libvips if ffmpeg is missing.</summary>
    public static async Task<string> MakeTestJpegAsync(string directory, CancellationToken cancellationToken)
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

    public static string? FindOnPath(string program)
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
