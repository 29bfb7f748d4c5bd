using Mediary.Telemetry;

namespace Mediary.Cli;

/// <summary>
/// The <c>worker</c> command: the durable job workers and the periodic sweeps, with no HTTP
/// listener. Any number may run beside <c>serve --no-workers</c> processes on one PostgreSQL.
/// </summary>
public static class WorkerHost
{
    public static IHost Build(string[] args, string? dataDirectory)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        if (dataDirectory is not null) builder.Configuration["Mediary:DataDirectory"] = dataDirectory;
        builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddMediaryCore().AddMediaryMedia().AddMediaryJobs(withWorkers: true).AddMediaryVacuum().AddDirectApi().AddMediaryWebhooks();
        builder.Services.AddMediaryTelemetry(builder.Configuration, serving: false);
        var host = builder.Build();
        ProcessRoles.Prepare(host.Services, host.Services.GetRequiredService<IHostApplicationLifetime>(), ProcessRole.Worker);
        return host;
    }
}
