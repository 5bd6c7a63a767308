import Foundation

/// A learning rate as a function of the step (0-based) out of `totalSteps`.
public enum LearningRateSchedule: Sendable, Equatable, Codable {
    case constant
    /// Cosine decay from the base rate to `minimumFactor` × base (Loshchilov & Hutter 2017, one cycle).
    case cosine(minimumFactor: Double)
    /// One-cycle (Smith 2018): up from base/`divFactor` to base over `warmupFraction` of the steps, then a
    /// cosine down to base/`finalDivFactor`.
    case oneCycle(warmupFraction: Double, divFactor: Double, finalDivFactor: Double)
    /// Linear warm-up over `steps` steps, then cosine decay to zero.
    case warmupCosine(steps: Int)

    public func rate(base: Double, step: Int, totalSteps: Int) -> Double {
        let total = Double(max(totalSteps, 1))
        let s = Double(min(step, totalSteps))
        func cosine(_ from: Double, _ to: Double, _ progress: Double) -> Double {
            to + (from - to) * (1 + cos(.pi * min(max(progress, 0), 1))) / 2
        }
        switch self {
        case .constant:
            return base
        case .cosine(let minimumFactor):
            return cosine(base, base * minimumFactor, s / total)
        case .oneCycle(let warm, let div, let finalDiv):
            let peak = total * warm
            if s < peak { return cosine(base / div, base, s / max(peak, 1)) }
            return cosine(base, base / finalDiv, (s - peak) / max(total - peak, 1))
        case .warmupCosine(let steps):
            if step < steps { return base * Double(step + 1) / Double(max(steps, 1)) }
            return cosine(base, 0, (s - Double(steps)) / max(total - Double(steps), 1))
        }
    }
}
