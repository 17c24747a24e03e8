namespace FeedHub.Core.Parsing;

/// <summary>A document that cannot be read as a feed: not well-formed beyond repair, or not a feed at all.</summary>
public sealed class FeedParseException : Exception
{
    public FeedParseException()
    {
    }

    public FeedParseException(string message)
        : base(message)
    {
    }

    public FeedParseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>True when the bytes are XML or JSON but not a feed format FeedHub knows.</summary>
    public bool NotAFeed { get; init; }
}
