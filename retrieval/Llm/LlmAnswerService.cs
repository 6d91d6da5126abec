using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Prompts;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;

namespace CaravanBot.Retrieval.Llm;

/// <summary>
/// Answers with a language model through Semantic Kernel, never trusting it: the model sees only the
/// paragraphs retrieval found, every quote it returns must be verbatim text of the paragraph it cites,
/// and any failure (timeout, provider error, bad JSON, no verified quote) serves the extractive answer,
/// with the reason in <see cref="Answer.FallbackReason"/>. It never throws to the reader.
/// </summary>
public sealed partial class LlmAnswerService : IAnswerService
{
    /// <summary>Paragraphs given to the model: those of this many best-ranked sentences.</summary>
    internal const int TopSentences = 5;

    private readonly ArticleAnswerer _answerer;
    private readonly Microsoft.SemanticKernel.Kernel _kernel;
    private readonly KernelFunction _function;
    private readonly PromptExecutionSettings _settings;
    private readonly PromptProvider _prompts;
    private readonly TimeSpan _timeout;
    private readonly int _maxQuotes;
    private readonly ILogger<LlmAnswerService> _logger;

    internal LlmAnswerService(
        ArticleAnswerer answerer,
        Microsoft.SemanticKernel.Kernel kernel,
        KernelFunction function,
        PromptExecutionSettings settings,
        PromptProvider prompts,
        TimeSpan timeout,
        int maxQuotes,
        ILogger<LlmAnswerService> logger)
    {
        _answerer = answerer;
        _kernel = kernel;
        _function = function;
        _settings = settings;
        _prompts = prompts;
        _timeout = timeout;
        _maxQuotes = maxQuotes;
        _logger = logger;
    }

    /// <summary>The extractive answerer whose retrieval feeds the model and whose answer is the fallback.</summary>
    public ArticleAnswerer Extractive => _answerer;

    /// <summary>True: a model reply can take seconds, past Discord's 3-second interaction deadline.</summary>
    public bool MayMissInteractionDeadline => true;

    /// <inheritdoc />
    public async Task<Answer> AskAsync(string question, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var extractive = _answerer.Ask(question, cancellationToken);

        // An empty or off-topic question has nothing for the model to read: the abstention stands.
        if (extractive.Reason is AbstentionReason.EmptyQuestion or AbstentionReason.OffTopic)
        {
            return extractive;
        }

        var paragraphs = RenderParagraphs(question, cancellationToken);
        string? output;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(_timeout);
            try
            {
                var arguments = new KernelArguments(_settings)
                {
                    ["question"] = DefuseDelimiters(question),
                    ["paragraphs"] = paragraphs,
                };
                var result = await _kernel.InvokeAsync(_function, arguments, timeout.Token).ConfigureAwait(false);
                output = result.GetValue<string>();
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                LogTimedOut(_timeout.TotalSeconds);
                return Fallback(extractive, LlmFallbackReason.Timeout, started);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested && timeout.IsCancellationRequested)
            {
                // Some transports surface a cancelled request as their own exception type.
                LogTimedOut(_timeout.TotalSeconds);
                return Fallback(extractive, LlmFallbackReason.Timeout, started);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                LogProviderFailed(ex.GetType().Name, ex.Message);
                return Fallback(extractive, LlmFallbackReason.ProviderError, started);
            }
        }

        if (LlmReply.TryParse(output) is not { } reply)
        {
            LogInvalidOutput(output?.Length ?? 0);
            return Fallback(extractive, LlmFallbackReason.InvalidOutput, started);
        }

        if (!reply.Answered)
        {
            return extractive with
            {
                Answered = false,
                Reason = AbstentionReason.NotInArticle,
                Text = _prompts.GetLines("abstain-not-in-article.txt")[0],
                Citations = [],
                Mode = AnswerMode.Llm,
                LatencyMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            };
        }

        var citations = new List<Citation>();
        var rejected = 0;
        foreach (var quote in reply.Quotes)
        {
            var matched = LlmQuoteMatcher.Match(_answerer.Article, quote);
            if (matched.Count == 0)
            {
                rejected++;
                continue;
            }

            foreach (var citation in matched)
            {
                if (citations.Count < _maxQuotes && !citations.Contains(citation))
                {
                    citations.Add(citation);
                }
            }
        }

        if (citations.Count == 0)
        {
            LogUnverified(reply.Quotes.Count);
            return Fallback(extractive, LlmFallbackReason.UnverifiedQuotes, started);
        }

        // Belt and braces: the matcher builds spans from the article, and this proves it before a reader sees them.
        QuoteVerifier.EnsureVerbatim(_answerer.Article, citations);

        // When some quotes were invented the model's prose may rest on them: show the neutral lead-in instead.
        var text = rejected == 0 ? LlmWording.Clean(reply.Answer) : string.Empty;
        if (rejected > 0)
        {
            LogSomeUnverified(rejected, reply.Quotes.Count);
        }
        else if (text.Length == 0 && !string.IsNullOrWhiteSpace(reply.Answer))
        {
            LogWordingDropped();
        }

        return extractive with
        {
            Answered = true,
            Reason = null,
            Text = text.Length > 0 ? text : _prompts.GetLines("answer-lead-in.txt")[0],
            Citations = citations,
            Mode = AnswerMode.Llm,
            LatencyMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
        };
    }

    /// <summary>
    /// The paragraphs of the best-ranked sentences, in article order, each inside its delimiter with its
    /// ¶ number. A paragraph cannot close its own delimiter or open another: every delimiter tag in it is defused.
    /// </summary>
    internal string RenderParagraphs(string question, CancellationToken cancellationToken)
    {
        var result = _answerer.Search(question, cancellationToken);
        var indices = result.Ranked
            .Take(TopSentences)
            .Select(r => _answerer.Index.Sentences[r.Sentence].Paragraph)
            .Distinct()
            .Order();
        var text = new StringBuilder();
        foreach (var index in indices)
        {
            var paragraph = _answerer.Article.Paragraphs[index];
            text.Append("<article-paragraph n=\"").Append(paragraph.Number).Append("\">")
                .Append(DefuseDelimiters(paragraph.Text))
                .Append("</article-paragraph>\n");
        }

        return text.ToString().TrimEnd('\n');
    }

    /// <summary>The model's answer as it may be shown (see <see cref="LlmWording.Clean"/>); empty when it must not be.</summary>
    internal static string Sanitize(string answer) => LlmWording.Clean(answer);

    /// <summary>
    /// Reader and article text as the model sees it: any tag that could pass for one of the prompt's
    /// delimiters (<c>&lt;reader-question&gt;</c>, <c>&lt;article-paragraph n="9"&gt;</c>, <c>&lt;message&gt;</c>,
    /// opening or closing, in any case or spacing) has its angle brackets replaced by ‹ ›, so a question
    /// cannot end itself early and put a fake paragraph before the model, nor can a paragraph.
    /// </summary>
    internal static string DefuseDelimiters(string text) =>
        DelimiterTag().Replace(text, match => "‹" + (match.Value.EndsWith('>') ? match.Value[1..^1] + "›" : match.Value[1..]));

    private static Answer Fallback(Answer extractive, LlmFallbackReason reason, long started) => extractive with
    {
        FallbackReason = reason,
        LatencyMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
    };

    [GeneratedRegex(@"<\s*/?\s*(?:reader-question|article-paragraph|message)\b[^<>]*>?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DelimiterTag();

    [LoggerMessage(Level = LogLevel.Information, Message = "The language model's wording could pass for a quote or was empty once links were removed; showing the neutral lead-in")]
    private partial void LogWordingDropped();

    [LoggerMessage(Level = LogLevel.Warning, Message = "The language model did not answer within {TimeoutSeconds} s; serving the extractive answer")]
    private partial void LogTimedOut(double timeoutSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The language model's service failed ({ErrorType}: {Error}); serving the extractive answer")]
    private partial void LogProviderFailed(string errorType, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The language model's reply ({Length} characters) was not the expected JSON; serving the extractive answer")]
    private partial void LogInvalidOutput(int length);

    [LoggerMessage(Level = LogLevel.Warning, Message = "None of the language model's {Quotes} quotes is verbatim article text; serving the extractive answer")]
    private partial void LogUnverified(int quotes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dropped {Rejected} of the language model's {Quotes} quotes as not verbatim; its own wording is not shown")]
    private partial void LogSomeUnverified(int rejected, int quotes);
}
