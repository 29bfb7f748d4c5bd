using Mediary.Tests.EndToEnd;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.OpenApi;

/// <summary>
/// Both documents pass Redocly's linter (npm @redocly/cli, every recommended rule as an error; the rules
/// turned off are in tests/e2e/redocly.yaml with the reason). Among them: valid OpenAPI 3.1, every example
/// valid against its schema, every operation with a 4xx, every path parameter defined.
/// </summary>
public sealed class OpenApiLintTests(MediaryApp app, ITestOutputHelper output) : IClassFixture<MediaryApp>
{
    private static readonly TimeSpan LintTimeout = TimeSpan.FromMinutes(3);

    [Theory(Timeout = 600_000)]
    [InlineData("mastodon")]
    [InlineData("direct")]
    public async Task Document_passes_redocly_lint(string face)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var scratch = ServerProcess.NewTemporaryDirectory("mediary-openapi-lint-");
        try
        {
            var document = Path.Combine(scratch, $"{face}.json");
            await File.WriteAllTextAsync(document, await app.CreateClient().GetStringAsync($"/openapi/{face}.json", cancellationToken),
                cancellationToken);
            var lint = await NodeProject.RunToolAsync("redocly",
                ["lint", document, "--config", Path.Combine(NodeProject.Directory, "redocly.yaml"), "--format", "stylish"],
                LintTimeout, cancellationToken);
            output.WriteLine(lint.ToString());
            Assert.True(lint.ExitCode == 0, $"redocly lint {face}.json failed ({lint.ExitCode}):\n{lint.Stdout}\n{lint.Stderr}");
        }
        finally
        {
            await ServerProcess.DeleteDirectoryAsync(scratch);
        }
    }
}
