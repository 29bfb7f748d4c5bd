using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace Mediary.OpenApi;

/// <summary>
/// Short constructors for the JSON schemas, parameters and responses the documents spell out by hand:
/// the endpoints read their bodies themselves, so nothing can be inferred from their signatures.
/// </summary>
internal static class Shapes
{
    public static OpenApiSchema Text(string? description = null, string? format = null) =>
        new() { Type = JsonSchemaType.String, Description = description, Format = format };

    public static OpenApiSchema Integer(string? description = null, long? minimum = null, long? maximum = null) => new()
    {
        Type = JsonSchemaType.Integer,
        Format = "int64",
        Description = description,
        Minimum = minimum?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Maximum = maximum?.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static OpenApiSchema Number(string? description = null) => new() { Type = JsonSchemaType.Number, Description = description };

    public static OpenApiSchema Boolean(string? description = null) => new() { Type = JsonSchemaType.Boolean, Description = description };

    public static OpenApiSchema Null() => new() { Type = JsonSchemaType.Null };

    public static OpenApiSchema OneOf(params string[] values) => new()
    {
        Type = JsonSchemaType.String,
        Enum = values.Select(value => (JsonNode)JsonValue.Create(value)).ToList(),
    };

    /// <summary>The same schema that also allows <c>null</c> (OpenAPI 3.1: <c>"type": ["string", "null"]</c>).</summary>
    public static OpenApiSchema OrNull(this OpenApiSchema schema)
    {
        schema.Type |= JsonSchemaType.Null;
        if (schema.Enum is { Count: > 0 } values && !values.Any(value => value is null)) values.Add(null!);
        return schema;
    }

    public static OpenApiSchema Described(this OpenApiSchema schema, string description)
    {
        schema.Description = description;
        return schema;
    }

    public static OpenApiSchema ArrayOf(IOpenApiSchema items, string? description = null) =>
        new() { Type = JsonSchemaType.Array, Items = items, Description = description };

    /// <summary>A JSON object whose properties are all present (Mastodon and the envelope always send every key).</summary>
    public static OpenApiSchema Object(params (string Name, IOpenApiSchema Schema)[] properties) =>
        Object(properties, properties.Select(property => property.Name));

    /// <summary>A JSON object whose <paramref name="required"/> properties must be there; the others may be left out.</summary>
    public static OpenApiSchema Object((string Name, IOpenApiSchema Schema)[] properties, IEnumerable<string> required) => new()
    {
        Type = JsonSchemaType.Object,
        Properties = properties.ToDictionary(property => property.Name, property => property.Schema),
        Required = required.ToHashSet(),
    };

    /// <summary>An object of string values with any keys (e.g. headers to send).</summary>
    public static OpenApiSchema Map(IOpenApiSchema values) => new() { Type = JsonSchemaType.Object, AdditionalProperties = values };

    public static OpenApiParameter PathId(string description, string example) => new()
    {
        Name = "id",
        In = ParameterLocation.Path,
        Required = true,
        Description = description,
        Schema = Text(),
        Example = JsonValue.Create(example),
    };

    public static OpenApiParameter Query(string name, IOpenApiSchema schema, string description, JsonNode? example = null, bool required = false) =>
        new() { Name = name, In = ParameterLocation.Query, Required = required, Description = description, Schema = schema, Example = example };

    public static OpenApiParameter Header(string name, IOpenApiSchema schema, string description, JsonNode? example = null) =>
        new() { Name = name, In = ParameterLocation.Header, Description = description, Schema = schema, Example = example };

    /// <summary>A body with its schema and an example, e.g. <c>Content("application/json", schema, """{"a": 1}""")</c>.</summary>
    public static OpenApiMediaType Content(IOpenApiSchema schema, string exampleJson) =>
        new() { Schema = schema, Example = JsonNode.Parse(exampleJson) };

    public static OpenApiResponse Response(string description, string mediaType, IOpenApiSchema schema, string exampleJson,
        IDictionary<string, IOpenApiHeader>? headers = null) => new()
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { [mediaType] = Content(schema, exampleJson) },
            Headers = headers,
        };

    public static OpenApiResponse Empty(string description, IDictionary<string, IOpenApiHeader>? headers = null) =>
        new() { Description = description, Headers = headers };

    public static OpenApiHeader ResponseHeader(IOpenApiSchema schema, string description) => new() { Schema = schema, Description = description };
}
