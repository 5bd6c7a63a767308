/// The fixed part of an exported Swift file: reading a row's texts, the encoders' lookups, the data
/// decoder, and the three model kinds (trees, linear, network) with the arithmetic of MLForge's own
/// prediction (Float tree walks and network passes, Double links and averages). Every declaration is
/// nested in the exported type (`__TYPE__` is replaced by its name), so several exported models can be
/// compiled into one module.
enum SwiftRuntimeSource {
    static func text(typeName: String) -> String { template.replacingOccurrences(of: "__TYPE__", with: typeName) }

    private static let template = #"""
// MARK: - What every exported model shares (the same in every file MLForge writes)

extension __TYPE__ {
    /// Texts that mean "no value", compared without regard to case after trimming spaces and tabs.
    private static let missingTokens: Set<String> = ["", "na", "n/a", "nan", "null", "none", "?"]

    private static func trimmed(_ s: String) -> Substring {
        var t = Substring(s)
        while let f = t.first, f == " " || f == "\t" { t.removeFirst() }
        while let l = t.last, l == " " || l == "\t" { t.removeLast() }
        return t
    }

    /// The text of `column`, nil when it is a missing value.
    private static func text(_ row: [String: String], _ column: String) throws -> String? {
        guard let s = row[column] else { throw InputError.missingColumn(column) }
        return missingTokens.contains(trimmed(s).lowercased()) ? nil : s
    }

    /// A numeric column's value (NaN when missing).
    private static func number(_ row: [String: String], _ column: String) throws -> Double {
        guard let s = try text(row, column) else { return .nan }
        guard let v = Double(trimmed(s)) else { throw InputError.notANumber(column: column, value: s) }
        return v
    }

    /// A true/false column's value as 1 or 0 (NaN when missing).
    private static func boolean(_ row: [String: String], _ column: String) throws -> Double {
        guard let s = try text(row, column) else { return .nan }
        switch trimmed(s).lowercased() {
        case "true": return 1
        case "false": return 0
        default: throw InputError.notABoolean(column: column, value: s)
        }
    }

    /// A number as a group label: whole numbers without a fraction.
    private static func label(_ x: Double) -> String {
        if x.isFinite, x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return String(x)
    }

    /// Level → its first position in `levels`.
    private static func index(_ levels: [String]) -> [String: Int] {
        var out: [String: Int] = [:]
        for (i, l) in levels.enumerated() where out[l] == nil { out[l] = i }
        return out
    }

    /// One-hot features: the `kept` levels, then the pool of rare levels when there is one; an unseen
    /// level goes to the pool (or nowhere), a missing value to `fill`; then the missing indicator.
    private static func oneHot(_ value: String?, _ index: [String: Int], kept: Int, hasOther: Bool, fill: Int,
                               indicator: Bool, into x: inout [Double]) {
        let other = hasOther ? kept : -1
        var hot = fill
        if let value { hot = index[value].map { $0 < kept ? $0 : other } ?? other }
        let start = x.count
        x.append(contentsOf: repeatElement(0, count: kept + (hasOther ? 1 : 0)))
        if hot >= 0 { x[start + hot] = 1 }
        if indicator { x.append(value == nil ? 1 : 0) }
    }

    /// A level's rank by frequency (0 when missing, the level count when unseen), then the indicator.
    private static func ordinal(_ value: String?, _ index: [String: Int], count: Int, indicator: Bool, into x: inout [Double]) {
        if let value { x.append(Double(index[value] ?? count)) } else { x.append(0) }
        if indicator { x.append(value == nil ? 1 : 0) }
    }

    /// A level's code for native categorical splits: NaN when missing, the pool's code for rare or unseen levels.
    private static func categoryCode(_ value: String?, _ index: [String: Int], kept: Int, hasOther: Bool, into x: inout [Double]) {
        let other = hasOther ? Double(kept) : .nan
        guard let value else { x.append(.nan); return }
        x.append(index[value].map { $0 < kept ? Double($0) : other } ?? other)
    }

    /// A level's smoothed target means (`width` numbers), the fill for a missing value, the prior for an
    /// unseen level, then the indicator.
    private static func targetMeans(_ value: String?, _ index: [String: Int], encodings: [Double], width: Int, fill: [Double],
                                    prior: [Double], indicator: Bool, into x: inout [Double]) {
        if let value {
            if let k = index[value] { x.append(contentsOf: encodings[(k * width)..<(k * width + width)]) } else { x.append(contentsOf: prior) }
        } else {
            x.append(contentsOf: fill)
        }
        if indicator { x.append(value == nil ? 1 : 0) }
    }

    /// Standardisation of the features at `columns`.
    private static func scale(_ x: inout [Double], columns: [Int32], means: [Double], scales: [Double]) {
        for (i, c) in columns.enumerated() { x[Int(c)] = (x[Int(c)] - means[i]) / scales[i] }
    }

    /// The weighted sum of `v` into `sum` (the ensemble's average is this, then a division).
    private static func add(_ sum: inout [Double], _ v: [Double], weight: Double) {
        for j in sum.indices { sum[j] += weight * v[j] }
    }

    /// The more probable class (the first on ties).
    private static func argmax(_ p: [Double]) -> Int {
        var best = 0
        for c in 1..<p.count where p[c] > p[best] { best = c }
        return best
    }

    /// How raw scores become predictions.
    private enum Link: Sendable {
        case regression, binary, multiclass

        /// The value; the logistic of one score as [1 − q, q]; or a softmax.
        func predictions(_ z: [Double]) -> [Double] {
            switch self {
            case .regression: return z
            case .binary:
                let q = 1 / (1 + exp(-z[0]))
                return [1 - q, q]
            case .multiclass:
                let top = z.max() ?? 0
                var p = z.map { exp($0 - top) }
                var s = 0.0
                for v in p { s += v }
                for i in p.indices { p[i] /= s }
                return p
            }
        }
    }

    /// Numbers stored as base64 text (little-endian), decoded once: big tables compile in a moment this way.
    private enum Blob {
        static func bytes(_ s: String) -> [UInt8] {
            var table = [UInt8](repeating: 255, count: 256)
            for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() { table[Int(c)] = UInt8(i) }
            var out: [UInt8] = []
            out.reserveCapacity(s.utf8.count / 4 * 3)
            var acc: UInt32 = 0, bits = 0
            for c in s.utf8 {
                let v = table[Int(c)]
                if v == 255 { continue }
                acc = (acc << 6 | UInt32(v)) & 0xFFFFFF
                bits += 6
                if bits >= 8 {
                    bits -= 8
                    out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
                }
            }
            return out
        }

        /// Little-endian 32-bit words (each step spelled out: one long expression of shifts is slow to type-check).
        static func words(_ s: String) -> [UInt32] {
            let b = bytes(s)
            var out: [UInt32] = []
            out.reserveCapacity(b.count / 4)
            var i = 0
            while i + 3 < b.count {
                let low: UInt32 = UInt32(b[i]) | UInt32(b[i + 1]) << 8
                let high: UInt32 = UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
                out.append(low | high)
                i += 4
            }
            return out
        }

        static func floats(_ s: String) -> [Float] { words(s).map { Float(bitPattern: $0) } }
        static func int32s(_ s: String) -> [Int32] { words(s).map { Int32(bitPattern: $0) } }

        static func doubles(_ s: String) -> [Double] {
            let w = words(s)
            var out: [Double] = []
            out.reserveCapacity(w.count / 2)
            var i = 0
            while i + 1 < w.count {
                let bits: UInt64 = UInt64(w[i]) | UInt64(w[i + 1]) << 32
                out.append(Double(bitPattern: bits))
                i += 2
            }
            return out
        }

        /// A count, then each text's UTF-8 length and bytes.
        static func strings(_ s: String) -> [String] {
            let b = bytes(s)
            func length(_ at: Int) -> Int {
                let low: Int = Int(b[at]) | Int(b[at + 1]) << 8
                return low | Int(b[at + 2]) << 16 | Int(b[at + 3]) << 24
            }
            var out: [String] = []
            var at = 4
            for _ in 0..<length(0) {
                let n = length(at)
                out.append(String(decoding: b[(at + 4)..<(at + 4 + n)], as: UTF8.self))
                at += 4 + n
            }
            return out
        }
    }

    /// XGBoost trees as flat arrays, walked as XGBoost's CPU predictor does: Float features, `value <
    /// threshold` goes left, NaN takes the default branch, a categorical split sends its set right.
    private struct Trees: Sendable {
        enum Objective: Sendable { case squaredError, logistic, softprob }
        let objective: Objective
        let outputs: Int
        let base: [Float]
        let feature: [Int32]
        let value: [Float]
        let left: [Int32]
        let right: [Int32]
        let defaultLeft: [Int32]
        /// Per node: the offset of its category set in `words` (a word count, then the bits), or -1.
        let categories: [Int32]
        let words: [UInt32]
        let roots: [Int32]
        let groups: [Int32]

        func margins(_ x: [Float]) -> [Float] {
            var m = (0..<outputs).map { base[base.count == 1 ? 0 : $0] }
            for t in roots.indices { m[Int(groups[t])] += leaf(Int(roots[t]), x) }
            return m
        }

        func leaf(_ root: Int, _ x: [Float]) -> Float {
            var n = root
            while feature[n] >= 0 {
                let v = x[Int(feature[n])]
                if v.isNaN {
                    n = Int(defaultLeft[n] != 0 ? left[n] : right[n])
                } else if categories[n] >= 0 {
                    n = Int(inSet(v, Int(categories[n])) ? right[n] : left[n])
                } else {
                    n = Int(v < value[n] ? left[n] : right[n])
                }
            }
            return value[n]
        }

        func inSet(_ v: Float, _ offset: Int) -> Bool {
            guard v >= 0, v < 16_777_216 else { return false }
            let c = Int(v)
            guard c >> 5 < Int(words[offset]) else { return false }
            return words[offset + 1 + (c >> 5)] & (1 << UInt32(c & 31)) != 0
        }

        /// The margins through the objective, in Float as XGBoost computes them.
        func objectiveOutputs(_ x: [Float]) -> [Float] {
            var m = margins(x)
            switch objective {
            case .squaredError: break
            case .logistic: m = m.map { 1 / (1 + exp(-$0)) }
            case .softprob:
                var top = m[0]
                for v in m.dropFirst() { top = fmaxf(v, top) }
                var sum = 0.0
                for c in m.indices { m[c] = exp(m[c] - top); sum += Double(m[c]) }
                for c in m.indices { m[c] /= Float(sum) }
            }
            return m
        }
    }

    /// Boosted trees (one ensemble through its objective) or a forest (ensembles' margins averaged).
    private struct TreeModel: Sendable {
        let averaged: Bool
        let link: Link
        let ensembles: [Trees]
        let weights: [Double]

        func predict(_ features: [Double]) -> [Double] {
            let x = features.map { Float($0) }
            if !averaged {
                var p = ensembles[0].objectiveOutputs(x).map { Double($0) }
                switch link {
                case .regression: return p
                case .binary: return [1 - p[0], p[0]]
                case .multiclass:
                    var s = 0.0
                    for v in p { s += v }
                    if s > 0 { for c in p.indices { p[c] /= s } }
                    return p
                }
            }
            var z = [Double](repeating: 0, count: ensembles[0].outputs)
            for (e, w) in zip(ensembles, weights) {
                let m = e.margins(x)
                for i in z.indices { z[i] += Double(m[i]) * w }
            }
            return link.predictions(z)
        }
    }

    /// Scores `x · W + b` (`W`: features × outputs, row-major), then the link.
    private struct LinearModel: Sendable {
        let link: Link
        let weights: [Double]
        let intercept: [Double]

        func predict(_ x: [Double]) -> [Double] {
            let k = intercept.count
            var z = [Double](repeating: 0, count: k)
            for (j, v) in x.enumerated() { for o in 0..<k { z[o] += v * weights[j * k + o] } }
            for o in 0..<k { z[o] += intercept[o] }
            return link.predictions(z)
        }
    }

    /// One step of a network's forward pass on a row (Float32).
    private indirect enum Op: Sendable {
        enum Activation: Sendable { case relu, gelu, silu, tanh, sigmoid, identity, zero }
        enum Block: Sendable { case pass(Int, Int), project(Int, Int, weight: [Float], outputs: Int) }
        case standardize(mean: [Float], inverseScale: [Float])
        case blocks([Block])
        case dense(weight: [Float], bias: [Float]?, inputs: Int, outputs: Int)
        case batchNorm(mean: [Float], variance: [Float], scale: [Float], shift: [Float], epsilon: Float)
        case layerNorm(scale: [Float], shift: [Float], epsilon: Float)
        case activation(Activation)
        case residual([Op])

        static func run(_ ops: [Op], _ input: [Float]) -> [Float] { ops.reduce(input) { $1.apply($0) } }

        static func matrix(_ w: [Float], _ x: ArraySlice<Float>, outputs: Int) -> [Float] {
            let n = x.count, lo = x.startIndex
            return (0..<outputs).map { o in
                var s = 0.0
                for i in 0..<n { s += Double(w[o * n + i]) * Double(x[lo + i]) }
                return Float(s)
            }
        }

        static func sigmoid(_ v: Float) -> Float {
            if v >= 0 {
                let e: Float = exp(-v)
                return 1 / (1 + e)
            }
            let e: Float = exp(v)
            return e / (1 + e)
        }

        /// x · Φ(x), with the exact normal CDF.
        static func gelu(_ v: Float) -> Float {
            let phi: Float = (1 + erf(v * 0.70710677)) / 2
            return v * phi
        }

        func apply(_ x: [Float]) -> [Float] {
            switch self {
            case .standardize(let mean, let inverse):
                return x.indices.map { i in (x[i] - mean[mean.count == 1 ? 0 : i]) * inverse[inverse.count == 1 ? 0 : i] }
            case .blocks(let blocks):
                var out: [Float] = []
                for b in blocks {
                    switch b {
                    case .pass(let lo, let hi): out += x[lo..<hi]
                    case .project(let lo, let hi, let w, let k): out += Op.matrix(w, x[lo..<hi], outputs: k)
                    }
                }
                return out
            case .dense(let w, let b, _, let k):
                var y = Op.matrix(w, x[...], outputs: k)
                if let b { for o in 0..<k { y[o] += b[o] } }
                return y
            case .batchNorm(let mean, let variance, let scale, let shift, let eps):
                return x.indices.map { i in (x[i] - mean[i]) / (variance[i] + eps).squareRoot() * scale[i] + shift[i] }
            case .layerNorm(let scale, let shift, let eps):
                let n = Float(x.count)
                let mean = x.reduce(0, +) / n
                let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
                return x.indices.map { i in (x[i] - mean) / (variance + eps).squareRoot() * scale[i] + shift[i] }
            case .activation(let f):
                switch f {
                case .relu: return x.map { $0 > 0 ? $0 : 0 }
                case .gelu: return x.map(Op.gelu)
                case .silu: return x.map { $0 * Op.sigmoid($0) }
                case .tanh: return x.map { (v: Float) -> Float in tanh(v) }
                case .sigmoid: return x.map(Op.sigmoid)
                case .identity: return x
                case .zero: return x.map { $0 * 0 }
                }
            case .residual(let body):
                let y = Op.run(body, x)
                return x.indices.map { x[$0] + y[$0] }
            }
        }
    }

    /// A network: its operations, then a softmax over the classes, or the output rescaled for regression.
    private struct NetworkModel: Sendable {
        let link: Link
        let operations: [Op]
        let targetMean: Double
        let targetScale: Double

        func predict(_ x: [Double]) -> [Double] {
            let out = Op.run(operations, x.map { Float($0) }).map { Double($0) }
            switch link {
            case .regression: return out.map { $0 * targetScale + targetMean }
            case .binary, .multiclass: return Link.multiclass.predictions(out)
            }
        }
    }
}
"""#
}
