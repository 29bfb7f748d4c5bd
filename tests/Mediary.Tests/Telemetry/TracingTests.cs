using System.Diagnostics;
using System.Net;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Telemetry;

/// <summary>
/// One trace follows a video from the client's request to the worker that transcodes it: the
/// request's span, the upload's, the ffprobe run inside it, and later the job's span with its
/// ffmpeg run, all under the trace id the client (or its proxy) sent in <c>traceparent</c>.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class TracingTests(TracedApp app) : IClassFixture<TracedApp>
{
    [Fact]
    public async Task A_video_uploads_request_and_the_job_that_processes_it_are_one_trace()
    {
        var user = await app.NewUserAsync();
        var trace = ActivityTraceId.CreateRandom();
        using var form = Uploads.Form(Fixtures.Path("h264-aac.mp4"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v2/media") { Content = form };
        request.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
        var accepted = await Answer.FromAsync(await user.Client.SendAsync(request));
        Assert.Equal(HttpStatusCode.Accepted, accepted.Status);
        Assert.Equal(HttpStatusCode.OK, (await user.WaitUntilProcessedAsync(accepted.Id)).Status);

        Activity? job = null;
        Assert.True(await Polling.UntilAsync(() =>
        {
            job = app.Spans.OfTrace(trace).FirstOrDefault(span => span.DisplayName == "job media.process");
            return Task.FromResult(job is not null);
        }, TimeSpan.FromSeconds(30)), "no job span in the upload's trace");
        var spans = app.Spans.OfTrace(trace);

        var server = Assert.Single(spans, span => span.Kind == ActivityKind.Server);
        Assert.Equal("/api/v2/media", server.GetTagItem("http.route"));
        Assert.Equal(202, server.GetTagItem("http.response.status_code"));
        var upload = Assert.Single(spans, span => span.DisplayName == "media.upload");
        Assert.Equal(server.SpanId, upload.ParentSpanId);
        Assert.Equal("video", upload.GetTagItem("mediary.media.type"));
        Assert.Contains(spans, span => span.DisplayName == "ffprobe" && span.ParentSpanId == upload.SpanId);

        // The job continues the trace from the upload that queued it, and its ffmpeg run is its child.
        Assert.Equal(upload.SpanId, job!.ParentSpanId);
        Assert.Equal(ActivityKind.Consumer, job.Kind);
        Assert.Equal(accepted.Id, job.GetTagItem("mediary.job.subject"));
        Assert.Equal(ActivityStatusCode.Unset, job.Status);
        var ffmpeg = Assert.Single(spans, span => span.DisplayName == "ffmpeg" && span.ParentSpanId == job.SpanId);
        Assert.Equal("transcode", ffmpeg.GetTagItem("mediary.ffmpeg.lane"));
    }

    [Fact]
    public async Task An_image_upload_shows_its_helper_runs_inside_the_request()
    {
        var user = await app.NewUserAsync();
        var trace = ActivityTraceId.CreateRandom();
        using var form = Uploads.Form(Fixtures.Path("600x400.jpg"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v2/media") { Content = form };
        request.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
        Assert.Equal(HttpStatusCode.OK, (await user.Client.SendAsync(request)).StatusCode);

        Assert.True(await Polling.UntilAsync(() => Task.FromResult(app.Spans.OfTrace(trace).Any(span => span.Kind == ActivityKind.Server)),
            TimeSpan.FromSeconds(10)));
        var spans = app.Spans.OfTrace(trace);
        var upload = Assert.Single(spans, span => span.DisplayName == "media.upload");
        Assert.Equal("image", upload.GetTagItem("mediary.media.type"));
        Assert.Contains(spans, span => span.DisplayName.StartsWith("image-helper ", StringComparison.Ordinal));
        Assert.DoesNotContain(spans, span => span.Status == ActivityStatusCode.Error);
    }
}
