namespace FeedHub.Core; internal static class Placeholder { }
