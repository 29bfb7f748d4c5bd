using Mediary.Configuration;
using Mediary.Media;
using Microsoft.Extensions.Options;

namespace Mediary.Tests.Media;

/// <summary>
/// Scratch files: a sweep removes what dead processes left and never what a live one is writing,
/// also when several processes share the data directory. Each <see cref="TempFiles"/> holds its
/// owner lock like a process does (flock locks are per open file, so two instances stand for two processes).
/// </summary>
public sealed class TempFilesTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("mediary-temp-files").FullName;

    private TempFiles New() => new(Options.Create(new MediaryOptions { DataDirectory = _data }));

    [Fact]
    public void A_sweep_keeps_the_files_of_a_live_owner_and_removes_those_of_a_dead_one()
    {
        var first = New();
        var inProgress = first.NewPath();
        File.WriteAllText(inProgress, "upload in progress");
        var legacy = Path.Combine(first.Directory, "0123456789abcdef0123456789abcdef.upload");
        File.WriteAllText(legacy, "left by an older version");

        using var second = New();
        Assert.Equal(1, second.Sweep());
        Assert.True(File.Exists(inProgress));
        Assert.False(File.Exists(legacy));

        first.Dispose(); // the process is gone; a crash leaves its lock file unlocked the same way
        Assert.Equal(1, second.Sweep());
        Assert.False(File.Exists(inProgress));
        Assert.Single(Directory.GetFiles(Path.Combine(_data, "run")));
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);
}
