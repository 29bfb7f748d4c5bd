using Mediary.Tests.EndToEnd;

namespace Mediary.Tests.OpenApi;

/// <summary>
/// The node project in tests/e2e, for the OpenAPI tools (redocly, openapi-typescript, tsc) and the
/// generated client: node_modules installed by <see cref="NodeScripts"/> (one installer for every test
/// using tests/e2e), and its programs run. Skips the test when node is not on PATH.
/// </summary>
internal static class NodeProject
{
    public static string Directory => NodeScripts.Directory;

    public static async Task<string> NodeAsync(CancellationToken cancellationToken)
    {
        var node = NodeScripts.FindOnPath("node");
        if (node is null) Assert.Skip("node is not on PATH: the OpenAPI tool tests need node 20+");
        await NodeScripts.EnsureNodeModulesAsync(cancellationToken);
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
}
