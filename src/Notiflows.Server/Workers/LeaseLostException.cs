namespace Notiflows.Server.Workers;

/// <summary>The job's lease passed to another worker: this worker's effects must roll back.</summary>
public sealed class LeaseLostException(Guid jobId) : Exception($"The lease of job {jobId} was lost.");
