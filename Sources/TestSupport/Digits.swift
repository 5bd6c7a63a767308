import Foundation
import MLData
import Tensor

/// The shared digits dataset (8×8 images, 10 classes) as tensors, pixels scaled to [0, 1].
public struct Digits {
    public var trainX: Tensor, trainY: [Int], testX: Tensor, testY: [Int]

    /// Loads `../shared/datasets/digits`; nil when the shared folder is absent.
    public static func load() throws -> Digits? {
        guard let root = Fixtures.sharedDatasets else { return nil }
        func read(_ file: String) throws -> (Tensor, [Int]) {
            let frame = try CSVReader.read(path: root.appendingPathComponent("digits/\(file)").path)
            let pixels = frame.columns.filter { $0.name != "digit" }
            let n = frame.rowCount
            var values = [Float](repeating: 0, count: n * pixels.count)
            for (j, c) in pixels.enumerated() {
                let v = c.doubles ?? []
                for i in 0..<n { values[i * pixels.count + j] = Float(v[i] / 16) }
            }
            let labels = (try frame.column(named: "digit").doubles ?? []).map { Int($0) }
            return (Tensor(shape: [n, pixels.count], scalars: values), labels)
        }
        let (trX, trY) = try read("train.csv")
        let (teX, teY) = try read("test.csv")
        return Digits(trainX: trX, trainY: trY, testX: teX, testY: teY)
    }
}
