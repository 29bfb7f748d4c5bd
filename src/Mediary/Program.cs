using Mediary.Cli;

return await CliCommands.RunAsync(args);

/// <summary>The entry point; public so the tests' WebApplicationFactory can find it.</summary>
public partial class Program;
