using System.Globalization;
using System.Net;
using System.Text;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Infrastructure;

/// <summary>A server allowing 3 uploads per account per hour.</summary>
public sealed class UploadThrottleApp() : MediaryApp(new Dictionary<string, string>
{
    ["RateLimits:MediaUploadLimit"] = "3",
    ["RateLimits:MediaUploadPeriodSeconds"] = "3600",
});
