namespace Mediary.Tests.Infrastructure;

/// <summary>Registrations open (Registrations:Open); the sign-up and app registration throttles off, as these tests make many from one address.</summary>
public sealed class OpenRegistrationsApp() : MediaryApp(new Dictionary<string, string>
{
    ["Registrations:Open"] = "true",
    ["Registrations:SignUpsPerAddress"] = "0",
    ["OAuth:AppRegistrationsPerAddress"] = "0",
});
