using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Cli;

/// <summary>The command line itself (System.CommandLine): help, mistakes, settings, completion. Each run on a fresh data directory.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("mediary-cli-").FullName;

    private Tools.Result Run(params string[] args) => Tools.RunMediary(_data, null, args);

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    [InlineData("serve", "--help")]
    [InlineData("worker", "--help")]
    [InlineData("migrate", "--help")]
    [InlineData("keys", "create", "--help")]
    [InlineData("accounts", "create", "-h")]
    public void Help_exits_0_and_starts_or_changes_nothing(params string[] args)
    {
        var result = Run(args);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("Usage:", result.Stdout);
        Assert.Empty(Directory.GetFileSystemEntries(_data));
    }

    [Fact]
    public void An_unknown_command_exits_2_and_suggests_the_right_one()
    {
        var result = Run("acounts", "list");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'acounts' was not matched. Did you mean one of the following?", result.Stdout + result.Stderr);
        Assert.Contains("accounts", result.Stdout);
        Assert.Empty(Directory.GetFileSystemEntries(_data));
    }

    [Fact]
    public void An_unknown_option_or_a_missing_argument_exits_2()
    {
        Assert.Equal(2, Run("accounts", "list", "--bogus").ExitCode);
        Assert.Equal(2, Run("tokens", "create", "--account", "alice").ExitCode); // --scopes is required
        Assert.Equal(2, Run("accounts", "set-admin", "alice", "maybe").ExitCode);
        Assert.Equal(2, Run("remove-orphans", "--min-age-minutes", "-5").ExitCode);
        Assert.Equal(2, Run("vacuum", "--dry-runn").ExitCode);
        Assert.Empty(Directory.GetFileSystemEntries(_data));
    }

    [Fact]
    public void A_failing_command_exits_1_with_one_line()
    {
        var result = Run("tokens", "list", "--account", "nobody");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("mediary: no account named nobody", result.Stderr.Trim());
    }

    [Fact]
    public void Settings_given_as_Section_Key_reach_every_command()
    {
        // MigrateOnStart off on a database that was never created: the command refuses, saying why.
        var refused = Run("accounts", "list", "--Database:MigrateOnStart=false");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("migrate", refused.Stderr);
        Assert.Equal(0, Run("accounts", "create", "alice", "--Database:MigrateOnStart", "true").ExitCode);
        Assert.Contains("alice", Run("accounts", "list").Stdout);
    }

    [Fact]
    public void Completion_scripts_ask_the_executable_what_comes_next()
    {
        var bash = Run("completion", "bash");
        Assert.Equal(0, bash.ExitCode);
        Assert.Contains("complete -o default -F _mediary_complete mediary", bash.Stdout);
        Assert.Contains("compdef _mediary_complete mediary", Run("completion", "zsh").Stdout);
        Assert.Equal(2, Run("completion", "fish").ExitCode);

        // As the scripts call it: the directive, then the line typed so far (no --data after it).
        var next = Tools.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "Mediary.dll"), "[suggest:17]", "mediary accounts "]);
        Assert.Equal(["create", "list", "set-admin", "set-password", "usage"], next.Stdout.Split('\n').Where(word => word.Length > 0 && char.IsLetter(word[0])).Order());
    }
}
