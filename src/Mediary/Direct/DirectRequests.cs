using System.Text.Json;
using Mediary.Media;
using Microsoft.AspNetCore.Http.Features;

namespace Mediary.Direct;

/// <summary>Reading the direct face's JSON bodies and query parameters, with errors that name the field.</summary>
public static class DirectRequests
{
    /// <summary>JSON bodies are small declarations; anything bigger is refused while it streams in.</summary>
    public const long MaxJsonBodyBytes = 64 * 1024;

    public static async Task<JsonElement> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            throw new DirectApiException(DirectErrorCodes.UnsupportedMediaType, "Send the body as JSON, with Content-Type: application/json.");
        }
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxJsonBodyBytes;
        if (request.ContentLength > MaxJsonBodyBytes)
        {
            throw new DirectApiException(DirectErrorCodes.PayloadTooLarge, $"A JSON body may be at most {MaxJsonBodyBytes} bytes.");
        }
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new DirectApiException(DirectErrorCodes.ValidationError, "The body must be a JSON object.");
            }
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new DirectApiException(DirectErrorCodes.ValidationError, "The body is not valid JSON.");
        }
    }

    /// <summary>A string field; like every text the core stores, it may not hold U+0000 (<see cref="TextRules"/>).</summary>
    public static string? OptionalString(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String) throw DirectApiException.Validation(name, $"{name} must be a string.");
        var text = value.GetString();
        return TextRules.HasNullCharacter(text)
            ? throw DirectApiException.Validation(name, $"{name} contains a null character (U+0000), which cannot be stored.")
            : text;
    }

    public static string RequiredString(JsonElement body, string name) =>
        OptionalString(body, name) is { Length: > 0 } text ? text : throw DirectApiException.Validation(name, $"{name} is required.");

    /// <summary>A whole number, sent as a JSON number or as a string of digits.</summary>
    public static long? OptionalInteger(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)) return number;
        if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), out var parsed)) return parsed;
        throw DirectApiException.Validation(name, $"{name} must be a whole number of bytes.");
    }

    public static IReadOnlyList<string> OptionalStringArray(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return [];
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(item => item.ValueKind != JsonValueKind.String))
        {
            throw DirectApiException.Validation(name, $"{name} must be an array of media_id strings.");
        }
        return value.EnumerateArray().Select(item => item.GetString()!).ToList();
    }

    public static int QueryInteger(HttpRequest request, string name, int fallback, int min, int max)
    {
        var raw = request.Query[name].ToString();
        if (raw.Length == 0) return fallback;
        return int.TryParse(raw, out var value) && value >= min && value <= max
            ? value
            : throw DirectApiException.Validation(name, $"{name} must be a whole number from {min} to {max}.");
    }

    public static string? QueryChoice(HttpRequest request, string name, params string[] allowed)
    {
        var raw = request.Query[name].ToString();
        if (raw.Length == 0) return null;
        return allowed.Contains(raw) ? raw : throw DirectApiException.Validation(name, $"{name} must be one of {string.Join(", ", allowed)}.");
    }
}
