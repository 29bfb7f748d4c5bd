namespace Mediary.Tests.Infrastructure;

/// <summary>A server on a given bucket of the suite's S3 server (created or not yet), with more settings if given.</summary>
public sealed class BucketApp(TestBucket bucket, Dictionary<string, string>? settings = null) : MediaryApp(bucket, settings ?? []);
