using Mediary.Configuration;
using Mediary.Data;
using Mediary.Direct;
using Microsoft.Extensions.Options;
using Mediary.Mastodon;
using Mediary.Media;
using Mediary.OAuth;
using Mediary.OpenApi;
using Mediary.Processing;
using Mediary.Storage;
using Mediary.Telemetry;
using Mediary.Web;
using Mediary.Webhooks;

namespace Mediary;

/// <summary>The <c>serve</c> command: the HTTP API with its media files, and unless told otherwise the job workers.</summary>
public static class Server
{
    public static WebApplication Build(string[] args, string? dataDirectory, string? urls, bool withWorkers = true)
    {
        // appsettings.json lives beside the program, wherever it is started from.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        if (dataDirectory is not null) builder.Configuration["Mediary:DataDirectory"] = dataDirectory;
        if (urls is not null) builder.WebHost.UseUrls(urls);
        builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        builder.Services.AddSingleton<Microsoft.AspNetCore.Connections.IMemoryPoolFactory<byte>, LargeBlockMemoryPoolFactory>();

        builder.Services.AddMediaryCore().AddMediaryMedia().AddMediaryJobs(withWorkers).AddMediaryVacuum().AddMastodonApi().AddDirectApi().AddMediaryOAuth().AddMediaryWebhooks()
            .AddResumableUploads();
        builder.Services.AddApiDocuments();
        builder.Services.AddMediaryTelemetry(builder.Configuration, serving: true);
        builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
            .AllowAnyOrigin().AllowAnyHeader().AllowAnyMethod()
            // A preflight a browser may keep for 2 hours (Chromium caps it there): a chunked upload does not pay one per PATCH.
            .SetPreflightMaxAge(TimeSpan.FromHours(2))
            .WithExposedHeaders(["Link", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "X-Request-Id",
                .. Resumable.Tus.ExposedHeaders, .. Resumable.Rufh.ExposedHeaders, Mastodon.ResumableMediaEndpoints.MediaIdHeader])));

        var app = builder.Build();
        app.UseRequestLogging();
        app.UseMastodonErrors();
        app.UseCors();
        app.UseDirectApi();
        if (app.Services.GetRequiredService<IMediaStorage>() is ILocalMediaFiles local) app.UseMediaFiles(local);
        app.UseMastodonApiHeaders();
        app.MapHealth();
        app.MapMetrics();
        app.MapMastodonInstance();
        app.MapMastodonMedia();
        app.MapMastodonResumableMedia();
        app.MapMastodonRufhUploads();
        app.MapMastodonStatuses();
        app.MapMastodonListings();
        app.MapMastodonApps();
        app.MapMastodonRegistrations();
        app.MapOAuthTokens();
        app.MapOAuthAuthorize();
        app.MapSignIn();
        app.MapPageAssets();
        app.MapWebApp();
        app.MapMastodonFallbacks();
        app.MapDirectApi();
        app.MapDirectResumableUploads();
        app.MapMastodonWebhooks();
        app.MapMastodonAdmin();
        app.MapDirectWebhooks();
        app.MapApiDocuments();

        ProcessRoles.Prepare(app.Services, app.Lifetime, withWorkers ? ProcessRole.Everything : ProcessRole.ApiOnly);
        return app;
    }
}
