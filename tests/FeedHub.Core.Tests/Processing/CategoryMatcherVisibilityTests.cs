using FeedHub.Core.Processing;

namespace FeedHub.Core.Tests.Processing;

/// <summary>Tag-based filing only into the categories the caller allows (visibility), never the source's own ones dropped.</summary>
public sealed class CategoryMatcherVisibilityTests
{
    private static readonly CategoryMatcher Matcher = new([
        new CategoryDefinition("societe", "Société", ["Society"]),
        new CategoryDefinition("economie", "Économie", []),
        new CategoryDefinition("politique", "Politique", []),
    ]);

    [Fact]
    public void Tags_file_only_into_the_categories_allowed_for_the_source()
    {
        var categories = Matcher.Categorize(["economie"], ["Société", "Politique", "Économie"], slug => slug == "politique");

        Assert.Equal(["economie", "politique"], categories);
    }

    [Fact]
    public void A_source_allowed_no_tag_category_keeps_its_own_categories()
    {
        Assert.Equal(["economie"], Matcher.Categorize(["economie"], ["Society", "Politique"], _ => false));
    }
}
