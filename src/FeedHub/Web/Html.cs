using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;

namespace FeedHub.Web;

/// <summary>
/// A piece of HTML that is already markup. Only three things make one: the literal parts of an
/// <see cref="HtmlHandler"/> interpolated string (markup written in the source), an
/// <see cref="HtmlBuilder"/>, and <see cref="Raw"/>, which is explicit and rare (a page's own constant
/// style or script). Every other value that reaches a page is text and is encoded.
/// </summary>
internal readonly struct Html : IEquatable<Html>
{
    private readonly string? _markup;

    private Html(string markup) => _markup = markup;

    public static Html Empty => default;

    /// <summary>Markup taken as is: for constants written in the source, never for data.</summary>
    public static Html Raw(string markup) => new(markup);

    /// <summary>A fragment: literal parts are markup, every hole is encoded text unless it is itself <see cref="Html"/>.</summary>
    public static Html Of(ref HtmlHandler fragment) => fragment.ToHtml();

    /// <summary>A <c>lang</c> attribute for content in a known language (empty when unknown).</summary>
    public static Html LangAttribute(string? language) => language is null ? Empty : Of($" lang=\"{language}\"");

    public bool Equals(Html other) => string.Equals(_markup, other._markup, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is Html other && Equals(other);

    public override int GetHashCode() => (_markup ?? string.Empty).GetHashCode(StringComparison.Ordinal);

    public override string ToString() => _markup ?? string.Empty;

    public static bool operator ==(Html left, Html right) => left.Equals(right);

    public static bool operator !=(Html left, Html right) => !left.Equals(right);
}

/// <summary>
/// Builds an HTML document. Markup comes only from the literal parts of interpolated strings; every
/// interpolated value is HTML-encoded (numbers and dates formatted invariantly) unless it is
/// <see cref="Html"/>. There is no overload taking a plain <see cref="string"/>, so a runtime string can
/// never be appended as markup by accident.
/// </summary>
internal sealed class HtmlBuilder(int capacity = 1024)
{
    internal StringBuilder Buffer { get; } = new(capacity);

    /// <summary>Appends markup written in the source, with encoded holes.</summary>
    public HtmlBuilder Append([InterpolatedStringHandlerArgument("")] ref HtmlHandler markup)
    {
        _ = markup;
        return this;
    }

    /// <summary>Appends a piece that is already HTML.</summary>
    public HtmlBuilder Append(Html html)
    {
        Buffer.Append(html.ToString());
        return this;
    }

    public Html ToHtml() => Html.Raw(Buffer.ToString());

    public override string ToString() => Buffer.ToString();
}

/// <summary>
/// The interpolated string handler behind <see cref="HtmlBuilder.Append(ref HtmlHandler)"/> and
/// <see cref="Html.Of"/>: literals are markup, holes are encoded text.
/// </summary>
[InterpolatedStringHandler]
internal ref struct HtmlHandler
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private readonly StringBuilder _buffer;

    public HtmlHandler(int literalLength, int formattedCount) => _buffer = new StringBuilder(literalLength + (formattedCount * 16));

    public HtmlHandler(int literalLength, int formattedCount, HtmlBuilder builder)
    {
        _ = literalLength + formattedCount;
        _buffer = builder.Buffer;
    }

    /// <summary>A literal part of the interpolated string: markup written in the source.</summary>
    public readonly void AppendLiteral(string markup) => _buffer.Append(markup);

    public readonly void AppendFormatted(Html html) => _buffer.Append(html.ToString());

    public readonly void AppendFormatted(string? text) => _buffer.Append(WebUtility.HtmlEncode(text ?? string.Empty));

    public readonly void AppendFormatted<T>(T value) => AppendFormatted(value, null);

    public readonly void AppendFormatted<T>(T value, string? format)
    {
        var text = value switch
        {
            Html html => html.ToString(),
            IFormattable formattable => WebUtility.HtmlEncode(formattable.ToString(format, Invariant)),
            null => string.Empty,
            _ => WebUtility.HtmlEncode(value.ToString() ?? string.Empty),
        };
        _buffer.Append(text);
    }

    internal readonly Html ToHtml() => Html.Raw(_buffer.ToString());
}
