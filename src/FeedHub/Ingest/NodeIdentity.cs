namespace FeedHub.Ingest;

/// <summary>
/// This node among the nodes sharing one database (FeedHub:NodeName; default: machine name and process id): the
/// owner of the leases it claims and the name /sources shows as a source's lastFetchedBy.
/// </summary>
public sealed record NodeIdentity(string Name);
