/// Pareto dominance over several objectives, and NSGA-II's non-dominated ranks and crowding distance
/// (Deb et al. 2002).
public enum Pareto {
    /// `a` is at least as good as `b` on every objective and strictly better on one.
    public static func dominates(_ a: [Double], _ b: [Double], _ directions: [Direction]) -> Bool {
        var strictly = false
        for (i, d) in directions.enumerated() {
            if d.better(b[i], a[i]) { return false }
            if d.better(a[i], b[i]) { strictly = true }
        }
        return strictly
    }

    /// Non-dominated rank of each point (0 = the Pareto front), by repeated peeling.
    public static func ranks(_ points: [[Double]], _ directions: [Direction]) -> [Int] {
        var rank = [Int](repeating: -1, count: points.count)
        var remaining = Array(points.indices)
        var r = 0
        while !remaining.isEmpty {
            let front = remaining.filter { i in !remaining.contains { j in j != i && dominates(points[j], points[i], directions) } }
            for i in front { rank[i] = r }
            remaining.removeAll { rank[$0] >= 0 }
            r += 1
        }
        return rank
    }

    /// Crowding distance of each point within its set (larger = more isolated; extremes are infinite).
    public static func crowding(_ points: [[Double]]) -> [Double] {
        guard let m = points.first?.count, points.count > 2 else { return [Double](repeating: .infinity, count: points.count) }
        var distance = [Double](repeating: 0, count: points.count)
        for k in 0..<m {
            let order = points.indices.sorted { points[$0][k] < points[$1][k] }
            let (first, last) = (order[0], order[order.count - 1])
            let span = points[last][k] - points[first][k]
            distance[first] = .infinity
            distance[last] = .infinity
            guard span > 0 else { continue }
            for i in 1..<(order.count - 1) { distance[order[i]] += (points[order[i + 1]][k] - points[order[i - 1]][k]) / span }
        }
        return distance
    }

    /// The complete, feasible trials that no other such trial dominates.
    public static func front(_ records: [TrialRecord], _ directions: [Direction]) -> [TrialRecord] {
        let done = records.filter { $0.state == .complete && $0.isFeasible && $0.values?.count == directions.count }
        let r = ranks(done.map { $0.values ?? [] }, directions)
        return done.indices.filter { r[$0] == 0 }.map { done[$0] }
    }
}
