namespace Mediary.Media;

/// <summary>An account's storage usage as both faces show it.</summary>
public static class UsageJson
{
    public static Dictionary<string, object?> Of(StorageUsage usage) => new()
    {
        ["used_bytes"] = usage.UsedBytes,
        ["reserved_bytes"] = usage.ReservedBytes,
        ["limit_bytes"] = usage.LimitBytes,
        ["remaining_bytes"] = usage.RemainingBytes,
        ["media_count"] = usage.MediaCount,
    };
}
