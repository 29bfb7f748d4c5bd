using Microsoft.AspNetCore.Hosting;
using Npgsql;

namespace Mediary.Tests.Infrastructure;

/// <summary>
/// A server whose PostgreSQL connections run through a <see cref="CuttableProxy"/>, with a 6 s job
/// lease, so a job whose end could not be recorded is taken back within seconds, and one worker
/// loop, so a loop that an outage stopped would leave nobody to take it.
/// </summary>
public sealed class DatabaseOutageApp : MediaryApp
{
    public DatabaseOutageApp() : base(new() { ["Jobs:LeaseSeconds"] = "6", ["Jobs:Concurrency"] = "1" })
    {
        if (Database.PostgresConnectionString is not { } direct) return;
        var target = new NpgsqlConnectionStringBuilder(direct);
        Line = new CuttableProxy(target.Host!, target.Port);
        target.Host = "127.0.0.1";
        target.Port = Line.Port;
        ThroughLine = target.ConnectionString;
    }

    /// <summary>The line between the server and its database; null on SQLite.</summary>
    public CuttableProxy? Line { get; }

    private string? ThroughLine { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (ThroughLine is not null) builder.UseSetting("Database:ConnectionString", ThroughLine);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Line is not null) await Line.DisposeAsync();
    }
}
