using System.Globalization;
using System.Text;
using System.Text.Json;
using FeedHub.Core.Parsing;
using FeedHub.Core.Tests.Conformance;

namespace FeedHub.Core.Tests.Parsing;

public class FeedDateParserTests
{
    // ------------------------------------------------------------------------------------------------
    // feedparser's date vectors (shared/corpora/feedparser/dates.json)
    // ------------------------------------------------------------------------------------------------

    /// <summary>
    /// Vectors whose expectation we deliberately do not follow, keyed by "format: input", with the reason.
    /// Every other vector must pass.
    /// </summary>
    private static readonly Dictionary<string, string> ExcludedVectors = new(StringComparer.Ordinal)
    {
        // feedparser's iso8601 parser reads five digits as YYDDD, yet its w3dtf parser must reject "22013"
        // ("Year is too long") and feedparser as a whole would accept it as 2022-01-13: the two vectors
        // contradict each other. Two-digit-year ordinal dates were dropped from ISO 8601 in 2004 and no
        // feed uses them, so a five-digit number is not a date.
        ["iso8601: 03335"] = "contradicts w3dtf '22013' (must be rejected); five-digit YYDDD dates are not accepted",
    };

    private static readonly Lazy<IReadOnlyDictionary<string, DateVector>> Vectors = new(LoadVectors);

    public static TheoryData<string> FeedparserVectorKeys() => CorpusLocator.RowsOrPlaceholder(() => Vectors.Value.Keys);

    [Theory]
    [MemberData(nameof(FeedparserVectorKeys))]
    public void MatchesFeedparserDateVector(string key)
    {
        CorpusLocator.RequireOrSkip();
        DateVector vector = Vectors.Value[key];

        DateTimeOffset? actual = FeedDateParser.Parse(vector.Input);

        // A vector we deliberately do not follow: our answer is "not a date" (see ExcludedVectors for why).
        if (vector.ExpectedUtc is null || ExcludedVectors.ContainsKey(vector.ExclusionKey))
        {
            Assert.Null(actual);
            return;
        }

        Assert.NotNull(actual);
        Assert.Equal(TimeSpan.Zero, actual.Value.Offset);

        // The vectors have whole seconds; the parser keeps fractions, which feedparser drops.
        DateTimeOffset truncated = new(actual.Value.Ticks - (actual.Value.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        DateTimeOffset expected = DateTimeOffset.ParseExact(
            vector.ExpectedUtc, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
        Assert.Equal(expected, truncated);
    }

    [Fact]
    public void ExcludesOnlyVectorsThatExist()
    {
        HashSet<string> present = [.. Vectors.Value.Values.Select(v => v.ExclusionKey)];

        Assert.All(ExcludedVectors.Keys, key => Assert.Contains(key, present));
        Assert.Equal(73, Vectors.Value.Count);
    }

    // ------------------------------------------------------------------------------------------------
    // Hand-written cases
    // ------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("Lundi 3 mars 2025 14h00", "2025-03-03T14:00:00Z")]
    [InlineData("lun., 03 mars 2025 14:00:00 +0100", "2025-03-03T13:00:00Z")]
    [InlineData("3 mars 2025 14:00", "2025-03-03T14:00:00Z")]
    [InlineData("mardi 4 février 2025 9h30", "2025-02-04T09:30:00Z")]
    [InlineData("mar. 04 févr. 2025 09:30:00 +0100", "2025-02-04T08:30:00Z")]
    [InlineData("mar., 04 mars 2025 09:30:00 +0100", "2025-03-04T08:30:00Z")]
    [InlineData("mar. 04 mar. 2025", "2025-03-04T00:00:00Z")]
    [InlineData("Mer, 05 Fevrier 2025 10:00:00 GMT", "2025-02-05T10:00:00Z")]
    [InlineData("jeudi 1er août 2024 à 18h", "2024-08-01T18:00:00Z")]
    [InlineData("le 3 avril 2025 à 14h30", "2025-04-03T14:30:00Z")]
    [InlineData("ven. 13 déc. 2024 07:45:00 CET", "2024-12-13T06:45:00Z")]
    [InlineData("DIMANCHE 31 DÉCEMBRE 2023 23H59", "2023-12-31T23:59:00Z")]
    [InlineData("sam. 19 juil. 2025 12:00:00 +0200", "2025-07-19T10:00:00Z")]
    [InlineData("19 juill. 2025", "2025-07-19T00:00:00Z")]
    [InlineData("1 aout 2025", "2025-08-01T00:00:00Z")]
    [InlineData("15 sept. 2025 08:00", "2025-09-15T08:00:00Z")]
    [InlineData("2 janv. 2025", "2025-01-02T00:00:00Z")]
    [InlineData("12 avr. 2025", "2025-04-12T00:00:00Z")]
    [InlineData("3 mai 2025", "2025-05-03T00:00:00Z")]
    [InlineData("5 juin 2025", "2025-06-05T00:00:00Z")]
    [InlineData("20 juillet 2025", "2025-07-20T00:00:00Z")]
    [InlineData("21 septembre 2025", "2025-09-21T00:00:00Z")]
    [InlineData("7 oct. 2025", "2025-10-07T00:00:00Z")]
    [InlineData("10 octobre 2025", "2025-10-10T00:00:00Z")]
    [InlineData("8 nov. 2025", "2025-11-08T00:00:00Z")]
    [InlineData("11 novembre 2025", "2025-11-11T00:00:00Z")]
    [InlineData("Vendredi 10 Janvier 2025", "2025-01-10T00:00:00Z")]
    [InlineData("samedi 25 decembre 2021 20:15:00 UTC", "2021-12-25T20:15:00Z")]
    [InlineData("4 fe\u0301vrier 2025", "2025-02-04T00:00:00Z")]
    public void ParsesFrenchDayAndMonthNames(string text, string expectedUtc) => AssertParsesTo(text, expectedUtc);

    [Theory]
    [InlineData("Sat, 7 Jun 2025 10:00:00 GMT", "2025-06-07T10:00:00Z")]
    [InlineData("Tue, 10 Jun 2003 04:00:00 UTC", "2003-06-10T04:00:00Z")]
    [InlineData("Mon, 13 Feb, 2012 06:28:00 UTC", "2012-02-13T06:28:00Z")]
    [InlineData("Wed, 02 Oct 2002 08:00:00 EST", "2002-10-02T13:00:00Z")]
    [InlineData("Wed, 02 Oct 2002 08:00:00 -0500", "2002-10-02T13:00:00Z")]
    [InlineData("Wed, 02 Oct 2002 15:00:00 +0200", "2002-10-02T13:00:00Z")]
    [InlineData("Wed, 2 Oct 2002 08:00 EDT", "2002-10-02T12:00:00Z")]
    [InlineData("02 Oct 2002 08:00:00 GMT", "2002-10-02T08:00:00Z")]
    [InlineData("Wednesday, 02-Oct-02 08:00:00 GMT", "2002-10-02T08:00:00Z")]
    [InlineData("Wed, 02 Oct 02 08:00:00 GMT", "2002-10-02T08:00:00Z")]
    [InlineData("Fri, 02 Oct 98 08:00:00 GMT", "1998-10-02T08:00:00Z")]
    [InlineData("Wed, 02 Oct 113 08:00:00 GMT", "2013-10-02T08:00:00Z")]
    [InlineData("Wed, 02 Oct 2002 08:00:00 +0000 (UTC)", "2002-10-02T08:00:00Z")]
    [InlineData("Wed, 02 Oct 2002 08:00:00 +0100 CET", "2002-10-02T07:00:00Z")]
    [InlineData("Wed, 02 Oct 2002 08:00:00 -0500 (EST) EST", "2002-10-02T13:00:00Z")]
    [InlineData("Wed, 02 Oct 2002 08:00:00 GMT+2", "2002-10-02T06:00:00Z")]
    [InlineData("Wed, 02 Oct 2002 08:00:00 UTC+05:30", "2002-10-02T02:30:00Z")]
    [InlineData("Wed, 02 Oct 2002 08:00:00 +01", "2002-10-02T07:00:00Z")]
    [InlineData("Wed, 02 Oct 2002 08:00:00 -00:30", "2002-10-02T08:30:00Z")]
    [InlineData("Wed, 02 Oct 2002 08:00:00.250 GMT", "2002-10-02T08:00:00.25Z")]
    [InlineData("Wed Oct  2 08:00:00 2002", "2002-10-02T08:00:00Z")]
    [InlineData("Wed Oct 02 08:00:00 EST 2002", "2002-10-02T13:00:00Z")]
    [InlineData("Wed Oct 02 2002 08:00:00 GMT+0200 (Central European Summer Time)", "2002-10-02T06:00:00Z")]
    [InlineData("Oct 2, 2002 8:00 PM EST", "2002-10-03T01:00:00Z")]
    [InlineData("October 2nd, 2002 12:15 a.m.", "2002-10-02T00:15:00Z")]
    [InlineData("Wed, 02 Oct 2002 12:00:00 PM GMT", "2002-10-02T12:00:00Z")]
    [InlineData("Fri, 2006/09/15 08:19:53 EDT", "2006-09-15T12:19:53Z")]
    [InlineData("Wed, 02 Oct 2002", "2002-10-02T00:00:00Z")]
    [InlineData("Wed, 02 Oct 2002 -0500", "2002-10-02T05:00:00Z")]
    [InlineData("\t Wed,\u00A002 Oct 2002 08:00:00 GMT \r\n", "2002-10-02T08:00:00Z")]
    [InlineData("WED, 02 OCT 2002 08:00:00 gmt", "2002-10-02T08:00:00Z")]
    [InlineData("13.02.2012 06:28", "2012-02-13T06:28:00Z")]
    public void ParsesRfc822VariantsFromRealFeeds(string text, string expectedUtc) => AssertParsesTo(text, expectedUtc);

    [Theory]
    [InlineData("Wed, 02 Oct 2002 08:00:00 Z", "2002-10-02T08:00:00Z")]
    [InlineData("Wed, 02 Oct 2002 08:00:00 UT", "2002-10-02T08:00:00Z")]
    [InlineData("Wed, 02 Oct 2002 08:00:00 Etc/UTC", "2002-10-02T08:00:00Z")]
    [InlineData("Wed, 02 Oct 2002 08:00:00 CDT", "2002-10-02T13:00:00Z")]
    [InlineData("Wed, 02 Oct 2002 08:00:00 MST", "2002-10-02T15:00:00Z")]
    [InlineData("Wed, 02 Oct 2002 08:00:00 PDT", "2002-10-02T15:00:00Z")]
    [InlineData("Wed, 02 Oct 2002 08:00:00 CEST", "2002-10-02T06:00:00Z")]
    [InlineData("Wed, 02 Oct 2002 08:00:00 MEST", "2002-10-02T06:00:00Z")]
    [InlineData("Wed, 02 Oct 2002 08:00:00 BST", "2002-10-02T07:00:00Z")]
    [InlineData("Wed, 02 Oct 2002 08:00:00 EEST", "2002-10-02T05:00:00Z")]
    [InlineData("Wed, 02 Oct 2002 08:00:00 WEST", "2002-10-02T07:00:00Z")]
    [InlineData("Wed, 02 Oct 2002 08:00:00 IST", "2002-10-02T02:30:00Z")]
    [InlineData("Wed, 02 Oct 2002 08:00:00 JST", "2002-10-01T23:00:00Z")]
    [InlineData("Wed, 02 Oct 2002 08:00:00 AEDT", "2002-10-01T21:00:00Z")]
    [InlineData("Wed, 02 Oct 2002 08:00:00 A", "2002-10-02T09:00:00Z")]
    [InlineData("Wed, 02 Oct 2002 08:00:00 N", "2002-10-02T07:00:00Z")]
    [InlineData("Wed, 02 Oct 2002 08:00:00 M", "2002-10-02T20:00:00Z")]
    [InlineData("Wed, 02 Oct 2002 08:00:00 Y", "2002-10-01T20:00:00Z")]
    [InlineData("Wed, 02 Oct 2002 08:00:00 K", "2002-10-02T08:00:00Z")]
    [InlineData("Wed, 02 Oct 2002 08:00:00 XYZ", "2002-10-02T08:00:00Z")]
    public void ReadsNamedAndMilitaryZonesLikeFeedparser(string text, string expectedUtc) => AssertParsesTo(text, expectedUtc);

    [Theory]
    [InlineData("Wed, 02 Oct 2002 08:00:00 Etc/GMT+1", "2002-10-02T09:00:00Z")]
    [InlineData("Wed, 02 Oct 2002 08:00:00 Etc/GMT-3", "2002-10-02T05:00:00Z")]
    [InlineData("Wed, 02 Oct 2002 08:00:00 GMT+1", "2002-10-02T07:00:00Z")]
    public void ReadsEtcZonesWithTheTzDatabaseSign(string text, string expectedUtc) => AssertParsesTo(text, expectedUtc);

    [Theory]
    [InlineData("2025-03-03T14:00:00.1234567+01:00", "2025-03-03T13:00:00.1234567Z")]
    [InlineData("2025-03-03T14:00:00.123456789Z", "2025-03-03T14:00:00.1234567Z")]
    [InlineData("2025-03-03T14:00:00,5Z", "2025-03-03T14:00:00.5Z")]
    [InlineData("2025-03-03T14:00:00Z", "2025-03-03T14:00:00Z")]
    [InlineData("2025-03-03t14:00:00z", "2025-03-03T14:00:00Z")]
    [InlineData("2025-03-03T14:00:00+0100", "2025-03-03T13:00:00Z")]
    [InlineData("2025-03-03T14:00:00+01", "2025-03-03T13:00:00Z")]
    [InlineData("2025-03-03T23:30:00-05:00", "2025-03-04T04:30:00Z")]
    [InlineData("2025-03-03T14:00Z", "2025-03-03T14:00:00Z")]
    [InlineData("2025-03-03T14:00:00 +01:00", "2025-03-03T13:00:00Z")]
    [InlineData("2025-03-03 14:00:00", "2025-03-03T14:00:00Z")]
    [InlineData("2025-03-03 14:00:00 CET", "2025-03-03T13:00:00Z")]
    [InlineData("2025-03-03T24:00:00Z", "2025-03-04T00:00:00Z")]
    [InlineData("2016-12-31T23:59:60Z", "2016-12-31T23:59:59Z")]
    [InlineData("2025-03-03", "2025-03-03T00:00:00Z")]
    [InlineData("2025-03", "2025-03-01T00:00:00Z")]
    [InlineData("2025", "2025-01-01T00:00:00Z")]
    [InlineData("20250303T140000Z", "2025-03-03T14:00:00Z")]
    [InlineData("20250303T1400+0100", "2025-03-03T13:00:00Z")]
    [InlineData("20250303", "2025-03-03T00:00:00Z")]
    [InlineData("2025-062", "2025-03-03T00:00:00Z")]
    [InlineData("2025062", "2025-03-03T00:00:00Z")]
    [InlineData("2025-W10-1", "2025-03-03T00:00:00Z")]
    [InlineData("2025W101", "2025-03-03T00:00:00Z")]
    [InlineData("2025-W10", "2025-03-03T00:00:00Z")]
    public void ParsesIso8601Forms(string text, string expectedUtc) => AssertParsesTo(text, expectedUtc);

    [Theory]
    [InlineData("fr-FR")]
    [InlineData("tr-TR")]
    [InlineData("th-TH")]
    [InlineData("ar-SA")]
    [InlineData("ja-JP")]
    public void DoesNotDependOnTheCurrentCulture(string cultureName)
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(cultureName);

            AssertParsesTo("2004-07-08 23:56:58", "2004-07-08T23:56:58Z");
            AssertParsesTo("Thu, 01 Jan 2004 19:48:21 GMT", "2004-01-01T19:48:21Z");
            AssertParsesTo("JEUDI 1 JANVIER 2004 19H48", "2004-01-01T19:48:00Z");
            AssertParsesTo("Tue, 10 Jun 2003 04:00:00 UTC", "2003-06-10T04:00:00Z");
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Theory]
    [InlineData("2025-03-03 14:00:00")]
    [InlineData("2025-03-03")]
    [InlineData("Mon, 03 Mar 2025 14:00:00")]
    [InlineData("3 mars 2025 14h00")]
    public void TreatsZonelessDatesAsUtc(string text)
    {
        DateTimeOffset? actual = FeedDateParser.Parse(text);

        Assert.NotNull(actual);
        Assert.Equal(TimeSpan.Zero, actual.Value.Offset);
        Assert.Equal(2025, actual.Value.Year);
        Assert.Equal(3, actual.Value.Month);
        Assert.Equal(3, actual.Value.Day);
        Assert.Equal(text.Contains("14", StringComparison.Ordinal) ? 14 : 0, actual.Value.Hour);
    }

    [Theory]
    [InlineData("2025-02-30")]
    [InlineData("2023-02-29")]
    [InlineData("2025-13-01")]
    [InlineData("2025-00-10")]
    [InlineData("2025-366")]
    [InlineData("2025-W54-1")]
    [InlineData("2025-03-03T25:00:00Z")]
    [InlineData("2025-03-03T24:30:00Z")]
    [InlineData("2025-03-03T14:00:00+19:00")]
    [InlineData("Sun, 30 Feb 2025 10:00:00 GMT")]
    [InlineData("Mon, 31 Apr 2025 10:00:00 GMT")]
    [InlineData("Mon, 03 Mar 2025 25:00:00 GMT")]
    [InlineData("Mon, 03 Mar 2025 10:60:00 GMT")]
    [InlineData("Mon, 03 Mar 2025 10:00:61 GMT")]
    [InlineData("Mon, 03 Mar 2025 10:00:00 +2500")]
    [InlineData("Mon, 03 Mar 2025 10:00:00 +0160")]
    [InlineData("Mon, 03 Mar 2025 13:00 AM")]
    [InlineData("0 mars 2025")]
    [InlineData("0000-00-00")]
    [InlineData("0000-00-00 00:00:00")]
    [InlineData("Fri, 31 Dec 9999 23:00:00 -0100")]
    [InlineData("9999-12-31T23:00:00-01:00")]
    [InlineData("0001-01-01T00:30:00+01:00")]
    public void RejectsImpossibleValues(string text) => Assert.Null(FeedDateParser.Parse(text));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not a date")]
    [InlineData("N/A")]
    [InlineData("TBD")]
    [InlineData("undefined")]
    [InlineData("NaN")]
    [InlineData("Invalid Date")]
    [InlineData("{{pubDate}}")]
    [InlineData("<pubDate>Mon, 03 Mar 2025</pubDate>")]
    [InlineData("12345")]
    [InlineData("1e10")]
    [InlineData("1700000000")]
    [InlineData("10:00")]
    [InlineData("Monday")]
    [InlineData("March")]
    [InlineData("mars 2025")]
    [InlineData("03/04/2025")]
    [InlineData("03-04-2025")]
    [InlineData("2025/03/03/04")]
    [InlineData("2025-03-03T10:00:00+01:00 and more")]
    [InlineData("Mon, 03 Mar 2025 10:00:00 GMT 12")]
    [InlineData("Mon, 03 Mar 2025 10:00:00 GMT and more")]
    [InlineData("Mon, 03 Mar 2025 10:00:00 zz")]
    [InlineData("Mon, 03 Mar 2025 10:00:00 EST+0100")]
    [InlineData("Mon, 03 Mar 2025 10:00:00 +0100 +0200")]
    [InlineData("Published: Mon, 03 Mar 2025")]
    [InlineData("Mon, 03 Mar 2025 10:00:00 Europe/Paris")]
    [InlineData("Mon, 03 Mar 2025 10:00:00 GMT\u0000")]
    [InlineData("\uD800\uDC00 2025")]
    public void ReturnsNullForGarbage(string? text) => Assert.Null(FeedDateParser.Parse(text));

    [Fact]
    public void ReturnsNullForVeryLongText()
    {
        string text = "Mon, 03 Mar 2025 10:00:00 GMT " + new string(' ', 300) + "x";

        Assert.Null(FeedDateParser.Parse(text));
        Assert.Null(FeedDateParser.Parse(new string('1', 10_000)));
    }

    [Fact]
    public void NeverThrowsOnRandomInput()
    {
        // Fixed seed: a failure must be reproducible. Half the inputs are mutations of real dates, which
        // reach far deeper into the parser than uniform noise does.
        Random random = new(20250303);
        const string Alphabet = "0123456789 +-:/.,()TZtzWhHamp年년월일오후éÉûΙούλ\u0301\u00A0\t\0\uD800xyzGMTUCESPDJanFebMarsjuinLundi";
        string[] seeds =
        [
            "Thu, 01 Jan 2004 19:48:21 GMT", "2003-12-31T10:14:55.1234-08:00", "Lundi 3 mars 2025 14h00",
            "Sun Jul 15 01:16:00 +0000 2012", "2004년 05월 28일  01:31:15", "2004-05-25 오후 11:23:17",
            "Wed, 19 Feb 2012 22:40:00 Etc/GMT-01:01", "Oct 2, 2002 8:00 p.m. EST (Eastern)", "2025-W10-1T10:00Z",
            "-03-12", "031231", "Fri, 2006/09/15 08:19:53 EDT", "Κυρ, 11 Ιούλ 2004 12:00:00 EST",
        ];

        StringBuilder builder = new();
        for (int n = 0; n < 20_000; n++)
        {
            builder.Clear();
            if (n % 2 == 0)
            {
                int length = random.Next(0, 40);
                for (int k = 0; k < length; k++)
                {
                    builder.Append(Alphabet[random.Next(Alphabet.Length)]);
                }
            }
            else
            {
                builder.Append(seeds[random.Next(seeds.Length)]);
                int edits = random.Next(1, 4);
                for (int e = 0; e < edits && builder.Length > 0; e++)
                {
                    int at = random.Next(builder.Length);
                    switch (random.Next(3))
                    {
                        case 0:
                            builder[at] = Alphabet[random.Next(Alphabet.Length)];
                            break;
                        case 1:
                            builder.Remove(at, 1);
                            break;
                        default:
                            builder.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
                            break;
                    }
                }
            }

            string text = builder.ToString();
            DateTimeOffset? result = FeedDateParser.Parse(text);
            if (result is not null)
            {
                Assert.Equal(TimeSpan.Zero, result.Value.Offset);
            }
        }
    }

    [Fact]
    public void DoesNotAllocateForCommonFormats()
    {
        string[] inputs =
        [
            "Sat, 07 Jun 2025 10:00:00 GMT", "2025-03-03T14:00:00.1234567+01:00", "lun., 03 mars 2025 14:00:00 +0100",
            "Wed Oct 02 2002 08:00:00 GMT+0200 (Central European Summer Time)", "not a date",
        ];
        foreach (string input in inputs)
        {
            _ = FeedDateParser.Parse(input);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int n = 0; n < 100; n++)
        {
            foreach (string input in inputs)
            {
                _ = FeedDateParser.Parse(input);
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    // ------------------------------------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------------------------------------

    private static void AssertParsesTo(string text, string expectedUtc)
    {
        DateTimeOffset expected = DateTimeOffset.Parse(expectedUtc, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

        DateTimeOffset? actual = FeedDateParser.Parse(text);

        Assert.NotNull(actual);
        Assert.Equal(TimeSpan.Zero, actual.Value.Offset);
        Assert.Equal(expected.UtcTicks, actual.Value.UtcTicks);
    }

    private sealed record DateVector(string Format, string Input, string? ExpectedUtc)
    {
        public string ExclusionKey => $"{Format}: {Input}";
    }

    private static Dictionary<string, DateVector> LoadVectors()
    {
        using FileStream stream = File.OpenRead(FindDatesJson());
        using JsonDocument document = JsonDocument.Parse(stream);

        Dictionary<string, DateVector> vectors = new(StringComparer.Ordinal);
        int index = 0;
        foreach (JsonElement element in document.RootElement.GetProperty("vectors").EnumerateArray())
        {
            DateVector vector = new(
                element.GetProperty("format").GetString()!,
                element.GetProperty("input").GetString()!,
                element.GetProperty("expectedUtc").GetString());

            // The index keeps keys unique (several vectors are the empty string); the input makes them readable.
            string key = string.Create(CultureInfo.InvariantCulture, $"{index:00} {vector.Format}: {(vector.Input.Length == 0 ? "(empty)" : vector.Input)}");
            vectors.Add(key, vector);
            index++;
        }

        return vectors;
    }

    /// <summary>The corpora live beside the repository: see <see cref="CorpusLocator"/> (skipped when they are missing).</summary>
    private static string FindDatesJson() => CorpusLocator.PathOf("feedparser", "dates.json");
}
