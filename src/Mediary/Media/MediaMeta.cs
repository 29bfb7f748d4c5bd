using System.Data;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;

namespace Mediary.Media;

/// <summary><c>meta</c> of a media attachment, in Mastodon's key order: original, small, colors, focus.</summary>
public sealed class MediaMeta
{
    [JsonPropertyName("original")] public MediaGeometry? Original { get; set; }
    [JsonPropertyName("small")] public MediaGeometry? Small { get; set; }
    [JsonPropertyName("colors")] public MediaColors? Colors { get; set; }
    [JsonPropertyName("focus")] public FocusPoint? Focus { get; set; }

    public void WriteTo(Utf8JsonWriter writer) => JsonSerializer.Serialize(writer, this, MediaMetaJson.Default.MediaMeta);

    public string Serialize() => JsonSerializer.Serialize(this, MediaMetaJson.Default.MediaMeta);

    public static MediaMeta Parse(string? json) =>
        string.IsNullOrEmpty(json) ? new MediaMeta() : JsonSerializer.Deserialize(json, MediaMetaJson.Default.MediaMeta) ?? new MediaMeta();

    /// <summary>A copy sharing nothing with this one.</summary>
    public MediaMeta Clone() => new()
    {
        Original = Original?.Clone(),
        Small = Small?.Clone(),
        Colors = Colors is null ? null : new MediaColors { Background = Colors.Background, Foreground = Colors.Foreground, Accent = Colors.Accent },
        Focus = Focus is null ? null : new FocusPoint { X = Focus.X, Y = Focus.Y },
    };
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(MediaMeta))]
internal sealed partial class MediaMetaJson : JsonSerializerContext;

/// <summary>The <c>meta</c> column holds a <see cref="MediaMeta"/> as its JSON; Dapper reads and writes it through this.</summary>
internal sealed class MediaMetaColumn : SqlMapper.TypeHandler<MediaMeta>
{
    // Registered when the assembly loads, so no query can run before it.
    [ModuleInitializer]
    internal static void Register() => SqlMapper.AddTypeHandler(new MediaMetaColumn());

    public override void SetValue(IDbDataParameter parameter, MediaMeta? value)
    {
        parameter.DbType = DbType.String;
        parameter.Value = value is null ? DBNull.Value : value.Serialize();
    }

    public override MediaMeta? Parse(object value) => value is string json ? MediaMeta.Parse(json) : null;
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

    public MediaGeometry Clone() => (MediaGeometry)MemberwiseClone();

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
