using Microsoft.Extensions.Options;

namespace FeedHub.Configuration;

/// <summary>
/// Checks the data annotations of FeedHub:Fetch (generated at build time: no reflection) when the host starts
/// (ValidateOnStart, <see cref="CatalogOptions"/>). FeedHub:Publishing is served as the derived <see cref="PublishingConfig"/>,
/// so its annotations are checked by <see cref="ConfigLoader"/> only.
/// </summary>
[OptionsValidator]
public sealed partial class FetchSettingsValidator : IValidateOptions<FetchSettings>;

/// <summary>Checks the data annotations of FeedHub:Retention.</summary>
[OptionsValidator]
public sealed partial class RetentionSettingsValidator : IValidateOptions<RetentionSettings>;
