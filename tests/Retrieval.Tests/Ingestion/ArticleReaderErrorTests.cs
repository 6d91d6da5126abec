using CaravanBot.Retrieval.Ingestion;

namespace CaravanBot.Retrieval.Tests.Ingestion;

public sealed class ArticleReaderErrorTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static void AssertOneLineMessageNaming(ArticleLoadException error, string path)
    {
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Missing_file()
    {
        var path = Path.Combine(_temp.Path, "missing.txt");
        var error = Assert.Throws<ArticleLoadException>(() => ArticleReader.ReadFile(path));
        AssertOneLineMessageNaming(error, path);
        Assert.Contains("not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_folder()
    {
        var path = Path.Combine(_temp.Path, "no-such-folder", "article.html");
        Assert.Throws<ArticleLoadException>(() => ArticleReader.ReadFile(path));
    }

    [Fact]
    public void Directory_instead_of_a_file()
    {
        var error = Assert.Throws<ArticleLoadException>(() => ArticleReader.ReadFile(_temp.Path));
        AssertOneLineMessageNaming(error, _temp.Path);
        Assert.Contains("directory", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("empty.txt", "")]
    [InlineData("blank.txt", " \n\t\r\n \u200B\n")]
    [InlineData("empty.html", "")]
    public void Empty_file(string name, string content)
    {
        var path = _temp.Write(name, content);
        var error = Assert.Throws<ArticleLoadException>(() => ArticleReader.ReadFile(path));
        AssertOneLineMessageNaming(error, path);
        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void File_with_only_a_byte_order_mark()
    {
        var path = _temp.WriteBytes("bom.txt", [0xEF, 0xBB, 0xBF]);
        Assert.Throws<ArticleLoadException>(() => ArticleReader.ReadFile(path));
    }

    [Fact]
    public void Boilerplate_only_file()
    {
        var path = _temp.Write("boilerplate.txt", """
            Your support helps us to tell the story
            Sign up for our newsletter
            Share this article
            Join our commenting forum
            Comments
            © 2024 Harbour Herald. All rights reserved.
            """);
        var error = Assert.Throws<ArticleLoadException>(() => ArticleReader.ReadFile(path));
        AssertOneLineMessageNaming(error, path);
        Assert.Contains("no story paragraphs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Headline_without_story()
    {
        var path = _temp.Write("headline.txt", "Ferry fares rise\nShare this article\n");
        Assert.Throws<ArticleLoadException>(() => ArticleReader.ReadFile(path));
    }

    [Fact]
    public void Unreadable_file_does_not_leak_io_exceptions()
    {
        var path = _temp.Write("locked.txt", "Ferry fares rise\nThe authority confirmed the rise on Monday.");
        // .NET takes an exclusive lock for FileShare.None on every platform (flock on Unix), so the
        // read fails with an IOException inside the reader.
        using var exclusive = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        var error = Assert.Throws<ArticleLoadException>(() => ArticleReader.ReadFile(path));
        AssertOneLineMessageNaming(error, path);
        Assert.IsType<IOException>(error.InnerException, exactMatch: false);
    }

    [Fact]
    public void Html_is_detected_by_content_when_the_extension_says_text()
    {
        var path = _temp.Write("saved-page.txt", "<!DOCTYPE html><html><body><h1>Ferry fares rise</h1><p>The authority confirmed the rise on Monday.</p></body></html>");
        var article = ArticleReader.ReadFile(path);
        Assert.Equal(["Ferry fares rise", "The authority confirmed the rise on Monday."], article.Paragraphs.Select(p => p.Text));
    }

    [Fact]
    public void Windows_1252_text_keeps_its_curly_quotes_and_accents()
    {
        // "Café owners protest" / "The “café” closed on Monday." in Windows-1252.
        byte[] bytes = [.. "Caf"u8, 0xE9, .. " owners protest\nThe "u8, 0x93, .. "caf"u8, 0xE9, 0x94, .. " closed on Monday."u8];
        var article = ArticleReader.ReadFile(_temp.WriteBytes("cp1252.txt", bytes));
        Assert.Equal(["Café owners protest", "The “café” closed on Monday."], article.Paragraphs.Select(p => p.Text));
    }

    [Fact]
    public void Utf16_text_with_a_byte_order_mark_is_read()
    {
        var bytes = System.Text.Encoding.Unicode.GetPreamble()
            .Concat(System.Text.Encoding.Unicode.GetBytes("Café owners protest\nThe “café” closed on Monday."))
            .ToArray();
        var article = ArticleReader.ReadFile(_temp.WriteBytes("utf16.txt", bytes));
        Assert.Equal(["Café owners protest", "The “café” closed on Monday."], article.Paragraphs.Select(p => p.Text));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Utf16_text_without_a_byte_order_mark_keeps_its_curly_quotes(bool bigEndian)
    {
        var encoding = new System.Text.UnicodeEncoding(bigEndian, byteOrderMark: false);
        var bytes = encoding.GetBytes("Café owners protest\nThe “café” closed on Monday, and the owners said it was “a sad day”.");

        var article = ArticleReader.ReadFile(_temp.WriteBytes("utf16-nobom.txt", bytes));

        Assert.Equal(["Café owners protest", "The “café” closed on Monday, and the owners said it was “a sad day”."], article.Paragraphs.Select(p => p.Text));
    }

    [Fact]
    public void A_program_given_as_the_article_is_refused_in_one_line()
    {
        // A real executable where there is one (the issue's /bin/ls), else bytes shaped like one.
        var path = File.Exists("/bin/ls") ? "/bin/ls" : _temp.WriteBytes("program", [0x7F, .. "ELF"u8, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0x3E, 0, .. "GLIBC_2.2.5 main"u8, 0, 0, 1, 2]);

        var error = Assert.Throws<ArticleLoadException>(() => ArticleReader.ReadFile(path));

        AssertOneLineMessageNaming(error, path);
        Assert.Contains("not text", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("image.png", new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0 })]
    [InlineData("archive.gz", new byte[] { 0x1F, 0x8B, 0x08, 0x00, 0x12, 0x34, 0x56, 0x78, 0x00, 0x03, 0xCB, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00 })]
    public void Other_binary_files_are_refused(string name, byte[] bytes)
    {
        var path = _temp.WriteBytes(name, bytes);

        var error = Assert.Throws<ArticleLoadException>(() => ArticleReader.ReadFile(path));

        Assert.Contains("not text", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Binary_data_on_standard_input_is_refused_too()
    {
        var error = Assert.Throws<ArticleLoadException>(() => ArticleReader.ReadText("\u007FELF\u0002\u0001\u0001\0\0\0 main", "stdin"));

        Assert.Contains("not text", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_single_story_paragraph_is_an_article()
    {
        var path = _temp.Write("one.txt", "The authority confirmed the rise on Monday.");
        var article = ArticleReader.ReadFile(path);
        Assert.Equal(CaravanBot.Retrieval.Articles.ParagraphKind.Body, Assert.Single(article.Paragraphs).Kind);
    }
}
