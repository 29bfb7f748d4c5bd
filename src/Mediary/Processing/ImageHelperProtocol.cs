using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mediary.Processing;

/// <summary>
/// One line of JSON per request and per answer between the server and an image helper process.
/// <c>probe</c> reads the header only; <c>render</c> writes each output (auto-rotated, fitted into
/// <see cref="RenderOutput.MaxPixels"/>, metadata stripped but the ICC profile) and the blurhash.
/// </summary>
internal sealed record HelperRequest(
    [property: JsonPropertyName("op")] string Op,
    [property: JsonPropertyName("input")] string Input,
    [property: JsonPropertyName("outputs")] IReadOnlyList<RenderOutput>? Outputs = null,
    [property: JsonPropertyName("blurhashFrom")] int BlurhashFrom = -1,
    [property: JsonPropertyName("colorsFrom")] int ColorsFrom = -1);

internal sealed record RenderOutput(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("maxPixels")] long MaxPixels);

internal sealed record HelperResponse(
    [property: JsonPropertyName("ok")] bool Ok,
    [property: JsonPropertyName("error")] string? Error = null,
    [property: JsonPropertyName("width")] int Width = 0,
    [property: JsonPropertyName("height")] int Height = 0,
    [property: JsonPropertyName("pages")] int Pages = 1,
    [property: JsonPropertyName("loader")] string? Loader = null,
    [property: JsonPropertyName("outputs")] IReadOnlyList<RenderedSize>? Outputs = null,
    [property: JsonPropertyName("blurhash")] string? Blurhash = null,
    [property: JsonPropertyName("colors")] MediaColorsResult? Colors = null);

internal sealed record RenderedSize(
    [property: JsonPropertyName("width")] int Width,
    [property: JsonPropertyName("height")] int Height);

internal static class HelperJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
