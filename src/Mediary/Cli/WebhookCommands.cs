using Mediary.Auth;
using Mediary.Webhooks;

namespace Mediary.Cli;

/// <summary>
/// <c>webhooks create|list|delete|deliveries|retry</c>: the same registrations as the two faces'
/// endpoints. Deliveries are queued here and sent by the server's (or a worker's) job workers.
/// </summary>
public static class WebhookCommands
{
    public static async Task<int> RunAsync(CliArguments cli, IServiceProvider services)
    {
        var registrations = services.GetRequiredService<WebhookRegistrations>();
        var store = services.GetRequiredService<WebhookStore>();
        switch (cli.Word(1))
        {
            case "create":
                var owner = await AccountAsync(cli, services);
                var face = cli.Option("face") ?? WebhookFaces.Mastodon;
                if (face is not (WebhookFaces.Mastodon or WebhookFaces.Direct)) throw new ArgumentException("--face must be mastodon or direct");
                var events = (cli.Option("events") ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries);
                try
                {
                    var created = await registrations.CreateAsync(owner.Id, face, cli.Option("url"), events, origin: null);
                    Console.Out.WriteLine($"{created.Id}\t{created.Secret}");
                    Console.Error.WriteLine("The secret signs every delivery (X-Hub-Signature); it is not shown again.");
                    return 0;
                }
                catch (WebhookValidationException e)
                {
                    throw new ArgumentException(e.Message);
                }
            case "list":
                var account = await AccountAsync(cli, services);
                foreach (var w in await store.ListAsync(account.Id, null))
                {
                    Console.Out.WriteLine($"{w.Id}\t{w.Face}\t{w.Url}\t{w.Events}\t{WebhookJson.Time(w.CreatedAt)}");
                }
                return 0;
            case "delete":
                return await WebhookAsync(cli, store) is { } doomed && await store.DeleteAsync(doomed.Id) ? 0 : Fail("no such webhook");
            case "deliveries":
                if (await WebhookAsync(cli, store) is not { } webhook) return Fail("no such webhook");
                foreach (var d in (await registrations.DeliveriesAsync(webhook)).Select(WebhookJson.Of))
                {
                    var when = d.DeliveredAt ?? d.NextAttemptAt ?? "-";
                    Console.Out.WriteLine($"{d.Id}\t{d.Event}\t{d.State}\t{d.Attempts}\t{d.LastStatus?.ToString() ?? "-"}\t{when}\t{d.LastError ?? ""}");
                }
                return 0;
            case "retry":
                if (await WebhookAsync(cli, store) is not { } retried) return Fail("no such webhook");
                return await registrations.RetryAsync(retried, cli.Word(3)) is not null ? 0 : Fail("no such delivery");
            default:
                return Fail("usage: webhooks create|list|delete|deliveries|retry (see mediary help)");
        }
    }

    private static async Task<Account> AccountAsync(CliArguments cli, IServiceProvider services)
    {
        var name = cli.Option("account") ?? throw new ArgumentException("--account NAME is required");
        return await services.GetRequiredService<AccountStore>().FindAsync(name) ?? throw new ArgumentException($"no account named {name}");
    }

    private static async Task<Webhook?> WebhookAsync(CliArguments cli, WebhookStore store) =>
        long.TryParse(cli.Word(2), out var id) ? await store.FindAsync(id) : null;

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"mediary: {message}");
        return 1;
    }
}
