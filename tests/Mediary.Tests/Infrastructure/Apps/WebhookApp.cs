namespace Mediary.Tests.Infrastructure;

/// <summary>A server whose webhooks may reach the test's receivers on loopback, retrying after 1 s, three times.</summary>
public sealed class WebhookApp() : MediaryApp(new Dictionary<string, string>
{
    ["Webhooks:AllowPrivateAddresses"] = "true",
    ["Webhooks:RetryDelaysSeconds"] = "1,1,1",
    ["Webhooks:TimeoutSeconds"] = "5",
});
