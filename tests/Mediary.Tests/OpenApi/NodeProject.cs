using System.Text.Json;
using Mediary.Tests.EndToEnd;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.OpenApi;

/// <summary>
/// The node project in tests/e2e, for the OpenAPI tools (redocly, openapi-typescript, tsc) and the
/// generated client: installs node_modules with npm ci when a pinned dependency or dev dependency is
/// missing, and runs its programs. Skips the test when node is not on PATH.
/// </summary>
internal static class NodeProject
{
    private static readonly TimeSpan NpmTimeout = TimeSpan.FromMinutes(5);
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    public static string Directory { get; } = Path.Combine(RepoPaths.Root, "tests", "e2e");

    public static async Task<string> NodeAsync(CancellationToken cancellationToken)
    {
        var node = FindOnPath("node");
        if (node is null) Assert.Skip("node is not on PATH: the OpenAPI tool tests need node 20+");
        await InstallLock.WaitAsync(cancellationToken);
        try
        {
            if (Missing() is { Count: > 0 } missing)
            {
                var npm = FindOnPath("npm");
                Assert.True(npm is not null, $"tests/e2e needs {string.Join(", ", missing)} but npm is not on PATH");
                var result = await ProcessRunner.RunAsync(npm, ["ci", "--no-audit", "--no-fund"], NpmTimeout, Directory,
                    cancellationToken: cancellationToken);
                Assert.True(result.ExitCode == 0, $"npm ci in {Directory} failed: {result}");
                Assert.Empty(Missing());
            }
        }
        finally
        {
            InstallLock.Release();
        }
        return node;
    }

    /// <summary>Runs an installed package's program, e.g. <c>redocly lint ...</c>, from tests/e2e.</summary>
    public static async Task<ProcessResult> RunToolAsync(string tool, IEnumerable<string> arguments, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var node = await NodeAsync(cancellationToken);
        var script = ToolScript(tool);
        return await ProcessRunner.RunAsync(node, [script, .. arguments], timeout, Directory, Environment, cancellationToken);
    }

    /// <summary>No telemetry, update notices or colours from the tools.</summary>
    public static readonly Dictionary<string, string?> Environment = new()
    {
        ["NO_COLOR"] = "1",
        ["REDOCLY_TELEMETRY"] = "off",
        ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true",
    };

    /// <summary>The JavaScript file behind node_modules/.bin/TOOL (a symlink npm makes).</summary>
    private static string ToolScript(string tool)
    {
        var link = new FileInfo(Path.Combine(Directory, "node_modules", ".bin", tool));
        Assert.True(link.Exists, $"node_modules/.bin/{tool} is missing");
        return link.LinkTarget is { } target ? Path.GetFullPath(target, link.DirectoryName!) : link.FullName;
    }

    private static List<string> Missing()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "package.json")));
        var missing = new List<string>();
        foreach (var section in (string[])["dependencies", "devDependencies"])
        {
            if (!manifest.RootElement.TryGetProperty(section, out var dependencies)) continue;
            foreach (var dependency in dependencies.EnumerateObject())
            {
                var installed = Path.Combine(Directory, "node_modules", dependency.Name, "package.json");
                string? version = null;
                if (File.Exists(installed))
                {
                    using var document = JsonDocument.Parse(File.ReadAllText(installed));
                    version = document.RootElement.TryGetProperty("version", out var value) ? value.GetString() : null;
                }
                if (version != dependency.Value.GetString()) missing.Add($"{dependency.Name}@{dependency.Value.GetString()}");
            }
        }
        return missing;
    }

    private static string? FindOnPath(string program) =>
        (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Where(directory => directory.Length > 0)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
}
