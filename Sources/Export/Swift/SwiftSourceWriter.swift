import AutoML
import Learners
import MLData

/// Writes an `ExportPlan` as one dependency-free Swift file: a public type with
/// `predict(_ row: [String: String])` (and `probabilities` for classification) over the model's
/// preprocessing, its ensemble members and its decision rule, then the shared runtime.
struct SwiftSourceWriter {
    let plan: ExportPlan
    let typeName: String

    private var model: AutoMLModel { plan.model }
    private var outputs: Int { model.task.isClassification ? model.classes.count : 1 }

    /// The columns `predict` reads: those some exported preprocessing uses, and the fairness rule's
    /// sensitive column, in the schema's order.
    var columns: [String] {
        var used = Set(plan.preprocessingKeys.compactMap(plan.preprocessor).flatMap(\.usedColumns))
        if let c = model.fairness?.constraint.column { used.insert(c) }
        return model.schema.map(\.name).filter(used.contains)
    }

    func source() -> String {
        [header(), publicType(), internals(), SwiftRuntimeSource.text(typeName: typeName)].joined(separator: "\n")
    }

    private func header() -> String {
        let families = plan.members.map { "\($0.family.rawValue) × \($0.weight.formatted3)" }.joined(separator: ", ")
        return """
        // \(typeName).swift — written by MLForge \(AutoMLModel.version) (`mlforge export --format swift`).
        // The model of '\(SwiftPreprocessingSource.comment(model.targetName))' (\(model.task)): \(plan.members.count) ensemble member\(plan.members.count == 1 ? "" : "s") (\(families)) and the preprocessing they read.
        // It predicts what `mlforge predict` predicts on the same rows. It depends on nothing but the
        // standard library and the C math library. Do not edit it: export the model again.

        #if canImport(Darwin)
        import Darwin
        #elseif canImport(Glibc)
        import Glibc
        #elseif canImport(Musl)
        import Musl
        #endif

        """
    }

    private func publicType() -> String {
        let classification = model.task.isClassification
        var lines: [String] = []
        lines.append("/// Predicts '\(SwiftPreprocessingSource.comment(model.targetName))' from one row given as column name → value text, as a CSV file holds it:")
        lines.append("/// numbers as text, a category's label, and an empty text (or NA, N/A, NaN, null, None, ?) for a missing value.")
        lines.append("/// Every column in `columns` must be present; other keys are ignored.")
        lines.append("public struct \(typeName): Sendable {")
        lines.append("""
            /// A row `predict` cannot read.
            public enum InputError: Error, Equatable, CustomStringConvertible {
                case missingColumn(String)
                case notANumber(column: String, value: String)
                case notABoolean(column: String, value: String)

                public var description: String {
                    switch self {
                    case .missingColumn(let c): return "the row has no value for the column '\\(c)'; give an empty text for a missing value"
                    case .notANumber(let c, let v): return "the column '\\(c)' holds numbers, but the row gives '\\(v)'"
                    case .notABoolean(let c, let v): return "the column '\\(c)' holds true or false, but the row gives '\\(v)'"
                    }
                }
            }

        """)
        if classification {
            lines.append("""
                /// A predicted class and the probability of every class (in the order of `classes`).
                public struct Prediction: Sendable, Equatable {
                    public let label: String
                    public let probabilities: [Double]
                }

            """)
        }
        lines.append("    /// The column the model predicts.")
        lines.append("    public static let target = \(SwiftLiteral.string(model.targetName))")
        if classification {
            lines.append("    /// The classes, in the order of the probabilities.")
            lines.append("    public static let classes: [String] = \(SwiftLiteral.strings(model.classes))")
        }
        lines.append("    /// The columns `predict` reads.")
        lines.append("    public static let columns: [String] = \(SwiftLiteral.strings(columns))")
        lines.append("")
        lines.append("    public init() {}")
        lines.append("")
        if classification {
            lines.append("""
                /// The predicted class of `row`, with the class probabilities.
                public func predict(_ row: [String: String]) throws -> Prediction {
                    let p = try Self.ensemble(row)
                    return Prediction(label: Self.classes[try Self.decide(p, row)], probabilities: p)
                }

                /// The probability of each class for `row`, in the order of `classes`.
                public func probabilities(_ row: [String: String]) throws -> [Double] { try Self.ensemble(row) }
            """)
        } else {
            lines.append("""
                /// The predicted value of `row`.
                public func predict(_ row: [String: String]) throws -> Double { try Self.ensemble(row)[0] }
            """)
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    private func internals() -> String {
        var out = "extension \(typeName) {\n"
        var functionOf: [String: String] = [:]
        for (i, key) in plan.preprocessingKeys.enumerated() {
            guard let p = plan.preprocessor(key) else { continue }
            let source = SwiftPreprocessingSource(preprocessor: p, index: i)
            functionOf[key] = source.functionName
            out += "    // Preprocessing '\(SwiftPreprocessingSource.comment(key))'.\n" + source.text() + "\n"
        }
        for (m, member) in plan.members.enumerated() {
            out += "    // Member \(m + 1): \(SwiftPreprocessingSource.comment(member.summary)) (\(member.family.rawValue), weight \(SwiftLiteral.double(member.weight))).\n"
            for (j, part) in member.parts.enumerated() {
                out += "    private static let model\(m)_\(j) = \(SwiftModelSource.expression(part.model, task: model.task))\n"
            }
            out += "\n"
        }
        out += ensemble(functionOf: functionOf)
        if model.task.isClassification { out += decide() }
        return out + "}\n"
    }

    /// The members' predictions averaged as `EnsembleSelection.combine` does: each member's parts with
    /// equal weights, then the members by weight over the sum of all weights.
    private func ensemble(functionOf: [String: String]) -> String {
        var body: [String] = []
        for key in plan.preprocessingKeys {
            if let f = functionOf[key] { body.append("let \(f) = try Self.\(f)(row)") }
        }
        body.append("var sum = [Double](repeating: 0, count: \(outputs))")
        for (m, member) in plan.members.enumerated() where member.weight > 0 {
            body.append("do {")
            body.append("    var member = [Double](repeating: 0, count: \(outputs))")
            for (j, part) in member.parts.enumerated() {
                body.append("    Self.add(&member, Self.model\(m)_\(j).predict(\(functionOf[part.key] ?? "[]")), weight: 1)")
            }
            if member.parts.count != 1 { body.append("    for j in member.indices { member[j] /= \(member.parts.count) }") }
            body.append("    Self.add(&sum, member, weight: \(SwiftLiteral.double(member.weight)))")
            body.append("}")
        }
        let total = model.members.map(\.weight).reduce(0, +)
        if total > 0, total != 1 { body.append("for j in sum.indices { sum[j] /= \(SwiftLiteral.double(total)) }") }
        body.append("return sum")
        return "    /// The ensemble's prediction: class probabilities, or the value.\n"
            + "    private static func ensemble(_ row: [String: String]) throws -> [Double] {\n"
            + body.map { "        " + $0 }.joined(separator: "\n") + "\n    }\n\n"
    }

    /// The class decided: the more probable one, the model's decision threshold, or the threshold of the
    /// row's group (`--fairness`).
    private func decide() -> String {
        if let t = model.decidingThreshold, model.classes.count == 2 {
            return """
                /// The probability of '\(SwiftPreprocessingSource.comment(model.classes[1]))' from which it is decided (\(model.metric.rawValue) ranks, it does not place the decision).
                private static let threshold = \(SwiftLiteral.double(t.threshold))

                private static func decide(_ p: [Double], _ row: [String: String]) throws -> Int { p[1] >= threshold ? 1 : 0 }

            """
        }
        guard let rule = model.fairness, model.classes.count == 2 else {
            return "    private static func decide(_ p: [Double], _ row: [String: String]) throws -> Int { argmax(p) }\n"
        }
        let column = rule.constraint.column
        let type = model.schema.first { $0.name == column }?.type ?? .categorical
        let group: String
        switch type {
        case .numeric: group = "try { let v = try Self.number(row, \(SwiftLiteral.string(column))); return v.isNaN ? \"missing\" : Self.label(v) }()"
        case .boolean: group = "try { let v = try Self.boolean(row, \(SwiftLiteral.string(column))); return v.isNaN ? \"missing\" : (v == 1 ? \"true\" : \"false\") }()"
        case .categorical: group = "try Self.text(row, \(SwiftLiteral.string(column))) ?? \"missing\""
        case .missing: group = "\"missing\""
        }
        let names = rule.thresholds.keys.sorted()
        return """
            /// Decision threshold per group of '\(SwiftPreprocessingSource.comment(column))' on the probability of '\(SwiftPreprocessingSource.comment(model.classes[1]))' (`fit --fairness`: \(rule.constraint)).
            private static let thresholds: [String: Double] = \(names.isEmpty ? "[:]" : "[" + names.map { "\(SwiftLiteral.string($0)): \(SwiftLiteral.double(rule.thresholds[$0]!))" }.joined(separator: ", ") + "]")

            private static func decide(_ p: [Double], _ row: [String: String]) throws -> Int {
                let group: String = \(group)
                if let t = thresholds[group] { return p[1] >= t ? 1 : 0 }
                return p[1] > 0.5 ? 1 : 0
            }

        """
    }
}

private extension Double {
    /// Three decimals, for the header.
    var formatted3: String { String((self * 1000).rounded() / 1000) }
}
