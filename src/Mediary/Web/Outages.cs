using System.Data.Common;
using Mediary.Processing;
using Mediary.Storage;

namespace Mediary.Web;

/// <summary>
/// A failure that is the service's temporary trouble rather than the request's fault: the media
/// storage or the database cannot be reached (a PostgreSQL restart, a network cut, a pool that ran
/// dry, SQLite busy past its timeout), or every decoder and encoder slot stayed taken for longer than
/// a request may wait. Both faces answer it with 503 and a message saying which, so clients retry
/// instead of reporting a bug, and jobs are put back without spending an attempt.
/// </summary>
public static class Outages
{
    public enum Part { Storage, Database, Processing }

    /// <summary>Which part is out, or null when <paramref name="failure"/> is not an outage.</summary>
    public static Part? Of(Exception failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            if (e is StorageUnavailableException) return Part.Storage;
            if (e is DbException { IsTransient: true }) return Part.Database;
            if (e is ProcessingBusyException) return Part.Processing;
        }
        return null;
    }
}
