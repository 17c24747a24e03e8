using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace FeedHub.Configuration;

/// <summary>
/// The settings sections (<see cref="ServiceSettings"/>) as options: <c>IOptions&lt;HostSettings&gt;</c> (read at start),
/// <c>IOptionsMonitor&lt;FetchSettings&gt;</c>, <c>IOptionsMonitor&lt;FetchNetworks&gt;</c>, <c>IOptionsMonitor&lt;RetentionSettings&gt;</c>,
/// <c>IOptionsMonitor&lt;PublishingConfig&gt;</c>; only the table (sources, categories, visibility, partners) is read from
/// <see cref="CatalogMonitor.Current"/>. They are not bound from the live configuration
/// (<c>BindConfiguration</c> would hand consumers a bad edit, or throw from <c>CurrentValue</c>): <see cref="ConfigLoader"/>
/// stays the one validator (key paths that check-config turns into file:line, did-you-mean, every error counted)
/// and each options value is the section of the last VALID configuration's settings, which <see cref="CatalogMonitor"/>
/// swaps together with <see cref="CatalogMonitor.Current"/>.
/// An accepted edit fires <see cref="CatalogMonitor.GetReloadToken"/>, so <c>IOptionsMonitor</c> consumers see it;
/// a rejected one never reaches them. The data-annotation ranges on the settings classes are checked by
/// source-generated validators, by the loader (every problem, with its key) and again at start (<c>ValidateOnStart</c>).
/// </summary>
public static class CatalogOptions
{
    /// <summary>Registers the settings sections as options served from <see cref="CatalogMonitor"/>, which must be registered too.</summary>
    public static IServiceCollection AddFeedHubOptions(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<FetchSettings>, FetchSettingsValidator>();
        services.AddSingleton<IValidateOptions<RetentionSettings>, RetentionSettingsValidator>();
        services.AddFromSettings(settings => settings.Host);
        services.AddFromSettings(settings => settings.Fetch).ValidateOnStart();
        services.AddFromSettings(settings => settings.Networks);
        services.AddFromSettings(settings => settings.Retention).ValidateOnStart();
        services.AddFromSettings(settings => settings.Publishing);
        return services;
    }

    private static OptionsBuilder<T> AddFromSettings<T>(this IServiceCollection services, Func<ServiceSettings, T> section)
        where T : class
    {
        services.AddSingleton<IOptionsFactory<T>>(provider =>
            new FromSettingsFactory<T>(provider.GetRequiredService<CatalogMonitor>(), section, provider.GetServices<IValidateOptions<T>>()));
        services.AddSingleton<IOptionsChangeTokenSource<T>>(provider => new ReloadTokenSource<T>(provider.GetRequiredService<CatalogMonitor>()));
        return services.AddOptions<T>();
    }

    /// <summary>Creates the options value: the section of the configuration in force, checked by the type's validators.</summary>
    private sealed class FromSettingsFactory<T>(CatalogMonitor monitor, Func<ServiceSettings, T> section, IEnumerable<IValidateOptions<T>> validators) : IOptionsFactory<T>
        where T : class
    {
        public T Create(string name)
        {
            var value = section(monitor.Settings);
            var failures = validators.Select(v => v.Validate(name, value)).Where(r => r.Failed).SelectMany(r => r.Failures ?? []).ToList();
            return failures.Count == 0 ? value : throw new OptionsValidationException(name, typeof(T), failures);
        }
    }

    /// <summary>Tells <c>IOptionsMonitor&lt;T&gt;</c> when an edit was accepted.</summary>
    private sealed class ReloadTokenSource<T>(CatalogMonitor monitor) : IOptionsChangeTokenSource<T>
    {
        public string? Name => Options.DefaultName;

        public IChangeToken GetChangeToken() => monitor.GetReloadToken();
    }
}
