using System.Net;
using System.Net.Http.Headers;
using Mediary.Tests.EndToEnd;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Web;

/// <summary>
/// With the default configuration, the request log keeps what an operator looks for (writes and
/// failures, with their request id) and leaves out the successful reads that polling clients send
/// by the thousand (logged at Debug).
/// </summary>
public sealed class RequestLogTests
{
    [Fact]
    public async Task Writes_and_failures_are_logged_and_successful_reads_are_not()
    {
        await using var server = ServerProcess.Create();
        Assert.Equal(0, (await server.RunCliAsync("accounts", "create", "logs")).ExitCode);
        var token = (await server.RunCliAsync("tokens", "create", "--account", "logs", "--scopes", "read write")).Stdout.Trim();
        await server.LaunchAsync();
        using var client = new HttpClient { BaseAddress = server.BaseUri };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var user = new User(null!, token, client);

        var uploaded = await user.UploadAsync(Fixtures.Path("600x400.jpg"));
        Assert.Equal(HttpStatusCode.OK, uploaded.Status);
        var read = await user.GetMediaAsync(uploaded.Id);
        Assert.Equal(HttpStatusCode.OK, read.Status);
        var missing = await user.GetMediaAsync("1");
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);

        var lines = await LinesAsync(server, $"GET /api/v1/media/1 answered 404");
        Assert.Contains(lines, line => line.Contains("POST /api/v2/media answered 200") && line.Contains(Header(uploaded, "X-Request-Id")));
        Assert.Contains(lines, line => line.Contains(Header(missing, "X-Request-Id")));
        Assert.DoesNotContain(lines, line => line.Contains($"GET /api/v1/media/{uploaded.Id} answered"));
    }

    private static string Header(Answer answer, string name) => answer.Response.Headers.GetValues(name).Single();

    /// <summary>The log's lines once <paramref name="last"/>, written after the others, has arrived.</summary>
    private static async Task<string[]> LinesAsync(ServerProcess server, string last)
    {
        Assert.True(await Polling.UntilAsync(() => Task.FromResult(server.Log.Contains(last)), TimeSpan.FromSeconds(20)), server.LogTail());
        return server.Log.Split('\n');
    }
}
