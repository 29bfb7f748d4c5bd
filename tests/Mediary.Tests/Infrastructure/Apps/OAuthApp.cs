using Microsoft.Extensions.Time.Testing;

namespace Mediary.Tests.Infrastructure;

/// <summary>
/// An app whose clock the test moves (to let authorization codes expire without waiting), with a
/// sign-in throttle of three failures, so the throttle's tests need not fail 25 times.
/// </summary>
public sealed class OAuthApp() : MediaryApp(new Dictionary<string, string>
{
    ["OAuth:SignInFailuresPerAccount"] = "3",
    ["OAuth:SignInFailuresPerAddress"] = "1000",
    ["OAuth:AppRegistrationsPerAddress"] = "1000",
}, new FakeTimeProvider(DateTimeOffset.UtcNow));
