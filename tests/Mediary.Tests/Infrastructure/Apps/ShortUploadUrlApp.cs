using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Json;
using System.Net;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Infrastructure;

/// <summary>
/// Upload URLs that live 5 seconds (short, yet long enough for declare, PUT and complete on a loaded
/// machine), and a cleanup every second. On local disk, where Mediary's own
/// endpoint is the one refusing an expired URL (a bucket refuses its presigned URLs itself).
/// </summary>
public sealed class ShortUploadUrlApp() : MediaryApp(new Dictionary<string, string>
{
    ["Storage:Provider"] = "Local",
    ["Direct:UploadUrlTtlSeconds"] = "5",
    ["Direct:CleanupIntervalSeconds"] = "1",
});
