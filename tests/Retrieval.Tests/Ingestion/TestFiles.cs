namespace CaravanBot.Retrieval.Tests.Ingestion;

/// <summary>Locates the seed article and the hand-written articles under TestData/.</summary>
internal static class TestFiles
{
    /// <summary>The seed article, copied next to the test assembly by the test project.</summary>
    public static string SeedArticle => Path.Combine(AppContext.BaseDirectory, "articles", "caravan.txt");

    /// <summary>A file of tests/Retrieval.Tests/TestData, copied next to the test assembly by the test project.</summary>
    public static string TestData(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestData", name);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Test data file '{name}' is not in the build output.", path);
    }

    /// <summary>The newsroom's original of the seed article, in shared/ beside the checkout.</summary>
    public static string? SharedSeedArticle()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CaravanBot.sln")))
            {
                var shared = Path.Combine(dir.FullName, "..", "shared", "articles", "caravan.txt");
                return File.Exists(shared) ? shared : null;
            }
        }

        return null;
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
