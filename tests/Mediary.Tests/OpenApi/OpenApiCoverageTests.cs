using System.Text.Json;
using Mediary.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Mediary.Tests.OpenApi;

/// <summary>The two documents against the app's own routes: every API route documented once, nothing documented that is not served.</summary>
public sealed class OpenApiCoverageTests(MediaryApp app) : IClassFixture<MediaryApp>
{
    /// <summary>Served routes in neither document, each with the reason. "ANY" is a route for every method.</summary>
    public static readonly Dictionary<string, string> Excluded = new()
    {
        ["GET /health"] = "infrastructure: liveness",
        ["GET /health/ready"] = "infrastructure: readiness",
        ["GET /openapi/{face}.json"] = "the documents themselves",
        ["GET /docs/{documentName}"] = "the reference page (Scalar)",
        ["GET /docs/scalar.js"] = "the reference page's script (Scalar, embedded)",
        ["GET /docs/scalar.aspnetcore.js"] = "the reference page's script (Scalar, embedded)",
        ["GET /docs/favicon.svg"] = "the reference page's icon (Scalar, embedded)",
        ["ANY /api/{**rest}"] = "the Mastodon face's 404 for unknown paths, not an operation",
        ["GET /auth/sign_in"] = "HTML page for a person in a browser, not an API",
        ["POST /auth/sign_in"] = "HTML form post of the sign-in page (antiforgery token)",
        ["POST /auth/sign_out"] = "HTML form post of the pages",
        ["POST /oauth/authorize"] = "HTML form post of the consent page (antiforgery token); apps only link to GET /oauth/authorize",
        ["GET /oauth/authorize/native"] = "HTML page showing an out-of-band code",
        ["GET /auth/pages.css"] = "the pages' stylesheet",
        ["GET /"] = "the web app's page, for a person in a browser",
        ["GET /app/{file}"] = "the web app's script and stylesheet",
        ["GET /metrics"] = "infrastructure: Prometheus metrics",
    };

    [Fact]
    public async Task Every_served_route_is_in_exactly_one_document_and_every_documented_operation_is_served()
    {
        var served = ServedRoutes();
        var mastodon = await OperationsAsync("mastodon");
        var direct = await OperationsAsync("direct");

        var problems = new List<string>();
        foreach (var route in served.Where(route => !Excluded.ContainsKey(route)))
        {
            var count = (mastodon.Contains(route) ? 1 : 0) + (direct.Contains(route) ? 1 : 0);
            if (count != 1) problems.Add($"{route} is served and in {count} documents");
        }
        problems.AddRange(mastodon.Concat(direct).Where(route => !served.Contains(route)).Select(route => $"{route} is documented but not served"));
        problems.AddRange(Excluded.Keys.Where(route => !served.Contains(route) && !route.EndsWith("/metrics", StringComparison.Ordinal))
            .Select(route => $"{route} is excluded but not served: drop it from the list"));
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Theory]
    [InlineData("mastodon")]
    [InlineData("direct")]
    public async Task Every_operation_is_described_with_its_responses_and_examples(string face)
    {
        using var document = JsonDocument.Parse(await app.CreateClient().GetStringAsync($"/openapi/{face}.json", TestContext.Current.CancellationToken));
        var problems = new List<string>();
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var name = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                var op = operation.Value;
                if (!op.TryGetProperty("summary", out _)) problems.Add($"{name}: no summary (not hand-described)");
                if (!op.TryGetProperty("operationId", out _)) problems.Add($"{name}: no operationId");
                var responses = op.GetProperty("responses").EnumerateObject().ToList();
                if (!responses.Any(response => response.Name.StartsWith('2') || response.Name.StartsWith('3'))) problems.Add($"{name}: no success response");
                if (!responses.Any(response => response.Name.StartsWith('4'))) problems.Add($"{name}: no error response");
                foreach (var response in responses)
                {
                    if (!response.Value.TryGetProperty("content", out var content)) continue;
                    foreach (var media in content.EnumerateObject())
                    {
                        if (!media.Value.TryGetProperty("example", out _) && !media.Value.TryGetProperty("examples", out _))
                        {
                            problems.Add($"{name} {response.Name} {media.Name}: no example");
                        }
                    }
                }
            }
        }
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public async Task Documents_are_cached_and_an_unknown_document_is_404()
    {
        var client = app.CreateClient();
        var first = await client.GetStringAsync("/openapi/direct.json", TestContext.Current.CancellationToken);
        var second = await client.GetStringAsync("/openapi/direct.json", TestContext.Current.CancellationToken);
        Assert.Equal(first, second);
        Assert.StartsWith("3.1", JsonDocument.Parse(first).RootElement.GetProperty("openapi").GetString());
        using var missing = await client.GetAsync("/openapi/other.json", TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
    }

    private HashSet<string> ServedRoutes()
    {
        _ = app.CreateClient(); // starts the server
        var routes = new HashSet<string>();
        foreach (var endpoint in app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var path = "/" + string.Join('/', endpoint.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
            {
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternSeparatorPart separator => separator.Content,
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { IsCatchAll: true } parameter => $"{{**{parameter.Name}}}",
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter => $"{{{parameter.Name}}}",
                _ => "?",
            }))));
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
            if (methods is null or { Count: 0 }) routes.Add($"ANY {path}");
            else foreach (var method in methods) routes.Add($"{method.ToUpperInvariant()} {path}");
        }
        return routes;
    }

    private async Task<HashSet<string>> OperationsAsync(string face)
    {
        using var document = JsonDocument.Parse(await app.CreateClient().GetStringAsync($"/openapi/{face}.json", TestContext.Current.CancellationToken));
        return document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject()
                .Where(operation => operation.Name is "get" or "put" or "post" or "delete" or "patch" or "head" or "options")
                .Select(operation => $"{operation.Name.ToUpperInvariant()} {path.Name}"))
            .ToHashSet();
    }
}
