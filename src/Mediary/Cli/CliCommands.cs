using System.Globalization;
using System.CommandLine;
using Mediary.Auth;
using Mediary.Configuration;
using Mediary.Data;
using Mediary.Media;
using Mediary.Processing;
using Microsoft.Extensions.Options;

namespace Mediary.Cli;

/// <summary>
/// Every command of the executable, on System.CommandLine: <c>--help</c>/<c>-h</c> everywhere, an
/// unknown command or option is an error with a suggestion (exit code 2), and configuration given
/// as <c>--Section:Key=value</c> goes to every command (see <see cref="CliSettings"/>). Commands
/// other than <c>serve</c> and <c>worker</c> open the same database as the server (safe while it
/// runs) and never start the HTTP listener or workers; their result goes to stdout, everything
/// else to stderr.
/// </summary>
public static class CliCommands
{
    /// <summary>Exit codes: done; the command failed (a one-line reason on stderr); the command line was wrong.</summary>
    public const int Done = 0, Failed = 1, UsageError = 2;

    public static async Task<int> RunAsync(string[] args)
    {
        // The image helper processes the server starts: not a command for people.
        if (args is ["image-helper", ..]) return ImageHelperHost.Run();
        var (commandLine, settings) = CliSettings.Split(args);
        var root = Build(settings);
        var parsed = root.Parse(commandLine);
        var code = await parsed.InvokeAsync();
        return parsed.Errors.Count > 0 ? UsageError : code;
    }

    private static readonly Option<string?> Data = new("--data")
    {
        Description = "The data directory: SQLite database, media files, temporary uploads (default ./data, or Mediary:DataDirectory)",
        HelpName = "DIR",
        Recursive = true,
    };

    private static RootCommand Build(string[] settings)
    {
        var urls = new Option<string?>("--urls") { Description = "Where to listen, e.g. http://0.0.0.0:8080 (default http://localhost:5000)", HelpName = "URL" };
        var noWorkers = new Option<bool>("--no-workers") { Description = "Serve the API only; job workers run in separate worker processes (PostgreSQL)" };
        Task<int> Serve(ParseResult result) => Task.FromResult(Host(() =>
            Server.Build(settings, result.GetValue(Data), result.GetValue(urls), withWorkers: !result.GetValue(noWorkers)).Run()));

        var root = new RootCommand("""
            Mediary: a self-hosted media attachment service (Mastodon's media API and a direct upload API).
            Without a command it serves, as "serve" does. Any setting can be given as --Section:Key=value
            (e.g. --Storage:Provider=S3); see the README's Configuration. Exit codes: 0 done, 1 the command
            failed (the reason on stderr), 2 the command line was wrong.
            """);
        root.Options.Add(Data);
        root.Options.Add(urls);
        root.Options.Add(noWorkers);
        root.SetAction(Serve);

        var serve = new Command("serve", "Run the API server (the default command), with the job workers unless --no-workers");
        serve.Options.Add(urls);
        serve.Options.Add(noWorkers);
        serve.SetAction(Serve);
        root.Subcommands.Add(serve);

        var worker = new Command("worker", "Run job workers and periodic sweeps, no HTTP listener (PostgreSQL)");
        worker.SetAction(result => Host(() => WorkerHost.Build(settings, result.GetValue(Data)).Run()));
        root.Subcommands.Add(worker);

        root.Subcommands.Add(AccountsCommand(settings));
        root.Subcommands.Add(TokensCommand(settings));
        root.Subcommands.Add(KeysCommand(settings));
        root.Subcommands.Add(WebhookCommands.Build((result, command) => WithServicesAsync(result, settings, command)));
        root.Subcommands.Add(VacuumCommand(settings));
        root.Subcommands.Add(RemoveOrphansCommand(settings));

        var migrate = new Command("migrate", "Create or upgrade the database schema (safe while other processes run)");
        migrate.SetAction((result, _) => WithServicesAsync(result, settings, async services =>
        {
            var database = services.GetRequiredService<IDatabase>();
            using var progress = new ConsoleProgress("migrating");
            progress.Report(0);
            var applied = await database.MigrateAsync();
            Console.Out.WriteLine($"applied {applied} migration{(applied == 1 ? "" : "s")}; the schema is at version {database.LatestSchemaVersion}");
            return Done;
        }, migrateFirst: false));
        root.Subcommands.Add(migrate);

        var shell = new Argument<string>("SHELL") { Description = "bash or zsh" };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        var completion = new Command("completion", "Print a shell completion script, e.g. source <(mediary completion bash)");
        completion.Arguments.Add(shell);
        completion.SetAction(result =>
        {
            Console.Out.Write(CompletionScripts.For(result.GetValue(shell)!));
            return Done;
        });
        root.Subcommands.Add(completion);

        var help = new Command("help", "Show this help (as --help does)");
        help.SetAction(_ => root.Parse("--help").Invoke());
        root.Subcommands.Add(help);
        return root;
    }

    private static Command AccountsCommand(string[] settings)
    {
        var accounts = new Command("accounts", "Accounts: create, list, set a password or the admin flag, storage usage");
        var name = new Argument<string>("NAME") { Description = "1-30 letters, digits or underscores" };
        var email = new Option<string?>("--email") { Description = "The e-mail address (signs in too)", HelpName = "ADDRESS" };
        var password = new Option<string?>("--password") { Description = "A password of 8-72 characters (visible in the process list: prefer --password-stdin)", HelpName = "PASSWORD" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input" };
        var admin = new Option<bool>("--admin") { Description = "The account may be granted the admin:* scopes" };

        var create = new Command("create", "Create an account; prints its id and name");
        create.Arguments.Add(name);
        foreach (var option in new Option[] { email, password, passwordStdin, admin }) create.Options.Add(option);
        create.SetAction((result, _) => WithServicesAsync(result, settings, async services =>
        {
            var secret = result.GetValue(password) ?? (result.GetValue(passwordStdin) ? ReadPasswordLine() : null);
            var account = await services.GetRequiredService<AccountStore>().CreateAsync(result.GetValue(name)!, result.GetValue(email), secret,
                result.GetValue(admin));
            Console.Out.WriteLine($"{account.Id}\t{account.Username}");
            return Done;
        }));
        accounts.Subcommands.Add(create);

        var setPassword = new Command("set-password", "Set or replace an account's password (asks twice on a terminal without --password or --password-stdin)");
        setPassword.Arguments.Add(name);
        setPassword.Options.Add(password);
        setPassword.Options.Add(passwordStdin);
        setPassword.SetAction((result, _) => WithServicesAsync(result, settings, async services =>
        {
            var secret = result.GetValue(password)
                ?? (result.GetValue(passwordStdin) || Console.IsInputRedirected ? ReadPasswordLine() : PromptPassword());
            if (secret is null) return Fail("the two passwords differ; nothing was changed");
            var username = result.GetValue(name)!;
            return await services.GetRequiredService<AccountStore>().SetPasswordAsync(username, secret) ? Done : Fail($"no account {username}");
        }));
        accounts.Subcommands.Add(setPassword);

        var flag = new Argument<bool>("true|false") { Description = "Whether the account is an admin" };
        var setAdmin = new Command("set-admin", "Mark an account admin or not");
        setAdmin.Arguments.Add(name);
        setAdmin.Arguments.Add(flag);
        setAdmin.SetAction((result, _) => WithServicesAsync(result, settings, async services =>
        {
            var username = result.GetValue(name)!;
            return await services.GetRequiredService<AccountStore>().SetAdminAsync(username, result.GetValue(flag)) ? Done : Fail($"no account {username}");
        }));
        accounts.Subcommands.Add(setAdmin);

        var list = new Command("list", "List accounts: id, name, e-mail address, admin, creation time");
        list.SetAction((result, _) => WithServicesAsync(result, settings, async services =>
        {
            foreach (var a in await services.GetRequiredService<AccountStore>().ListAsync())
                Console.Out.WriteLine($"{a.Id}\t{a.Username}\t{a.Email ?? "-"}\t{(a.Admin ? "admin" : "-")}\t{a.CreatedAt}");
            return Done;
        }));
        accounts.Subcommands.Add(list);

        var optionalName = new Argument<string?>("NAME") { Description = "Only this account", Arity = ArgumentArity.ZeroOrOne };
        var usage = new Command("usage", "Storage per account: id, name, bytes used, bytes reserved by direct uploads, quota (or -), media count");
        usage.Arguments.Add(optionalName);
        usage.SetAction((result, _) => WithServicesAsync(result, settings, async services =>
        {
            var quota = services.GetRequiredService<Media.StorageQuota>();
            var only = result.GetValue(optionalName) is { } username ? await FindAccountAsync(services, username) : null;
            var rows = await quota.UsageByAccountAsync(int.MaxValue, accountId: only?.Id);
            foreach (var row in rows)
            {
                var limit = row.Usage.LimitBytes?.ToString(CultureInfo.InvariantCulture) ?? "-";
                Console.Out.WriteLine($"{row.AccountId}\t{row.Username}\t{row.Usage.UsedBytes}\t{row.Usage.ReservedBytes}\t{limit}\t{row.Usage.MediaCount}");
            }
            return Done;
        }));
        accounts.Subcommands.Add(usage);
        return accounts;
    }

    private static Option<string> AccountOption() => new("--account") { Description = "The account's name", HelpName = "NAME", Required = true };

    private static Command TokensCommand(string[] settings)
    {
        var tokens = new Command("tokens", "Access tokens for the Mastodon API (OAuth tokens live in the same table)");
        var account = AccountOption();
        var scopes = new Option<string>("--scopes") { Description = "Space-separated scopes, e.g. \"read write\"", HelpName = "SCOPES", Required = true };
        var create = new Command("create", "Create a token; prints exactly one line: the token (only its SHA-256 is stored)");
        create.Options.Add(account);
        create.Options.Add(scopes);
        create.SetAction((result, _) => WithServicesAsync(result, settings, async services =>
        {
            var owner = await FindAccountAsync(services, result.GetValue(account)!);
            Console.Out.WriteLine(await services.GetRequiredService<TokenStore>().CreateAsync(owner.Id, result.GetValue(scopes)!));
            return Done;
        }));
        tokens.Subcommands.Add(create);

        var list = new Command("list", "List an account's tokens: id, scopes, creation time, state");
        list.Options.Add(account);
        list.SetAction((result, _) => WithServicesAsync(result, settings, async services =>
        {
            var owner = await FindAccountAsync(services, result.GetValue(account)!);
            foreach (var t in await services.GetRequiredService<TokenStore>().ListAsync(owner.Id))
                Console.Out.WriteLine($"{t.Id}\t{t.Scopes}\t{t.CreatedAt}\t{(t.RevokedAt is null ? "active" : "revoked " + t.RevokedAt)}");
            return Done;
        }));
        tokens.Subcommands.Add(list);

        var token = new Argument<string>("TOKEN_OR_ID") { Description = "The token itself or its id from tokens list" };
        var revoke = new Command("revoke", "Revoke a token; takes effect on the next request");
        revoke.Arguments.Add(token);
        revoke.SetAction((result, _) => WithServicesAsync(result, settings, async services =>
            await services.GetRequiredService<TokenStore>().RevokeAsync(result.GetValue(token)!) ? Done : Fail("no such token")));
        tokens.Subcommands.Add(revoke);
        return tokens;
    }

    /// <summary>Direct API keys: access tokens whose only scope is <c>direct</c>, so they open the /v1 API and nothing else.</summary>
    private static Command KeysCommand(string[] settings)
    {
        const string scope = Direct.DirectApiMiddleware.KeyScope;
        var keys = new Command("keys", "API keys for the direct upload API");
        var account = AccountOption();
        var create = new Command("create", "Create a key; prints exactly one line: the key (only its SHA-256 is stored)");
        create.Options.Add(account);
        create.SetAction((result, _) => WithServicesAsync(result, settings, async services =>
        {
            var owner = await FindAccountAsync(services, result.GetValue(account)!);
            Console.Out.WriteLine(await services.GetRequiredService<TokenStore>().CreateAsync(owner.Id, scope));
            return Done;
        }));
        keys.Subcommands.Add(create);

        var list = new Command("list", "List an account's keys: id, creation time, state");
        list.Options.Add(account);
        list.SetAction((result, _) => WithServicesAsync(result, settings, async services =>
        {
            var owner = await FindAccountAsync(services, result.GetValue(account)!);
            foreach (var key in await services.GetRequiredService<TokenStore>().ListAsync(owner.Id, scope))
                Console.Out.WriteLine($"{key.Id}\t{key.CreatedAt}\t{(key.RevokedAt is null ? "active" : "revoked " + key.RevokedAt)}");
            return Done;
        }));
        keys.Subcommands.Add(list);

        var key = new Argument<string>("KEY_OR_ID") { Description = "The key itself or its id from keys list" };
        var revoke = new Command("revoke", "Revoke a key; takes effect on the next request");
        revoke.Arguments.Add(key);
        revoke.SetAction((result, _) => WithServicesAsync(result, settings, async services =>
            await services.GetRequiredService<TokenStore>().RevokeAsync(result.GetValue(key)!, scope) ? Done : Fail("no such key")));
        keys.Subcommands.Add(revoke);
        return keys;
    }

    private static Option<bool> DryRun() => new("--dry-run") { Description = "List what would be removed and remove nothing" };

    /// <summary>One line per media removed (or that would be): id, created_at, type; then the count.</summary>
    private static Command VacuumCommand(string[] settings)
    {
        var dryRun = DryRun();
        var vacuum = new Command("vacuum", "Remove unattached media older than Vacuum:UnattachedMediaTtlHours, files included, and failed media's raw uploads past Vacuum:FailedSourceRetentionHours");
        vacuum.Options.Add(dryRun);
        vacuum.SetAction((result, _) => WithServicesAsync(result, settings, async services =>
        {
            var dry = result.GetValue(dryRun);
            VacuumResult removed;
            using (var progress = new ConsoleProgress(dry ? "media found" : "media removed"))
                removed = await services.GetRequiredService<MediaVacuum>().RunAsync(dry, progress: progress);
            foreach (var media in removed.Removed) Console.Out.WriteLine($"{media.Id}\t{media.CreatedAt}\t{media.Type}");
            Console.Out.WriteLine(removed.DryRun ? $"would remove {removed.Count} unattached media" : $"removed {removed.Count} unattached media");
            // As the server's vacuum does, for an operator who runs this from cron instead.
            if (!dry && await services.GetRequiredService<FailedSourceRetention>().RunAsync() is > 0 and var sources)
                Console.Out.WriteLine($"removed the raw uploads of {sources} failed media past Vacuum:FailedSourceRetentionHours");
            return Done;
        }));
        return vacuum;
    }

    /// <summary>One line per file removed (or that would be): key and bytes; then the count and total.</summary>
    private static Command RemoveOrphansCommand(string[] settings)
    {
        var dryRun = DryRun();
        var minAge = new Option<int>("--min-age-minutes")
        {
            Description = "Only files older than this, so uploads and jobs still writing are spared",
            HelpName = "N",
            DefaultValueFactory = _ => 60,
        };
        minAge.Validators.Add(option =>
        {
            if (option.GetValueOrDefault<int>() < 0) option.AddError("--min-age-minutes must be 0 or more");
        });
        var command = new Command("remove-orphans", "Remove stored files that no record refers to (on disk or in the bucket)");
        command.Options.Add(dryRun);
        command.Options.Add(minAge);
        command.SetAction((result, _) => WithServicesAsync(result, settings, async services =>
        {
            OrphanResult found;
            using (var progress = new ConsoleProgress("files examined"))
            {
                found = await services.GetRequiredService<OrphanSweep>().RunAsync(result.GetValue(dryRun), TimeSpan.FromMinutes(result.GetValue(minAge)),
                    progress: progress);
            }
            foreach (var orphan in found.Orphans) Console.Out.WriteLine($"{orphan.Key}\t{orphan.Length}");
            Console.Out.WriteLine($"{(found.DryRun ? "would remove" : "removed")} {found.Orphans.Count} orphaned files ({found.Bytes} bytes)");
            return Done;
        }));
        return command;
    }

    /// <summary>Runs a host (serve, worker) until it stops; a configuration or database problem is one line and exit 1.</summary>
    private static int Host(Action run)
    {
        try
        {
            run();
            return Done;
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

    /// <summary>
    /// Builds the command's services, brings the schema up to date (unless told not to), runs the
    /// command, and turns the failures an operator can act on into one line on stderr and exit 1.
    /// </summary>
    private static async Task<int> WithServicesAsync(ParseResult result, string[] settings, Func<ServiceProvider, Task<int>> command, bool migrateFirst = true)
    {
        try
        {
            await using var services = CliServices.Build(result.GetValue(Data), settings);
            if (migrateFirst)
            {
                await services.GetRequiredService<IDatabase>().EnsureCurrentAsync(services.GetRequiredService<IOptions<DatabaseOptions>>().Value);
            }
            return await command(services);
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

    private static async Task<Account> FindAccountAsync(IServiceProvider services, string name) =>
        await services.GetRequiredService<AccountStore>().FindAsync(name) ?? throw new ArgumentException($"no account named {name}");

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"mediary: {message}");
        return Failed;
    }
}
