using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace Mediary.Mastodon;

/// <summary>
/// A request's parameters as Rails merges them for a controller: the query string, then a JSON,
/// urlencoded or multipart body (no files), with <c>name[]</c> read as a list under <c>name</c>.
/// For small bodies only (apps, tokens, sign-ups): a larger body is refused with 413.
/// </summary>
public sealed class RequestParams
{
    /// <summary>The most a parameters body may hold, in bytes.</summary>
    public const long MaxBodyBytes = 64 * 1024;

    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    private RequestParams() { }

    /// <summary>The last value given for <paramref name="name"/>, or null.</summary>
    public string? this[string name] => _values.TryGetValue(name, out var list) && list.Count > 0 ? list[^1] : null;

    /// <summary>Every value of <paramref name="name"/> (a form's repeated <c>name[]</c>, a JSON array), or null when absent.</summary>
    public IReadOnlyList<string>? List(string name) => _values.TryGetValue(name, out var list) ? list : null;

    /// <summary>Whether <paramref name="name"/> came as a list (<c>name[]</c> or a JSON array) rather than one string.</summary>
    public bool IsList(string name) => _lists.Contains(name);

    private readonly HashSet<string> _lists = new(StringComparer.Ordinal);

    public static async Task<RequestParams> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var result = new RequestParams();
        foreach (var (key, values) in request.Query) foreach (var value in values) result.Add(key, value ?? "");
        if (request.ContentLength is 0 || !(HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method)))
            return result;
        if (request.ContentLength > MaxBodyBytes) throw new BadHttpRequestException("Payload Too Large", StatusCodes.Status413PayloadTooLarge);
        var feature = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false }) feature.MaxRequestBodySize = MaxBodyBytes;
        try
        {
            if (request.HasJsonContentType())
            {
                using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in document.RootElement.EnumerateObject()) result.AddJson(property.Name, property.Value);
                }
            }
            else if (request.HasFormContentType)
            {
                IFormCollection form;
                if (request.ContentType!.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
                {
                    using var reader = new FormReader(request.Body) { ValueCountLimit = 1024, ValueLengthLimit = (int)MaxBodyBytes };
                    form = new FormCollection(await reader.ReadFormAsync(cancellationToken));
                }
                else
                {
                    form = await request.ReadFormAsync(cancellationToken);
                }
                foreach (var (key, values) in form) foreach (var value in values) result.Add(key, value ?? "");
            }
        }
        catch (JsonException)
        {
            // Rails answers a malformed JSON body with 400; its parameters are unusable either way.
            throw new BadHttpRequestException("Bad Request", StatusCodes.Status400BadRequest);
        }
        catch (Exception e) when (MalformedBody.Is(e))
        {
            throw MalformedBody.From(e);
        }
        return result;
    }

    private void Add(string key, string value)
    {
        if (key.EndsWith("[]", StringComparison.Ordinal))
        {
            key = key[..^2];
            _lists.Add(key);
        }
        if (!_values.TryGetValue(key, out var list)) _values[key] = list = [];
        list.Add(value);
    }

    private void AddJson(string key, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            _lists.Add(key);
            if (!_values.ContainsKey(key)) _values[key] = [];
            foreach (var item in value.EnumerateArray()) if (Scalar(item) is { } text) _values[key].Add(text);
            return;
        }
        if (Scalar(value) is { } scalar) Add(key, scalar);
    }

    /// <summary>A JSON value as the string Rails' parameters hold: strings, numbers as written, booleans; null for objects and null.</summary>
    internal static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    /// <summary>Rails' boolean cast (ActiveModel::Type::Boolean): absent and "" are nil, its FALSE_VALUES false, anything else true.</summary>
    public static bool Truthy(string? value) =>
        !string.IsNullOrEmpty(value) && value is not ("0" or "f" or "F" or "false" or "FALSE" or "off" or "OFF");
}
