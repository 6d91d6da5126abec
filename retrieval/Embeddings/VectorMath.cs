namespace CaravanBot.Retrieval.Embeddings;

/// <summary>Small dense-vector operations used by retrieval.</summary>
public static class VectorMath
{
    /// <summary>Dot product; the cosine similarity for unit vectors.</summary>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b) =>
        System.Numerics.Tensors.TensorPrimitives.Dot(a, b);

    /// <summary>Euclidean length.</summary>
    public static float Norm(ReadOnlySpan<float> v) => System.Numerics.Tensors.TensorPrimitives.Norm(v);

    /// <summary>Scales <paramref name="v"/> to unit length in place (a zero vector stays zero).</summary>
    public static void Normalize(Span<float> v)
    {
        var norm = System.Numerics.Tensors.TensorPrimitives.Norm(v);
        if (norm > 0)
        {
            System.Numerics.Tensors.TensorPrimitives.Divide(v, norm, v);
        }
    }
}
