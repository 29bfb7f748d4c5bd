using System.Net;
using Dapper;
using Mediary.Media;
using Mediary.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Mediary.Tests.Infrastructure;

/// <summary>A server whose own periodic vacuum is off, so that only the test decides when one runs.</summary>
public sealed class NoPeriodicVacuumApp() : MediaryApp(new() { ["Vacuum:IntervalMinutes"] = "0" });
