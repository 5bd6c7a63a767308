import Foundation
import MLData
import NN
import Tensor

/// A trained MLP: its configuration, input layout and target scale (JSON) and its weights (a state dict).
public struct FittedMLP: FittedModel, @unchecked Sendable {
    public static let family = LearnerFamily.mlp
    public let task: PredictionTask
    public let featureCount: Int
    let groups: [Range<Int>]
    let config: MLPLearner
    let scale: TargetScale
    let network: Sequential
    /// Forward passes change layer state (training flags), so predictions are serialised.
    private let lock = NSLock()

    init(task: PredictionTask, featureCount: Int, groups: [Range<Int>], config: MLPLearner, scale: TargetScale, network: Sequential) {
        self.task = task
        self.featureCount = featureCount
        self.groups = groups
        self.config = config
        self.scale = scale
        self.network = network
    }

    static func tensor(_ x: FeatureMatrix) -> Tensor {
        Tensor(shape: [x.rows, x.columns], scalars: x.values.map { Float($0) })
    }

    static func targets(_ data: LabeledData, scale: TargetScale) -> Targets {
        if data.task == .regression {
            return .values(Tensor(shape: [data.rows, 1], scalars: data.values.map { Float(($0 - scale.mean) / scale.scale) }))
        }
        return .classes(data.labels)
    }

    /// Predictions from the network's raw output.
    func predictions(from out: Tensor, rows: Int) -> Predictions {
        if task == .regression {
            return .values(out.doubles.map { $0 * scale.scale + scale.mean })
        }
        return Predictions.softmax(out.doubles, rows: rows, classes: task.classCount)
    }

    public func predict(_ x: FeatureMatrix) throws -> Predictions {
        try checkFeatures(x)
        if x.values.contains(where: { !$0.isFinite }) {
            throw LearnerError.invalidData("an MLP needs finite features; impute missing values first")
        }
        lock.lock()
        defer { lock.unlock() }
        let out = Trainer.predict(network, Self.tensor(x))
        return predictions(from: out, rows: x.rows)
    }

    struct Metadata: Codable {
        var task: PredictionTask
        var featureCount: Int
        var groups: [[Int]]
        var config: MLPLearner
        var scale: TargetScale
    }

    public func bundle() throws -> ModelBundle {
        lock.lock()
        let weights = StateDict.encode(network.stateDict())
        lock.unlock()
        var b = ModelBundle(family: Self.family, parts: ["weights.mlfgstat": weights])
        try b.setJSON(Metadata(task: task, featureCount: featureCount, groups: groups.map { [$0.lowerBound, $0.upperBound] },
                               config: config, scale: scale), as: "model.json")
        return b
    }

    public init(bundle: ModelBundle) throws {
        guard bundle.family == Self.family else { throw LearnerError.unreadableModel("this is a \(bundle.family) model, not an MLP") }
        let meta = try bundle.json(Metadata.self, "model.json")
        guard meta.groups.allSatisfy({ $0.count == 2 && 0 <= $0[0] && $0[0] < $0[1] && $0[1] <= meta.featureCount }) else {
            throw LearnerError.unreadableModel("the MLP's input layout is invalid")
        }
        do { try meta.config.validate() } catch { throw LearnerError.unreadableModel("the MLP's configuration is invalid: \(error)") }
        let groups = meta.groups.map { $0[0]..<$0[1] }
        let outputs = meta.task == .regression ? 1 : meta.task.classCount
        let network = TabularNetwork.build(meta.config, features: meta.featureCount, groups: groups, outputs: outputs, seed: 0)
        do { try network.load(stateDict: try StateDict.decode(try bundle.part("weights.mlfgstat"))) } catch let e as LearnerError {
            throw e
        } catch {
            throw LearnerError.unreadableModel("the MLP's weights do not load: \(error)")
        }
        network.eval()
        self.init(task: meta.task, featureCount: meta.featureCount, groups: groups, config: meta.config, scale: meta.scale, network: network)
    }
}
