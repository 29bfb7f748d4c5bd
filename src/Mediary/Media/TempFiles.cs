using Mediary.Configuration;
using Microsoft.Extensions.Options;

namespace Mediary.Media;

/// <summary>
/// Scratch files for uploads in progress, under <c>{data}/tmp</c>. Whatever a crash left there is
/// removed when the server starts.
/// </summary>
public sealed class TempFiles
{
    public TempFiles(IOptions<MediaryOptions> options)
    {
        Directory = System.IO.Path.Combine(System.IO.Path.GetFullPath(options.Value.DataDirectory), "tmp");
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string NewPath(string extension = "upload") =>
        System.IO.Path.Combine(Directory, $"{Guid.NewGuid():N}.{extension}");

    /// <summary>
    /// A second name for <paramref name="path"/> in the scratch directory: a hard link where the
    /// file system allows (no bytes copied), a copy otherwise. Handing the new name over to
    /// storage leaves the original in place for readers that still need it.
    /// </summary>
    public string SecondName(string path)
    {
        var target = NewPath(System.IO.Path.GetExtension(path).TrimStart('.'));
        if (OperatingSystem.IsWindows() || link(path, target) != 0) File.Copy(path, target);
        return target;
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int link(string oldPath, string newPath);

    /// <summary>Removes leftovers older than <paramref name="minimumAge"/> (all of them at start-up).</summary>
    public int Sweep(TimeSpan minimumAge)
    {
        var removed = 0;
        foreach (var file in new DirectoryInfo(Directory).EnumerateFiles())
        {
            if (DateTime.UtcNow - file.LastWriteTimeUtc < minimumAge) continue;
            try
            {
                file.Delete();
                removed++;
            }
            catch (IOException)
            {
                // In use by another process; the next sweep gets it.
            }
        }
        return removed;
    }
}
