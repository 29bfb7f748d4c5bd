using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.EndToEnd;

/// <summary>
/// Signing in with OAuth 2.0 in a real browser: Debian's Chromium, driven by playwright-core from the
/// node scripts in tests/e2e, on the real server started as a child process. Skipped when node or
/// Chromium is missing (scripts/install-deps.sh --test installs both).
/// </summary>
public sealed class OAuthBrowserTests(ITestOutputHelper output)
{
    private static readonly TimeSpan NodeFlowTimeout = TimeSpan.FromMinutes(3);
    private const string Username = "alice";
    private const string Password = "a long password for the browser";

    /// <summary>megalodon's registerApp, generateAuthUrl, fetchAccessToken and revokeToken, then PKCE; on both suite passes.</summary>
    [Fact(Timeout = 600_000)]
    public Task Megalodon_signs_in_through_the_browser_uploads_and_revokes() => RunAsync("oauth-flow.mjs", screenshots: null);

    /// <summary>
    /// The pages as a person sees them; once per run (on the embedded default): the PostgreSQL pass re-runs
    /// what tests the database, and these pages are the same on either. Writes docs/screenshots/*-390.png.
    /// </summary>
    [Fact(Timeout = 600_000)]
    public Task Sign_in_consent_and_error_pages_work_in_the_browser()
    {
        Assert.SkipWhen(TestDatabase.PostgresServer is not null, "the browser page checks run on the suite's first pass only");
        return RunAsync("oauth-pages.mjs", screenshots: Path.Combine(RepoPaths.Root, "docs", "screenshots"));
    }

    private async Task RunAsync(string script, string? screenshots)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var (node, chromium) = EndToEndSetup.NodeAndChromiumOrSkip();

        await NodeScripts.EnsureNodeModulesAsync(cancellationToken);
        var scratch = ServerProcess.NewTemporaryDirectory("mediary-oauth-browser-");
        await using var server = ServerProcess.Create();
        try
        {
            var image = await NodeScripts.MakeTestJpegAsync(scratch, cancellationToken);
            var account = await server.RunCliAsync(["accounts", "create", Username, "--password", Password], cancellationToken);
            Assert.True(account.ExitCode == 0, $"accounts create failed: {account}");
            await server.LaunchAsync(cancellationToken: cancellationToken);

            var environment = new Dictionary<string, string?>
            {
                ["MEDIARY_URL"] = server.BaseUrl,
                ["MEDIARY_USERNAME"] = Username,
                ["MEDIARY_PASSWORD"] = Password,
                ["MEDIARY_IMAGE"] = image,
                ["MEDIARY_CHROMIUM"] = chromium,
                ["MEDIARY_SCREENSHOT_DIR"] = screenshots,
                ["NO_COLOR"] = "1",
            };
            await NodeScripts.RunFlowAsync(node, script, server, environment, NodeFlowTimeout, output, cancellationToken);
        }
        finally
        {
            await ServerProcess.DeleteDirectoryAsync(scratch);
        }
    }
}
