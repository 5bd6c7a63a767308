import AutoML
import Foundation
import Support

/// The model being served, swapped whole on reload: a request takes the current one at its start and
/// finishes on it, so a reload never changes a model under a request in flight.
final class ModelSlot: Sendable {
    /// A loaded model folder.
    struct Loaded: Sendable {
        let model: AutoMLModel
        let folder: URL
        /// `card.html`, when the folder has one.
        let card: Data?
        let loadedAt: Date
    }

    private let box: LockedBox<Loaded>

    init(folder: URL) throws {
        box = LockedBox(try Self.load(folder))
    }

    var current: Loaded { box.current }

    static func load(_ folder: URL) throws -> Loaded {
        let model = try AutoMLModel.load(from: folder)
        return Loaded(model: model, folder: folder, card: try? Data(contentsOf: folder.appendingPathComponent("card.html")), loadedAt: Date())
    }

    /// Loads the folder again and swaps it in; a folder that cannot be loaded is refused and the old
    /// model keeps serving (the error says why).
    func reload() throws {
        let fresh = try Self.load(current.folder)
        box.withLock { $0 = fresh }
    }
}
