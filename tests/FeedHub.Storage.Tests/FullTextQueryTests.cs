namespace FeedHub.Storage.Tests;

/// <summary>The reader's search text as an FTS5 query (SQLite) and as a tsquery of the same meaning (PostgreSQL).</summary>
public sealed class FullTextQueryTests
{
    [Theory]
    [InlineData("economie", "'economie'")]
    [InlineData("econ* debat", "'econ':* & 'debat'")]
    [InlineData("\"sous tension\"", "'sous tension'")]
    [InlineData("\"la croiss*\"", "'la ' <-> 'croiss':*")]
    [InlineData("NOT AND OR", "'NOT' & 'AND' & 'OR'")]
    [InlineData("l'éco\\ & !x", "'l''éco\\\\' & '!x'")]
    public void EveryTermIsAQuotedOperandJoinedByAnd(string text, string expected) =>
        Assert.Equal(expected, FullTextQuery.ToTsQuery(FullTextQuery.AllOf(text)!));

    [Fact]
    public void ExcludedTermsAreJoinedByOr() =>
        Assert.Equal("'foot':* | 'sous tension' | 'budget'", FullTextQuery.ToTsQuery(FullTextQuery.AnyOf("foot*, \"sous tension\",budget")!));
}
