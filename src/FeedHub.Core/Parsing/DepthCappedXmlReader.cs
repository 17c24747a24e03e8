using System.Xml;

namespace FeedHub.Core.Parsing;

/// <summary>
/// Reads through another reader, hiding the start and end tags of elements nested deeper than a cap: their text
/// stays, in place, as the text of the deepest element kept (a run of hidden tags reads as one space, so words on
/// either side stay apart); their names and attributes go. The tree built from it is never deeper than the cap, so
/// nothing that walks it recursively (LINQ to XML's own Value and cloning, FeedHub's serialisers) can exhaust the
/// stack, whatever the input.
/// </summary>
internal sealed class DepthCappedXmlReader(XmlReader inner, int maxDepth) : XmlReader
{
    private bool _space;
    private bool _holding;

    /// <summary>Start tags hidden so far.</summary>
    public int Unwrapped { get; private set; }

    public override bool Read()
    {
        if (_holding)
        {
            // The node after a run of hidden tags was read ahead while the space stood in for the run.
            _holding = false;
            _space = false;
            return true;
        }

        var hidden = false;
        while (inner.Read())
        {
            if ((inner.NodeType is XmlNodeType.Element or XmlNodeType.EndElement) && inner.Depth >= maxDepth)
            {
                Unwrapped += inner.NodeType == XmlNodeType.Element ? 1 : 0;
                hidden = true;
                continue;
            }

            if (hidden)
            {
                _space = true;
                _holding = true;
            }

            return true;
        }

        _space = hidden;
        return hidden;
    }

    public override XmlNodeType NodeType => _space ? XmlNodeType.Text : inner.NodeType;

    public override string Value => _space ? " " : inner.Value;

    public override string LocalName => _space ? string.Empty : inner.LocalName;

    public override string NamespaceURI => _space ? string.Empty : inner.NamespaceURI;

    public override string Prefix => _space ? string.Empty : inner.Prefix;

    public override string Name => _space ? string.Empty : inner.Name;

    public override bool HasValue => _space || inner.HasValue;

    public override int Depth => _space ? Math.Min(inner.Depth, maxDepth) : inner.Depth;

    public override bool IsEmptyElement => !_space && inner.IsEmptyElement;

    public override int AttributeCount => _space ? 0 : inner.AttributeCount;

    public override string BaseURI => inner.BaseURI;

    public override bool EOF => !_space && inner.EOF;

    public override ReadState ReadState => _space ? ReadState.Interactive : inner.ReadState;

    public override XmlNameTable NameTable => inner.NameTable;

    public override bool CanResolveEntity => !_space && inner.CanResolveEntity;

    public override string GetAttribute(int i) => inner.GetAttribute(i);

    public override string? GetAttribute(string name) => _space ? null : inner.GetAttribute(name);

    public override string? GetAttribute(string name, string? namespaceURI) => _space ? null : inner.GetAttribute(name, namespaceURI);

    public override string? LookupNamespace(string prefix) => inner.LookupNamespace(prefix);

    public override bool MoveToAttribute(string name) => !_space && inner.MoveToAttribute(name);

    public override bool MoveToAttribute(string name, string? ns) => !_space && inner.MoveToAttribute(name, ns);

    public override bool MoveToElement() => !_space && inner.MoveToElement();

    public override bool MoveToFirstAttribute() => !_space && inner.MoveToFirstAttribute();

    public override bool MoveToNextAttribute() => !_space && inner.MoveToNextAttribute();

    public override bool ReadAttributeValue() => !_space && inner.ReadAttributeValue();

    public override void ResolveEntity() => inner.ResolveEntity();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
