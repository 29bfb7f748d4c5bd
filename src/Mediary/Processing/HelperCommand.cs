using System.Diagnostics;

namespace Mediary.Processing;

/// <summary>Builds the command line that runs this same program with another command.</summary>
internal static class HelperCommand
{
    public static ProcessStartInfo Build(params string[] arguments)
    {
        var assembly = typeof(Program).Assembly.Location;
        var startInfo = new ProcessStartInfo(DotnetHost());
        startInfo.ArgumentList.Add(assembly);
        foreach (var argument in arguments) startInfo.ArgumentList.Add(argument);
        return startInfo;
    }

    /// <summary>
    /// The dotnet host running us (the server may have been started as <c>dotnet Mediary.dll</c>,
    /// through its apphost, or inside a test host), so the helper runs on the same runtime.
    /// </summary>
    private static string DotnetHost()
    {
        var current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet") return current;
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk)) return fromSdk;
        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (!string.IsNullOrEmpty(root) && File.Exists(Path.Combine(root, "dotnet"))) return Path.Combine(root, "dotnet");
        return "dotnet";
    }
}
