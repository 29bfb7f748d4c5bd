using Mediary.Auth;

namespace Mediary.Tests.Infrastructure;

/// <summary>A client of the direct upload API, holding an API key.</summary>
public sealed record DirectUser(Account Account, string Key, HttpClient Client);
