using System.Runtime.InteropServices;

namespace Mediary.Tests.Infrastructure;

/// <summary>POSIX signals sent straight from this process, without the milliseconds of starting <c>kill</c>.</summary>
public static class Signals
{
    private const int SigKill = 9, SigTerm = 15, SigCont = 18, SigStop = 19;

    /// <summary>Freezes the process; false if it is gone.</summary>
    public static bool Stop(int processId) => Send(processId, SigStop) == 0;

    public static void Continue(int processId) => Send(processId, SigCont);

    public static void Kill(int processId) => Send(processId, SigKill);

    /// <summary>Asks the process to shut down, as a service manager does; false if it is gone.</summary>
    public static bool Terminate(int processId) => Send(processId, SigTerm) == 0;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Send(int processId, int signal);
}
