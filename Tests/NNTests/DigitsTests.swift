import NN
import Tensor
import Testing
import TestSupport

/// End to end on the shared digits data: fixed seeds, accuracy on the held-out test file. The training
/// time is measured by `mlforge-bench digits`, not here.
@Suite("Digits end to end")
struct DigitsTests {
    @Test("An MLP 64→256→256→10 reaches at least 97% test accuracy", .enabled(if: Fixtures.sharedDataRunnable, Fixtures.needsShared))
    func mlp() throws {
        let d = try #require(try Digits.load(), "digits is not in ../shared/datasets")
        let outcome = DigitsRecipes.mlp(d)
        #expect(outcome.epochs == 40)
        #expect(outcome.accuracy >= 0.97, "test accuracy \(outcome.accuracy)")
    }

    @Test("A small CNN on the digits as 8×8 images reaches at least 98% test accuracy", .enabled(if: Fixtures.sharedDataRunnable, Fixtures.needsShared))
    func cnn() throws {
        let d = try #require(try Digits.load(), "digits is not in ../shared/datasets")
        let outcome = DigitsRecipes.cnn(d)
        #expect(outcome.accuracy >= 0.98, "test accuracy \(outcome.accuracy)")
    }
}
