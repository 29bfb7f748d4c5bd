using System.Text.Json;
using Mediary.Configuration;
using Mediary.Media;
using Microsoft.Extensions.Options;

namespace Mediary.Mastodon;

/// <summary>
/// <c>GET /api/v1/instance</c> and <c>/api/v2/instance</c>, public, carrying the limits that
/// uploads are checked against (from configuration), in Mastodon's key order.
/// </summary>
public static class InstanceEndpoints
{
    /// <summary>
    /// The Mastodon release whose API Mediary implements, as a plain semantic version (clients such as
    /// masto.js parse it strictly): 4.4.0, the release whose api_versions.mastodon is 6.
    /// </summary>
    public const string Version = "4.4.0";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static IEndpointRouteBuilder MapMastodonInstance(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/instance", (HttpRequest request, IOptions<MediaLimitsOptions> limits, IOptions<StatusOptions> statuses,
            IOptions<RegistrationOptions> registrations) =>
            Results.Json(V1(request, limits.Value, statuses.Value, registrations.Value), Json, "application/json; charset=utf-8"));
        app.MapGet("/api/v2/instance", (HttpRequest request, IOptions<MediaLimitsOptions> limits, IOptions<StatusOptions> statuses,
            IOptions<RegistrationOptions> registrations) =>
            Results.Json(V2(request, limits.Value, statuses.Value, registrations.Value), Json, "application/json; charset=utf-8"));
        return app;
    }

    private static object Statuses(StatusOptions statuses) => new
    {
        MaxCharacters = statuses.MaxCharacters,
        MaxMediaAttachments = 4,
        CharactersReservedPerUrl = Mediary.Statuses.StatusText.UrlCharacters,
    };

    private static object V2(HttpRequest request, MediaLimitsOptions limits, StatusOptions statuses, RegistrationOptions registrations) => new
    {
        Domain = request.Host.Host,
        Title = "Mediary",
        Version,
        SourceUrl = $"{request.Scheme}://{request.Host}/",
        Description = "A self-hosted media attachment service speaking Mastodon's media API.",
        Usage = new { Users = new { ActiveMonth = 0 } },
        Thumbnail = new { Url = (string?)null },
        Icon = Array.Empty<object>(),
        Languages = new[] { "en" },
        Configuration = new
        {
            Urls = new { Streaming = (string?)null },
            Accounts = new { MaxFeaturedTags = 10, MaxPinnedStatuses = 5 },
            Statuses = Statuses(statuses),
            // Mastodon's v2 order is alphabetical.
            MediaAttachments = new
            {
                DescriptionLimit = limits.DescriptionLimit,
                ImageMatrixLimit = limits.ImageMatrixLimit,
                ImageSizeLimit = limits.ImageSizeLimit,
                SupportedMimeTypes = SupportedMediaTypes.MimeTypes,
                VideoFrameRateLimit = limits.VideoFrameRateLimit,
                VideoMatrixLimit = limits.VideoMatrixLimit,
                VideoSizeLimit = limits.VideoSizeLimit,
            },
            Polls = new { MaxOptions = 4, MaxCharactersPerOption = 50, MinExpiration = 300, MaxExpiration = 2629746 },
            Translation = new { Enabled = false },
        },
        Registrations = new { Enabled = registrations.Open, ApprovalRequired = false, Message = (string?)null, Url = (string?)null },
        ApiVersions = new { Mastodon = 6 },
        Contact = new { Email = "", Account = (object?)null },
        Rules = Array.Empty<object>(),
    };

    private static object V1(HttpRequest request, MediaLimitsOptions limits, StatusOptions statuses, RegistrationOptions registrations) => new
    {
        Uri = request.Host.Host,
        Title = "Mediary",
        ShortDescription = "",
        Description = "A self-hosted media attachment service speaking Mastodon's media API.",
        Email = "",
        Version,
        Urls = new { StreamingApi = (string?)null },
        Stats = new { UserCount = 0, StatusCount = 0, DomainCount = 0 },
        Thumbnail = (string?)null,
        Languages = new[] { "en" },
        Registrations = registrations.Open,
        ApprovalRequired = false,
        InvitesEnabled = false,
        Configuration = new
        {
            Accounts = new { MaxFeaturedTags = 10 },
            Statuses = Statuses(statuses),
            // v1 has no description_limit and its own order.
            MediaAttachments = new
            {
                SupportedMimeTypes = SupportedMediaTypes.MimeTypes,
                ImageSizeLimit = limits.ImageSizeLimit,
                ImageMatrixLimit = limits.ImageMatrixLimit,
                VideoSizeLimit = limits.VideoSizeLimit,
                VideoFrameRateLimit = limits.VideoFrameRateLimit,
                VideoMatrixLimit = limits.VideoMatrixLimit,
            },
            Polls = new { MaxOptions = 4, MaxCharactersPerOption = 50, MinExpiration = 300, MaxExpiration = 2629746 },
        },
        ContactAccount = (object?)null,
        Rules = Array.Empty<object>(),
    };
}
