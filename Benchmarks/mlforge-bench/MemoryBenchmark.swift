import Foundation
import Learners
import MLData
import Search
import TestSupport

/// Trials' memory against the learners' estimates: a generated table (`SyntheticTable.binary`) of `rows`
/// training rows and a quarter as many validation rows; each configuration is fitted with the validation
/// rows and predicts them, as a search's trial does. The peak resident set over the trial, less the
/// resident set before it, is what the trial added; `Learner.estimatedMemory` is meant to hold it. One
/// trial per process (memory a trial frees stays with the process and would hide the next one's), after
/// a first fit on 200 rows that makes the libraries' code and thread pools resident (they are the
/// process's, not the trial's); the peak is reset just before the trial.
enum MemoryBenchmark {
    /// `configuration`: "low-cost" (the search's first configuration; networks for one epoch), "defaults"
    /// or "portfolio-K" (the family's K-th portfolio configuration, from 0); `settings` ("name=value")
    /// then change parameters of it (a value with a dot is a number, one without a whole number, else a
    /// category).
    static func run(family: LearnerFamily, rows: Int, features: Int, configuration: String, settings: [String] = []) throws {
        let train = try SyntheticTable.binary(rows: rows, features: features, seed: 3)
        let validation = try SyntheticTable.binary(rows: max(1, rows / 4), features: features, seed: 4)
        let shape = train.shape
        var point: Configuration?
        switch configuration {
        case "low-cost":
            var lowCost = family.searchSpace(for: shape).lowCostPoint
            if lowCost["epochs"] != nil { lowCost["epochs"] = .int(1) }
            point = lowCost
        case "defaults":
            point = nil
        default:
            let portfolio = family.portfolio(for: shape)
            guard configuration.hasPrefix("portfolio-"), let k = Int(configuration.dropFirst("portfolio-".count)), portfolio.indices.contains(k) else {
                throw LearnerError.invalidConfiguration("--configuration takes low-cost, defaults or portfolio-K (K from 0 to \(portfolio.count - 1)); got \(configuration)")
            }
            point = portfolio[k]
        }
        for setting in settings {
            let parts = setting.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw LearnerError.invalidConfiguration("--set takes name=value; got \(setting)") }
            guard point != nil else { throw LearnerError.invalidConfiguration("--set changes low-cost or portfolio-K, not the defaults") }
            point![parts[0]] = parts[1].contains(".") ? Double(parts[1]).map(ParameterValue.double) ?? .string(parts[1])
                                                     : Int(parts[1]).map(ParameterValue.int) ?? .string(parts[1])
        }
        let learner = try point.map { try family.learner($0, shape: shape) } ?? family.defaults(for: shape)
        let few = try SyntheticTable.binary(rows: 200, features: features, seed: 5)
        _ = try learner.fitModel(few, validation: few, context: FitContext(seed: 0, threads: 2)).predict(few.features)
        let before = try ProcessMemory.residentBytes()
        try ProcessMemory.resetPeak()
        let start = ContinuousClock.now
        let model = try learner.fitModel(train, validation: validation, context: FitContext(seed: 0, threads: 2))
        _ = try model.predict(validation.features)
        let seconds = (ContinuousClock.now - start).inSeconds
        let peak = try ProcessMemory.peakBytes()
        func mb(_ bytes: Int) -> String { String(format: "%.1f", Double(bytes) / 1_048_576) }
        print("{\"family\": \"\(family.rawValue)\", \"configuration\": \"\(configuration)\", \"rows\": \(rows), \"features\": \(features), "
              + "\"learner\": \"\(learner.description)\", \"seconds\": \(seconds), \"before_mb\": \(mb(before)), \"peak_mb\": \(mb(peak)), "
              + "\"trial_mb\": \(mb(peak - before)), \"estimate_mb\": \(mb(learner.estimatedMemory(for: shape)))}")
    }
}
