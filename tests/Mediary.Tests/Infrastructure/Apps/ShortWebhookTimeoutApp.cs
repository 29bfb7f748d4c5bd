namespace Mediary.Tests.Infrastructure;

/// <summary>A server whose webhook deliveries give up on an answer after 1 s, and retry 1 s later.</summary>
public sealed class ShortWebhookTimeoutApp() : MediaryApp(new Dictionary<string, string>
{
    ["Webhooks:AllowPrivateAddresses"] = "true",
    ["Webhooks:RetryDelaysSeconds"] = "1,1",
    ["Webhooks:TimeoutSeconds"] = "1",
});
