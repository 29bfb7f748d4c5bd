using System.Net;
using Dapper;
using Mediary.Media;
using Mediary.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Mediary.Tests.Infrastructure;

/// <summary>A server whose vacuum runs every second or so.</summary>
public sealed class FrequentVacuumApp() : MediaryApp(new() { ["Vacuum:IntervalMinutes"] = "0.02" });
