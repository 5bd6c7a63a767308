import Search

/// Reads typed hyperparameters out of a search configuration, with errors that name the parameter.
struct ConfigurationReader {
    let configuration: Configuration
    let learner: String

    init(_ configuration: Configuration, learner: String) {
        self.configuration = configuration
        self.learner = learner
    }

    private func value(_ name: String) throws -> ParameterValue {
        guard let v = configuration[name] else {
            throw LearnerError.invalidConfiguration("\(learner) needs the parameter '\(name)'; the configuration has \(configuration.keys.sorted())")
        }
        return v
    }

    func int(_ name: String) throws -> Int {
        switch try value(name) {
        case .int(let v): return v
        case .double(let d) where d == d.rounded(): return Int(d)
        case let other: throw LearnerError.invalidConfiguration("\(learner): '\(name)' must be a whole number; got \(other)")
        }
    }

    func double(_ name: String) throws -> Double {
        guard let d = try value(name).doubleValue else {
            throw LearnerError.invalidConfiguration("\(learner): '\(name)' must be a number")
        }
        return d
    }

    func string(_ name: String) throws -> String {
        guard case .string(let s) = try value(name) else {
            throw LearnerError.invalidConfiguration("\(learner): '\(name)' must be a string")
        }
        return s
    }

    /// A string parameter that must be one of the cases of `T`.
    func choice<T: RawRepresentable>(_ name: String, as _: T.Type) throws -> T where T.RawValue == String {
        let s = try string(name)
        guard let v = T(rawValue: s) else { throw LearnerError.invalidConfiguration("\(learner): '\(name)' = '\(s)' is not a known choice") }
        return v
    }

    /// An optional parameter (inactive under a condition).
    func has(_ name: String) -> Bool { configuration[name] != nil }
}

/// A search space written out in code: its ranges are valid by construction, so a failure is a programming error.
func fixedSpace(_ parameters: [SearchSpace.Parameter]) -> SearchSpace {
    do { return try SearchSpace(parameters) } catch {
        preconditionFailure("a learner's built-in search space is invalid: \(error)")
    }
}
