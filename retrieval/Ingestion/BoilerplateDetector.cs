namespace CaravanBot.Retrieval.Ingestion;

/// <summary>Recognises publisher boilerplate (donation appeals, comment-forum lines, newsletter, share, copyright).</summary>
public static class BoilerplateDetector
{
    /// <summary>True when the sentence or short line is publisher boilerplate rather than story text.</summary>
    public static bool IsBoilerplate(string sentence) => throw new NotImplementedException();
}
