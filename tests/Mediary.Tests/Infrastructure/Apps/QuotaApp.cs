namespace Mediary.Tests.Infrastructure;

/// <summary>Accounts that may store 40,000 bytes: one small test image fits, two do not.</summary>
public sealed class QuotaApp() : MediaryApp(new Dictionary<string, string> { ["Quotas:StorageBytes"] = "40000" });
