using Mediary.Auth;
using Mediary.Configuration;
using Mediary.Data;
using Mediary.Media;
using Mediary.Processing;
using Microsoft.Extensions.Options;

namespace Mediary.Cli;

/// <summary>
/// Every command of the executable. Commands other than <c>serve</c> open the same database as
/// the server (safe while it runs) and never start the HTTP listener or workers; their result
/// goes to stdout, everything else to stderr.
/// </summary>
public static class CliCommands
{
    public const string Usage = """
        Usage: mediary COMMAND [--data DIR]
          serve [--urls URL] [--no-workers]             run the API server (default command); --no-workers leaves
                                                        jobs to worker processes (PostgreSQL only)
          worker                                        run job workers and periodic sweeps, no HTTP (PostgreSQL only)
          accounts create NAME [--email ADDRESS] [--password PASSWORD | --password-stdin] [--admin]
                                                        a password lets the account sign in on /auth/sign_in
          accounts set-password NAME [--password PASSWORD | --password-stdin]
                                                        asks twice on a terminal when neither is given
          accounts set-admin NAME true|false            admins may be granted the admin:* scopes
          accounts list                                 id, name, e-mail address, admin
          tokens create --account NAME --scopes "SCOPES"  prints the new token
          tokens list --account NAME
          tokens revoke TOKEN_OR_ID
          keys create --account NAME                    prints the new direct API key
          keys list --account NAME
          keys revoke KEY_OR_ID
          webhooks create --account NAME --url URL --events a,b [--face mastodon|direct]
                                                        prints the id and the secret (shown once)
          webhooks list --account NAME | webhooks delete ID | webhooks deliveries ID
          webhooks retry ID DELIVERY_ID                 send a delivery again now
          vacuum [--dry-run]                            remove unattached media older than Vacuum:UnattachedMediaTtlHours
          remove-orphans [--dry-run] [--min-age-minutes N]
                                                        remove stored files no record refers to (older than N, default 60)
          migrate                                       create or upgrade the database schema
        --data DIR defaults to ./data.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var cli = new CliArguments(args);
        var command = cli.Word(0);
        if (command is "" or "serve" or "worker")
        {
            try
            {
                var settings = cli.Passthrough.Where(arg => arg != "--no-workers").ToArray();
                if (command == "worker") WorkerHost.Build(settings, cli.Option("data")).Run();
                else Server.Build(settings, cli.Option("data"), cli.Option("urls"), withWorkers: !cli.Flag("no-workers")).Run();
                return 0;
            }
            catch (Exception e) when (e is InvalidOperationException or OptionsValidationException)
            {
                return Fail(e.Message);
            }
            catch (System.Data.Common.DbException e)
            {
                return Fail(DatabaseTrouble(e));
            }
        }
        if (command == "image-helper") return ImageHelperHost.Run();
        if (command is "help" or "--help" or "-h")
        {
            Console.Out.WriteLine(Usage);
            return 0;
        }

        try
        {
            await using var services = CliServices.Build(cli.Option("data"));
            var database = services.GetRequiredService<IDatabase>();
            if (command == "migrate") return await MigrateAsync(database);
            await database.EnsureCurrentAsync(services.GetRequiredService<IOptions<DatabaseOptions>>().Value);
            return command switch
            {
                "accounts" => await AccountsAsync(cli, services),
                "tokens" => await TokensAsync(cli, services),
                "keys" => await KeysAsync(cli, services),
                "webhooks" => await WebhookCommands.RunAsync(cli, services),
                "vacuum" => await VacuumAsync(cli, services),
                "remove-orphans" => await RemoveOrphansAsync(cli, services),
                _ => Fail($"unknown command '{command}'"),
            };
        }
        catch (Exception e) when (e is ArgumentException or OptionsValidationException or SchemaOutOfDateException)
        {
            return Fail(e.Message);
        }
        catch (System.Data.Common.DbException e)
        {
            return Fail(DatabaseTrouble(e));
        }
        catch (Storage.StorageUnavailableException e)
        {
            return Fail($"cannot use the media storage: {e.Message}. Check the Storage settings and that the storage is reachable.");
        }
    }

    /// <summary>
    /// A database that cannot be reached or refuses the login, said in one line an operator can act
    /// on (a process started before its PostgreSQL, a wrong password), not a crash with a stack trace.
    /// </summary>
    private static string DatabaseTrouble(System.Data.Common.DbException e)
    {
        var reason = e.InnerException is { } inner && inner.Message != e.Message ? $"{e.Message} ({inner.Message})" : e.Message;
        return $"cannot use the database: {reason}. Check Database:ConnectionString and that the database server is running.";
    }

    private static async Task<int> MigrateAsync(IDatabase database)
    {
        var applied = await database.MigrateAsync();
        Console.Out.WriteLine($"applied {applied} migration{(applied == 1 ? "" : "s")}; the schema is at version {database.LatestSchemaVersion}");
        return 0;
    }

    private static async Task<int> AccountsAsync(CliArguments cli, IServiceProvider services)
    {
        var accounts = services.GetRequiredService<AccountStore>();
        switch (cli.Word(1))
        {
            case "create":
                var password = cli.Option("password") ?? (cli.Flag("password-stdin") ? ReadPasswordLine() : null);
                var account = await accounts.CreateAsync(cli.Word(2), cli.Option("email"), password, cli.Flag("admin"));
                Console.Out.WriteLine($"{account.Id}\t{account.Username}");
                return 0;
            case "set-password":
                if (cli.Word(2).Length == 0) return Fail("usage: accounts set-password NAME [--password PASSWORD | --password-stdin]");
                var newPassword = cli.Option("password") ?? (cli.Flag("password-stdin") || Console.IsInputRedirected ? ReadPasswordLine() : PromptPassword());
                if (newPassword is null) return Fail("the two passwords differ; nothing was changed");
                return await accounts.SetPasswordAsync(cli.Word(2), newPassword) ? 0 : Fail($"no account {cli.Word(2)}");
            case "set-admin":
                if (cli.Word(2).Length == 0 || cli.Word(3) is not ("true" or "false")) return Fail("usage: accounts set-admin NAME true|false");
                return await accounts.SetAdminAsync(cli.Word(2), cli.Word(3) == "true") ? 0 : Fail($"no account {cli.Word(2)}");
            case "list":
                foreach (var a in await accounts.ListAsync())
                    Console.Out.WriteLine($"{a.Id}\t{a.Username}\t{a.Email ?? "-"}\t{(a.Admin ? "admin" : "-")}\t{a.CreatedAt}");
                return 0;
            default:
                return Fail("usage: accounts create NAME [--email ADDRESS] [--password PASSWORD | --password-stdin] [--admin] | accounts set-password NAME | accounts set-admin NAME true|false | accounts list");
        }
    }

    /// <summary>One line of standard input, without its line break (--password-stdin, or a pipe).</summary>
    private static string ReadPasswordLine() =>
        Console.In.ReadLine() ?? throw new ArgumentException("no password on standard input");

    /// <summary>Asks twice on the terminal without echoing; null when the two differ.</summary>
    private static string? PromptPassword()
    {
        var first = ReadHidden("New password: ");
        var second = ReadHidden("Again: ");
        return first == second ? first : null;
    }

    private static string ReadHidden(string prompt)
    {
        Console.Error.Write(prompt);
        var text = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace) { if (text.Length > 0) text.Length--; continue; }
            if (!char.IsControl(key.KeyChar)) text.Append(key.KeyChar);
        }
        Console.Error.WriteLine();
        return text.ToString();
    }

    private static async Task<int> TokensAsync(CliArguments cli, IServiceProvider services)
    {
        var tokens = services.GetRequiredService<TokenStore>();
        switch (cli.Word(1))
        {
            case "create":
                var owner = await RequireAccountAsync(cli, services);
                var scopes = cli.Option("scopes") ?? throw new ArgumentException("--scopes \"SCOPES\" is required, e.g. --scopes \"read write\"");
                Console.Out.WriteLine(await tokens.CreateAsync(owner.Id, scopes));
                return 0;
            case "list":
                var account = await RequireAccountAsync(cli, services);
                foreach (var t in await tokens.ListAsync(account.Id))
                {
                    Console.Out.WriteLine($"{t.Id}\t{t.Scopes}\t{t.CreatedAt}\t{(t.RevokedAt is null ? "active" : "revoked " + t.RevokedAt)}");
                }
                return 0;
            case "revoke":
                if (cli.Word(2).Length == 0) return Fail("usage: tokens revoke TOKEN_OR_ID");
                return await tokens.RevokeAsync(cli.Word(2)) ? 0 : Fail("no such token");
            default:
                return Fail("usage: tokens create|list|revoke");
        }
    }

    /// <summary>Direct API keys: access tokens whose only scope is <c>direct</c>, so they open the /v1 API and nothing else.</summary>
    private static async Task<int> KeysAsync(CliArguments cli, IServiceProvider services)
    {
        var tokens = services.GetRequiredService<TokenStore>();
        const string scope = Direct.DirectApiMiddleware.KeyScope;
        switch (cli.Word(1))
        {
            case "create":
                var owner = await RequireAccountAsync(cli, services);
                Console.Out.WriteLine(await tokens.CreateAsync(owner.Id, scope));
                return 0;
            case "list":
                var account = await RequireAccountAsync(cli, services);
                foreach (var key in await tokens.ListAsync(account.Id, scope))
                {
                    Console.Out.WriteLine($"{key.Id}\t{key.CreatedAt}\t{(key.RevokedAt is null ? "active" : "revoked " + key.RevokedAt)}");
                }
                return 0;
            case "revoke":
                if (cli.Word(2).Length == 0) return Fail("usage: keys revoke KEY_OR_ID");
                return await tokens.RevokeAsync(cli.Word(2), scope) ? 0 : Fail("no such key");
            default:
                return Fail("usage: keys create|list|revoke");
        }
    }

    /// <summary>One line per media removed (or that would be): id, created_at, type; then the count.</summary>
    private static async Task<int> VacuumAsync(CliArguments cli, IServiceProvider services)
    {
        // Anything else, even a misspelt --dry-run, must not go on to delete.
        if (cli.Words.Count > 1 || cli.Passthrough.Any(arg => arg != "--dry-run")) return Fail("usage: vacuum [--dry-run]");
        var result = await services.GetRequiredService<MediaVacuum>().RunAsync(cli.Flag("dry-run"));
        foreach (var media in result.Removed) Console.Out.WriteLine($"{media.Id}\t{media.CreatedAt}\t{media.Type}");
        Console.Out.WriteLine(result.DryRun ? $"would remove {result.Count} unattached media" : $"removed {result.Count} unattached media");
        return 0;
    }

    /// <summary>One line per file removed (or that would be): key and bytes; then the count and total.</summary>
    private static async Task<int> RemoveOrphansAsync(CliArguments cli, IServiceProvider services)
    {
        const string usage = "usage: remove-orphans [--dry-run] [--min-age-minutes N]";
        if (cli.Words.Count > 1 || cli.Passthrough.Any(arg => arg != "--dry-run")) return Fail(usage);
        var minutes = 60;
        if (cli.Option("min-age-minutes") is { } given && (!int.TryParse(given, out minutes) || minutes < 0)) return Fail(usage);
        var result = await services.GetRequiredService<OrphanSweep>().RunAsync(cli.Flag("dry-run"), TimeSpan.FromMinutes(minutes));
        foreach (var orphan in result.Orphans) Console.Out.WriteLine($"{orphan.Key}\t{orphan.Length}");
        Console.Out.WriteLine($"{(result.DryRun ? "would remove" : "removed")} {result.Orphans.Count} orphaned files ({result.Bytes} bytes)");
        return 0;
    }

    private static async Task<Account> RequireAccountAsync(CliArguments cli, IServiceProvider services)
    {
        var name = cli.Option("account") ?? throw new ArgumentException("--account NAME is required");
        return await services.GetRequiredService<AccountStore>().FindAsync(name) ?? throw new ArgumentException($"no account named {name}");
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"mediary: {message}");
        return 1;
    }
}
