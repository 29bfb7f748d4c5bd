using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mediary.Tests.Infrastructure;

/// <summary>
/// A real HTTP server on loopback that takes webhook deliveries and keeps what arrived. Each request
/// is answered as <c>answer(n)</c> says for the n-th request (1-based): a status code, or null to
/// hang until the sender gives up.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public sealed record Delivery(string Body, string? Signature, string? DeliveryId, string? Event, string? ContentType, string? UserAgent)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement;

        /// <summary>Whether the signature is <c>sha256=</c> and the hex HMAC-SHA256 of the body with <paramref name="secret"/>.</summary>
        public bool IsSignedWith(string secret) =>
            Signature == "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(Body)));
    }

    private readonly WebApplication _server;
    private readonly ConcurrentQueue<Delivery> _received = new();
    private int _requests;

    private WebhookReceiver(Func<int, int?> answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _server = builder.Build();
        _server.MapPost("/hook", async (HttpContext http) =>
        {
            var n = Interlocked.Increment(ref _requests);
            using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var headers = http.Request.Headers;
            _received.Enqueue(new Delivery(body, headers["X-Hub-Signature"].ToString(), headers["X-Mediary-Delivery"].ToString(),
                headers["X-Mediary-Event"].ToString(), http.Request.ContentType, headers.UserAgent.ToString()));
            if (answer(n) is not { } status)
            {
                await Task.Delay(Timeout.Infinite, http.RequestAborted).ContinueWith(_ => { });
                return Results.StatusCode(200);
            }
            return Results.StatusCode(status);
        });
    }

    /// <summary>A receiver answering 200 to everything.</summary>
    public static Task<WebhookReceiver> StartAsync() => StartAsync(_ => 200);

    public static async Task<WebhookReceiver> StartAsync(Func<int, int?> answer)
    {
        var receiver = new WebhookReceiver(answer);
        await receiver._server.StartAsync();
        return receiver;
    }

    public string Url => _server.Urls.First() + "/hook";

    public IReadOnlyList<Delivery> Received => _received.ToList();

    /// <summary>The first delivery of <paramref name="eventName"/> to arrive within <paramref name="timeout"/> (default 60 s).</summary>
    public async Task<Delivery> WaitForAsync(string eventName, TimeSpan? timeout = null, int count = 1)
    {
        List<Delivery> matching = [];
        var arrived = await Polling.UntilAsync(() =>
        {
            matching = _received.Where(d => d.Event == eventName).ToList();
            return Task.FromResult(matching.Count >= count);
        }, timeout ?? TimeSpan.FromSeconds(60));
        Assert.True(arrived, $"{count} deliveries of {eventName} expected; got {string.Join(", ", _received.Select(d => d.Event))}");
        return matching[count - 1];
    }

    public async ValueTask DisposeAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await _server.StopAsync(limit.Token);
        await _server.DisposeAsync();
    }
}
