import AutoML
import Foundation
import Learners
import MLData
import SwiftProtobuf

/// Writes an `ExportPlan` as one ONNX model: an input per column (strings for text columns, floats for
/// numeric and true/false ones, each [N, 1]), every preprocessing, every member, the ensemble's weighted
/// average and the decision rule; outputs `label` (strings [N]) and `probabilities` (float [N, classes],
/// in the model's class order), or `prediction` (float [N]) for regression.
struct ONNXModelWriter {
    /// The operator sets the graph uses: ONNX 21 (opset of onnxruntime ≥ 1.20) and ai.onnx.ml 5
    /// (`TreeEnsemble` with set-membership splits).
    static let opset = 21, mlOpset = 5, irVersion = 10

    let plan: ExportPlan
    /// The columns the graph reads, in the schema's order, and whether each is a text input.
    let columns: [(name: String, isText: Bool)]

    private var model: AutoMLModel { plan.model }

    /// Throws `ExportError.mixedColumn` when one column is read as text by one preprocessing and as a
    /// number by another.
    init(plan: ExportPlan) throws(ExportError) {
        self.plan = plan
        columns = try Self.inputColumns(plan)
    }

    private static func inputColumns(_ plan: ExportPlan) throws(ExportError) -> [(name: String, isText: Bool)] {
        let model = plan.model
        var used: [String: Bool] = [:]
        for key in plan.preprocessingKeys {
            guard let p = plan.preprocessor(key) else { continue }
            for step in p.steps {
                let text: Bool
                switch step.encoding {
                case .dropped: continue
                case .numeric: text = false
                case .oneHot, .ordinal, .categoryCode, .target: text = true
                }
                if let other = used[step.name], other != text { throw .mixedColumn(step.name) }
                used[step.name] = text
            }
        }
        if let rule = model.fairness, used[rule.constraint.column] == nil {
            used[rule.constraint.column] = model.schema.first { $0.name == rule.constraint.column }?.type == .categorical
        }
        return model.schema.compactMap { c in used[c.name].map { (c.name, $0) } }
    }

    func modelProto() throws(ExportError) -> Onnx_ModelProto {
        var g = ONNXGraphBuilder(name: "mlforge")
        for c in columns { g.input(c.name, c.isText ? .string : .float, columns: 1) }
        var inputs = ONNXInputs(strings: Set(columns.filter(\.isText).map(\.name)))
        var features: [String: String] = [:]
        for key in plan.preprocessingKeys {
            guard let p = plan.preprocessor(key) else { continue }
            features[key] = ONNXPreprocessing(preprocessor: p).features(&g, &inputs)
        }
        let nodes = ONNXModelNodes(task: model.task)
        // The members' predictions averaged as `EnsembleSelection.combine` does: each member's parts
        // with equal weights, then the members by weight over the sum of all weights.
        var sum: String?
        for member in plan.members where member.weight > 0 {
            var parts: String?
            for part in member.parts {
                let p = nodes.predictions(part.model, features: features[part.key]!, &g)
                parts = parts.map { g.add("Add", [$0, p]) } ?? p
            }
            guard var m = parts else { continue }
            if member.parts.count != 1 { m = g.add("Div", [m, g.doubles([Double(member.parts.count)], shape: [])]) }
            let term = g.add("Mul", [m, g.doubles([member.weight], shape: [])])
            sum = sum.map { g.add("Add", [$0, term]) } ?? term
        }
        let total = model.members.map(\.weight).reduce(0, +)
        guard var average = sum else { throw .noMembers }
        if total > 0, total != 1 { average = g.add("Div", [average, g.doubles([total], shape: [])]) }

        if model.task.isClassification {
            g.cast(average, to: .float, output: "probabilities")
            let index = decision(average, &g, &inputs)
            g.add("Gather", [g.strings(model.classes, hint: "classes"), index], [ONNXAttribute.int("axis", 0)], output: "label")
            g.output("label", .string, columns: nil)
            g.output("probabilities", .float, columns: model.classes.count)
        } else {
            let value = g.add("Reshape", [average, g.int64s([-1])])
            g.cast(value, to: .float, output: "prediction")
            g.output("prediction", .float, columns: nil)
        }

        var proto = Onnx_ModelProto()
        proto.irVersion = Int64(Self.irVersion)
        proto.producerName = "MLForge"
        proto.producerVersion = AutoMLModel.version
        proto.docString = "The model of '\(model.targetName)' (\(model.task)): \(plan.members.count) ensemble member(s) and the preprocessing they read, written by `mlforge export --format onnx`. It predicts what `mlforge predict` predicts on the same rows."
        var standard = Onnx_OperatorSetIdProto()
        standard.domain = ""
        standard.version = Int64(Self.opset)
        var ml = Onnx_OperatorSetIdProto()
        ml.domain = "ai.onnx.ml"
        ml.version = Int64(Self.mlOpset)
        proto.opsetImport = [standard, ml]
        proto.graph = g.graph
        proto.metadataProps = [("target", model.targetName), ("task", "\(model.task)"), ("classes", model.classes.joined(separator: "\n"))]
            .map { k, v in
                var e = Onnx_StringStringEntryProto()
                e.key = k
                e.value = v
                return e
            }
        return proto
    }

    /// The decided class's index, int64 [N]: the more probable class (the first on ties), the model's
    /// decision threshold on the positive class's probability, or with a fairness rule the threshold of
    /// the row's group.
    private func decision(_ p: String, _ g: inout ONNXGraphBuilder, _ inputs: inout ONNXInputs) -> String {
        if let t = model.decidingThreshold, model.classes.count == 2 {
            let positive = g.add("Gather", [p, g.int64s([1], shape: [])], [ONNXAttribute.int("axis", 1)])
            return g.cast(g.add("GreaterOrEqual", [positive, g.doubles([t.threshold], shape: [])]), to: .int64)
        }
        let argmax = g.add("ArgMax", [p], [ONNXAttribute.int("axis", 1), ONNXAttribute.int("keepdims", 0)])
        guard let rule = model.fairness, model.classes.count == 2, !rule.thresholds.isEmpty else { return argmax }
        let column = rule.constraint.column
        let groups = rule.thresholds.keys.sorted()
        // Each row's group → its position in `groups` (the last position + 1: no threshold).
        let none = groups.count
        let missingAt = groups.firstIndex(of: "missing") ?? none
        let position: String
        if inputs.strings.contains(column) {
            let named = groups.filter { $0 != "missing" }
            let known = named.isEmpty ? g.int64s([none], shape: []) : g.add("LabelEncoder", [column], domain: "ai.onnx.ml", [
                ONNXAttribute.strings("keys_strings", named),
                ONNXAttribute.ints("values_int64s", named.map { groups.firstIndex(of: $0)! }),
                ONNXAttribute.int("default_int64", none),
            ])
            position = g.add("Where", [inputs.missing(column, &g), g.int64s([missingAt], shape: []), known])
        } else {
            // Numbers (true and false as 1 and 0) are grouped by the value their label names.
            var keys: [Float] = [], values: [Int] = []
            for (i, name) in groups.enumerated() {
                let v: Double? = name == "true" ? 1 : name == "false" ? 0 : Double(name)
                if let v { keys.append(Float(v)); values.append(i) }
            }
            let known = keys.isEmpty ? g.int64s([none], shape: []) : g.add("LabelEncoder", [column], domain: "ai.onnx.ml", [
                ONNXAttribute.floats("keys_floats", keys),
                ONNXAttribute.ints("values_int64s", values),
                ONNXAttribute.int("default_int64", none),
            ])
            position = g.add("Where", [g.add("IsNaN", [column]), g.int64s([missingAt], shape: []), known])
        }
        let thresholds = g.doubles(groups.map { rule.thresholds[$0]! } + [.nan])
        let t = g.add("Gather", [thresholds, g.add("Reshape", [position, g.int64s([-1])])], [ONNXAttribute.int("axis", 0)])
        let positive = g.add("Gather", [p, g.int64s([1], shape: [])], [ONNXAttribute.int("axis", 1)])
        // (onnxruntime has no Where on booleans: the two decisions are chosen between as int64.)
        let byGroup = g.cast(g.add("GreaterOrEqual", [positive, t]), to: .int64)
        let byDefault = g.cast(g.add("Greater", [positive, g.doubles([0.5], shape: [])]), to: .int64)
        return g.add("Where", [g.add("IsNaN", [t]), byDefault, byGroup])
    }

    /// The model's bytes.
    func data() throws -> Data { try modelProto().serializedData() }
}
