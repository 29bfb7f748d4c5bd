using System.Diagnostics;

namespace Mediary.Tests.Infrastructure;

/// <summary>Runs external tools (exiftool, vips, ffmpeg) the way a person checking the output would.</summary>
public static class Tools
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(string program, IEnumerable<string> arguments, TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? environment = null, string? standardInput = null)
    {
        var startInfo = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) startInfo.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) startInfo.Environment[name] = value;
        using var process = Process.Start(startInfo)!;
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(1)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>
    /// <c>dotnet Mediary.dll ARGS --data DIR</c>, the executable of this build run as its own process,
    /// as an operator would, with <paramref name="environment"/> added to its environment.
    /// </summary>
    public static Result RunMediary(string dataDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        Run("dotnet", [System.IO.Path.Combine(AppContext.BaseDirectory, "Mediary.dll"), .. args, "--data", dataDirectory], TimeSpan.FromMinutes(1),
            environment);

    /// <summary>The CLI with <paramref name="standardInput"/> on its standard input (e.g. for --password-stdin).</summary>
    public static Result RunMediaryWithInput(string dataDirectory, IReadOnlyDictionary<string, string>? environment, string standardInput,
        params string[] args) =>
        Run("dotnet", [System.IO.Path.Combine(AppContext.BaseDirectory, "Mediary.dll"), .. args, "--data", dataDirectory], TimeSpan.FromMinutes(1),
            environment, standardInput);

    public static string MustRun(string program, params string[] arguments)
    {
        var result = Run(program, arguments);
        return result.ExitCode == 0 ? result.Stdout : throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed: {result.Stderr}");
    }

    /// <summary>Width and height as libvips reads them from the file's header.</summary>
    public static (int Width, int Height) ImageSize(string path) =>
        (int.Parse(MustRun("vipsheader", "-f", "width", path).Trim()), int.Parse(MustRun("vipsheader", "-f", "height", path).Trim()));

    /// <summary>All metadata tags exiftool finds, as "Group:Tag" → value.</summary>
    public static string ExifDump(string path) => MustRun("exiftool", "-a", "-G1", "-s", path);
}
