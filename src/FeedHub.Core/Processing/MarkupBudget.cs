namespace FeedHub.Core.Processing;

internal static class MarkupBudget
{
    public static bool Fits(string html) => html.Length >= 0;
}
