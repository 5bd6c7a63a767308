import Tensor

/// Small reference networks, used by the tests, the benchmarks and the docs.
public enum ReferenceModels {
    /// An MLP: `in → hidden… → out` with ReLU (and optional dropout) between layers.
    public static func mlp(
        _ sizes: [Int], dropout: Double = 0, dtype: DType = .float32, using rng: inout some RandomNumberGenerator
    ) -> Sequential {
        var layers: [any Layer] = []
        for i in 0..<(sizes.count - 1) {
            layers.append(Linear(sizes[i], sizes[i + 1], initializer: .kaimingUniform, dtype: dtype, using: &rng))
            if i < sizes.count - 2 {
                layers.append(Function(.relu))
                if dropout > 0 { layers.append(Dropout(dropout, seed: UInt64(i + 1))) }
            }
        }
        return Sequential(layers)
    }

    /// A small CNN for `[N, 1, side, side]` images: two conv–BN–ReLU stages with max pooling, then a linear head.
    public static func smallCNN(side: Int, classes: Int, width: Int = 32, using rng: inout some RandomNumberGenerator) -> Sequential {
        Sequential([
            Conv2d(1, width, kernel: (3, 3), padding: (1, 1), using: &rng), BatchNorm(width), Function(.relu),
            Conv2d(width, 2 * width, kernel: (3, 3), padding: (1, 1), using: &rng), BatchNorm(2 * width), Function(.relu),
            Pooling(.max2d(kernel: 2, stride: 2, padding: 0)),
            Conv2d(2 * width, 2 * width, kernel: (3, 3), padding: (1, 1), using: &rng), BatchNorm(2 * width), Function(.relu),
            Pooling(.max2d(kernel: 2, stride: 2, padding: 0)),
            Function(.flatten),
            Linear(2 * width * (side / 4) * (side / 4), classes, using: &rng),
        ])
    }
}
