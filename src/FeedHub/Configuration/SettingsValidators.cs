using Microsoft.Extensions.Options;

namespace FeedHub.Configuration;

/// <summary>Checks the data annotations of FeedHub:Fetch (generated at build time: no reflection).</summary>
[OptionsValidator]
public sealed partial class FetchSettingsValidator : IValidateOptions<FetchSettings>;

/// <summary>Checks the data annotations of FeedHub:Retention.</summary>
[OptionsValidator]
public sealed partial class RetentionSettingsValidator : IValidateOptions<RetentionSettings>;

/// <summary>Checks the data annotations of FeedHub:Publishing.</summary>
[OptionsValidator]
public sealed partial class PublishingSettingsValidator : IValidateOptions<PublishingSettings>;
