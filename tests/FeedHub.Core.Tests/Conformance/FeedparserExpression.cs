using System.Globalization;
using System.Text;

namespace FeedHub.Core.Tests.Conformance;

/// <summary>The expectation touches something FeedHub does not keep: the case is not applicable.</summary>
internal sealed class NotApplicableException(string reason) : Exception(reason);

/// <summary>A key FeedHub keeps is missing (Python would raise KeyError or IndexError): the case fails.</summary>
internal sealed class MissingValueException(string message) : Exception(message);

/// <summary>
/// Evaluates feedparser's <c>Expect:</c> lines: the small subset of Python they use (<c>and</c>/<c>or</c>/<c>not</c>,
/// chained <c>==</c>/<c>!=</c>, <c>is</c>, <c>in</c>, subscripts, attribute access, <c>len()</c>/<c>ord()</c>,
/// string/number/tuple/dict literals with Python escapes, string concatenation). Names and keys are looked up in
/// an <see cref="FeedparserObject"/> view of FeedHub's result, which decides what maps and what does not apply.
/// </summary>
internal sealed class FeedparserExpression
{
    private readonly List<Token> _tokens;
    private readonly Func<string, object?> _names;
    private int _at;

    private FeedparserExpression(List<Token> tokens, Func<string, object?> names)
    {
        _tokens = tokens;
        _names = names;
    }

    private enum Kind
    {
        Name,
        String,
        Number,
        Op,
        End,
    }

    public static bool Evaluate(string expression, Func<string, object?> names) => Truthy(Value(expression, names));

    /// <summary>The value of an expression (for showing what a path holds in a failure message).</summary>
    public static object? Value(string expression, Func<string, object?> names)
    {
        var parser = new FeedparserExpression(Tokenize(expression), names);
        var value = parser.Or();
        if (parser.Peek.Kind != Kind.End)
        {
            throw new NotApplicableException("expression not understood: " + expression);
        }

        return value;
    }

    private Token Peek => _tokens[_at];

    private bool Accept(string op)
    {
        if (Peek.Kind is Kind.Op or Kind.Name && Peek.Text == op)
        {
            _at++;
            return true;
        }

        return false;
    }

    private void Require(string op)
    {
        if (!Accept(op))
        {
            throw new NotApplicableException($"expected '{op}' at '{Peek.Text}'");
        }
    }

    private object? Or()
    {
        var left = And();
        while (Accept("or"))
        {
            // Python short-circuits: the right side is only evaluated when needed.
            var right = And();
            left = Truthy(left) ? left : right;
        }

        return left;
    }

    private object? And()
    {
        var left = Not();
        while (Accept("and"))
        {
            var right = Not();
            left = Truthy(left) ? right : left;
        }

        return left;
    }

    private object? Not() => Accept("not") ? !Truthy(Not()) : Comparison();

    private object? Comparison()
    {
        var left = Sum();
        bool? all = null;
        while (ComparisonOperator() is { } op)
        {
            var right = Sum();
            var holds = op switch
            {
                "==" => FeedparserValues.AreEqual(left, right),
                "!=" => !FeedparserValues.AreEqual(left, right),
                "is" => IsSame(left, right),
                "is not" => !IsSame(left, right),
                "in" => FeedparserValues.Contains(right, left),
                _ => !FeedparserValues.Contains(right, left),
            };
            all = (all ?? true) && holds;
            left = right;
        }

        return all is null ? left : all.Value;
    }

    private string? ComparisonOperator()
    {
        if (Accept("=="))
        {
            return "==";
        }

        if (Accept("!="))
        {
            return "!=";
        }

        if (Accept("is"))
        {
            return Accept("not") ? "is not" : "is";
        }

        if (Accept("in"))
        {
            return "in";
        }

        if (Peek.Text == "not" && _tokens[_at + 1].Text == "in")
        {
            _at += 2;
            return "not in";
        }

        return null;
    }

    private static bool IsSame(object? left, object? right) =>
        right is null ? FeedparserValues.Resolve(left) is null : Equals(FeedparserValues.Resolve(left), right);

    private object? Sum()
    {
        var left = Unary();
        while (Accept("+"))
        {
            var right = Unary();
            left = (left, right) switch
            {
                (string a, string b) => a + b,
                (long a, long b) => a + b,
                _ => throw new NotApplicableException("unsupported '+'"),
            };
        }

        return left;
    }

    private object? Unary()
    {
        if (Accept("-"))
        {
            return Unary() switch
            {
                long l => -l,
                double d => -d,
                _ => throw new NotApplicableException("unsupported '-'"),
            };
        }

        return Postfix(Atom());
    }

    private object? Postfix(object? value)
    {
        while (true)
        {
            if (Accept("["))
            {
                var key = Or();
                Require("]");
                value = FeedparserValues.Index(value, key);
            }
            else if (Accept("."))
            {
                var name = Peek.Text;
                _at++;
                if (Accept("("))
                {
                    var arguments = Arguments();
                    value = name == "get" && arguments.Count is 1 or 2
                        ? FeedparserValues.Get(value, arguments[0], arguments.Count == 2 ? arguments[1] : null)
                        : throw new NotApplicableException("method ." + name + "()");
                }
                else
                {
                    value = FeedparserValues.Index(value, name);
                }
            }
            else
            {
                return value;
            }
        }
    }

    private List<object?> Arguments()
    {
        var arguments = new List<object?>();
        if (Accept(")"))
        {
            return arguments;
        }

        do
        {
            arguments.Add(Or());
        }
        while (Accept(","));
        Require(")");
        return arguments;
    }

    private object? Atom()
    {
        var token = Peek;
        _at++;
        switch (token.Kind)
        {
            case Kind.String:
                {
                    var text = (string)token.Value!;
                    while (Peek.Kind == Kind.String)
                    {
                        text += (string)Peek.Value!;
                        _at++;
                    }

                    return text;
                }

            case Kind.Number:
                return token.Value;
            case Kind.Name:
                switch (token.Text)
                {
                    case "None":
                        return null;
                    case "True":
                        return true;
                    case "False":
                        return false;
                    case "len" or "ord" or "locals" or "bool" or "str" or "int":
                        Require("(");
                        var arguments = Arguments();
                        return token.Text switch
                        {
                            "len" => FeedparserValues.Length(arguments.Single()),
                            "ord" => FeedparserValues.Resolve(arguments.Single()) is string { Length: 1 } s ? (long)s[0] : throw new MissingValueException("ord() of a string that is not one character"),
                            "bool" => Truthy(arguments.Single()),
                            _ => throw new NotApplicableException(token.Text + "()"),
                        };
                    default:
                        return _names(token.Text);
                }

            case Kind.Op when token.Text == "(":
                {
                    if (Accept(")"))
                    {
                        return new List<object?>();
                    }

                    var first = Or();
                    if (!Accept(","))
                    {
                        Require(")");
                        return first;
                    }

                    var items = new List<object?> { first };
                    while (!Accept(")"))
                    {
                        items.Add(Or());
                        if (!Accept(","))
                        {
                            Require(")");
                            break;
                        }
                    }

                    return items;
                }

            case Kind.Op when token.Text == "[":
                {
                    var items = new List<object?>();
                    while (!Accept("]"))
                    {
                        items.Add(Or());
                        if (!Accept(","))
                        {
                            Require("]");
                            break;
                        }
                    }

                    return items;
                }

            case Kind.Op when token.Text == "{":
                {
                    var dict = new Dictionary<string, object?>(StringComparer.Ordinal);
                    while (!Accept("}"))
                    {
                        var key = Or() as string ?? throw new NotApplicableException("dict key is not a string");
                        Require(":");
                        dict[key] = Or();
                        if (!Accept(","))
                        {
                            Require("}");
                            break;
                        }
                    }

                    return dict;
                }

            default:
                throw new NotApplicableException($"unexpected '{token.Text}'");
        }
    }

    private static bool Truthy(object? value) => FeedparserValues.Resolve(value) switch
    {
        null => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        System.Collections.ICollection c => c.Count > 0,
        _ => true,
    };

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if ((c is 'u' or 'U' or 'r' or 'R' or 'b' or 'B') && i + 1 < text.Length && text[i + 1] is '\'' or '"')
            {
                var raw = c is 'r' or 'R';
                i++;
                tokens.Add(new Token(Kind.String, "string", ReadString(text, ref i, raw)));
                continue;
            }

            if (c is '\'' or '"')
            {
                tokens.Add(new Token(Kind.String, "string", ReadString(text, ref i, false)));
                continue;
            }

            if (char.IsAsciiDigit(c))
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
                {
                    i++;
                }

                var number = text[start..i];
                var value = number.Contains('.', StringComparison.Ordinal)
                    ? (object)double.Parse(number, CultureInfo.InvariantCulture)
                    : long.Parse(number, CultureInfo.InvariantCulture);
                tokens.Add(new Token(Kind.Number, number, value));
                continue;
            }

            if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new Token(Kind.Name, text[start..i], null));
                continue;
            }

            if (i + 1 < text.Length && text.Substring(i, 2) is "==" or "!=")
            {
                tokens.Add(new Token(Kind.Op, text.Substring(i, 2), null));
                i += 2;
                continue;
            }

            tokens.Add(new Token(Kind.Op, c.ToString(), null));
            i++;
        }

        tokens.Add(new Token(Kind.End, "(end)", null));
        tokens.Add(new Token(Kind.End, "(end)", null));
        return tokens;
    }

    private static string ReadString(string text, ref int i, bool raw)
    {
        var quote = text[i];
        var triple = i + 2 < text.Length && text[i + 1] == quote && text[i + 2] == quote;
        i += triple ? 3 : 1;
        var builder = new StringBuilder();
        while (i < text.Length && !(text[i] == quote && (!triple || (i + 2 < text.Length && text[i + 1] == quote && text[i + 2] == quote))))
        {
            var c = text[i];
            if (c != '\\' || i + 1 >= text.Length)
            {
                builder.Append(c);
                i++;
                continue;
            }

            var next = text[i + 1];
            if (raw)
            {
                builder.Append(c).Append(next);
                i += 2;
                continue;
            }

            i += 2;
            switch (next)
            {
                case 'n':
                    builder.Append('\n');
                    break;
                case 't':
                    builder.Append('\t');
                    break;
                case 'r':
                    builder.Append('\r');
                    break;
                case 'x':
                    builder.Append((char)int.Parse(text.AsSpan(i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 2;
                    break;
                case 'u':
                    builder.Append((char)int.Parse(text.AsSpan(i, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 4;
                    break;
                case 'U':
                    builder.Append(char.ConvertFromUtf32(int.Parse(text.AsSpan(i, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
                    i += 8;
                    break;
                default:
                    builder.Append(next);
                    break;
            }
        }

        i += triple ? 3 : 1;
        return builder.ToString();
    }

    private sealed record Token(Kind Kind, string Text, object? Value);
}
