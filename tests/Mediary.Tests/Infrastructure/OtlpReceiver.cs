using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mediary.Tests.Infrastructure;

/// <summary>
/// A stand-in for an OpenTelemetry Collector's OTLP/HTTP receiver on a loopback port: it keeps the
/// protobuf bodies posted to <c>/v1/metrics</c> and <c>/v1/traces</c> (names and string values
/// are plain UTF-8 in them) and answers 200, as a collector does.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<(string Signal, string Body)> _received = [];
    private readonly Lock _gate = new();

    private OtlpReceiver(WebApplication app) => _app = app;

    public string Url => _app.Urls.First();

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            lock (receiver._gate) receiver._received.Add((signal, Encoding.UTF8.GetString(body.ToArray())));
            return Results.Ok();
        });
        await app.StartAsync();
        return receiver;
    }

    /// <summary>Whether any body posted for <paramref name="signal"/> (<c>metrics</c>, <c>traces</c>) contains <paramref name="text"/>.</summary>
    public bool Received(string signal, string text)
    {
        lock (_gate) return _received.Any(item => item.Signal == signal && item.Body.Contains(text, StringComparison.Ordinal));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
