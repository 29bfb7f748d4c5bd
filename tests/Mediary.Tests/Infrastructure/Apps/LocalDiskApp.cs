namespace Mediary.Tests.Infrastructure;

/// <summary>
/// A server on local disk whatever the suite runs on: for the tests of what only local storage
/// does (Mediary's own upload endpoint for step 2, files served under /system/).
/// </summary>
public sealed class LocalDiskApp() : MediaryApp(new() { ["Storage:Provider"] = "Local" });
