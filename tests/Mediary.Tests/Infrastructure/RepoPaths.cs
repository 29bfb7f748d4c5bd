namespace Mediary.Tests.Infrastructure;

public static class RepoPaths
{
    /// <summary>The repository root: the folder holding Mediary.slnx, above the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Mastodon's own test files in ../shared (may be absent: tests using them skip).</summary>
    public static string MastodonFixtures => Path.Combine(Root, "..", "shared", "fixtures", "mastodon");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mediary.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException("repository root (Mediary.slnx) not found above " + AppContext.BaseDirectory);
    }
}
