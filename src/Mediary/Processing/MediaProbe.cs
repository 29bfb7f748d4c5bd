using System.Globalization;
using System.Text.Json;

namespace Mediary.Processing;

/// <summary>The first real (not cover-art) video stream of a file, as ffprobe describes it.</summary>
/// <param name="Index">The stream's index in the file.</param>
/// <param name="Codec">ffprobe's <c>codec_name</c>, e.g. "h264", "vp9", "gif".</param>
/// <param name="PixelFormat">ffprobe's <c>pix_fmt</c>, e.g. "yuv420p".</param>
/// <param name="Width">Width as displayed: the stored height when <paramref name="Rotation"/> is 90 or 270.</param>
/// <param name="Height">Height as displayed.</param>
/// <param name="Rotation">Display rotation in degrees, normalised to 0, 90, 180 or 270 (0 when absent).</param>
/// <param name="FrameRate">Mastodon's <c>frame_rate</c>: <c>avg_frame_rate</c> as a reduced "num/den", or <c>r_frame_rate</c> when that is 0/0; null when neither is known.</param>
/// <param name="FrameRateValue"><paramref name="FrameRate"/> as a number (0 when unknown), for the frame-rate limit.</param>
/// <param name="RFrameRateValue"><c>r_frame_rate</c> as a number (0 when unknown), for Mastodon's variable-frame-rate switch.</param>
public sealed record ProbedVideoStream(
    int Index, string? Codec, string? PixelFormat, int Width, int Height, int Rotation,
    string? FrameRate, double FrameRateValue, double RFrameRateValue);

/// <summary>What ffprobe says about a video or audio file (Mastodon's <c>VideoMetadataExtractor</c>).</summary>
public sealed record MediaProbe
{
    /// <summary>ffprobe's <c>format_name</c>: "mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", "ogg", "mp3", "gif", ...</summary>
    public required string FormatName { get; init; }
    /// <summary>Seconds (<c>format.duration</c>), or null when ffprobe gives none.</summary>
    public double? Duration { get; init; }
    /// <summary>Bits per second (<c>format.bit_rate</c>), or null when ffprobe gives none.</summary>
    public long? Bitrate { get; init; }
    /// <summary>The first video stream that is not an attached picture; null for audio.</summary>
    public ProbedVideoStream? Video { get; init; }
    /// <summary><c>codec_name</c> of the first audio stream; null when there is none.</summary>
    public string? AudioCodec { get; init; }
    /// <summary>The file carries an attached picture (cover art: <c>disposition.attached_pic == 1</c>).</summary>
    public bool HasCoverArt => CoverArtStreamIndex is not null;
    /// <summary>ffprobe's own output, kept so a later step can <see cref="Parse"/> it instead of probing again.</summary>
    public string Json { get; init; } = "";
    /// <summary>Stream index of the first attached picture, for <see cref="FfmpegCommands.CoverArt"/>.</summary>
    public int? CoverArtStreamIndex { get; init; }

    /// <summary>Runs <c>ffprobe -v error -print_format json -show_format -show_streams</c> on <paramref name="path"/>.</summary>
    /// <exception cref="FfmpegException">ffprobe failed or printed something that is not its JSON.</exception>
    public static async Task<MediaProbe> ProbeAsync(FfmpegRunner runner, string path, TimeSpan timeout, CancellationToken ct)
    {
        string[] arguments = ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", Path.GetFullPath(path)];
        var result = await runner.RunAsync("ffprobe", arguments, timeout, ct);
        try
        {
            return Parse(result.Stdout);
        }
        catch (FormatException e)
        {
            throw new FfmpegException($"ffprobe output not understood: {e.Message}", result.ExitCode, result.StderrTail, timedOut: false);
        }
    }

    /// <summary>Reads ffprobe's JSON (<c>-show_format -show_streams</c>). Pure: no I/O.</summary>
    /// <exception cref="FormatException">Not JSON, or no <c>format</c> section.</exception>
    public static MediaProbe Parse(string ffprobeJson)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(ffprobeJson);
        }
        catch (JsonException e)
        {
            throw new FormatException("not JSON: " + e.Message, e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.Object)
                throw new FormatException("no format section");

            ProbedVideoStream? video = null;
            string? audioCodec = null;
            int? coverArt = null;
            if (root.TryGetProperty("streams", out var streams) && streams.ValueKind == JsonValueKind.Array)
            {
                foreach (var stream in streams.EnumerateArray())
                {
                    switch (String(stream, "codec_type"))
                    {
                        case "video" when IsAttachedPicture(stream):
                            coverArt ??= Int(stream, "index");
                            break;
                        case "video":
                            video ??= ParseVideo(stream);
                            break;
                        case "audio":
                            audioCodec ??= String(stream, "codec_name");
                            break;
                    }
                }
            }

            return new MediaProbe
            {
                FormatName = String(format, "format_name") ?? "",
                Json = ffprobeJson,
                Duration = double.TryParse(String(format, "duration"), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null,
                Bitrate = long.TryParse(String(format, "bit_rate"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var b) ? b : null,
                Video = video,
                AudioCodec = audioCodec,
                CoverArtStreamIndex = coverArt,
            };
        }
    }

    private static ProbedVideoStream ParseVideo(JsonElement stream)
    {
        var rotation = Rotation(stream);
        var (width, height) = (Int(stream, "width") ?? 0, Int(stream, "height") ?? 0);
        // Mastodon: width and height are swapped when the display matrix turns the picture by ±90°.
        if (rotation is 90 or 270) (width, height) = (height, width);

        var average = Rational.TryParse(String(stream, "avg_frame_rate"));
        var real = Rational.TryParse(String(stream, "r_frame_rate"));
        // Mastodon: avg_frame_rate, unless ffprobe could not compute it ("0/0").
        var frameRate = average ?? real;
        return new ProbedVideoStream(
            Int(stream, "index") ?? 0, String(stream, "codec_name"), String(stream, "pix_fmt"), width, height, rotation,
            frameRate?.ToString(), frameRate?.Value ?? 0, real?.Value ?? 0);
    }

    private static bool IsAttachedPicture(JsonElement stream) =>
        stream.TryGetProperty("disposition", out var disposition) && Int(disposition, "attached_pic") == 1;

    /// <summary>The display-matrix rotation (or the older <c>rotate</c> tag), normalised to [0, 360).</summary>
    private static int Rotation(JsonElement stream)
    {
        double? degrees = null;
        if (stream.TryGetProperty("side_data_list", out var sideData) && sideData.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in sideData.EnumerateArray())
            {
                if (entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("rotation", out var r) && r.TryGetDouble(out var value))
                {
                    degrees = value;
                    break;
                }
            }
        }
        if (degrees is null && stream.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Object
            && double.TryParse(String(tags, "rotate"), NumberStyles.Float, CultureInfo.InvariantCulture, out var tagged))
        {
            degrees = tagged;
        }
        if (degrees is not double d || !double.IsFinite(d)) return 0;
        var quarter = (int)Math.Round(d / 90) % 4;
        return (quarter + 4) % 4 * 90;
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;

    private static int? Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : null;
}

/// <summary>A frame rate as ffprobe prints it ("30000/1001"), reduced like Ruby's <c>Rational</c>.</summary>
internal readonly record struct Rational(long Numerator, long Denominator)
{
    public double Value => (double)Numerator / Denominator;

    public override string ToString() => $"{Numerator}/{Denominator}";

    /// <summary>Null for "0/0", a zero denominator, negatives or anything unreadable.</summary>
    public static Rational? TryParse(string? text)
    {
        var parts = text?.Split('/');
        if (parts is not [var n, var d]
            || !long.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var numerator)
            || !long.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out var denominator)
            || denominator == 0)
        {
            return null;
        }
        return Reduced(numerator, denominator);
    }

    /// <summary><paramref name="numerator"/>/<paramref name="denominator"/> in lowest terms (denominator not 0).</summary>
    public static Rational Reduced(long numerator, long denominator)
    {
        var divisor = Gcd(numerator, denominator);
        return new Rational(numerator / divisor, denominator / divisor);
    }

    private static long Gcd(long a, long b) => b == 0 ? a : Gcd(b, a % b);
}
