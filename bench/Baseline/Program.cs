// Minimal API "hello world" JSON endpoint: the fastest thing ASP.NET Core serves on this machine,
// run under the same wrk load as Mediary's GET /api/v1/media/:id (see bench/get-media.sh).
// Usage: dotnet Baseline.dll --urls http://127.0.0.1:PORT
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var app = builder.Build();
app.MapGet("/json", () => new { message = "Hello, World!" });
app.Run();
