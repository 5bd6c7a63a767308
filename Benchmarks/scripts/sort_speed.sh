#!/usr/bin/env bash
# The emitted sorts against Array.sort(): for n = 3 … 16, the Swift that `mlforge discover
# sorting-network` wrote into $NETS/nN/SortN.swift (run discover_networks.sh first) is compiled with
# `swiftc -O` beside a driver that sorts 100,000 arrays of n values in place, each way, on the same
# data: random, already sorted, reversed, and many ties (values 0 … 2). Ints and Doubles; the best of
# 5 repetitions, in nanoseconds per array.
#   bash Benchmarks/scripts/sort_speed.sh [NETS=/tmp/mlforge-networks]
set -euo pipefail
nets=${1:-/tmp/mlforge-networks}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
{
  for n in $(seq 3 16); do sed -e 's/^public func/func/' "$nets/n$n/Sort$n.swift"; done
  cat <<'SWIFT'
import Foundation

@inline(never) func blackHole<T>(_ x: T) { withExtendedLifetime(x) {} }

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// The best of `reps` timings of `body` on a fresh copy of `master`, in ns per array.
func time<T>(_ master: [[T]], reps: Int = 5, _ body: (inout [[T]]) -> Void) -> Double {
    var best = Double.infinity
    for _ in 0..<reps {
        // Fresh inner buffers, so that no copy-on-write copy falls inside the timing.
        var a = master.map { $0.map { $0 } }
        let t0 = now()
        body(&a)
        let t1 = now()
        blackHole(a)
        best = min(best, Double(t1 - t0) / Double(master.count))
    }
    return best
}

func data(_ n: Int, _ pattern: String, count: Int, rng: inout SystemRandomNumberGenerator) -> [[Int]] {
    (0..<count).map { _ in
        switch pattern {
        case "random": return (0..<n).map { _ in Int.random(in: 0..<1_000_000, using: &rng) }
        case "sorted": return (0..<n).map { $0 * 3 + Int.random(in: 0..<3, using: &rng) }
        case "reversed": return (0..<n).map { (n - $0) * 3 + Int.random(in: 0..<3, using: &rng) }
        default: return (0..<n).map { _ in Int.random(in: 0..<3, using: &rng) }
        }
    }
}

typealias Sorts = (ints: (inout [Int]) -> Void, doubles: (inout [Double]) -> Void)
let sorts: [Int: Sorts] = [
SWIFT
  for n in $(seq 3 16); do echo "    $n: ({ sort$n(&\$0) }, { sort$n(&\$0) }),"; done
  cat <<'SWIFT'
]

var rng = SystemRandomNumberGenerator()
let count = 100_000
print("  n  type    pattern     Array.sort  emitted  speed-up   (ns per array, best of 5)")
var worst = Double.infinity
for n in 3...16 {
    for pattern in ["random", "sorted", "reversed", "ties"] {
        let ints = data(n, pattern, count: count, rng: &rng)
        let doubles = ints.map { $0.map(Double.init) }
        let s = sorts[n]!
        for (type, base, emitted) in [
            ("Int", time(ints) { a in for i in a.indices { a[i].sort() } }, time(ints) { a in for i in a.indices { s.ints(&a[i]) } }),
            ("Double", time(doubles) { a in for i in a.indices { a[i].sort() } }, time(doubles) { a in for i in a.indices { s.doubles(&a[i]) } }),
        ] {
            // Check the emitted sort's output on this data too.
            var check = ints
            for i in check.indices { s.ints(&check[i]) }
            precondition(check == ints.map { $0.sorted() }, "sort\(n) is wrong")
            worst = min(worst, base / emitted)
            print(String(format: "%3d  %-6@  %-9@  %9.1f  %7.1f  %6.2f×", n, type as NSString, pattern as NSString, base, emitted, base / emitted))
        }
    }
}
print(String(format: "smallest speed-up: %.2f×", worst))
SWIFT
} > "$work/main.swift"
swiftc -O "$work/main.swift" -o "$work/sortspeed" 2>&1 | grep -v warning || true
"$work/sortspeed"
