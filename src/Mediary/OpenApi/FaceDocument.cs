using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Mediary.OpenApi;

/// <summary>
/// One API face's document, written over what the generator found: the generator lists the served
/// routes of the face, and this replaces each of its operations with the hand-written one of the same
/// method and path (summary, parameters, bodies, every status with its JSON body and an example).
/// A route without a hand-written operation keeps the generator's bare one, which the tests reject.
/// </summary>
internal abstract class FaceDocument(OpenApiDocument document)
{
    protected OpenApiDocument Document { get; } = document;

    protected abstract OpenApiInfo Info { get; }

    protected abstract IEnumerable<OpenApiTag> Tags { get; }

    protected abstract void AddComponents(OpenApiComponents components);

    /// <summary>The operations, keyed by method and path as the document writes them, e.g. <c>GET /v1/media/{id}</c>.</summary>
    protected abstract IReadOnlyDictionary<string, Func<OpenApiOperation>> Operations();

    public static Task ApplyAsync(FaceDocument face)
    {
        face.Apply();
        return Task.CompletedTask;
    }

    private void Apply()
    {
        Document.Info = Info;
        // Relative to where the document is served: one cached document fits every host name.
        Document.Servers = [new OpenApiServer { Url = "/" }];
        Document.Tags = Tags.ToHashSet();
        Document.Components = new OpenApiComponents
        {
            Schemas = new Dictionary<string, IOpenApiSchema>(),
            SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>(),
        };
        AddComponents(Document.Components);

        var operations = Operations();
        foreach (var (path, item) in Document.Paths)
        {
            if (item is not OpenApiPathItem { Operations: { } served }) continue;
            foreach (var method in served.Keys.ToList())
            {
                if (operations.TryGetValue($"{method.Method.ToUpperInvariant()} {path}", out var describe)) served[method] = describe();
            }
        }
    }

    protected IOpenApiSchema Ref(string schema) => new OpenApiSchemaReference(schema, Document);

    protected ISet<OpenApiTagReference> Tag(string name) => new HashSet<OpenApiTagReference> { new(name, Document) };

    /// <summary>Any one of <paramref name="alternatives"/> admits the request (OpenAPI: the requirements are alternatives).</summary>
    protected List<OpenApiSecurityRequirement> Security(string scheme, params string[][] alternatives) =>
        (alternatives.Length == 0 ? [[]] : alternatives)
        .Select(scopes => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, Document)] = scopes.ToList() })
        .ToList();

    /// <summary>No authentication (OpenAPI: an empty requirement list overrides the document's).</summary>
    protected static List<OpenApiSecurityRequirement> Anyone() => [];

    protected static JsonNode Example(string json) => JsonNode.Parse(json)!;
}
