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
        return app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = MediaUrls.FilesPath + "/media_attachments",
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
}
