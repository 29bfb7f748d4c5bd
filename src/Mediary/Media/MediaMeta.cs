using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mediary.Media;

/// <summary><c>meta</c> of a media attachment, in Mastodon's key order: original, small, colors, focus.</summary>
public sealed class MediaMeta
{
    [JsonPropertyName("original")] public MediaGeometry? Original { get; set; }
    [JsonPropertyName("small")] public MediaGeometry? Small { get; set; }
    [JsonPropertyName("colors")] public MediaColors? Colors { get; set; }
    [JsonPropertyName("focus")] public FocusPoint? Focus { get; set; }

    public static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string Serialize() => JsonSerializer.Serialize(this, Json);

    public static MediaMeta Parse(string? json) =>
        string.IsNullOrEmpty(json) ? new MediaMeta() : JsonSerializer.Deserialize<MediaMeta>(json, Json) ?? new MediaMeta();
}

/// <summary>Image geometry (width, height, size, aspect) or, for video and audio, the probe's numbers.</summary>
public sealed class MediaGeometry
{
    [JsonPropertyName("width")] public int? Width { get; set; }
    [JsonPropertyName("height")] public int? Height { get; set; }
    [JsonPropertyName("frame_rate")] public string? FrameRate { get; set; }
    [JsonPropertyName("duration"), JsonConverter(typeof(RubyFloatConverter))] public double? Duration { get; set; }
    [JsonPropertyName("bitrate")] public long? Bitrate { get; set; }
    [JsonPropertyName("size")] public string? Size { get; set; }
    [JsonPropertyName("aspect"), JsonConverter(typeof(RubyFloatConverter))] public double? Aspect { get; set; }

    /// <summary>Documents only: the page count.</summary>
    [JsonPropertyName("pages")] public int? Pages { get; set; }

    public static MediaGeometry ForImage(int width, int height) => new()
    {
        Width = width,
        Height = height,
        Size = $"{width}x{height}",
        Aspect = (double)width / height,
    };
}

public sealed class MediaColors
{
    [JsonPropertyName("background")] public string? Background { get; set; }
    [JsonPropertyName("foreground")] public string? Foreground { get; set; }
    [JsonPropertyName("accent")] public string? Accent { get; set; }
}

public sealed class FocusPoint
{
    [JsonPropertyName("x"), JsonConverter(typeof(RubyFloatConverter))] public double X { get; set; }
    [JsonPropertyName("y"), JsonConverter(typeof(RubyFloatConverter))] public double Y { get; set; }
}

/// <summary>Writes floats as Ruby does: a whole number keeps its ".0" (1.0, not 1).</summary>
public sealed class RubyFloatConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        writer.WriteRawValue(text.Contains('.') || text.Contains('E') ? text : text + ".0");
    }
}
