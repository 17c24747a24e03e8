namespace FeedHub.Storage;

/// <summary>
/// The database cannot be used as it is (a schema newer than this FeedHub, a migration that fails, migrations
/// numbered with gaps). The message, which starts with "store:", is meant for the operator as it stands.
/// </summary>
public sealed class StorageException : Exception
{
    public StorageException()
    {
    }

    public StorageException(string message)
        : base(message)
    {
    }

    public StorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
