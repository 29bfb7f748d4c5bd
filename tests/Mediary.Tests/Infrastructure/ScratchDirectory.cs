namespace Mediary.Tests.Infrastructure;

/// <summary>A temporary directory of one test class, deleted with it.</summary>
public sealed class ScratchDirectory(string prefix) : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory(prefix);

    public string PathOf(string name) => System.IO.Path.Combine(_directory.FullName, name);

    /// <summary>A copy of a fixture under a unique name, so the process reading it can be found in /proc.</summary>
    public string UniqueCopy(string fixture)
    {
        var path = PathOf($"{Guid.NewGuid():N}{System.IO.Path.GetExtension(fixture)}");
        File.Copy(Fixtures.Path(fixture), path);
        return path;
    }

    /// <summary>The names of the files in it, sorted.</summary>
    public string[] FileNames() => _directory.GetFiles().Select(f => f.Name).Order().ToArray();

    public void Dispose() => _directory.Delete(recursive: true);
}
