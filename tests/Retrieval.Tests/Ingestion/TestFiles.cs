namespace CaravanBot.Retrieval.Tests.Ingestion;

/// <summary>Locates the seed article and the hand-written articles under TestData/.</summary>
internal static class TestFiles
{
    /// <summary>The seed article, copied next to the test assembly by the test project.</summary>
    public static string SeedArticle => Path.Combine(AppContext.BaseDirectory, "articles", "caravan.txt");

    /// <summary>
    /// A file in tests/Retrieval.Tests/TestData. The folder is found by walking up from the test
    /// assembly, so the tests run from the build output without copying the files there.
    /// </summary>
    public static string TestData(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[]
                     {
                         Path.Combine(dir.FullName, "TestData", name),
                         Path.Combine(dir.FullName, "tests", "Retrieval.Tests", "TestData", name),
                     })
            {
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new FileNotFoundException($"Test data file '{name}' not found above {AppContext.BaseDirectory}.");
    }
}

/// <summary>A scratch directory for one test class, deleted afterwards.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "caravan-ingest-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Write(string name, string content)
    {
        var path = System.IO.Path.Combine(Path, name);
        File.WriteAllText(path, content);
        return path;
    }

    public string WriteBytes(string name, byte[] content)
    {
        var path = System.IO.Path.Combine(Path, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; failing the test run over it is not.
        }
    }
}
