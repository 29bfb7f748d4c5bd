using System.Net;
using System.Text.Json;

namespace Mediary.Tests.Infrastructure;

/// <summary>What <c>GET /health/ready</c> answered, as a load balancer or an operator reads it.</summary>
public sealed record Readiness(HttpStatusCode Status, string? Overall, string? Database, string? Storage)
{
    public static async Task<Readiness> ReadAsync(HttpClient client, CancellationToken cancellationToken = default)
    {
        var response = await client.GetAsync("/health/ready", cancellationToken);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement;
        var checks = body.GetProperty("checks");
        return new Readiness(response.StatusCode, body.GetProperty("status").GetString(),
            checks.GetProperty("database").GetString(), checks.GetProperty("storage").GetString());
    }

    /// <summary>503, with the database's check passing and the storage's failing.</summary>
    public void AssertStorageOut()
    {
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "unavailable", "ok"), (Status, Overall, Database));
        Assert.NotEqual("ok", Storage);
    }
}
