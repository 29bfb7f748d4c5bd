using Mediary.Storage;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Mediary.Web;

/// <summary>
/// Serves stored media under <c>/system</c> without authentication, as Mastodon does: right
/// Content-Type, ETag, Range requests, <c>nosniff</c>, any origin, and a year of caching
/// (names are random and files never change; a deleted file answers 404).
/// </summary>
public static class MediaFiles
{
    public static IApplicationBuilder UseMediaFiles(this IApplicationBuilder app, ILocalMediaFiles storage)
    {
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".heic"] = "image/heic";
        types.Mappings[".avif"] = "image/avif";
        types.Mappings[".mp4"] = "video/mp4";
        types.Mappings[".mp3"] = "audio/mpeg";
        var requestPath = new PathString(MediaUrls.FilesPath + "/media_attachments");
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(requestPath)) IgnoreOtherRangeUnits(context.Request);
            return next(context);
        });
        return app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = requestPath,
            FileProvider = new PhysicalFileProvider(storage.PublicRoot),
            ContentTypeProvider = types,
            ServeUnknownFileTypes = false,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers[HeaderNames.XContentTypeOptions] = "nosniff";
                headers[HeaderNames.CacheControl] = "public, max-age=31536000, immutable";
                headers[HeaderNames.AccessControlAllowOrigin] = "*";
            },
        });
    }

    /// <summary>
    /// RFC 9110 §14.2: "An origin server MUST ignore a Range header field that contains a range unit
    /// it does not understand." Only <c>bytes</c> ranges are ranges (the static files middleware reads
    /// <c>items=0-1</c> as bytes): anything else gets the whole file, 200.
    /// </summary>
    private static void IgnoreOtherRangeUnits(HttpRequest request)
    {
        var range = request.Headers.Range;
        if (range.Count == 0) return;
        if (range.Count == 1 && RangeHeaderValue.TryParse(range[0], out var parsed)
            && string.Equals(parsed.Unit.Value, "bytes", StringComparison.OrdinalIgnoreCase)) return;
        request.Headers.Remove(HeaderNames.Range);
    }
}
