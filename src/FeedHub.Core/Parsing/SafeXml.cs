using System.Xml;

namespace FeedHub.Core.Parsing;

/// <summary>The only XmlReader settings FeedHub parses untrusted feeds with.</summary>
public static class SafeXml
{
    /// <summary>Hard cap on characters produced by entity expansion (none should be, DTDs are ignored).</summary>
    public const long MaxCharactersFromEntities = 100_000;

    /// <summary>
    /// DTDs are skipped, never processed: no external entities (XXE), no entity expansion (billion laughs),
    /// no network access (no resolver). Ignore rather than the default Prohibit, because many legitimate
    /// RSS 0.91 feeds carry the Netscape DOCTYPE. Character checking is off so that one stray control
    /// character does not lose a whole feed; text is cleaned of such characters after parsing.
    /// </summary>
    public static XmlReaderSettings CreateReaderSettings() => new()
    {
        DtdProcessing = DtdProcessing.Ignore,
        XmlResolver = null,
        MaxCharactersFromEntities = MaxCharactersFromEntities,
        CheckCharacters = false,
        IgnoreProcessingInstructions = true,
        IgnoreComments = true,
        CloseInput = true,
    };
}
