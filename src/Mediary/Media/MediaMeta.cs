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

    /// <summary>
    /// Writes this meta as <see cref="Serialize"/> would (null members left out), by hand: it is
    /// in every media JSON a polling client reads, and the serializer's path through the float
    /// converters cost more than the rest of the JSON together.
    /// </summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        if (Original is not null)
        {
            writer.WritePropertyName("original"u8);
            Original.WriteTo(writer);
        }
        if (Small is not null)
        {
            writer.WritePropertyName("small"u8);
            Small.WriteTo(writer);
        }
        if (Colors is not null)
        {
            writer.WriteStartObject("colors"u8);
            WriteIfNotNull(writer, "background"u8, Colors.Background);
            WriteIfNotNull(writer, "foreground"u8, Colors.Foreground);
            WriteIfNotNull(writer, "accent"u8, Colors.Accent);
            writer.WriteEndObject();
        }
        if (Focus is not null)
        {
            writer.WriteStartObject("focus"u8);
            writer.WritePropertyName("x"u8);
            RubyFloatConverter.WriteValue(writer, Focus.X);
            writer.WritePropertyName("y"u8);
            RubyFloatConverter.WriteValue(writer, Focus.Y);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    internal static void WriteIfNotNull(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null) writer.WriteString(name, value);
    }

    internal static void WriteIfNotNull(Utf8JsonWriter writer, ReadOnlySpan<byte> name, long? value)
    {
        if (value is { } number) writer.WriteNumber(name, number);
    }

    internal static void WriteFloatIfNotNull(Utf8JsonWriter writer, ReadOnlySpan<byte> name, double? value)
    {
        if (value is not { } number) return;
        writer.WritePropertyName(name);
        RubyFloatConverter.WriteValue(writer, number);
    }

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

    /// <summary>As the serializer writes it: the members in declaration order, nulls left out.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        MediaMeta.WriteIfNotNull(writer, "width"u8, Width);
        MediaMeta.WriteIfNotNull(writer, "height"u8, Height);
        MediaMeta.WriteIfNotNull(writer, "frame_rate"u8, FrameRate);
        MediaMeta.WriteFloatIfNotNull(writer, "duration"u8, Duration);
        MediaMeta.WriteIfNotNull(writer, "bitrate"u8, Bitrate);
        MediaMeta.WriteIfNotNull(writer, "size"u8, Size);
        MediaMeta.WriteFloatIfNotNull(writer, "aspect"u8, Aspect);
        MediaMeta.WriteIfNotNull(writer, "pages"u8, Pages);
        writer.WriteEndObject();
    }

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

/// <summary>
/// Writes floats as Ruby's <c>Float#to_s</c> does: the shortest digits that read back the same, a
/// whole number keeps its ".0" (1.0, not 1), and under 0.0001 or from 1e16 up the exponent form
/// <c>1.0e-05</c>, <c>1.5e+16</c> (.NET writes 1E-05 and switches to exponents at other bounds).
/// </summary>
public sealed class RubyFloatConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options) => WriteValue(writer, value);

    /// <summary>
    /// Writes <paramref name="value"/> as <see cref="Format"/> does, without a string where .NET's
    /// shortest form is already Ruby's: fixed notation (no exponent) below 1e16, given ".0" if it has no point.
    /// </summary>
    public static void WriteValue(Utf8JsonWriter writer, double value)
    {
        Span<byte> utf8 = stackalloc byte[40];
        if (value != 0 && Math.Abs(value) < 1e16 && value.TryFormat(utf8, out var length, "R", CultureInfo.InvariantCulture)
            && !utf8[..length].Contains((byte)'E'))
        {
            if (!utf8[..length].Contains((byte)'.'))
            {
                ".0"u8.CopyTo(utf8[length..]);
                length += 2;
            }
            writer.WriteRawValue(utf8[..length], skipInputValidation: true);
            return;
        }
        writer.WriteRawValue(Format(value), skipInputValidation: true);
    }

    /// <summary>Ruby's flo_to_s: value = 0.DIGITS × 10^point; fixed notation when −4 &lt; point ≤ 16 (DBL_DIG + 1), else d.ddde±XX.</summary>
    public static string Format(double value)
    {
        if (value == 0) return double.IsNegative(value) ? "-0.0" : "0.0";
        // JSON has no NaN or infinity, and no meta holds them.
        if (!double.IsFinite(value)) return value.ToString("R", CultureInfo.InvariantCulture);
        var shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var e = shortest.IndexOf('E');
        var exponent = e < 0 ? 0 : int.Parse(shortest[(e + 1)..], CultureInfo.InvariantCulture);
        var mantissa = e < 0 ? shortest : shortest[..e];
        var dot = mantissa.IndexOf('.');
        var whole = dot < 0 ? mantissa : mantissa[..dot];
        var all = dot < 0 ? mantissa : whole + mantissa[(dot + 1)..];
        var digits = all.TrimStart('0');
        var point = whole.Length - (all.Length - digits.Length) + exponent;
        digits = digits.TrimEnd('0');
        var text = point switch
        {
            > 0 and <= 16 when digits.Length <= point => digits + new string('0', point - digits.Length) + ".0",
            > 0 and <= 16 => digits[..point] + "." + digits[point..],
            <= 0 and > -4 => "0." + new string('0', -point) + digits,
            _ => digits[..1] + "." + (digits.Length > 1 ? digits[1..] : "0") + "e" + (point > 0 ? "+" : "-")
                + Math.Abs(point - 1).ToString("00", CultureInfo.InvariantCulture),
        };
        return value < 0 ? "-" + text : text;
    }
}
