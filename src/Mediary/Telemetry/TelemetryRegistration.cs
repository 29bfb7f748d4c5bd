using Mediary.Media;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Mediary.Telemetry;

/// <summary>
/// Where metrics and traces go. Metrics: the meter <c>Mediary</c>, ASP.NET Core's
/// <c>http.server.request.duration</c> (by route and status) and the runtime's meter, served at
/// <c>/metrics</c> by <c>serve</c> and pushed over OTLP by any process when an OTLP endpoint is set.
/// Traces: recorded only when an OTLP endpoint is set (or <c>Tracing:Enabled</c>), so the
/// embedded default makes no span at all.
/// </summary>
public static class TelemetryRegistration
{
    /// <summary>Requests (duration by route and status, active requests), connections, unhandled exceptions, rate limiting.</summary>
    private static readonly string[] AspNetCoreMeters =
        ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Diagnostics", "Microsoft.AspNetCore.RateLimiting"];

    /// <param name="serving">True for <c>serve</c> (HTTP requests, the scrape endpoint), false for <c>worker</c>.</param>
    public static IServiceCollection AddMediaryTelemetry(this IServiceCollection services, IConfiguration configuration, bool serving)
    {
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TracingOptions>().BindConfiguration(TracingOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        var scrape = serving && configuration.GetValue(MetricsOptions.Section + ":" + nameof(MetricsOptions.Enabled), true);
        var otlpMetrics = HasOtlpEndpoint(configuration, "METRICS");
        var otlpTraces = HasOtlpEndpoint(configuration, "TRACES");
        var tracing = otlpTraces || configuration.GetValue(TracingOptions.Section + ":" + nameof(TracingOptions.Enabled), false);
        if (!scrape && !otlpMetrics && !tracing) return services;

        var telemetry = services.AddOpenTelemetry().ConfigureResource(resource =>
        {
            // OTEL_SERVICE_NAME, when set, names the service; both process kinds are "mediary" otherwise.
            if (string.IsNullOrEmpty(configuration["OTEL_SERVICE_NAME"])) resource.AddService("mediary");
            resource.AddAttributes([new("mediary.process", serving ? "serve" : "worker")]);
        });
        if (scrape || otlpMetrics)
        {
            telemetry.WithMetrics(metrics =>
            {
                metrics.AddMeter(MediaMetrics.MeterName, "System.Runtime");
                // ASP.NET Core's own meters, not AddAspNetCoreInstrumentation(): that also listens to
                // routing, authentication, authorization and the memory pool, which record on every
                // request and cost several percent of the hot GET (bench/get-media.sh).
                if (serving)
                {
                    metrics.AddMeter(AspNetCoreMeters);
                    // Fewer series: the scheme and protocol version add nothing to route, method and status.
                    metrics.AddView("http.server.request.duration", new MetricStreamConfiguration
                    {
                        TagKeys = ["http.route", "http.request.method", "http.response.status_code", "error.type"],
                    });
                }
                // Each scrape collects afresh: the queue gauges are two indexed queries.
                if (scrape) metrics.AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0);
                if (otlpMetrics) metrics.AddOtlpExporter();
            });
        }
        if (tracing)
        {
            telemetry.WithTracing(traces =>
            {
                traces.AddSource(MediaryTraces.SourceName);
                if (serving)
                {
                    // Scrapes and health probes come every few seconds and say nothing about uploads.
                    traces.AddAspNetCoreInstrumentation(aspnet => aspnet.Filter = http =>
                        !http.Request.Path.StartsWithSegments("/metrics") && !http.Request.Path.StartsWithSegments("/health"));
                }
                if (otlpTraces) traces.AddOtlpExporter();
            });
        }
        return services;
    }

    /// <summary>Serves <c>/metrics</c> in Prometheus' text format, unless <c>Metrics:Enabled</c> is false.</summary>
    public static WebApplication MapMetrics(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MetricsOptions>>().Value;
        if (!options.Enabled) return app;
        // The exporter maps every method; a scrape is a GET, anything else is a 405.
        app.MapPrometheusScrapingEndpoint("/metrics", meterProvider: null, configureBranchedPipeline: branch => branch.Use(MetricsAccess.For(options)),
            optionsName: null).WithMetadata(new HttpMethodMetadata([HttpMethods.Get]));
        return app;
    }

    /// <summary>OpenTelemetry's own keys: the signal's endpoint or the common one, from the environment or configuration.</summary>
    private static bool HasOtlpEndpoint(IConfiguration configuration, string signal) =>
        !string.IsNullOrWhiteSpace(configuration[$"OTEL_EXPORTER_OTLP_{signal}_ENDPOINT"]) ||
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
}
