using Microsoft.OpenApi;

namespace Mediary.OpenApi;

/// <summary>The Mastodon face (<c>/api</c>, OAuth) as OpenAPI 3.1.</summary>
internal sealed class MastodonApiDocument(OpenApiDocument document) : FaceDocument(document)
{
    protected override OpenApiInfo Info => new() { Title = "Mediary Mastodon API", Version = "4.4.0" };

    protected override IEnumerable<OpenApiTag> Tags => [];

    protected override void AddComponents(OpenApiComponents components) { }

    protected override IReadOnlyDictionary<string, Func<OpenApiOperation>> Operations() => new Dictionary<string, Func<OpenApiOperation>>();
}
