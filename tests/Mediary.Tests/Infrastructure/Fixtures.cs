namespace Mediary.Tests.Infrastructure;

/// <summary>
/// Test media made by scripts/make-fixtures.sh with real ffmpeg, libvips and exiftool. The test
/// script generates them before the run; a plain `dotnet test` generates them on first use.
/// </summary>
public static class Fixtures
{
    private static readonly Lazy<string> Directory = new(Generate, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Path(string name)
    {
        var path = System.IO.Path.Combine(Directory.Value, name);
        return File.Exists(path) ? path : throw new FileNotFoundException($"fixture {name} was not generated", path);
    }

    public static string Mastodon(string name)
    {
        var path = System.IO.Path.Combine(RepoPaths.MastodonFixtures, name);
        Assert.SkipUnless(File.Exists(path), $"../shared/fixtures/mastodon/{name} is absent");
        return path;
    }

    private static string Generate()
    {
        var target = Environment.GetEnvironmentVariable("MEDIARY_FIXTURES") ?? System.IO.Path.Combine(RepoPaths.Root, ".fixtures");
        var result = Tools.Run("bash", [System.IO.Path.Combine(RepoPaths.Root, "scripts", "make-fixtures.sh"), target], TimeSpan.FromMinutes(5));
        if (result.ExitCode != 0) throw new InvalidOperationException($"make-fixtures.sh failed:\n{result.Stderr}");
        return target;
    }
}
