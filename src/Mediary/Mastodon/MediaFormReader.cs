using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Mediary.Configuration;
using Mediary.Media;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Mediary.Mastodon;

/// <summary>
/// Reads the media parameters (file, thumbnail, description, focus) from a multipart,
/// urlencoded or JSON body, as Rails does for Mastodon. Multipart files stream to temporary
/// files with the size limit enforced while reading; no part of a file is held in memory.
/// Text fields are read up to a cap, so a 10 MB description is "too long", not a framework error.
/// </summary>
public sealed class MediaFormReader(TempFiles temp, IOptions<MediaLimitsOptions> limits)
{
    private static readonly string[] FileFields = ["file", "thumbnail"];
    private readonly MediaLimitsOptions _limits = limits.Value;

    /// <summary>Longest text value kept: the description limit in 4-byte code points, plus room.</summary>
    private int TextCapBytes => Math.Max(_limits.DescriptionLimit * 4 + 4, 64 * 1024);

    public Task<MediaInput> ReadAsync(HttpRequest request, CancellationToken cancellationToken) =>
        ReadAsync(request.ContentType, request.Body, request.Query, limit => SetBodyLimit(request, limit), cancellationToken);

    /// <summary>
    /// The parameters of a request body kept on disk (a resumable upload's representation, read
    /// once its last byte is here), as <see cref="ReadAsync(HttpRequest, CancellationToken)"/> reads a live one.
    /// </summary>
    public Task<MediaInput> ReadStoredAsync(string? contentType, Stream body, IEnumerable<KeyValuePair<string, StringValues>> query,
        CancellationToken cancellationToken) =>
        ReadAsync(contentType, body, query, limit =>
        {
            if (body.CanSeek && body.Length > limit) throw MediaException.TooLarge();
        }, cancellationToken);

    private async Task<MediaInput> ReadAsync(string? contentType, Stream body, IEnumerable<KeyValuePair<string, StringValues>> query,
        Action<long> setBodyLimit, CancellationToken cancellationToken)
    {
        var fields = new Dictionary<string, TextInput>(StringComparer.Ordinal);
        var unusable = new HashSet<string>(StringComparer.Ordinal);
        var files = new Dictionary<string, UploadedFile>(StringComparer.Ordinal);
        foreach (var (key, value) in query) fields[key] = new TextInput(value.ToString());
        try
        {
            var mediaType = MediaTypeHeaderValue.TryParse(contentType, out var parsed) ? parsed.MediaType.Value : null;
            try
            {
                if (mediaType?.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true)
                {
                    setBodyLimit(_limits.MaxMultipartBodyBytes);
                    await ReadMultipartAsync(body, HeaderUtilities.RemoveQuotes(parsed!.Boundary).Value, fields, files, unusable, cancellationToken);
                }
                else if (mediaType?.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
                {
                    setBodyLimit(_limits.MaxBufferedBodyBytes);
                    await ReadUrlEncodedAsync(body, fields, cancellationToken);
                }
                else if (mediaType?.EndsWith("json", StringComparison.OrdinalIgnoreCase) == true)
                {
                    setBodyLimit(_limits.MaxBufferedBodyBytes);
                    await ReadJsonAsync(body, fields, cancellationToken);
                }
            }
            catch (Exception e) when (e is FileTooLargeException || (e is BadHttpRequestException b && b.StatusCode == StatusCodes.Status413PayloadTooLarge))
            {
                throw MediaException.TooLarge();
            }
            catch (Exception e) when (e is InvalidDataException or JsonException && mediaType?.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) != true)
            {
                // A malformed urlencoded or JSON body: whatever was read before the fault is all there is.
            }

            return await BuildAsync(fields, files, unusable, cancellationToken);
        }
        catch
        {
            foreach (var file in files.Values) file.Dispose();
            throw;
        }
    }

    /// <param name="unusable">File fields given as something that is not a file.</param>
    private async Task<MediaInput> BuildAsync(Dictionary<string, TextInput> fields, Dictionary<string, UploadedFile> files,
        HashSet<string> unusable, CancellationToken cancellationToken)
    {
        foreach (var name in FileFields)
        {
            if (files.ContainsKey(name) || !fields.TryGetValue(name, out var text) || string.IsNullOrEmpty(text.Value)) continue;
            // A string parameter is accepted only as a data URI, as Paperclip does.
            var decoded = await DataUri.TryDecodeToFileAsync(text.Value, temp, _limits.LargestFileSize, cancellationToken);
            if (decoded is not null) files[name] = decoded;
            else unusable.Add(name);
        }
        return new MediaInput
        {
            File = files.GetValueOrDefault("file"),
            FileNotUsable = unusable.Contains("file"),
            Thumbnail = files.GetValueOrDefault("thumbnail"),
            Description = fields.GetValueOrDefault("description") ?? TextInput.Absent,
            Focus = fields.GetValueOrDefault("focus") ?? TextInput.Absent,
        };
    }

    private async Task ReadMultipartAsync(Stream body, string? boundary, Dictionary<string, TextInput> fields,
        Dictionary<string, UploadedFile> files, HashSet<string> unusable, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(boundary)) throw MalformedBody.Because("a multipart body without a boundary");
        var reader = new MultipartReader(boundary, body) { HeadersLengthLimit = 16 * 1024, BodyLengthLimit = null };
        while (await NextSectionAsync(reader, cancellationToken) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
            var fileName = HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value;
            // Rack treats a part with a file name or a non-text Content-Type as an uploaded file.
            var isFile = disposition.IsFileDisposition() ||
                (section.ContentType is { } type && !type.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase));
            if (isFile && FileFields.Contains(name))
            {
                files.Remove(name, out var previous);
                previous?.Dispose();
                files[name] = await SaveAsync(section.Body, fileName, cancellationToken);
            }
            else if (FileFields.Contains(name))
            {
                // A data URI sent as a plain field may be as large as a file: stream-decode it.
                var decoded = await DataUri.TryDecodeToFileAsync(section.Body, temp, _limits.LargestFileSize, cancellationToken);
                if (decoded is not null) files[name] = decoded;
                else unusable.Add(name);
            }
            else
            {
                fields[name] = await ReadTextAsync(section.Body, cancellationToken);
            }
        }
    }

    private static async Task<MultipartSection?> NextSectionAsync(MultipartReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadNextSectionAsync(cancellationToken);
        }
        catch (Exception e) when (MalformedBody.Is(e))
        {
            throw MalformedBody.From(e);
        }
    }

    /// <summary>
    /// Reads from a part's body; the body ending before the closing boundary is the client's fault,
    /// unlike an error writing the bytes to disk.
    /// </summary>
    internal static async ValueTask<int> ReadPartAsync(Stream part, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await part.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception e) when (MalformedBody.Is(e))
        {
            throw MalformedBody.From(e);
        }
    }

    private async Task<UploadedFile> SaveAsync(Stream body, string? fileName, CancellationToken cancellationToken)
    {
        var path = temp.NewPath();
        try
        {
            await using var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            var length = await CopyCappedAsync(body, target, _limits.LargestFileSize, cancellationToken);
            return new UploadedFile(path, fileName, length);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    /// <summary>Copies at most <paramref name="cap"/> bytes; one more and the upload is refused (413).</summary>
    internal static async Task<long> CopyCappedAsync(Stream source, Stream target, long cap, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await ReadPartAsync(source, buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > cap) throw new FileTooLargeException();
            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
        return total;
    }

    private async Task<TextInput> ReadTextAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        var overflowed = false;
        int read;
        while ((read = await ReadPartAsync(body, chunk, cancellationToken)) > 0)
        {
            // Past the cap the value is already too long: keep reading (to reach the next part) but drop the bytes.
            if (buffer.Length + read > TextCapBytes) overflowed = true;
            else buffer.Write(chunk, 0, read);
        }
        return overflowed ? new TextInput(null, Overflowed: true) : new TextInput(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    private static async Task ReadUrlEncodedAsync(Stream body, Dictionary<string, TextInput> fields, CancellationToken cancellationToken)
    {
        using var reader = new FormReader(body)
        {
            ValueCountLimit = 1024,
            KeyLengthLimit = 2048,
            ValueLengthLimit = int.MaxValue,
        };
        foreach (var (key, value) in await reader.ReadFormAsync(cancellationToken))
        {
            fields[StripArrayBrackets(key)] = new TextInput(value.ToString());
        }
    }

    private static async Task ReadJsonAsync(Stream body, Dictionary<string, TextInput> fields, CancellationToken cancellationToken)
    {
        using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        if (document.RootElement.ValueKind != JsonValueKind.Object) return;
        foreach (var property in document.RootElement.EnumerateObject())
        {
            var value = property.Value;
            // Like Rails' permit, a nested object is not a parameter value.
            if (value.ValueKind == JsonValueKind.Object) continue;
            fields[property.Name] = new TextInput(value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
                // focus as [x, y]
                JsonValueKind.Array => string.Join(',', value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText())),
                _ => null, // an explicit null
            });
        }
    }

    private static string StripArrayBrackets(string key) => key.EndsWith("[]", StringComparison.Ordinal) ? key[..^2] : key;

    private static void SetBodyLimit(HttpRequest request, long limit)
    {
        var feature = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false }) feature.MaxRequestBodySize = limit;
        if (request.ContentLength > limit) throw MediaException.TooLarge();
    }
}

internal sealed class FileTooLargeException : Exception;
