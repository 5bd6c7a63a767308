/// The mean and the sample variance (divided by n − 1) of a few numbers, as the checks that decide by
/// standard errors use them (the ensemble guard's split gains, self-training's bootstrap differences).
public enum SampleStatistics {
    /// Nil for fewer than two values.
    public static func meanAndVariance(_ values: [Double]) -> (mean: Double, variance: Double)? {
        guard values.count >= 2 else { return nil }
        let mean = values.reduce(0, +) / Double(values.count)
        return (mean, values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1))
    }
}
