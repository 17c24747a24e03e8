namespace FeedHub.Storage; internal static class Placeholder { }
