namespace Mediary.Cli;

/// <summary>The services a CLI command needs, configured like the server (appsettings, environment, --Section:Key=value) but with no host.</summary>
public static class CliServices
{
    public static ServiceProvider Build(string? dataDirectory, string[]? settings = null)
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(settings ?? [])
            .AddInMemoryCollection(dataDirectory is null ? [] : [new("Mediary:DataDirectory", dataDirectory)])
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace));
        // The media services are built on first use, so commands that don't need them start nothing.
        services.AddMediaryCore().AddMediaryMedia().AddMediaryJobs(withWorkers: false).AddMediaryVacuum(periodically: false)
            .AddDirectApi(periodically: false).AddMediaryWebhooks();
        return services.BuildServiceProvider();
    }
}
