using System.CommandLine;
using Mediary.Auth;
using Mediary.Webhooks;

namespace Mediary.Cli;

/// <summary>
/// <c>webhooks create|list|delete|deliveries|retry</c>: the same registrations as the two faces'
/// endpoints. Deliveries are queued here and sent by the server's (or a worker's) job workers.
/// </summary>
public static class WebhookCommands
{
    /// <summary>
    /// The <c>webhooks</c> command; <paramref name="withServices"/> runs an action with the CLI's
    /// services and turns what an operator can act on into one line (as every command does).
    /// </summary>
    public static Command Build(Func<ParseResult, Func<IServiceProvider, Task<int>>, Task<int>> withServices)
    {
        var webhooks = new Command("webhooks", "Webhooks: URLs told when an account's media are processed, fail or are deleted");
        var account = new Option<string>("--account") { Description = "The account's name", HelpName = "NAME", Required = true };
        var url = new Option<string>("--url") { Description = "The http or https URL to POST events to", HelpName = "URL", Required = true };
        var events = new Option<string>("--events")
        {
            Description = "Comma-separated: media.processed, media.failed, media.deleted (mastodon); media.ready, media.failed, media.deleted (direct)",
            HelpName = "EVENTS",
            Required = true,
        };
        var face = new Option<string>("--face") { Description = "Whose media and JSON: mastodon (default) or direct", HelpName = "FACE", DefaultValueFactory = _ => WebhookFaces.Mastodon };
        face.AcceptOnlyFromAmong(WebhookFaces.Mastodon, WebhookFaces.Direct);

        var create = new Command("create", "Register a webhook; prints its id and its secret (shown once), tab-separated");
        foreach (var option in new Option[] { account, url, events, face }) create.Options.Add(option);
        create.SetAction((result, _) => withServices(result, async services =>
        {
            var owner = await FindAccountAsync(services, result.GetValue(account)!);
            var wanted = result.GetValue(events)!.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries);
            try
            {
                var created = await services.GetRequiredService<WebhookRegistrations>().CreateAsync(owner.Id, result.GetValue(face)!,
                    result.GetValue(url), wanted, origin: null);
                Console.Out.WriteLine($"{created.Id}\t{created.Secret}");
                Console.Error.WriteLine("The secret signs every delivery (X-Hub-Signature); it is not shown again.");
                return CliCommands.Done;
            }
            catch (WebhookValidationException e)
            {
                throw new ArgumentException(e.Message);
            }
        }));
        webhooks.Subcommands.Add(create);

        var list = new Command("list", "List an account's webhooks: id, face, URL, events, creation time");
        list.Options.Add(account);
        list.SetAction((result, _) => withServices(result, async services =>
        {
            var owner = await FindAccountAsync(services, result.GetValue(account)!);
            foreach (var w in await services.GetRequiredService<WebhookStore>().ListAsync(owner.Id, null))
                Console.Out.WriteLine($"{w.Id}\t{w.Face}\t{w.Url}\t{w.Events}\t{WebhookJson.Time(w.CreatedAt)}");
            return CliCommands.Done;
        }));
        webhooks.Subcommands.Add(list);

        var id = new Argument<long>("ID") { Description = "The webhook's id, from webhooks list" };
        var delete = new Command("delete", "Remove a webhook and its deliveries");
        delete.Arguments.Add(id);
        delete.SetAction((result, _) => withServices(result, async services =>
            await services.GetRequiredService<WebhookStore>().DeleteAsync(result.GetValue(id)) ? CliCommands.Done : Fail("no such webhook")));
        webhooks.Subcommands.Add(delete);

        var deliveries = new Command("deliveries", "A webhook's deliveries, newest first: id, event, state, attempts, last status, when, last error");
        deliveries.Arguments.Add(id);
        deliveries.SetAction((result, _) => withServices(result, async services =>
        {
            if (await services.GetRequiredService<WebhookStore>().FindAsync(result.GetValue(id)) is not { } webhook) return Fail("no such webhook");
            foreach (var d in (await services.GetRequiredService<WebhookRegistrations>().DeliveriesAsync(webhook)).Select(WebhookJson.Of))
            {
                var when = d.DeliveredAt ?? d.NextAttemptAt ?? "-";
                Console.Out.WriteLine($"{d.Id}\t{d.Event}\t{d.State}\t{d.Attempts}\t{d.LastStatus?.ToString() ?? "-"}\t{when}\t{d.LastError ?? ""}");
            }
            return CliCommands.Done;
        }));
        webhooks.Subcommands.Add(deliveries);

        var deliveryId = new Argument<string>("DELIVERY_ID") { Description = "The delivery's id, from webhooks deliveries" };
        var retry = new Command("retry", "Send a delivery again now, with a new round of attempts (the server's workers send it)");
        retry.Arguments.Add(id);
        retry.Arguments.Add(deliveryId);
        retry.SetAction((result, _) => withServices(result, async services =>
        {
            if (await services.GetRequiredService<WebhookStore>().FindAsync(result.GetValue(id)) is not { } webhook) return Fail("no such webhook");
            return await services.GetRequiredService<WebhookRegistrations>().RetryAsync(webhook, result.GetValue(deliveryId)!) is not null
                ? CliCommands.Done
                : Fail("no such delivery");
        }));
        webhooks.Subcommands.Add(retry);
        return webhooks;
    }

    private static async Task<Account> FindAccountAsync(IServiceProvider services, string name) =>
        await services.GetRequiredService<AccountStore>().FindAsync(name) ?? throw new ArgumentException($"no account named {name}");

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"mediary: {message}");
        return CliCommands.Failed;
    }
}
