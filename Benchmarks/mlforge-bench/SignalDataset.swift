import Foundation
import MLData

/// A synthetic 1-D signal task: noisy, shifted, scaled copies of six template waveforms (one class each),
/// with a random baseline and slow drift. The class is in the shape of the waveform, not in any fixed
/// sample position, which is what convolutions with pooling see and per-column models (trees) do not.
///
///     mlforge-bench make-signal OUT_DIR [--train N] [--test N] [--length L] [--seed S]
enum SignalDataset {
    static let classes = ["sine_burst", "square_pulse", "triangle", "chirp", "double_bump", "damped"]

    static func template(_ k: Int, at t: Double) -> Double {
        switch k {
        case 0: return exp(-t * t / 32) * sin(2 * .pi * t / 6)
        case 1: return abs(t) <= 6 ? 1 : 0
        case 2: return max(0, 1 - abs(t) / 8)
        case 3: return abs(t) <= 12 ? sin(2 * .pi * (t + 12) * (t + 12) / 120) : 0
        case 4: return exp(-(t - 5) * (t - 5) / 3) + exp(-(t + 5) * (t + 5) / 3)
        default: return t >= -4 ? exp(-(t + 4) / 6) * cos(2 * .pi * (t + 4) / 7) : 0
        }
    }

    static func rows(_ count: Int, length: Int, rng: inout SeededGenerator) -> [(label: String, values: [Double])] {
        func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * Double(rng.next() >> 11) * 0x1.0p-53 }
        func normal() -> Double {
            let u = max(1e-12, uniform(0, 1)), v = uniform(0, 1)
            return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
        }
        return (0..<count).map { i in
            let k = i % classes.count
            let center = uniform(0.25, 0.75) * Double(length)
            let amplitude = uniform(0.6, 2.0) * (uniform(0, 1) < 0.5 ? -1 : 1)
            let baseline = uniform(-1, 1), drift = uniform(-0.02, 0.02)
            let values = (0..<length).map { j -> Double in
                let t = Double(j) - center
                return amplitude * template(k, at: t) + baseline + drift * Double(j) + 0.35 * normal()
            }
            return (classes[k], values)
        }
    }

    static func write(to folder: URL, train: Int, test: Int, length: Int, seed: UInt64) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var rng = SeededGenerator(seed: seed)
        for (name, count) in [("train.csv", train), ("test.csv", test)] {
            var rows = Self.rows(count, length: length, rng: &rng)
            rows.shuffle(using: &rng)
            var text = (0..<length).map { "t_\($0)" }.joined(separator: ",") + ",shape\n"
            for r in rows { text += r.values.map { String(format: "%.3f", $0) }.joined(separator: ",") + ",\(r.label)\n" }
            try Data(text.utf8).write(to: folder.appendingPathComponent(name), options: .atomic)
        }
    }
}
