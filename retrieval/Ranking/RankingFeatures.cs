using CaravanBot.Retrieval.Search;

namespace CaravanBot.Retrieval.Ranking;

/// <summary>The raw similarities of one sentence to one question, before they become features.</summary>
/// <param name="SearchSentence">arctic-embed-xs cosine of the question to the sentence.</param>
/// <param name="SearchWindow">The same, for the sentence's best clause window (or the sentence when it has none).</param>
/// <param name="SearchParagraph">arctic-embed-xs cosine of the question to the sentence's paragraph.</param>
/// <param name="GeneralSentence">MiniLM cosine of the question to the sentence.</param>
/// <param name="GeneralWindow">The same, for the sentence's best clause window.</param>
/// <param name="GeneralParagraph">MiniLM cosine of the question to the paragraph.</param>
/// <param name="LexicalSentence">TF-IDF coverage of the question by the sentence.</param>
/// <param name="LexicalParagraph">TF-IDF coverage of the question by the paragraph.</param>
/// <param name="ActorShare">Share of the question's actors the sentence mentions (any alias).</param>
/// <param name="IntroducesActor">The sentence names an actor the question asks about in full ("who is…?").</param>
/// <param name="SuppliesType">The sentence can supply the kind of fact asked for.</param>
/// <param name="CountsAskedThing">For "how many X": the sentence counts X (or a near synonym), 0..1.</param>
/// <param name="WeakestWord">Coverage of the question's least-covered content word (see <see cref="WordCoverage"/>).</param>
/// <param name="MeanWord">Mean coverage of the question's content words.</param>
public readonly record struct SentenceSignals(
    double SearchSentence,
    double SearchWindow,
    double SearchParagraph,
    double GeneralSentence,
    double GeneralWindow,
    double GeneralParagraph,
    double LexicalSentence,
    double LexicalParagraph,
    double ActorShare,
    bool IntroducesActor,
    bool SuppliesType,
    double CountsAskedThing,
    double WeakestWord,
    double MeanWord);

/// <summary>What is known about the question itself.</summary>
/// <param name="Wants">The kind of fact asked for.</param>
/// <param name="UnknownWordShare">Share of the question's content words the article never uses.</param>
/// <param name="Words">Number of words in the searched question.</param>
/// <param name="Actors">Number of the article's actors the question names.</param>
/// <param name="UnknownNames">Capitalised names in the question that the article never mentions.</param>
/// <param name="SearchCentroid">arctic-embed-xs cosine of the question to the article's centre (how on-topic it is).</param>
/// <param name="GeneralCentroid">MiniLM cosine of the question to the article's centre.</param>
public readonly record struct QuestionSignals(AnswerType Wants, double UnknownWordShare, int Words, int Actors, int UnknownNames, double SearchCentroid, double GeneralCentroid);

/// <summary>
/// The features the learned models read. Names are written into the shipped model file, so a
/// model trained on other features is refused at load time instead of silently misread.
/// </summary>
public static class RankingFeatures
{
    /// <summary>Features of one sentence for one question (the ranker's input).</summary>
    public static IReadOnlyList<string> SentenceNames { get; } =
    [
        "search_sentence", "search_window", "search_paragraph",
        "general_sentence", "general_window", "general_paragraph",
        "lexical_sentence", "lexical_paragraph",
        "search_sentence_gap", "general_sentence_gap", "lexical_sentence_gap", "search_paragraph_gap",
        "search_sentence_rank", "general_sentence_rank", "lexical_sentence_rank",
        "actor_share", "introduces_actor",
        "asks_type", "supplies_type", "neighbour_supplies_type", "counts_asked_thing",
        "headline", "position", "log_words", "quotation", "quotation_for_who",
        "previous_search_sentence", "next_search_sentence",
        "weakest_word", "mean_word", "weakest_word_gap", "mean_word_gap",
        "previous_actor_share", "continues_previous", "previous_lexical_sentence",
    ];

    /// <summary>Features of one question given the ranker's output (the answerability model's input).</summary>
    public static IReadOnlyList<string> QuestionNames { get; } =
    [
        "top_probability", "second_probability", "probability_margin", "best_typed_probability",
        "top_supplies_type", "asks_type",
        "best_search_sentence", "best_search_paragraph", "best_general_sentence", "best_general_paragraph",
        "best_lexical_sentence", "best_lexical_paragraph",
        "unknown_word_share", "log_question_words", "actors_named", "best_counts_asked_thing", "unknown_names",
        "top_weakest_word", "top_mean_word", "best_weakest_word", "best_mean_word",
        "search_centroid", "general_centroid", "search_sentence_over_centroid", "general_sentence_over_centroid", "search_window_over_centroid",
        "top_channels_agree", "top_search_sentence", "top_lexical_sentence",
    ];

    /// <summary>The feature vectors of every sentence (sentence order).</summary>
    public static float[][] ForSentences(ArticleIndex index, IReadOnlyList<SentenceSignals> signals, AnswerType wants)
    {
        var n = signals.Count;
        double maxSearch = double.MinValue, maxGeneral = double.MinValue, maxLexical = double.MinValue, maxParagraph = double.MinValue;
        double maxWeakest = double.MinValue, maxMean = double.MinValue;
        foreach (var s in signals)
        {
            maxWeakest = Math.Max(maxWeakest, s.WeakestWord);
            maxMean = Math.Max(maxMean, s.MeanWord);
            maxSearch = Math.Max(maxSearch, s.SearchSentence);
            maxGeneral = Math.Max(maxGeneral, s.GeneralSentence);
            maxLexical = Math.Max(maxLexical, s.LexicalSentence);
            maxParagraph = Math.Max(maxParagraph, s.SearchParagraph);
        }

        var searchRank = Ranks(signals, s => s.SearchSentence);
        var generalRank = Ranks(signals, s => s.GeneralSentence);
        var lexicalRank = Ranks(signals, s => s.LexicalSentence);
        var paragraphs = Math.Max(1, index.Article.Paragraphs.Count);
        var result = new float[n][];
        for (var i = 0; i < n; i++)
        {
            var s = signals[i];
            var sentence = index.Sentences[i];
            // News paragraphs are often one sentence long: the neighbours are the story's previous
            // and next sentences, across paragraph breaks (never the headline or standfirst).
            var previous = i > 0 && !index.Sentences[i - 1].IsHeadline ? signals[i - 1] : (SentenceSignals?)null;
            var next = i + 1 < n ? signals[i + 1] : (SentenceSignals?)null;
            var quotation = sentence.Text.Contains('“') || sentence.Text.Contains('"');
            result[i] =
            [
                (float)s.SearchSentence, (float)s.SearchWindow, (float)s.SearchParagraph,
                (float)s.GeneralSentence, (float)s.GeneralWindow, (float)s.GeneralParagraph,
                (float)s.LexicalSentence, (float)s.LexicalParagraph,
                (float)(s.SearchSentence - maxSearch), (float)(s.GeneralSentence - maxGeneral),
                (float)(s.LexicalSentence - maxLexical), (float)(s.SearchParagraph - maxParagraph),
                searchRank[i], generalRank[i], lexicalRank[i],
                (float)s.ActorShare, s.IntroducesActor ? 1 : 0,
                wants != AnswerType.None ? 1 : 0, s.SuppliesType ? 1 : 0,
                (previous?.SuppliesType ?? false) || (next?.SuppliesType ?? false) ? 1 : 0,
                (float)s.CountsAskedThing,
                sentence.IsHeadline ? 1 : 0, (float)sentence.Paragraph / paragraphs, (float)Math.Log(1 + WordCount(sentence.Text)),
                quotation ? 1 : 0, quotation && (wants & AnswerType.Agent) != 0 ? 1 : 0,
                (float)(previous?.SearchSentence ?? 0), (float)(next?.SearchSentence ?? 0),
                (float)s.WeakestWord, (float)s.MeanWord, (float)(s.WeakestWord - maxWeakest), (float)(s.MeanWord - maxMean),
                (float)(previous?.ActorShare ?? 0), ContinuesPrevious(sentence) ? 1 : 0, (float)(previous?.LexicalSentence ?? 0),
            ];
        }

        return result;
    }

    /// <summary>The question's features, given the ranker's probability for every sentence.</summary>
    public static float[] ForQuestion(IReadOnlyList<SentenceSignals> signals, IReadOnlyList<double> probabilities, QuestionSignals question)
    {
        double top = 0, second = 0, bestTyped = 0;
        var topIndex = -1;
        for (var i = 0; i < probabilities.Count; i++)
        {
            var p = probabilities[i];
            if (p > top)
            {
                second = top;
                top = p;
                topIndex = i;
            }
            else if (p > second)
            {
                second = p;
            }

            if (signals[i].SuppliesType)
            {
                bestTyped = Math.Max(bestTyped, p);
            }
        }

        if (question.Wants == AnswerType.None)
        {
            bestTyped = top;
        }

        return
        [
            (float)top, (float)second, (float)(top - second), (float)bestTyped,
            topIndex >= 0 && signals[topIndex].SuppliesType ? 1 : 0, question.Wants != AnswerType.None ? 1 : 0,
            (float)signals.Max(s => s.SearchSentence), (float)signals.Max(s => s.SearchParagraph),
            (float)signals.Max(s => s.GeneralSentence), (float)signals.Max(s => s.GeneralParagraph),
            (float)signals.Max(s => s.LexicalSentence), (float)signals.Max(s => s.LexicalParagraph),
            (float)question.UnknownWordShare, (float)Math.Log(1 + question.Words), question.Actors,
            (float)signals.Max(s => s.CountsAskedThing), question.UnknownNames,
            topIndex >= 0 ? (float)signals[topIndex].WeakestWord : 0, topIndex >= 0 ? (float)signals[topIndex].MeanWord : 0,
            (float)signals.Max(s => s.WeakestWord), (float)signals.Max(s => s.MeanWord),
            (float)question.SearchCentroid, (float)question.GeneralCentroid,
            (float)(signals.Max(s => s.SearchSentence) - question.SearchCentroid),
            (float)(signals.Max(s => s.GeneralSentence) - question.GeneralCentroid),
            (float)(signals.Max(s => s.SearchWindow) - question.SearchCentroid),
            topIndex >= 0 ? ChannelsAgreeing(signals, topIndex) : 0,
            topIndex >= 0 ? (float)signals[topIndex].SearchSentence : 0,
            topIndex >= 0 ? (float)signals[topIndex].LexicalSentence : 0,
        ];
    }

    /// <summary>Share of the meaning and word channels (arctic, MiniLM, TF-IDF) that also rank this sentence first.</summary>
    private static float ChannelsAgreeing(IReadOnlyList<SentenceSignals> signals, int index)
    {
        var s = signals[index];
        var agree = 0;
        agree += signals.All(o => o.SearchSentence <= s.SearchSentence) ? 1 : 0;
        agree += signals.All(o => o.GeneralSentence <= s.GeneralSentence) ? 1 : 0;
        agree += signals.All(o => o.LexicalSentence <= s.LexicalSentence) ? 1 : 0;
        return agree / 3f;
    }

    /// <summary>A sentence that leans on the one before: it opens with a pronoun, a connective or a bare quotation.</summary>
    private static bool ContinuesPrevious(IndexedSentence sentence)
    {
        if (sentence.IsBareQuotation)
        {
            return true;
        }

        var first = Words.Of(sentence.Text).Select(w => w.Key).FirstOrDefault();
        return first is "he" or "she" or "they" or "it" or "his" or "her" or "their" or "its" or "this" or "that" or "these"
            or "those" or "but" or "and" or "also" or "however" or "meanwhile" or "still" or "yet" or "the";
    }

    // 0 for the best, 0.1 per place below it, 1 from the tenth place on.
    private static float[] Ranks(IReadOnlyList<SentenceSignals> signals, Func<SentenceSignals, double> score)
    {
        var order = Enumerable.Range(0, signals.Count).OrderByDescending(i => score(signals[i])).ToArray();
        var ranks = new float[signals.Count];
        for (var r = 0; r < order.Length; r++)
        {
            ranks[order[r]] = Math.Min(r, 10) / 10f;
        }

        return ranks;
    }

    private static int WordCount(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
}
