using System.Collections.Concurrent;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Mediary.OpenApi;

/// <summary>
/// The two OpenAPI 3.1 documents, <c>/openapi/mastodon.json</c> and <c>/openapi/direct.json</c>, and the
/// reference page at <c>/docs</c>. A document is built on its first request and kept: nothing here runs on
/// any other request.
/// </summary>
public static class ApiDocuments
{
    public const string Mastodon = "mastodon";
    public const string Direct = "direct";
    public const string DocsPath = "/docs";

    /// <summary>
    /// Which document a served route belongs to; null for routes in neither: health, the sign-in and consent
    /// pages' own forms, files, the documents and /docs (tests/Mediary.Tests/OpenApi lists them with reasons).
    /// </summary>
    public static string? FaceOf(string method, string path) => path switch
    {
        _ when path.StartsWith("/v1/", StringComparison.Ordinal) => Direct,
        _ when path.StartsWith("/api/", StringComparison.Ordinal) => Mastodon,
        "/oauth/token" or "/oauth/revoke" or "/.well-known/oauth-authorization-server" => Mastodon,
        // The page apps send people to; its form posts back to itself and is not an API.
        "/oauth/authorize" when method == "GET" => Mastodon,
        _ => null,
    };

    public static IServiceCollection AddApiDocuments(this IServiceCollection services)
    {
        services.AddOpenApi(Mastodon, options => Configure(options, Mastodon, document => new MastodonApiDocument(document)));
        services.AddOpenApi(Direct, options => Configure(options, Direct, document => new DirectApiDocument(document)));
        return services;
    }

    private static void Configure(OpenApiOptions options, string face, Func<OpenApiDocument, FaceDocument> describe)
    {
        options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
        options.ShouldInclude = description =>
            description.HttpMethod is { } method && FaceOf(method.ToUpperInvariant(), "/" + (description.RelativePath ?? "").TrimStart('/')) == face;
        options.AddDocumentTransformer((document, _, _) => FaceDocument.ApplyAsync(describe(document)));
    }

    public static IEndpointRouteBuilder MapApiDocuments(this IEndpointRouteBuilder app)
    {
        var cache = new ConcurrentDictionary<string, Lazy<Task<string>>>();
        app.MapGet("/openapi/{face}.json", (string face, IServiceProvider services, CancellationToken ct) =>
            face is not (Mastodon or Direct)
                ? Task.FromResult(Results.NotFound())
                : Serve(cache.GetOrAdd(face, name => new Lazy<Task<string>>(() => BuildAsync(services, name)))))
            .ExcludeFromDescription();

        app.MapScalarApiReference(DocsPath, scalar => scalar
            .WithTitle("Mediary API")
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent()
            .DisableMcp()
            .AddDocument(Mastodon, "Mastodon API", "/openapi/mastodon.json", isDefault: true)
            .AddDocument(Direct, "Direct upload API", "/openapi/direct.json"))
            .WithDocsPolicy();
        return app;
    }

    private static async Task<IResult> Serve(Lazy<Task<string>> document) =>
        Results.Text(await document.Value, "application/json; charset=utf-8");

    private static async Task<string> BuildAsync(IServiceProvider services, string face)
    {
        var provider = services.GetRequiredKeyedService<IOpenApiDocumentProvider>(face);
        var document = await provider.GetOpenApiDocumentAsync(CancellationToken.None);
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        document.SerializeAsV31(new OpenApiJsonWriter(text));
        return text.ToString();
    }
}
