using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.EndToEnd;

/// <summary>
/// Real npm Mastodon clients (masto, megalodon; see tests/e2e) drive the real server, started as a child process.
/// Needs node on PATH (skipped otherwise) and ffmpeg or libvips-tools for the test image.
/// Installs tests/e2e/node_modules with npm ci when it is missing or stale.
/// </summary>
public sealed class MastoClientTests(ITestOutputHelper output)
{
    private static readonly TimeSpan NodeFlowTimeout = TimeSpan.FromMinutes(3);

    [Fact(Timeout = 600_000)]
    public Task Masto_creates_fetches_updates_and_removes_media() => RunClientFlowAsync("masto-flow.mjs");

    [Fact(Timeout = 600_000)]
    public Task Megalodon_uploads_gets_and_updates_media() => RunClientFlowAsync("megalodon-flow.mjs");

    private async Task RunClientFlowAsync(string script)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var node = NodeScripts.FindOnPath("node");
        if (node is null) Assert.Skip("node is not on PATH: the npm-client end-to-end tests need node 20+");

        await NodeScripts.EnsureNodeModulesAsync(cancellationToken);

        var scratch = ServerProcess.NewTemporaryDirectory("mediary-e2e-work-");
        await using var server = ServerProcess.Create();
        try
        {
            var image = await NodeScripts.MakeTestJpegAsync(scratch, cancellationToken);

            var account = await server.RunCliAsync(["accounts", "create", "alice"], cancellationToken);
            Assert.True(account.ExitCode == 0, $"accounts create failed: {account}");
            var tokenResult = await server.RunCliAsync(["tokens", "create", "--account", "alice", "--scopes", "read write"], cancellationToken);
            Assert.True(tokenResult.ExitCode == 0, $"tokens create failed: {tokenResult}");
            var token = tokenResult.Stdout.Trim();
            Assert.False(string.IsNullOrEmpty(token) || token.Any(char.IsWhiteSpace),
                $"tokens create should print only the token on stdout: {tokenResult}");

            await server.LaunchAsync(cancellationToken: cancellationToken);

            await NodeScripts.RunFlowAsync(node, script, server, new Dictionary<string, string?>
            {
                ["MEDIARY_URL"] = server.BaseUrl,
                ["MEDIARY_TOKEN"] = token,
                ["MEDIARY_IMAGE"] = image,
                ["MEDIARY_VIDEO"] = Fixtures.Path("webm-with-audio.webm"),
                ["NO_COLOR"] = "1",
            }, NodeFlowTimeout, output, cancellationToken);
        }
        finally
        {
            await ServerProcess.DeleteDirectoryAsync(scratch);
        }
    }
}
