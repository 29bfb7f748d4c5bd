using Dapper;
using Mediary.Data;
using Mediary.Storage;

namespace Mediary.Web;

/// <summary>
/// <c>/health</c>: the process is up (for a liveness probe). <c>/health/ready</c>: the database and
/// the media storage answer within a few seconds (for a load balancer); 503 otherwise, naming what failed.
/// </summary>
public static class HealthEndpoints
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", () => Results.Json(new { status = "ok" }));
        app.MapGet("/health/ready", async (IDatabase database, IMediaStorage storage, ILoggerFactory loggers, CancellationToken ct) =>
        {
            var logger = loggers.CreateLogger("Mediary.Health");
            var databaseCheck = await CheckAsync("database", async token =>
            {
                await using var connection = await database.OpenAsync(token);
                await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: token));
            }, logger, ct);
            var storageCheck = await CheckAsync("storage", token => storage.ProbeAsync(token), logger, ct);
            var ready = databaseCheck == "ok" && storageCheck == "ok";
            return Results.Json(new { status = ready ? "ok" : "unavailable", checks = new { database = databaseCheck, storage = storageCheck } },
                statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        return app;
    }

    private static async Task<string> CheckAsync(string name, Func<CancellationToken, Task> check, ILogger logger, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CheckTimeout);
        try
        {
            await check(timeout.Token);
            return "ok";
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Readiness check of the {Component} failed", name);
            return timeout.IsCancellationRequested ? $"no answer within {CheckTimeout.TotalSeconds:0} s" : "unreachable";
        }
    }
}
