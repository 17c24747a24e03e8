namespace FeedHub.Storage;

/// <summary>
/// A fetch's state was not saved: the source's lease is no longer the one its state was read with (the lease ran out
/// and another node claimed the source, or fetched and saved it since). That node's newer state stands.
/// </summary>
public sealed class SourceLeaseLostException : Exception
{
    public SourceLeaseLostException()
    {
    }

    public SourceLeaseLostException(string message)
        : base(message)
    {
    }

    public SourceLeaseLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
