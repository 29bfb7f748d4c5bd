using System.Collections;
using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using OpenTelemetry.Trace;

namespace Mediary.Tests.Infrastructure;

/// <summary>
/// A server that records traces (Tracing:Enabled) into <see cref="Spans"/> through OpenTelemetry's
/// in-memory exporter, as an OTLP collector would receive them. Spans of other test servers in
/// this process may arrive too: pick yours by trace id.
/// </summary>
public sealed class TracedApp() : MediaryApp(new() { ["Tracing:Enabled"] = "true" })
{
    public SpanList Spans { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.ConfigureOpenTelemetryTracerProvider(traces => traces.AddInMemoryExporter(Spans)));
    }

    /// <summary>Finished spans, added by the exporter from any thread while a test reads them.</summary>
    public sealed class SpanList : ICollection<Activity>
    {
        private readonly List<Activity> _spans = [];
        private readonly Lock _gate = new();

        public IReadOnlyList<Activity> OfTrace(ActivityTraceId trace)
        {
            lock (_gate) return _spans.Where(span => span.TraceId == trace).ToList();
        }

        public void Add(Activity item)
        {
            lock (_gate) _spans.Add(item);
        }

        public void Clear()
        {
            lock (_gate) _spans.Clear();
        }

        public int Count
        {
            get { lock (_gate) return _spans.Count; }
        }

        public bool IsReadOnly => false;
        public bool Contains(Activity item) { lock (_gate) return _spans.Contains(item); }
        public void CopyTo(Activity[] array, int arrayIndex) { lock (_gate) _spans.CopyTo(array, arrayIndex); }
        public bool Remove(Activity item) { lock (_gate) return _spans.Remove(item); }
        public IEnumerator<Activity> GetEnumerator() { lock (_gate) return _spans.ToList().GetEnumerator(); }
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
