using CaravanBot.Retrieval.Search;

namespace CaravanBot.Retrieval.Ranking;

/// <summary>The raw similarities of one sentence to one question, before they become features.</summary>
/// <param name="DenseSentence">Embedding cosine of the question to the sentence.</param>
/// <param name="DensePredicate">Embedding cosine of what the question asks about its actors, their names left out, to the sentence (<paramref name="DenseSentence"/> when it names none).</param>
/// <param name="DenseWindow">The same for the sentence's best clause window (the sentence itself when it has none).</param>
/// <param name="DenseParagraph">Embedding cosine of the question to the sentence's paragraph.</param>
/// <param name="LexicalSentence">TF-IDF coverage of the question by the sentence (words and character trigrams).</param>
/// <param name="LexicalWords">TF-IDF coverage of the question by the sentence's words alone.</param>
/// <param name="LexicalParagraph">TF-IDF coverage of the question by the paragraph.</param>
/// <param name="ActorShare">Share of the question's actors the sentence mentions (any alias).</param>
/// <param name="IntroducesActor">The sentence names an actor the question asks about in full ("who is…?").</param>
/// <param name="SuppliesType">The sentence can supply the kind of fact asked for.</param>
/// <param name="CountsAskedThing">For "how many X": the sentence puts a number on X.</param>
/// <param name="WeakestWord">Coverage of the question's least-covered content word (see <see cref="WordCoverage"/>).</param>
/// <param name="MeanWord">Mean coverage of the question's content words.</param>
/// <param name="RelatedWords">Share of the question's content words the sentence says in the same or a related word.</param>
/// <param name="SlotWords">The same share among the words around where the sentence states the kind of fact asked ("how many people died" against "the evacuation of 1,150 people"); see <see cref="WordCoverage.Cover"/>.</param>
/// <param name="NumberMatch">Share of the numbers the question writes in figures that the sentence writes too ("what's the 660,000 about"); 0 when it writes none.</param>
public readonly record struct SentenceSignals(
    double DenseSentence,
    double DensePredicate,
    double DenseWindow,
    double DenseParagraph,
    double LexicalSentence,
    double LexicalWords,
    double LexicalParagraph,
    double ActorShare,
    bool IntroducesActor,
    bool SuppliesType,
    double CountsAskedThing,
    double WeakestWord,
    double MeanWord,
    double RelatedWords,
    double SlotWords,
    double NumberMatch);

/// <summary>What is known about the question itself.</summary>
/// <param name="Wants">The kind of fact asked for.</param>
/// <param name="UnknownWordShare">Share of the question's content words the article never uses.</param>
/// <param name="Words">Number of words in the searched question.</param>
/// <param name="Actors">Number of the article's actors the question names.</param>
/// <param name="UnknownNames">Capitalised names in the question that the article never mentions.</param>
/// <param name="Centroid">Embedding cosine of the question to the article's centre (how on-topic it is).</param>
/// <param name="CountsSomething">The question asks "how many X" and names X.</param>
/// <param name="Furniture">Embedding cosine of the question to the closest block of page furniture the story left out (a caption, a credit, a sign-up box); −1 when the page had none.</param>
public readonly record struct QuestionSignals(AnswerType Wants, double UnknownWordShare, int Words, int Actors, int UnknownNames, double Centroid, bool CountsSomething = false, double Furniture = -1);

/// <summary>
/// The features the learned models read. Names are written into the shipped model file, so a
/// model trained on other features is refused at load time instead of silently misread.
/// </summary>
public static class RankingFeatures
{
    /// <summary>Features of one sentence for one question (the ranker's input).</summary>
    public static IReadOnlyList<string> SentenceNames { get; } =
    [
        "dense_sentence", "dense_window", "dense_paragraph", "lexical_sentence", "lexical_paragraph",
        "dense_sentence_gap", "lexical_sentence_gap", "dense_paragraph_gap",
        "dense_sentence_rank", "lexical_sentence_rank",
        "actor_share", "introduces_actor",
        "asks_type", "supplies_type", "neighbour_supplies_type", "counts_asked_thing",
        "headline", "position", "log_words", "quotation", "quotation_for_who",
        "previous_dense_sentence", "next_dense_sentence",
        "weakest_word", "mean_word", "weakest_word_gap", "mean_word_gap",
        "previous_actor_share", "continues_previous", "previous_lexical_sentence",
        "related_words", "related_words_gap", "dense_predicate", "dense_predicate_gap",
        "lexical_words", "lexical_words_gap", "number_match", "slot_words", "slot_words_gap",
    ];

    /// <summary>Features of one question given the ranker's output (the answerability model's input).</summary>
    public static IReadOnlyList<string> QuestionNames { get; } =
    [
        "top_probability", "second_probability", "probability_margin", "best_typed_probability",
        "top_supplies_type", "asks_type",
        "best_dense_sentence", "best_dense_paragraph", "best_lexical_sentence", "best_lexical_paragraph",
        "unknown_word_share", "log_question_words", "actors_named", "best_counts_asked_thing", "unknown_names",
        "top_weakest_word", "top_mean_word", "best_weakest_word", "best_mean_word",
        "centroid", "dense_sentence_over_centroid", "dense_window_over_centroid",
        "top_channels_agree", "top_dense_sentence", "top_lexical_sentence",
        "top_related_words", "best_related_words", "top_number_match", "best_number_match",
        "type_missing", "typed_probability_gap", "weakest_word_when_typed", "count_missing",
        "top_slot_words", "best_slot_words", "furniture_over_story",
        "pair_question", "pair_sentence", "pair_second",
    ];

    /// <summary>The feature vectors of every sentence (sentence order).</summary>
    public static float[][] ForSentences(ArticleIndex index, IReadOnlyList<SentenceSignals> signals, AnswerType wants)
    {
        var n = signals.Count;
        double maxDense = double.MinValue, maxLexical = double.MinValue, maxParagraph = double.MinValue;
        double maxWeakest = double.MinValue, maxMean = double.MinValue, maxRelated = double.MinValue, maxPredicate = double.MinValue;
        var maxWords = double.MinValue;
        var maxSlot = double.MinValue;
        foreach (var s in signals)
        {
            maxSlot = Math.Max(maxSlot, s.SlotWords);
            maxWords = Math.Max(maxWords, s.LexicalWords);
            maxPredicate = Math.Max(maxPredicate, s.DensePredicate);
            maxRelated = Math.Max(maxRelated, s.RelatedWords);
            maxDense = Math.Max(maxDense, s.DenseSentence);
            maxLexical = Math.Max(maxLexical, s.LexicalSentence);
            maxParagraph = Math.Max(maxParagraph, s.DenseParagraph);
            maxWeakest = Math.Max(maxWeakest, s.WeakestWord);
            maxMean = Math.Max(maxMean, s.MeanWord);
        }

        var denseRank = Ranks(signals, s => s.DenseSentence);
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
                (float)s.DenseSentence, (float)s.DenseWindow, (float)s.DenseParagraph, (float)s.LexicalSentence, (float)s.LexicalParagraph,
                (float)(s.DenseSentence - maxDense), (float)(s.LexicalSentence - maxLexical), (float)(s.DenseParagraph - maxParagraph),
                denseRank[i], lexicalRank[i],
                (float)s.ActorShare, s.IntroducesActor ? 1 : 0,
                wants != AnswerType.None ? 1 : 0, s.SuppliesType ? 1 : 0,
                (previous?.SuppliesType ?? false) || (next?.SuppliesType ?? false) ? 1 : 0,
                (float)s.CountsAskedThing,
                sentence.IsHeadline ? 1 : 0, (float)sentence.Paragraph / paragraphs, (float)Math.Log(1 + WordCount(sentence.Text)),
                quotation ? 1 : 0, quotation && (wants & AnswerType.Agent) != 0 ? 1 : 0,
                (float)(previous?.DenseSentence ?? 0), (float)(next?.DenseSentence ?? 0),
                (float)s.WeakestWord, (float)s.MeanWord, (float)(s.WeakestWord - maxWeakest), (float)(s.MeanWord - maxMean),
                (float)(previous?.ActorShare ?? 0), ContinuesPrevious(sentence) ? 1 : 0, (float)(previous?.LexicalSentence ?? 0),
                (float)s.RelatedWords, (float)(s.RelatedWords - maxRelated),
                (float)s.DensePredicate, (float)(s.DensePredicate - maxPredicate),
                (float)s.LexicalWords, (float)(s.LexicalWords - maxWords), (float)s.NumberMatch,
                (float)s.SlotWords, (float)(s.SlotWords - maxSlot),
            ];
        }

        return result;
    }

    /// <summary>The question's features, given the ranker's probability for every sentence and the question read with its best sentence (<see cref="PairSignals"/>).</summary>
    public static float[] ForQuestion(IReadOnlyList<SentenceSignals> signals, IReadOnlyList<double> probabilities, QuestionSignals question, PairSignals pair)
    {
        double top = 0, second = 0, bestTyped = 0;
        var topIndex = 0;
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

        var best = signals[topIndex];
        var bestDense = signals.Max(s => s.DenseSentence);
        return
        [
            (float)top, (float)second, (float)(top - second), (float)bestTyped,
            best.SuppliesType ? 1 : 0, question.Wants != AnswerType.None ? 1 : 0,
            (float)bestDense, (float)signals.Max(s => s.DenseParagraph),
            (float)signals.Max(s => s.LexicalSentence), (float)signals.Max(s => s.LexicalParagraph),
            (float)question.UnknownWordShare, (float)Math.Log(1 + question.Words), question.Actors,
            (float)signals.Max(s => s.CountsAskedThing), question.UnknownNames,
            (float)best.WeakestWord, (float)best.MeanWord, (float)signals.Max(s => s.WeakestWord), (float)signals.Max(s => s.MeanWord),
            (float)question.Centroid, (float)(bestDense - question.Centroid), (float)(signals.Max(s => s.DenseWindow) - question.Centroid),
            ChannelsAgreeing(signals, topIndex), (float)best.DenseSentence, (float)best.LexicalSentence,
            (float)best.RelatedWords, (float)signals.Max(s => s.RelatedWords),
            (float)best.NumberMatch, (float)signals.Max(s => s.NumberMatch),
            // What a linear model cannot make of its own: a kind of fact was asked and the best
            // sentence does not supply it; "how many X" and it does not count X.
            question.Wants != AnswerType.None && !best.SuppliesType ? 1 : 0,
            (float)(top - bestTyped),
            question.Wants != AnswerType.None ? (float)best.WeakestWord : 0,
            question.CountsSomething && best.CountsAskedThing == 0 ? 1 : 0,
            (float)best.SlotWords, (float)signals.Max(s => s.SlotWords),
            question.Furniture < 0 ? -1 : (float)(question.Furniture - bestDense),
            (float)pair.QuestionToPair, (float)pair.SentenceToPair, (float)pair.SecondToPair,
        ];
    }

    /// <summary>Share of the meaning and word channels that also rank this sentence first.</summary>
    private static float ChannelsAgreeing(IReadOnlyList<SentenceSignals> signals, int index)
    {
        var s = signals[index];
        var agree = signals.All(o => o.DenseSentence <= s.DenseSentence) ? 1 : 0;
        agree += signals.All(o => o.LexicalSentence <= s.LexicalSentence) ? 1 : 0;
        return agree / 2f;
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
