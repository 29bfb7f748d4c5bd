using System.Net;
using System.Net.Http.Headers;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Cli;

/// <summary>The CLI run as a separate process on the data directory of a running server.</summary>
public sealed class CliTests(MediaryApp app) : IClassFixture<MediaryApp>
{
    private Tools.Result Cli(params string[] args) => app.RunCli(args);

    [Fact]
    public async Task Accounts_and_tokens_made_by_the_cli_work_at_once_and_revocation_is_immediate()
    {
        _ = app.Server;
        var name = "cli" + Guid.NewGuid().ToString("N")[..8];
        var created = Cli("accounts", "create", name);
        Assert.True(created.ExitCode == 0, created.Stderr);
        Assert.Contains(name, Cli("accounts", "list").Stdout);

        var token = Cli("tokens", "create", "--account", name, "--scopes", "read write:media");
        Assert.Equal(0, token.ExitCode);
        var lines = token.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);

        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", lines[0].Trim());
        using var form = Uploads.Form(Fixtures.Path("600x400.jpg"));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/v2/media", form)).StatusCode);

        var listed = Cli("tokens", "list", "--account", name);
        var id = listed.Stdout.Split('\t')[0];
        Assert.Contains("read write:media", listed.Stdout);
        Assert.DoesNotContain(lines[0].Trim(), listed.Stdout);

        Assert.Equal(0, Cli("tokens", "revoke", id).ExitCode);
        var answer = await Answer.FromAsync(await client.GetAsync("/api/v1/media/1"));
        answer.AssertError(HttpStatusCode.Unauthorized, "The access token was revoked");
    }

    [Fact]
    public async Task Api_keys_made_by_the_cli_open_the_direct_api_and_revocation_is_immediate()
    {
        _ = app.Server;
        var name = "key" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(0, Cli("accounts", "create", name).ExitCode);
        var created = Cli("keys", "create", "--account", name);
        Assert.True(created.ExitCode == 0, created.Stderr);
        var key = Assert.Single(created.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Trim();

        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/media")).StatusCode);

        var listed = Cli("keys", "list", "--account", name).Stdout;
        Assert.Contains("active", listed);
        Assert.DoesNotContain(key, listed);
        Assert.NotEqual(0, Cli("keys", "revoke", "no-such-key").ExitCode);
        Assert.Equal(0, Cli("keys", "revoke", key).ExitCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/media")).StatusCode);
        Assert.Contains("revoked", Cli("keys", "list", "--account", name).Stdout);
    }

    [Fact]
    public void Mistakes_exit_non_zero_with_a_message_on_stderr()
    {
        var unknown = Cli("tokens", "create", "--account", "nobody-here", "--scopes", "read");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("nobody-here", unknown.Stderr);
        Assert.Equal("", unknown.Stdout);

        var duplicate = "dup" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(0, Cli("accounts", "create", duplicate).ExitCode);
        Assert.NotEqual(0, Cli("accounts", "create", duplicate).ExitCode);
        Assert.NotEqual(0, Cli("tokens", "revoke", "no-such-token").ExitCode);
        Assert.NotEqual(0, Cli("frobnicate").ExitCode);
    }

    [Fact]
    public void A_second_server_on_the_same_data_directory_refuses_to_start_and_says_why()
    {
        Assert.SkipWhen(TestDatabase.OnPostgres, "on PostgreSQL several servers may share a data directory: that is how it scales out");
        _ = app.Server;
        var second = Tools.RunMediary(app.DataDirectory, null, "serve", "--urls", "http://127.0.0.1:0");
        Assert.NotEqual(0, second.ExitCode);
        Assert.Contains("Another Mediary server is already using the data directory", second.Stderr);
        Assert.DoesNotContain("   at ", second.Stderr);
    }

    [Fact]
    public void A_database_that_cannot_be_reached_stops_every_command_with_one_line_naming_the_setting()
    {
        // Port 1 on loopback: nothing listens there, so every connection is refused.
        var environment = new Dictionary<string, string>
        {
            ["Database__Provider"] = "PostgreSQL",
            ["Database__ConnectionString"] = "Host=127.0.0.1;Port=1;Username=postgres;Database=mediary",
        };
        var directory = Directory.CreateTempSubdirectory("mediary-no-database").FullName;
        foreach (var command in new[] { new[] { "accounts", "list" }, ["migrate"], ["serve", "--urls", "http://127.0.0.1:0"], ["worker"] })
        {
            var run = Tools.RunMediary(directory, environment, command);
            Assert.Equal(1, run.ExitCode);
            // The last line (the worker warns first that its storage is local), and no stack trace.
            Assert.Equal(
                "mediary: cannot use the database: Failed to connect to 127.0.0.1:1 (Connection refused). " +
                "Check Database:ConnectionString and that the database server is running.",
                run.Stderr.Trim().Split('\n')[^1]);
            Assert.DoesNotContain("   at ", run.Stderr);
        }
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task A_bucket_that_does_not_exist_stops_a_storage_command_with_one_line_naming_it()
    {
        Assert.SkipUnless(TestBucket.InUse, "needs the S3 server that scripts/test.sh starts (MEDIARY_TEST_S3)");
        await using var bucket = TestBucket.NotYetCreated()!;
        var environment = TestDatabase.AsEnvironment(app.Database.Settings.Concat(bucket.Settings));
        var run = Tools.RunMediary(app.DataDirectory, environment, "remove-orphans", "--dry-run");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"mediary: cannot use the media storage: the bucket {bucket.Name} does not exist. " +
            "Check the Storage settings and that the storage is reachable.", run.Stderr.Trim());
    }

    [Fact]
    public async Task With_migrate_on_start_off_only_the_migrate_command_changes_the_schema_and_nothing_runs_on_an_old_one()
    {
        var directory = Path.Combine(Path.GetTempPath(), "mediary-tests", "migrate-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        await using var database = TestDatabase.For(directory);
        var environment = database.Environment.ToDictionary();
        environment["Database__MigrateOnStart"] = "false";
        Tools.Result Run(params string[] args) => Tools.RunMediary(directory, environment, args);
        try
        {
            var refused = Run("accounts", "list");
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("schema is at version 0", refused.Stderr);
            Assert.Contains("mediary migrate", refused.Stderr);
            Assert.DoesNotContain("   at ", refused.Stderr);
            var server = Run("serve", "--urls", "http://127.0.0.1:0");
            Assert.NotEqual(0, server.ExitCode);
            Assert.Contains("mediary migrate", server.Stderr);

            var migrated = Run("migrate");
            Assert.True(migrated.ExitCode == 0, migrated.Stderr);
            Assert.Matches(@"^applied [1-9]\d* migrations; the schema is at version [1-9]\d*\n$", migrated.Stdout);
            Assert.Equal(0, Run("accounts", "create", "after").ExitCode);
            Assert.Contains("after", Run("accounts", "list").Stdout);
            Assert.StartsWith("applied 0 migrations;", Run("migrate").Stdout);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
