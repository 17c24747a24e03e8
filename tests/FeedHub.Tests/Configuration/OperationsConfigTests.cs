using System.Text.Json.Nodes;
using FeedHub.Configuration;

namespace FeedHub.Tests.Configuration;

/// <summary>Unknown keys, the sources.d folder, roles, the admin key and the log format.</summary>
public sealed class OperationsConfigTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "feedhub-opsconfig-" + Guid.NewGuid().ToString("N"));

    public OperationsConfigTests() => Directory.CreateDirectory(Path.Combine(_directory, SourcesFolder.FolderName));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string ConfigPath => Path.Combine(_directory, "feedhub.json");

    private static JsonObject Valid() => JsonNode.Parse("""
        {
          "FeedHub": {
            "Categories": { "societe": { "Title": "Société" } },
            "Sources": { "brief": { "Url": "https://lebrief.example/feed", "Categories": [ "societe" ] } }
          }
        }
        """)!.AsObject();

    private ConfigLoader.Result Load(JsonObject config)
    {
        File.WriteAllText(ConfigPath, config.ToJsonString());
        return ConfigLoader.Load(ConfigPath, []);
    }

    private void WriteFragment(string name, string json) => File.WriteAllText(Path.Combine(_directory, SourcesFolder.FolderName, name), json);

    [Theory]
    [InlineData("Sources:brief", "Schedul", "FeedHub:Sources:brief:Schedul", "did you mean 'Schedule'")]
    [InlineData("Sources:brief", "Catgories", "FeedHub:Sources:brief:Catgories", "did you mean 'Categories'")]
    [InlineData("", "DefaultSchedul", "FeedHub:DefaultSchedul", "did you mean 'DefaultSchedule'")]
    [InlineData("", "Fecth", "FeedHub:Fecth", "did you mean 'Fetch'")]
    [InlineData("", "Colour", "FeedHub:Colour", "known here: ")]
    public void AnUnknownKeyIsAnErrorWithAHint(string parent, string key, string expectedPath, string expectedHint)
    {
        var config = Valid();
        var node = config["FeedHub"]!.AsObject();
        foreach (var part in parent.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node[part]!.AsObject();
        }

        node[key] = "x";

        var result = Load(config);

        Assert.Null(result.Config);
        var error = Assert.Single(result.Errors);
        Assert.Equal(expectedPath, error.Path);
        Assert.Contains(expectedHint, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeysAreMatchedIgnoringCaseAsTheBinderDoes()
    {
        var config = Valid();
        config["FeedHub"]!["Sources"]!["brief"]!["schedule"] = "30s";

        Assert.Equal("30s", Load(config).Config!.FindSource("brief")!.Schedule.Text);
    }

    [Fact]
    public void SourcesInTheSourcesFolderAreReadWithTheConfig()
    {
        WriteFragment("imported.json", """
            { "FeedHub": { "Categories": { "tech": { "Title": "Tech" } },
                           "Sources": { "lwn": { "Url": "https://lwn.example/rss", "Categories": [ "tech" ] } } } }
            """);

        var config = Load(Valid()).Config!;

        Assert.Equal(["brief", "lwn"], config.Sources.Select(s => s.Id));
        Assert.Equal("Tech", config.FindCategory("tech")!.Title);
    }

    [Fact]
    public void AFolderFileMayNotRedefineASourceOfTheConfigFile()
    {
        WriteFragment("a.json", """{ "FeedHub": { "Sources": { "Brief": { "Url": "https://other.example/rss" } } } }""");

        var error = Assert.Single(Load(Valid()).Errors);

        Assert.Equal("FeedHub:Sources:Brief", error.Path);
        Assert.Contains("'feedhub.json' and 'sources.d/a.json'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFolderFileHoldsOnlySourcesAndCategories()
    {
        WriteFragment("a.json", """{ "FeedHub": { "Database": "elsewhere.db" } }""");

        var error = Assert.Single(Load(Valid()).Errors);

        Assert.Equal("sources.d/a.json:1: FeedHub:Database", error.Path);
    }

    [Fact]
    public void ABrokenFolderFileIsNamed()
    {
        WriteFragment("broken.json", """{ "FeedHub": { "Sources": """);

        var error = Assert.Single(Load(Valid()).Errors);

        // File, line and column of the JSON syntax error (issue 9: config errors say where).
        Assert.Equal("sources.d/broken.json:1:27", error.Path);
        Assert.Contains("cannot be read", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, NodeRoles.Both)]
    [InlineData("both", NodeRoles.Both)]
    [InlineData("web", NodeRoles.Web)]
    [InlineData("Scheduler", NodeRoles.Scheduler)]
    [InlineData("web, scheduler", NodeRoles.Both)]
    public void RolesAreReadFromOneWordOrAList(string? roles, NodeRoles expected)
    {
        var config = Valid();
        if (roles is not null)
        {
            config["FeedHub"]!["Roles"] = roles;
        }

        Assert.Equal(expected, Load(config).Settings!.Host.Roles);
    }

    [Theory]
    [InlineData("Roles", "fetcher", "FeedHub:Roles", "use both, web or scheduler")]
    [InlineData("AdminKey", "secret", "FeedHub:AdminKey", "at least 16")]
    [InlineData("NodeName", "node\u0007a", "FeedHub:NodeName", "no control characters")]
    public void OperationsKeysAreValidated(string key, string value, string expectedPath, string expectedMessage)
    {
        var config = Valid();
        config["FeedHub"]![key] = value;

        var error = Assert.Single(Load(config).Errors);

        Assert.Equal(expectedPath, error.Path);
        Assert.Contains(expectedMessage, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheLogFormatIsTextOrJson()
    {
        var config = Valid();
        config["FeedHub"]!["Logging"] = new JsonObject { ["Format"] = "JSON" };
        Assert.Equal(LogFormats.Json, Load(config).Settings!.Host.LogFormat);

        config["FeedHub"]!["Logging"] = new JsonObject { ["Format"] = "xml" };
        Assert.Equal("FeedHub:Logging:Format", Assert.Single(Load(config).Errors).Path);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    [InlineData(" node-a ")]
    public void TheNodeNameIsTheConfiguredOneOrTheMachineAndProcess(string? name)
    {
        var config = Valid();
        if (name is not null)
        {
            config["FeedHub"]!["NodeName"] = name;
        }

        var expected = string.IsNullOrWhiteSpace(name) ? $"{Environment.MachineName}-{Environment.ProcessId}" : name.Trim();
        Assert.Equal(expected, Load(config).Settings!.Host.NodeName);
    }
}
