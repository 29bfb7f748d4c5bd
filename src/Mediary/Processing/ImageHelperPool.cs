using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Mediary.Configuration;
using Mediary.Telemetry;
using Microsoft.Extensions.Options;

namespace Mediary.Processing;

/// <summary>
/// A fixed number of warm image helper processes. A request waits for a free helper; a helper
/// that crashes, answers garbage or overruns the timeout is killed with its process tree and
/// replaced, and only the request it was serving fails.
/// </summary>
internal sealed class ImageHelperPool : IAsyncDisposable
{
    private readonly Channel<ImageHelperProcess> _idle;
    private readonly ProcessingOptions _options;
    private readonly ILogger<ImageHelperPool> _logger;
    private readonly List<ImageHelperProcess> _all = [];
    private readonly Lock _gate = new();
    private bool _disposed;
    private int _taken;

    public ImageHelperPool(IOptions<ProcessingOptions> options, ILogger<ImageHelperPool> logger)
    {
        _options = options.Value;
        _logger = logger;
        _idle = Channel.CreateUnbounded<ImageHelperProcess>();
        for (var i = 0; i < _options.EffectiveConcurrency; i++) _idle.Writer.TryWrite(Spawn());
    }

    /// <summary>Process ids of all live helpers.</summary>
    internal IReadOnlyList<int> ProcessIds
    {
        get { lock (_gate) return _all.Select(h => h.ProcessId).ToList(); }
    }

    /// <summary>Process ids of helpers currently serving a request (for tests that kill one).</summary>
    internal IReadOnlyList<int> BusyProcessIds
    {
        get { lock (_gate) return _all.Where(h => h.Busy).Select(h => h.ProcessId).ToList(); }
    }

    /// <summary>Helpers taken out of the pool by a request (starting, working or being replaced).</summary>
    public int Taken => Volatile.Read(ref _taken);

    /// <summary>How many helpers the pool keeps.</summary>
    public int Size => _options.EffectiveConcurrency;

    /// <summary>
    /// Sends one request; throws <see cref="ImageProcessingException"/> on failure or timeout, and
    /// <see cref="ProcessingBusyException"/> when no helper became free in time. The
    /// wait for a free, started helper and the work itself each have the configured time, so a
    /// helper still starting (a replacement on a busy machine) does not eat into the work's time.
    /// </summary>
    public async Task<HelperResponse> SendAsync(HelperRequest request, CancellationToken cancellationToken)
    {
        using var span = MediaryTraces.Source.StartActivity($"image-helper {request.Op}");
        try
        {
            return await SendUntracedAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            span.Failed(e);
            throw;
        }
    }

    private async Task<HelperResponse> SendUntracedAsync(HelperRequest request, CancellationToken cancellationToken)
    {
        ImageHelperProcess helper;
        using (var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            waiting.CancelAfter(_options.Timeout);
            try
            {
                helper = await _idle.Reader.ReadAsync(waiting.Token);
                Interlocked.Increment(ref _taken);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ProcessingBusyException("image helper", _options.Timeout);
            }
            if (!await StartedAsync(helper, waiting.Token, cancellationToken))
            {
                throw new ImageProcessingException("image helper did not start", helperFailed: true);
            }
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.Timeout);
        var healthy = false;
        try
        {
            var response = await helper.SendAsync(request, deadline.Token);
            healthy = true;
            return response.Ok ? response : throw new ImageProcessingException(response.Error ?? "image helper failed");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning("Image helper {Pid} overran {Timeout}; killing it", helper.ProcessId, _options.Timeout);
            throw new ImageProcessingException("image processing timed out", helperFailed: true);
        }
        catch (HelperCrashedException e)
        {
            _logger.LogWarning("Image helper {Pid} died: {Reason}", helper.ProcessId, e.Message);
            throw new ImageProcessingException("image helper crashed", helperFailed: true);
        }
        finally
        {
            Return(helper, healthy);
        }
    }

    /// <summary>Waits for the helper's hello; a helper that dies or stays silent is replaced.</summary>
    private async Task<bool> StartedAsync(ImageHelperProcess helper, CancellationToken waiting, CancellationToken cancellationToken)
    {
        try
        {
            if (await helper.WaitUntilStartedAsync(waiting)) return true;
            _logger.LogWarning("Image helper {Pid} exited while starting", helper.ProcessId);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning("Image helper {Pid} did not start within {Timeout}; killing it", helper.ProcessId, _options.Timeout);
        }
        catch (OperationCanceledException)
        {
            Return(helper, healthy: true);
            throw;
        }
        Return(helper, healthy: false);
        return false;
    }

    /// <summary>Every helper taken by <see cref="SendAsync"/> comes back here exactly once.</summary>
    private void Return(ImageHelperProcess helper, bool healthy)
    {
        Interlocked.Decrement(ref _taken);
        if (healthy && helper.IsAlive)
        {
            _idle.Writer.TryWrite(helper);
            return;
        }
        lock (_gate) _all.Remove(helper);
        helper.Dispose();
        if (!_disposed) _idle.Writer.TryWrite(Spawn());
    }

    private ImageHelperProcess Spawn()
    {
        var helper = new ImageHelperProcess(HelperCommand.Build("image-helper"), _logger);
        lock (_gate) _all.Add(helper);
        return helper;
    }

    public ValueTask DisposeAsync()
    {
        _disposed = true;
        _idle.Writer.TryComplete();
        lock (_gate)
        {
            foreach (var helper in _all) helper.Dispose();
            _all.Clear();
        }
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Image work failed: either the decoder refused the file (<see cref="HelperFailed"/> false), or the
/// helper crashed or overran its time (true), which says nothing about whether the file is an image.
/// </summary>
internal sealed class ImageProcessingException(string message, bool helperFailed = false) : Exception(message)
{
    public bool HelperFailed { get; } = helperFailed;
}
