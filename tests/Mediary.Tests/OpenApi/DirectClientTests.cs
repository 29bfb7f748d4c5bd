using Mediary.Tests.EndToEnd;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.OpenApi;

/// <summary>
/// A TypeScript client generated from the running server's /openapi/direct.json (npm openapi-typescript)
/// type-checks a script of the whole direct flow (tsc --strict), and the script runs it with openapi-fetch
/// against the real server: declare, PUT the bytes, complete, get, list, post, and a typed error.
/// </summary>
public sealed class DirectClientTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(3);

    [Fact(Timeout = 600_000)]
    public async Task A_client_generated_from_the_direct_document_runs_the_whole_upload_flow()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var node = await NodeProject.NodeAsync(cancellationToken);
        await using var server = ServerProcess.Create();
        var account = await server.RunCliAsync(["accounts", "create", "openapi"], cancellationToken);
        Assert.True(account.ExitCode == 0, $"accounts create failed: {account}");
        var key = await server.RunCliAsync(["keys", "create", "--account", "openapi"], cancellationToken);
        Assert.True(key.ExitCode == 0, $"keys create failed: {key}");
        await server.LaunchAsync(cancellationToken: cancellationToken);

        var generated = Path.Combine(NodeProject.Directory, "generated");
        Directory.CreateDirectory(generated);
        var typescript = await NodeProject.RunToolAsync("openapi-typescript",
            [$"{server.BaseUrl}/openapi/direct.json", "--output", Path.Combine(generated, "direct-api.ts")], ToolTimeout, cancellationToken);
        Assert.True(typescript.ExitCode == 0, $"openapi-typescript failed: {typescript}");

        var compiled = Path.Combine(generated, "out");
        var tsc = await NodeProject.RunToolAsync("tsc",
            ["--strict", "--noEmitOnError", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "--skipLibCheck",
             "--types", "node", "--rootDir", ".", "--outDir", compiled, "direct-client-flow.ts", Path.Combine("generated", "direct-api.ts")],
            ToolTimeout, cancellationToken);
        Assert.True(tsc.ExitCode == 0, $"the flow does not type-check against the generated client:\n{tsc.Stdout}\n{tsc.Stderr}");

        var flow = await ProcessRunner.RunAsync(node, [Path.Combine(compiled, "direct-client-flow.js")], ToolTimeout, NodeProject.Directory,
            new Dictionary<string, string?>(NodeProject.Environment)
            {
                ["MEDIARY_URL"] = server.BaseUrl,
                ["MEDIARY_KEY"] = key.Stdout.Trim(),
                ["MEDIARY_IMAGE"] = Fixtures.Path("600x400.jpg"),
            },
            cancellationToken);
        output.WriteLine(flow.ToString());
        Assert.True(flow.ExitCode == 0, $"the flow failed:\n{flow}\n--- server log (tail) ---\n{server.LogTail()}");
        Assert.Contains("ok 6", flow.Stdout);
    }
}
