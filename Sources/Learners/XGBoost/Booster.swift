import CXGBoost
import Foundation
import MLData

/// Thin, safe wrappers over XGBoost's C API: every call is checked and its error message surfaced.
package enum XGB {
    package static func check(_ rc: Int32, _ what: @autoclosure () -> String) throws {
        guard rc == 0 else {
            let message = XGBGetLastError().map { String(cString: $0) } ?? "unknown error"
            throw LearnerError.library("\(what()): \(message)")
        }
    }

    /// The library's version, "major.minor.patch".
    package static var version: String {
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        XGBoostVersion(&major, &minor, &patch)
        return "\(major).\(minor).\(patch)"
    }
}

/// An XGBoost DMatrix built from a feature matrix (NaN is missing), with optional labels. The matrix's
/// category-code features are declared categorical, so that the trees split on sets of levels.
package final class DMatrix {
    package let handle: DMatrixHandle
    package let rows: Int

    package init(_ x: FeatureMatrix, labels: [Float]? = nil, weights: [Float]? = nil, threads: Int = 1) throws {
        var h: DMatrixHandle?
        let data = x.values.map { Float($0) }
        try XGB.check(
            data.withUnsafeBufferPointer {
                XGDMatrixCreateFromMat_omp($0.baseAddress, UInt64(x.rows), UInt64(x.columns), Float.nan, &h, Int32(threads))
            }, "creating a DMatrix of \(x.rows)×\(x.columns)")
        guard let h else { throw LearnerError.library("XGDMatrixCreateFromMat returned no matrix") }
        handle = h
        rows = x.rows
        if !x.categoryCodeFeatures.isEmpty {
            var types = [String](repeating: "q", count: x.columns)
            for c in x.categoryCodeFeatures { types[c] = "c" }
            let cStrings = types.map { strdup($0) }
            defer { cStrings.forEach { free($0) } }
            var pointers = cStrings.map { UnsafePointer($0) }
            try XGB.check(XGDMatrixSetStrFeatureInfo(h, "feature_type", &pointers, UInt64(types.count)), "declaring the categorical features")
        }
        if let labels {
            precondition(labels.count == x.rows, "DMatrix: one label per row")
            try XGB.check(labels.withUnsafeBufferPointer { XGDMatrixSetFloatInfo(h, "label", $0.baseAddress, UInt64(labels.count)) },
                          "setting labels")
        }
        if let weights {
            precondition(weights.count == x.rows, "DMatrix: one weight per row")
            try XGB.check(weights.withUnsafeBufferPointer { XGDMatrixSetFloatInfo(h, "weight", $0.baseAddress, UInt64(weights.count)) },
                          "setting weights")
        }
    }

    deinit { XGDMatrixFree(handle) }

    /// Seconds to build a DMatrix and the quantile cuts and histogram index the first boosting round
    /// derives from it, per value (rows × features), measured with `mlforge-bench cost xgboost --large
    /// --low-cost` (XGBoost 1.7.4, 2 threads, 256 bins): 0.43 s of 0.47 for 20,000 × 128 training rows
    /// plus 5,000 validation rows, 6.7 s of 7.2 for 80,000 × 500 plus 20,000 — about 1.33e-7 s a value,
    /// and over 90% of the search's first tree trial there.
    package static let setupSecondsPerValue = 1.33e-7

    /// The estimated setup of a fit on `shape`'s training rows and validation rows a quarter as many (a
    /// search's hold-out; a refit without validation costs a fifth less). A `FitCache` keeps it for the
    /// next fit on the same rows.
    package static func estimatedSetupSeconds(for shape: DataShape) -> Double {
        setupSecondsPerValue * 1.25 * Double(shape.rows) * Double(max(1, shape.features))
    }

    /// The DMatrix of `x` with its labels, kept in `cache` (when there is one) so that later fits on the
    /// same rows reuse it and the quantile cuts and histogram index XGBoost builds into it on first use.
    /// `role` tells the fold's matrices apart ("train", "validation").
    package static func cached(_ x: FeatureMatrix, labels: [Float], weights: [Float]? = nil, threads: Int, role: String,
                               in cache: FitCache?) throws -> DMatrix {
        guard let cache else { return try DMatrix(x, labels: labels, weights: weights, threads: threads) }
        let bytes = TreeMemory.matrixBytes(rows: x.rows, columns: x.columns) + 4 * labels.count + 4 * (weights?.count ?? 0)
        return try cache.value(for: "xgboost.dmatrix.\(role).\(threads)", bytes: bytes) {
            try DMatrix(x, labels: labels, weights: weights, threads: threads)
        }
    }
}

/// An XGBoost booster. Calls are serialised by a lock, so a fitted model may predict from several threads.
package final class Booster: @unchecked Sendable {
    private let handle: BoosterHandle
    private let lock = NSLock()

    /// A new booster whose training will use `cache` (the training and validation matrices).
    package init(cache: [DMatrix], parameters: [(String, String)]) throws {
        var h: BoosterHandle?
        var handles: [DMatrixHandle?] = cache.map { $0.handle }
        try XGB.check(XGBoosterCreate(&handles, UInt64(handles.count), &h), "creating a booster")
        guard let h else { throw LearnerError.library("XGBoosterCreate returned no booster") }
        handle = h
        for (key, value) in parameters {
            try XGB.check(XGBoosterSetParam(h, key, value), "setting \(key)=\(value)")
        }
    }

    /// A booster read from a model saved by `json()` (or by any XGBoost as JSON).
    package init(json: [UInt8], threads: Int = 1) throws {
        var h: BoosterHandle?
        try XGB.check(XGBoosterCreate(nil, 0, &h), "creating a booster")
        guard let h else { throw LearnerError.library("XGBoosterCreate returned no booster") }
        handle = h
        try XGB.check(json.withUnsafeBytes { XGBoosterLoadModelFromBuffer(h, $0.baseAddress, UInt64(json.count)) },
                      "loading a model")
        try XGB.check(XGBoosterSetParam(h, "nthread", "\(threads)"), "setting nthread")
    }

    deinit { XGBoosterFree(handle) }

    package func setParameter(_ key: String, _ value: String) throws {
        lock.lock(); defer { lock.unlock() }
        try XGB.check(XGBoosterSetParam(handle, key, value), "setting \(key)=\(value)")
    }

    /// Adds one boosting round (one tree per class, or one forest) trained on `train`.
    package func update(iteration: Int, train: DMatrix) throws {
        lock.lock(); defer { lock.unlock() }
        try XGB.check(XGBoosterUpdateOneIter(handle, Int32(iteration), train.handle), "boosting round \(iteration)")
    }

    /// The evaluation metric on `matrix` after `iteration`, as XGBoost computes it ("valid-auc:0.93" → 0.93).
    package func evaluate(iteration: Int, _ matrix: DMatrix) throws -> Double {
        lock.lock(); defer { lock.unlock() }
        var handles: [DMatrixHandle?] = [matrix.handle]
        var out: UnsafePointer<CChar>?
        let name = strdup("valid")
        defer { free(name) }
        var names: [UnsafePointer<CChar>?] = [UnsafePointer(name)]
        try XGB.check(XGBoosterEvalOneIter(handle, Int32(iteration), &handles, &names, 1, &out), "evaluating round \(iteration)")
        guard let out, let text = Optional(String(cString: out)), let colon = text.lastIndex(of: ":"),
              let value = Double(text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)) else {
            throw LearnerError.library("could not read the evaluation result of round \(iteration)")
        }
        return value
    }

    /// Predictions on `matrix` from rounds `0..<rounds` (0: all); `margin` gives raw scores.
    package func predict(_ matrix: DMatrix, rounds: Int = 0, margin: Bool = false) throws -> [Float] {
        try predicted(matrix, type: margin ? 1 : 0, rounds: rounds, strictShape: false, what: "predicting").values
    }

    /// TreeSHAP contributions on `matrix` (XGBoost's `pred_contribs`): rows × groups × (features + 1),
    /// the bias last, in margin space.
    package func contributions(_ matrix: DMatrix) throws -> (values: [Float], shape: [Int]) {
        try predicted(matrix, type: 2, rounds: 0, strictShape: true, what: "computing contributions")
    }

    /// XGBoost's prediction of `type` (0 values, 1 margins, 2 contributions) with its shape.
    private func predicted(_ matrix: DMatrix, type: Int, rounds: Int, strictShape: Bool, what: String) throws -> (values: [Float], shape: [Int]) {
        lock.lock(); defer { lock.unlock() }
        let config = #"{"type": \#(type), "training": false, "iteration_begin": 0, "iteration_end": \#(rounds), "strict_shape": \#(strictShape)}"#
        var shape: UnsafePointer<UInt64>?
        var dims: UInt64 = 0
        var result: UnsafePointer<Float>?
        try XGB.check(XGBoosterPredictFromDMatrix(handle, matrix.handle, config, &shape, &dims, &result), what)
        guard let shape, let result else { throw LearnerError.library("\(what) returned nothing") }
        let dimensions = (0..<Int(dims)).map { Int(shape[$0]) }
        return (Array(UnsafeBufferPointer(start: result, count: dimensions.reduce(1, *))), dimensions)
    }

    /// Keeps only the first `rounds` boosting rounds.
    package func sliced(rounds: Int) throws -> Booster {
        lock.lock(); defer { lock.unlock() }
        var out: BoosterHandle?
        try XGB.check(XGBoosterSlice(handle, 0, Int32(rounds), 1, &out), "slicing to \(rounds) rounds")
        guard let out else { throw LearnerError.library("XGBoosterSlice returned no booster") }
        return Booster(adopting: out)
    }

    private init(adopting h: BoosterHandle) { handle = h }

    package var boostedRounds: Int {
        lock.lock(); defer { lock.unlock() }
        var n: Int32 = 0
        return XGBoosterBoostedRounds(handle, &n) == 0 ? Int(n) : 0
    }

    /// The model as XGBoost JSON (readable by xgboost-python's `Booster.load_model`).
    package func json() throws -> [UInt8] {
        lock.lock(); defer { lock.unlock() }
        var length: UInt64 = 0
        var bytes: UnsafePointer<CChar>?
        try XGB.check(XGBoosterSaveModelToBuffer(handle, #"{"format": "json"}"#, &length, &bytes), "saving the model")
        guard let bytes else { throw LearnerError.library("saving returned nothing") }
        return bytes.withMemoryRebound(to: UInt8.self, capacity: Int(length)) { Array(UnsafeBufferPointer(start: $0, count: Int(length))) }
    }
}
