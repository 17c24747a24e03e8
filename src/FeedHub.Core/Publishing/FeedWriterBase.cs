using System.ServiceModel.Syndication;
using System.Text;
using System.Xml;

namespace FeedHub.Core.Publishing;

/// <summary>Shared pieces of the XML writers: settings and the SyndicationFeed skeleton.</summary>
internal static class FeedWriterBase
{
    public static XmlWriterSettings Settings { get; } = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        Indent = false,
        CloseOutput = false,
    };

    public static byte[] Render(Action<XmlWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, Settings))
        {
            write(writer);
        }

        return buffer.ToArray();
    }

    public static SyndicationLink Link(Uri uri, string relationship, string? mediaType, string? title = null) =>
        new(uri, relationship, title, mediaType, 0);
}
