import Foundation
import Learners
import MLData
import Support

/// Two cheap landmarks of a table (Pfahringer, Bensusan and Giraud-Carrier 2000): how well two simple
/// learners do on it, each as a share of the way from the trivial prediction (the majority class, or the
/// mean) to a perfect one, clipped to [0, 1]. A decision stump (one split on one feature) tells whether
/// one feature carries the target; the 1-nearest neighbour whether the structure is local. Two tables
/// whose columns and sizes look alike can differ here, and the winning family with them.
///
/// Measured on the first fold of the dense preprocessing (standardised, imputed, one-hot), on at most
/// `trainingRows` of its training rows and `validationRows` of its validation rows (a seeded choice), so
/// that they cost milliseconds on any table.
public struct Landmarks: Codable, Sendable, Equatable {
    /// The decision stump's score (accuracy for classes, explained variance for values), relative to the
    /// trivial prediction.
    public var stump: Double
    /// The 1-nearest neighbour's score, measured alike.
    public var nearestNeighbour: Double

    /// The training rows a landmark learns from, at most.
    public static let trainingRows = 1000
    /// The validation rows a landmark is scored on, at most.
    public static let validationRows = 300

    public init(stump: Double, nearestNeighbour: Double) {
        self.stump = stump
        self.nearestNeighbour = nearestNeighbour
    }

    /// The landmarks of one fold (features without missing values).
    public init(train: LabeledData, validation: LabeledData, seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        func sample(_ data: LabeledData, _ cap: Int) -> LabeledData {
            guard data.features.rows > cap else { return data }
            var order = Array(0..<data.features.rows)
            order.seededShuffle(using: &rng)
            return data.selecting(rows: order.prefix(cap).sorted())
        }
        let train = sample(train, Self.trainingRows), validation = sample(validation, Self.validationRows)
        guard train.features.rows >= 2, validation.features.rows >= 1 else {
            throw AutoMLError.invalidInput("landmarks need at least 2 training rows and 1 validation row")
        }
        let stump = Stump(train)
        let oneNN = try LearnerFamily.knn.learner(["n_neighbors": .int(1), "weights": .string("uniform")], shape: train.shape)
            .fitModel(train, validation: nil, context: FitContext(seed: seed, threads: 1))
            .predict(validation.features)
        let x = validation.features
        let stumpGuesses = (0..<x.rows).map { stump.predict(x.values[($0 * x.columns)..<($0 * x.columns + x.columns)]) }
        switch (train.target, validation.target) {
        case (.classes(let known, let k), .classes(let truth, _)):
            var counts = [Int](repeating: 0, count: k)
            for c in known where c >= 0 { counts[c] += 1 }
            let majority = counts.indices.max { counts[$0] < counts[$1] } ?? 0
            guard let nearest = oneNN.classes else { throw AutoMLError.invalidInput("1-NN gave no classes") }
            func relative(_ guesses: [Int]) -> Double {
                let scored = truth.indices.filter { truth[$0] >= 0 }
                guard !scored.isEmpty else { return 0 }
                let accuracy = Double(scored.filter { guesses[$0] == truth[$0] }.count) / Double(scored.count)
                let trivial = Double(scored.filter { truth[$0] == majority }.count) / Double(scored.count)
                return trivial >= 1 ? 0 : min(1, max(0, (accuracy - trivial) / (1 - trivial)))
            }
            self.init(stump: relative(stumpGuesses.map { Int($0) }), nearestNeighbour: relative(nearest))
        case (.values(let known), .values(let truth)):
            let finite = known.filter(\.isFinite)
            let mean = finite.reduce(0, +) / Double(max(1, finite.count))
            guard case .values(let nearest) = oneNN else { throw AutoMLError.invalidInput("1-NN gave no values") }
            func relative(_ guesses: [Double]) -> Double {
                var error = 0.0, spread = 0.0
                for (g, t) in zip(guesses, truth) where t.isFinite {
                    error += (g - t) * (g - t)
                    spread += (mean - t) * (mean - t)
                }
                return spread <= 0 ? 0 : min(1, max(0, 1 - error / spread))
            }
            self.init(stump: relative(stumpGuesses), nearestNeighbour: relative(nearest))
        default:
            throw AutoMLError.invalidInput("landmarks need the same kind of target in training and validation rows")
        }
    }

    /// The best single split of the training rows (fewest errors for classes, least squared error for
    /// values): a feature, a threshold, and the prediction on each side (a class index or a mean).
    struct Stump {
        var feature = 0
        var threshold = Double.infinity
        var below = 0.0
        var above = 0.0

        init(_ data: LabeledData) {
            let x = data.features, n = x.rows
            var targets: [Double] = []
            var classes = 0
            switch data.target {
            case .classes(let c, let k): targets = c.map(Double.init); classes = k
            case .values(let v): targets = v
            }
            let rows = (0..<n).filter { classes > 0 ? targets[$0] >= 0 : targets[$0].isFinite }
            guard !rows.isEmpty else { return }
            // The loss of predicting one value for a group: errors (classes) or squared error (values).
            var bestLoss = Double.infinity
            for j in 0..<x.columns {
                let order = rows.sorted { x.values[$0 * x.columns + j] < x.values[$1 * x.columns + j] }
                var left = Summary(classes: classes), right = Summary(classes: classes)
                for r in order { right.add(targets[r]) }
                if j == 0 { (bestLoss, below, above) = (right.loss, right.prediction, right.prediction) }
                for (i, r) in order.enumerated().dropLast() {
                    left.add(targets[r])
                    right.remove(targets[r])
                    let v = x.values[r * x.columns + j], next = x.values[order[i + 1] * x.columns + j]
                    guard next > v else { continue }
                    let loss = left.loss + right.loss
                    if loss < bestLoss - 1e-12 {
                        (bestLoss, feature, threshold, below, above) = (loss, j, (v + next) / 2, left.prediction, right.prediction)
                    }
                }
            }
        }

        func predict(_ row: ArraySlice<Double>) -> Double {
            row[row.startIndex + feature] < threshold ? below : above
        }

        /// A group's targets, summarised for its loss and prediction.
        struct Summary {
            var counts: [Int]
            var count = 0.0, sum = 0.0, squares = 0.0

            init(classes: Int) { counts = [Int](repeating: 0, count: classes) }

            mutating func add(_ t: Double) { update(t, 1) }
            mutating func remove(_ t: Double) { update(t, -1) }

            private mutating func update(_ t: Double, _ sign: Double) {
                count += sign
                if counts.isEmpty {
                    sum += sign * t
                    squares += sign * t * t
                } else {
                    counts[Int(t)] += Int(sign)
                }
            }

            var loss: Double {
                counts.isEmpty ? max(0, squares - sum * sum / max(count, 1)) : count - Double(counts.max() ?? 0)
            }

            var prediction: Double {
                counts.isEmpty ? sum / max(count, 1) : Double(counts.indices.max { counts[$0] < counts[$1] } ?? 0)
            }
        }
    }
}
