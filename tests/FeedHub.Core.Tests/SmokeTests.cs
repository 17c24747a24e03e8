namespace FeedHub.Core.Tests;

public class SmokeTests
{
    [Fact]
    public void OnePlusOneIsTwo() => Assert.Equal(2, 1 + 1);
}
