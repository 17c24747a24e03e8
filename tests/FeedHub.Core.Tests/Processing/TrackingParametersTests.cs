using FeedHub.Core.Processing;

namespace FeedHub.Core.Tests.Processing;

public sealed class TrackingParametersTests
{
    [Theory]
    [InlineData("https://j.example/a?utm_source=rss&id=3", "https://j.example/a?id=3")]
    [InlineData("https://j.example/a?id=3&utm_source=rss", "https://j.example/a?id=3")]
    [InlineData("https://j.example/a?utm_source=rss&utm_medium=feed&utm_campaign=c&utm_term=t&utm_content=x", "https://j.example/a")]
    [InlineData("https://j.example/a?b=2&utm_medium=feed&a=1", "https://j.example/a?b=2&a=1")]
    [InlineData("https://j.example/a?fbclid=IwAR0&gclid=Cj0&msclkid=m&mc_cid=1&mc_eid=2&xtor=RSS-1", "https://j.example/a")]
    [InlineData("https://j.example/a?q=caf%C3%A9&utm_source=x&x=a%26b", "https://j.example/a?q=caf%C3%A9&x=a%26b")]
    public void RemovesUtmParametersButKeepsOthers(string url, string expected)
    {
        Assert.Equal(expected, TrackingParameters.Strip(url));
    }

    [Theory]
    [InlineData("https://j.example/a?utm_source=rss#commentaires", "https://j.example/a#commentaires")]
    [InlineData("https://j.example/a?id=1&fbclid=x#c", "https://j.example/a?id=1#c")]
    public void KeepsTheFragment(string url, string expected)
    {
        Assert.Equal(expected, TrackingParameters.Strip(url));
    }

    [Theory]
    [InlineData("https://j.example/#/article?utm_source=rss")]
    [InlineData("https://j.example/page#section?fbclid=1")]
    public void LeavesAQuestionMarkInsideTheFragmentAlone(string url)
    {
        Assert.Equal(url, TrackingParameters.Strip(url));
    }

    [Theory]
    [InlineData("https://j.example/a")]
    [InlineData("https://j.example/a?id=3&page=2")]
    [InlineData("https://j.example/a?autm_source=1&my_fbclid=2&utm=3&source=rss")]
    [InlineData("https://j.example/a?q=utm_source")]
    [InlineData("https://j.example/a#utm_source=x")]
    [InlineData("")]
    public void LeavesUrlsWithoutTrackingUnchanged(string url)
    {
        Assert.Equal(url, TrackingParameters.Strip(url));
    }

    [Theory]
    [InlineData("https://j.example/a?UTM_Source=rss&id=1", "https://j.example/a?id=1")]
    [InlineData("https://j.example/a?FBCLID=x", "https://j.example/a")]
    [InlineData("https://j.example/a?utm%5Fsource=rss&id=1", "https://j.example/a?id=1")]
    [InlineData("https://j.example/a?utm_source&id=1", "https://j.example/a?id=1")]
    public void RecognisesTrackingNamesWhateverTheirCaseOrEncoding(string url, string expected)
    {
        Assert.Equal(expected, TrackingParameters.Strip(url));
    }

    [Theory]
    [InlineData("utm_source", true)]
    [InlineData("utm_anything", true)]
    [InlineData("fbclid", true)]
    [InlineData("gclid", true)]
    [InlineData("_hsenc", true)]
    [InlineData("xtor", true)]
    [InlineData("id", false)]
    [InlineData("utm", false)]
    [InlineData("page", false)]
    [InlineData("source", false)]
    public void IsTrackingNamesOnlyTrackingParameters(string name, bool expected)
    {
        Assert.Equal(expected, TrackingParameters.IsTracking(name));
    }
}
