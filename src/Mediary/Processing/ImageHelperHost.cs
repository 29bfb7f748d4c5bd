using System.Text.Json;

namespace Mediary.Processing;

/// <summary>
/// The main loop of <c>mediary image-helper</c>: a long-lived child process that the server keeps
/// warm and sends one request at a time over stdin, answering on stdout.
/// </summary>
internal static class ImageHelperHost
{
    public static int Run()
    {
        ImageOperations.Initialise();
        using var input = new StreamReader(Console.OpenStandardInput());
        using var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
        output.WriteLine(JsonSerializer.Serialize(new HelperResponse(true), HelperJson.Options));

        while (input.ReadLine() is { } line)
        {
            HelperResponse response;
            try
            {
                var request = JsonSerializer.Deserialize<HelperRequest>(line, HelperJson.Options)
                    ?? throw new InvalidDataException("empty request");
                response = request.Op switch
                {
                    "probe" => ImageOperations.Probe(request.Input),
                    "render" => ImageOperations.Render(request),
                    _ => new HelperResponse(false, $"unknown op {request.Op}"),
                };
            }
            catch (Exception e) when (e is VipsException or InvalidDataException or JsonException or AggregateException)
            {
                var inner = e is AggregateException aggregate ? aggregate.Flatten().InnerExceptions[0] : e;
                response = new HelperResponse(false, inner.Message);
            }
            output.WriteLine(JsonSerializer.Serialize(response, HelperJson.Options));
        }
        return 0;
    }
}
