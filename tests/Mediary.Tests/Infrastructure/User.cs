using Mediary.Auth;

namespace Mediary.Tests.Infrastructure;

public sealed record User(Account Account, string Token, HttpClient Client);
