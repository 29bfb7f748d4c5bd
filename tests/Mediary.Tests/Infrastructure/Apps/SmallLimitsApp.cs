namespace Mediary.Tests.Infrastructure;

/// <summary>A server configured with small limits.</summary>
public sealed class SmallLimitsApp() : MediaryApp(new Dictionary<string, string>
{
    ["Media:ImageSizeLimit"] = "200000",
    ["Media:VideoSizeLimit"] = "300000",
    ["Media:FormOverheadBytes"] = "65536",
    ["Media:ImageMatrixLimit"] = "1000000",
    ["Media:DescriptionLimit"] = "20",
});
