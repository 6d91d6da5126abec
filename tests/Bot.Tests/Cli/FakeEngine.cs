using System.Collections.Concurrent;
using CaravanBot.Bot.Cli;
using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Articles;
using CaravanBot.Retrieval.Ingestion;

namespace CaravanBot.Bot.Tests.Cli;

/// <summary>
/// Reads articles one paragraph per non-blank line (the first is the headline), so CLI tests run
/// without the real ingestion.
/// </summary>
internal sealed class FakeArticleReader : IArticleReader
{
    public Article ReadFile(string path) =>
        path.EndsWith(".html", StringComparison.OrdinalIgnoreCase)
            ? ReadHtml(File.ReadAllText(path), path)
            : ReadText(File.ReadAllText(path), path);

    public Article ReadText(string text, string source)
    {
        var lines = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        if (lines.Length == 0)
        {
            throw new ArticleLoadException($"no story text in {source}");
        }

        return new Article
        {
            Source = source,
            Paragraphs = lines.Select((line, i) => new Paragraph
            {
                Number = i + 1,
                Text = line,
                Kind = i == 0 ? ParagraphKind.Headline : ParagraphKind.Body,
                Sentences = [new TextSpan(0, line.Length)],
            }).ToArray(),
        };
    }

    public Article ReadHtml(string html, string source) =>
        ReadText(System.Text.RegularExpressions.Regex.Replace(html, "<[^>]+>", "\n"), source);
}

/// <summary>Hands out <see cref="FakeArticleAnswerer"/>s and records what the CLI asked of them.</summary>
internal sealed class FakeAnswererProvider : IAnswererProvider
{
    public ConcurrentQueue<Article> Indexed { get; } = new();

    public ConcurrentQueue<string> SingleQuestions { get; } = new();

    public ConcurrentQueue<int> BatchSizes { get; } = new();

    public Func<string, Answer>? Override { get; set; }

    public IArticleAnswerer Create(Article article)
    {
        Indexed.Enqueue(article);
        return new FakeArticleAnswerer(article, this);
    }
}

/// <summary>
/// A tiny engine: empty questions get <c>empty_question</c>, questions about France get
/// <c>off_topic</c>, otherwise the first body paragraph sharing a word of 5+ letters is quoted whole.
/// </summary>
internal sealed class FakeArticleAnswerer : IArticleAnswerer
{
    public const string LeadIn = "Here is what the article says:";
    public const string EmptyMessage = "Please ask a question about the article.";
    public const string OffTopicMessage = "Sorry, that does not seem to be something this article is about.";
    public const string NotInArticleMessage = "Sorry, the article does not say, so I won't guess.";

    private readonly FakeAnswererProvider _provider;

    public FakeArticleAnswerer(Article article, FakeAnswererProvider provider)
    {
        Article = article;
        _provider = provider;
    }

    public Article Article { get; }

    public Task<Answer> AskAsync(string question, CancellationToken cancellationToken = default)
    {
        _provider.SingleQuestions.Enqueue(question);
        return Task.FromResult(Answer(question));
    }

    public Task<IReadOnlyList<Answer>> AskManyAsync(IReadOnlyList<string> questions, CancellationToken cancellationToken = default)
    {
        _provider.BatchSizes.Enqueue(questions.Count);
        return Task.FromResult<IReadOnlyList<Answer>>(questions.Select(Answer).ToArray());
    }

    private Answer Answer(string question)
    {
        if (_provider.Override is { } answer)
        {
            return answer(question);
        }

        if (string.IsNullOrWhiteSpace(question))
        {
            return Abstain(question, AbstentionReason.EmptyQuestion, EmptyMessage);
        }

        if (question.Contains("France", StringComparison.OrdinalIgnoreCase))
        {
            return Abstain(question, AbstentionReason.OffTopic, OffTopicMessage);
        }

        var words = question.Split([' ', '?', '.', ','], StringSplitOptions.RemoveEmptyEntries).Where(w => w.Length >= 5).ToArray();
        var paragraph = Article.Paragraphs.Skip(1)
            .FirstOrDefault(p => words.Any(w => p.Text.Contains(w, StringComparison.OrdinalIgnoreCase)));
        if (paragraph is null)
        {
            return Abstain(question, AbstentionReason.NotInArticle, NotInArticleMessage);
        }

        return new Answer
        {
            Question = question,
            Answered = true,
            Text = LeadIn,
            Citations = [new Citation(paragraph.Number, paragraph.Text, 0, paragraph.Text.Length)],
            LatencyMs = 1.23456,
        };
    }

    private static Answer Abstain(string question, AbstentionReason reason, string message) => new()
    {
        Question = question,
        Answered = false,
        Reason = reason,
        Text = message,
        Citations = [],
        LatencyMs = 0.5,
    };
}
