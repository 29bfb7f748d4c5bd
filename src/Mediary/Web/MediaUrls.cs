using Mediary.Configuration;
using Mediary.Storage;
using Microsoft.Extensions.Options;

namespace Mediary.Web;

/// <summary>
/// Absolute media URLs. Files Mediary serves itself live under <c>/system</c> of
/// <c>PublicBaseUrl</c> when set, else of the request's own scheme and host; a storage that clients
/// fetch from elsewhere (a bucket behind a CDN) gives its own base.
/// </summary>
public sealed class MediaUrls(IOptions<MediaryOptions> options, IMediaStorage storage)
{
    public const string FilesPath = "/system";

    private readonly string? _publicBase = options.Value.PublicBaseUrl?.TrimEnd('/');
    private readonly string? _storageBase = (storage as IPublicMediaLocation)?.PublicBaseUrl;

    /// <summary>This server's own base URL, for links to its API (Mediary:PublicBaseUrl when set, else the request's scheme and host).</summary>
    public string ServerBaseFor(HttpRequest request) => _publicBase ?? $"{request.Scheme}://{request.Host}";

    /// <summary>The prefix of every media URL of this request's answer.</summary>
    public string BaseFor(HttpRequest request) => _storageBase ?? $"{ServerBaseFor(request)}{FilesPath}";

    /// <summary>
    /// The prefix of media URLs outside a request (a webhook's body): as for a request from
    /// <paramref name="origin"/> (scheme and host); without one, relative to the server.
    /// </summary>
    public string BaseFor(string? origin) => _storageBase ?? $"{_publicBase ?? origin?.TrimEnd('/') ?? ""}{FilesPath}";

    public static string? Combine(string filesBase, string? key) => key is null ? null : $"{filesBase}/{key}";
}
