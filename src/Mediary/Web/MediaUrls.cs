using Mediary.Configuration;
using Microsoft.Extensions.Options;

namespace Mediary.Web;

/// <summary>Absolute media URLs: under <c>PublicBaseUrl</c> when set, else the request's own scheme and host.</summary>
public sealed class MediaUrls(IOptions<MediaryOptions> options)
{
    public const string FilesPath = "/system";

    private readonly string? _publicBase = options.Value.PublicBaseUrl?.TrimEnd('/');

    public string BaseFor(HttpRequest request) => _publicBase ?? $"{request.Scheme}://{request.Host}";

    public static string? Combine(string baseUrl, string? key) => key is null ? null : $"{baseUrl}{FilesPath}/{key}";
}
