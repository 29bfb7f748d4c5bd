using Mediary.Web;
using Mediary.Auth;
using Mediary.Configuration;
using Mediary.Data;
using Mediary.Direct;
using Mediary.Jobs;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Mediary.Mastodon;
using Mediary.Media;
using Mediary.OAuth;
using Mediary.Processing;
using Mediary.RateLimits;
using Mediary.Statuses;
using Mediary.Storage;
using Mediary.Resumable;
using Mediary.Webhooks;

namespace Mediary;

public static class ServiceRegistration
{
    /// <summary>Options, database, accounts and tokens: what every command needs.</summary>
    public static IServiceCollection AddMediaryCore(this IServiceCollection services)
    {
        services.AddOptions<MediaryOptions>().BindConfiguration(MediaryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<MediaLimitsOptions>().BindConfiguration(MediaLimitsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StatusOptions>().BindConfiguration(StatusOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ProcessingOptions>().BindConfiguration(ProcessingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IDatabase>(sp => sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == DatabaseProvider.PostgreSQL
            ? new PostgresDatabase(sp.GetRequiredService<IOptions<DatabaseOptions>>())
            : new SqliteDatabase(sp.GetRequiredService<IOptions<MediaryOptions>>()));
        services.AddSingleton<AccountStore>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TokenStore>();
        return services;
    }

    /// <summary>The media core: storage, processing helpers and the upload pipeline.</summary>
    public static IServiceCollection AddMediaryMedia(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<LocalDiskStorage>();
        services.AddSingleton<S3MediaStorage>();
        services.AddSingleton<IMediaStorage>(sp => sp.GetRequiredService<IOptions<StorageOptions>>().Value.Provider == StorageProvider.S3
            ? sp.GetRequiredService<S3MediaStorage>()
            : sp.GetRequiredService<LocalDiskStorage>());
        services.AddSingleton<TempFiles>();
        services.AddSingleton<ImageHelperPool>();
        services.AddSingleton(sp => new ImageProcessor(sp.GetRequiredService<ImageHelperPool>()));
        services.AddSingleton<ImageUploadPipeline>();
        services.AddSingleton(sp =>
        {
            var jobs = sp.GetRequiredService<IOptions<JobOptions>>().Value;
            return new FfmpegRunner(jobs.FfmpegConcurrency, slotWait: TimeSpan.FromSeconds(jobs.FfmpegSlotWaitSeconds));
        });
        services.AddSingleton<VideoUploadPipeline>();
        services.AddSingleton<ThumbnailPipeline>();
        services.AddOptions<DocumentOptions>().BindConfiguration(DocumentOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new PdfTools(sp.GetRequiredService<IOptions<JobOptions>>().Value.FfmpegConcurrency));
        services.AddSingleton<DocumentUploadPipeline>();
        services.AddSingleton<MediaRepository>();
        services.AddSingleton<AccountTurns>();
        services.AddOptions<QuotaOptions>().BindConfiguration(QuotaOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<StorageQuota>();
        services.TryAddSingleton<IMediaEvents, NoMediaEvents>();
        services.AddSingleton<MediaService>();
        services.AddSingleton<StoredUploadIntake>();
        services.AddSingleton<SourceChecks>();
        services.AddSingleton<StatusRepository>();
        services.AddSingleton<StatusService>();
        return services;
    }

    /// <summary>Durable jobs and, unless <paramref name="withWorkers"/> is false, the in-process workers.</summary>
    public static IServiceCollection AddMediaryJobs(this IServiceCollection services, bool withWorkers = true)
    {
        services.AddOptions<JobOptions>().BindConfiguration(JobOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IJobQueue, SqlJobQueue>();
        services.AddSingleton<JobSignal>();
        services.AddSingleton<MediaJobProcessor>();
        services.AddSingleton<IJobHandler>(sp => sp.GetRequiredService<MediaJobProcessor>());
        services.AddSingleton<IJobRetries, FailedMediaRetries>();
        services.AddSingleton<JobQueueAdmin>();
        services.AddMetrics();
        services.AddSingleton<MediaMetrics>();
        services.AddSingleton<Telemetry.OutageMetrics>();
        services.AddSingleton<Telemetry.ProcessingMetrics>();
        if (withWorkers) services.AddHostedService<JobWorker>();
        return services;
    }

    /// <summary>Removal of unattached media and, unless <paramref name="periodically"/> is false, its periodic run.</summary>
    public static IServiceCollection AddMediaryVacuum(this IServiceCollection services, bool periodically = true)
    {
        services.AddOptions<VacuumOptions>().BindConfiguration(VacuumOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<MediaVacuum>();
        services.AddSingleton<FailedSourceRetention>();
        services.AddSingleton<OrphanSweep>();
        if (periodically) services.AddHostedService<VacuumService>();
        return services;
    }

    /// <summary>The direct upload API face and, unless <paramref name="periodically"/> is false, its cleanup of expired uploads.</summary>
    public static IServiceCollection AddDirectApi(this IServiceCollection services, bool periodically = true)
    {
        services.AddOptions<DirectOptions>().BindConfiguration(DirectOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MediaUrls>();
        services.AddSingleton<DirectMediaRepository>();
        services.TryAddSingleton<IDirectMediaEvents, NoMediaEvents>();
        services.AddSingleton<DirectMediaService>();
        services.AddSingleton<IJobHandler, DirectCompletionJobs>();
        services.AddSingleton<IPendingUploads, DirectPendingUploads>();
        services.AddSingleton<DirectPostService>();
        services.AddSingleton<DirectRateLimiter>();
        services.AddSingleton<UploadSigner>();
        services.AddSingleton<UploadReceiver>();
        if (periodically) services.AddHostedService<DirectCleanupService>();
        return services;
    }

    /// <summary>Resumable uploads (tus, the IETF draft) for both faces and, unless <paramref name="periodically"/> is false, the sweep of expired ones.</summary>
    public static IServiceCollection AddResumableUploads(this IServiceCollection services, bool periodically = true)
    {
        services.AddOptions<ResumableUploadOptions>().BindConfiguration(ResumableUploadOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ResumableUploadStore>();
        services.AddSingleton<UploadLeases>();
        // In the bucket when media are, so any API process can take an upload's next request.
        services.AddSingleton<IResumableBytes>(provider => provider.GetRequiredService<IMediaStorage>() is S3MediaStorage bucket
            ? ActivatorUtilities.CreateInstance<S3ResumableBytes>(provider, bucket)
            : ActivatorUtilities.CreateInstance<LocalResumableBytes>(provider));
        services.AddSingleton<ResumableUploads>();
        if (periodically) services.AddHostedService<ResumableCleanupService>();
        return services;
    }

    /// <summary>Signing in like Mastodon: OAuth applications, authorization codes, the sign-in cookie and its antiforgery tokens.</summary>
    public static IServiceCollection AddMediaryOAuth(this IServiceCollection services)
    {
        services.AddOptions<OAuthOptions>().BindConfiguration(OAuthOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<FixedWindowCounter>();
        services.AddSingleton<ApplicationStore>();
        services.AddSingleton<GrantStore>();
        services.AddSignInPages();
        return services;
    }

    /// <summary>The Mastodon API face.</summary>
    public static IServiceCollection AddMastodonApi(this IServiceCollection services)
    {
        services.AddSingleton<MediaFormReader>();
        services.TryAddSingleton<MediaUrls>();
        services.AddSingleton<MediaJsonCache>();
        services.AddSingleton<MastodonErrorFilter>();
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<FixedWindowCounter>();
        services.AddSingleton<MediaUploadThrottle>();
        services.AddSingleton<MediaQuotaCheck>();
        services.AddOptions<RegistrationOptions>().BindConfiguration(RegistrationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }

    /// <summary>Webhooks: media events recorded as deliveries, and the job handler that sends them (run wherever workers run).</summary>
    public static IServiceCollection AddMediaryWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MediaUrls>();
        services.AddSingleton<WebhookStore>();
        services.AddSingleton<WebhookRegistrations>();
        services.AddSingleton<WebhookDeliveryPruning>();
        services.AddSingleton<WebhookEventRecorder>();
        services.Replace(ServiceDescriptor.Singleton<IMediaEvents>(sp => sp.GetRequiredService<WebhookEventRecorder>()));
        services.Replace(ServiceDescriptor.Singleton<IDirectMediaEvents>(sp => sp.GetRequiredService<WebhookEventRecorder>()));
        services.AddSingleton<WebhookHttp>();
        services.AddSingleton<IJobHandler, WebhookDeliveryJobs>();
        return services;
    }
}
