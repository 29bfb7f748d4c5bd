using System.Text.Json;
using System.Text.RegularExpressions;
using Mediary.Configuration;
using Mediary.Media;
using Mediary.Statuses;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace Mediary.Mastodon;

/// <summary>
/// Reads the parameters of POST and PUT /api/v1/statuses from a JSON, urlencoded or multipart
/// body: <c>media_ids[]</c> pairs or a JSON array, <c>media_attributes[][id]</c> groups or JSON objects.
/// </summary>
public static partial class StatusParams
{
    /// <summary>Reads the parameters; thumbnails in <c>media_attributes[]</c> (files or data URIs) go to temporary files.</summary>
    public static async Task<StatusInput> ReadAsync(HttpRequest request, TempFiles temp, MediaLimitsOptions limits, CancellationToken cancellationToken)
    {
        var maxBodyBytes = limits.ImageSizeLimit * 2 + limits.FormOverheadBytes;
        var values = new Dictionary<string, List<string?>>(StringComparer.Ordinal);
        var attributes = new List<MediaAttributesInput>();
        var thumbnailTexts = new Dictionary<int, string?>();
        void Add(string key, string? value)
        {
            if (!values.TryGetValue(key, out var list)) values[key] = list = [];
            list.Add(value);
        }

        if (request.ContentLength > maxBodyBytes) throw MediaException.TooLarge();
        var feature = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false }) feature.MaxRequestBodySize = maxBodyBytes;
        try
        {
            if (request.HasJsonContentType())
            {
                using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
                if (document.RootElement.ValueKind == JsonValueKind.Object) ReadJson(document.RootElement, Add, attributes, thumbnailTexts);
            }
            else if (request.HasFormContentType)
            {
                var form = await ReadFormAsync(request, cancellationToken);
                foreach (var (key, value) in form)
                {
                    var attribute = AttributeKey().Match(key);
                    if (!attribute.Success)
                    {
                        foreach (var v in value) Add(ArrayKey().Replace(key, ""), v);
                        continue;
                    }
                    // media_attributes[][id]=1&media_attributes[][description]=x; or media_attributes[0][id]=1.
                    for (var i = 0; i < value.Count; i++) AddAttribute(attributes, attribute.Groups["index"].Value, i, attribute.Groups["field"].Value, value[i]);
                }
                var occurrences = new Dictionary<string, int>();
                foreach (var file in form.Files)
                {
                    var attribute = AttributeKey().Match(file.Name);
                    if (!attribute.Success || attribute.Groups["field"].Value != "thumbnail") continue;
                    var occurrence = occurrences[file.Name] = occurrences.GetValueOrDefault(file.Name, -1) + 1;
                    var path = temp.NewPath();
                    await using (var target = File.Create(path)) await file.CopyToAsync(target, cancellationToken);
                    SetThumbnail(attributes, attribute.Groups["index"].Value, occurrence, new UploadedFile(path, file.FileName, file.Length));
                }
            }
            // A thumbnail given as a string (JSON, or a form field) must be a data URI.
            for (var i = 0; i < attributes.Count; i++)
            {
                if (attributes[i].Thumbnail is null && thumbnailTexts.TryGetValue(i, out var text) && text is not null)
                {
                    var decoded = await DataUri.TryDecodeToFileAsync(text, temp, limits.LargestFileSize, cancellationToken);
                    if (decoded is not null) attributes[i] = attributes[i] with { Thumbnail = decoded };
                }
            }
        }
        catch (JsonException)
        {
            // A malformed JSON body has no usable parameters.
        }
        foreach (var (key, value) in request.Query) foreach (var v in value) if (!values.ContainsKey(key)) Add(ArrayKey().Replace(key, ""), v);

        string? One(string key) => values.TryGetValue(key, out var list) ? list.LastOrDefault() : null;
        return new StatusInput(
            One("status"),
            values.TryGetValue("media_ids", out var ids) ? ids.OfType<string>().ToList() : null,
            One("sensitive") is { } sensitive ? sensitive is "true" or "1" or "on" : null,
            One("spoiler_text"),
            One("visibility"),
            One("language"),
            attributes);
    }

    /// <summary>
    /// The form; one that is not valid (no boundary, cut short) is Rack's 400. An urlencoded body is
    /// read as Rack reads it, keeping any character, so that the text rules answer for it (the
    /// framework's own reader refuses some, such as U+0000, with a bare 400).
    /// </summary>
    private static async Task<IFormCollection> ReadFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            if (!request.HasFormContentType || !request.ContentType!.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
            {
                return await request.ReadFormAsync(cancellationToken);
            }
            using var reader = new FormReader(request.Body) { ValueCountLimit = 1024, ValueLengthLimit = int.MaxValue };
            return new FormCollection(await reader.ReadFormAsync(cancellationToken));
        }
        catch (Exception e) when (MalformedBody.Is(e))
        {
            throw MalformedBody.From(e);
        }
    }

    private static void ReadJson(JsonElement root, Action<string, string?> add, List<MediaAttributesInput> attributes,
        Dictionary<int, string?> thumbnailTexts)
    {
        foreach (var property in root.EnumerateObject())
        {
            var value = property.Value;
            if (property.Name == "media_attributes" && value.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in value.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object))
                {
                    string? Field(string name) => item.TryGetProperty(name, out var f) ? RequestParams.Scalar(f) : null;
                    thumbnailTexts[attributes.Count] = Field("thumbnail");
                    attributes.Add(new MediaAttributesInput(Field("id") ?? "", Field("description"), Field("focus")));
                }
            }
            else if (value.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in value.EnumerateArray()) add(property.Name, RequestParams.Scalar(item));
            }
            else
            {
                add(property.Name, RequestParams.Scalar(value));
            }
        }
    }

    private static void AddAttribute(List<MediaAttributesInput> attributes, string index, int occurrence, string field, string? value)
    {
        var position = index.Length > 0 && int.TryParse(index, out var n) ? n : occurrence;
        while (attributes.Count <= position) attributes.Add(new MediaAttributesInput("", null, null));
        var current = attributes[position];
        attributes[position] = field switch
        {
            "id" => current with { Id = value ?? "" },
            "description" => current with { Description = value },
            "focus" => current with { Focus = value },
            _ => current,
        };
    }

    private static void SetThumbnail(List<MediaAttributesInput> attributes, string index, int occurrence, UploadedFile thumbnail)
    {
        var position = index.Length > 0 && int.TryParse(index, out var n) ? n : occurrence;
        while (attributes.Count <= position) attributes.Add(new MediaAttributesInput("", null, null));
        attributes[position].Thumbnail?.Dispose();
        attributes[position] = attributes[position] with { Thumbnail = thumbnail };
    }

    [GeneratedRegex(@"\[\]$")]
    private static partial Regex ArrayKey();

    [GeneratedRegex(@"^media_attributes\[(?<index>\d*)\]\[(?<field>[a-z_]+)\]$")]
    private static partial Regex AttributeKey();
}
