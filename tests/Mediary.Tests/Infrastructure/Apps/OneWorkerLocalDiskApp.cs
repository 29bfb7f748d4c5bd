namespace Mediary.Tests.Infrastructure;

/// <summary>A server on local disk with one worker loop, so a second job waits in the queue while the first runs.</summary>
public sealed class OneWorkerLocalDiskApp() : MediaryApp(new() { ["Storage:Provider"] = "Local", ["Jobs:Concurrency"] = "1" });
