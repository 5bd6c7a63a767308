import Foundation

/// Draws a `Plot` as one self-contained inline SVG element: no scripts, fonts or anything fetched.
enum SVGPlot {
    static let width = 640.0, height = 300.0
    static let left = 150.0, right = 20.0, top = 30.0, bottom = 45.0
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]

    static func svg(_ plot: Plot) -> String {
        var body = ""
        switch plot.kind {
        case .bars(let labels, let values, let low, let high): body = bars(labels, values, low, high)
        case .lines(let x, let categories, let series, let step): body = lines(x, categories, series, step)
        case .scatter(let points, let diagonal): body = scatter(points, diagonal)
        case .heatmap(let rows, let columns, let counts): body = heatmap(rows, columns, counts)
        case .histogram(let bins): body = histogram(bins)
        }
        let h = plotHeight(plot)
        return """
        <svg width="\(Int(width))" height="\(Int(h))" viewBox="0 0 \(Int(width)) \(Int(h))" role="img" aria-label="\(HTMLRenderer.escape(plot.title))">\
        <text x="\(Int(width / 2))" y="18" text-anchor="middle" class="t">\(HTMLRenderer.escape(plot.title))</text>\
        \(body)\
        <text x="\(Int(left + (width - left - right) / 2))" y="\(Int(h - 8))" text-anchor="middle" class="a">\(HTMLRenderer.escape(plot.xLabel))</text>\
        <text transform="translate(14,\(Int(top + (h - top - bottom) / 2))) rotate(-90)" text-anchor="middle" class="a">\(HTMLRenderer.escape(plot.yLabel))</text>\
        </svg>
        """
    }

    /// Bar charts and heatmaps grow with their rows.
    static func plotHeight(_ plot: Plot) -> Double {
        switch plot.kind {
        case .bars(let labels, _, _, _): return max(height, top + bottom + Double(labels.count) * 18)
        case .heatmap(let rows, _, _): return max(height, top + bottom + Double(rows.count) * 28)
        default: return height
        }
    }

    static func f(_ x: Double) -> String { String(format: "%.1f", x) }
    static func label(_ x: Double) -> String {
        let a = abs(x)
        if a == 0 { return "0" }
        if a >= 1e5 || a < 1e-3 { return String(format: "%.2g", x) }
        if a >= 100 { return String(format: "%.0f", x) }
        return String(format: "%.3g", x)
    }
    static func clip(_ s: String, _ n: Int = 22) -> String { s.count > n ? String(s.prefix(n - 1)) + "…" : s }

    /// A linear scale from [lo, hi] onto [a, b], with a little room when the range is empty.
    static func scale(_ lo: Double, _ hi: Double, _ a: Double, _ b: Double) -> (Double) -> Double {
        let (l, h) = hi > lo ? (lo, hi) : (lo - 0.5, lo + 0.5)
        return { a + ($0 - l) / (h - l) * (b - a) }
    }

    static func axes(xTicks: [(Double, String)], yTicks: [(Double, String)], plotBottom: Double) -> String {
        var s = "<line x1=\"\(f(left))\" y1=\"\(f(plotBottom))\" x2=\"\(f(width - right))\" y2=\"\(f(plotBottom))\" class=\"ax\"/>"
        s += "<line x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(plotBottom))\" class=\"ax\"/>"
        for (x, t) in xTicks { s += "<text x=\"\(f(x))\" y=\"\(f(plotBottom + 14))\" text-anchor=\"middle\" class=\"k\">\(HTMLRenderer.escape(t))</text>" }
        for (y, t) in yTicks { s += "<text x=\"\(f(left - 4))\" y=\"\(f(y + 3))\" text-anchor=\"end\" class=\"k\">\(HTMLRenderer.escape(t))</text>" }
        return s
    }

    static func ticks(_ lo: Double, _ hi: Double, _ map: (Double) -> Double, count: Int = 5) -> [(Double, String)] {
        guard hi > lo else { return [(map(lo), label(lo))] }
        return (0...count).map { i in let v = lo + (hi - lo) * Double(i) / Double(count); return (map(v), label(v)) }
    }

    static func bars(_ labels: [String], _ values: [Double], _ low: [Double]?, _ high: [Double]?) -> String {
        let h = max(height, top + bottom + Double(labels.count) * 18)
        let all = values + (low ?? []) + (high ?? []) + [0]
        let lo = all.filter(\.isFinite).min() ?? 0, hi = all.filter(\.isFinite).max() ?? 1
        let x = scale(lo, hi, left, width - right)
        let rowH = (h - top - bottom) / Double(max(1, labels.count))
        var s = axes(xTicks: ticks(lo, hi, x), yTicks: [], plotBottom: h - bottom)
        for (i, v) in values.enumerated() where v.isFinite {
            let y = top + Double(i) * rowH
            let (a, b) = (min(x(0), x(v)), max(x(0), x(v)))
            s += "<rect x=\"\(f(a))\" y=\"\(f(y + 2))\" width=\"\(f(max(0.5, b - a)))\" height=\"\(f(rowH - 4))\" fill=\"\(palette[0])\"/>"
            s += "<text x=\"\(f(left - 4))\" y=\"\(f(y + rowH / 2 + 3))\" text-anchor=\"end\" class=\"k\">\(HTMLRenderer.escape(clip(labels[i])))</text>"
            if let low, let high, low[i].isFinite, high[i].isFinite {
                s += "<line x1=\"\(f(x(low[i])))\" y1=\"\(f(y + rowH / 2))\" x2=\"\(f(x(high[i])))\" y2=\"\(f(y + rowH / 2))\" class=\"err\"/>"
            }
        }
        return s
    }

    static func lines(_ xs: [Double], _ categories: [String]?, _ series: [(name: String, y: [Double])], _ step: Bool) -> String {
        let ys = series.flatMap(\.y).filter(\.isFinite)
        let ylo = ys.min() ?? 0, yhi = ys.max() ?? 1
        let xlo = xs.min() ?? 0, xhi = xs.max() ?? 1
        let pb = height - bottom
        let x = scale(xlo, xhi, left + 10, width - right - 10), y = scale(ylo, yhi, pb - 5, top + 5)
        var xTicks = ticks(xlo, xhi, x)
        if let categories { xTicks = zip(xs, categories).map { (x($0), clip($1, 10)) } }
        var s = axes(xTicks: xTicks, yTicks: ticks(ylo, yhi, y), plotBottom: pb)
        for (k, line) in series.enumerated() {
            var points: [String] = []
            for (i, v) in line.y.enumerated() where i < xs.count && v.isFinite {
                if step, let last = points.last, let lastY = last.split(separator: ",").last {
                    points.append("\(f(x(xs[i]))),\(lastY)")
                }
                points.append("\(f(x(xs[i]))),\(f(y(v)))")
            }
            let color = palette[k % palette.count]
            s += "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"/>"
            // Few points (levels, calibration bins) are marked: the line between them is only a guide.
            if !step && line.y.count <= 30 {
                for (i, v) in line.y.enumerated() where i < xs.count && v.isFinite {
                    s += "<circle cx=\"\(f(x(xs[i])))\" cy=\"\(f(y(v)))\" r=\"3\" fill=\"\(color)\"/>"
                }
            }
            if series.count > 1 {
                s += "<text x=\"\(f(width - right - 4))\" y=\"\(f(top + 12 + Double(k) * 13))\" text-anchor=\"end\" class=\"k\" fill=\"\(color)\">\(HTMLRenderer.escape(clip(line.name)))</text>"
            }
        }
        return s
    }

    static func scatter(_ points: [(Double, Double)], _ diagonal: Bool) -> String {
        let all = points.flatMap { [$0.0, $0.1] }.filter(\.isFinite)
        let lo = all.min() ?? 0, hi = all.max() ?? 1
        let pb = height - bottom
        let x = scale(lo, hi, left + 5, width - right - 5), y = scale(lo, hi, pb - 5, top + 5)
        var s = axes(xTicks: ticks(lo, hi, x), yTicks: ticks(lo, hi, y), plotBottom: pb)
        if diagonal { s += "<line x1=\"\(f(x(lo)))\" y1=\"\(f(y(lo)))\" x2=\"\(f(x(hi)))\" y2=\"\(f(y(hi)))\" class=\"diag\"/>" }
        for (a, b) in points where a.isFinite && b.isFinite {
            s += "<circle cx=\"\(f(x(a)))\" cy=\"\(f(y(b)))\" r=\"2.5\" fill=\"\(palette[0])\" fill-opacity=\"0.55\"/>"
        }
        return s
    }

    static func heatmap(_ rows: [String], _ columns: [String], _ counts: [[Int]]) -> String {
        let h = max(height, top + bottom + Double(rows.count) * 28)
        let pb = h - bottom
        let cellW = (width - left - right) / Double(max(1, columns.count)), cellH = (pb - top) / Double(max(1, rows.count))
        let peak = Double(max(1, counts.flatMap { $0 }.max() ?? 1))
        var s = ""
        for (i, row) in counts.enumerated() {
            s += "<text x=\"\(f(left - 4))\" y=\"\(f(top + (Double(i) + 0.5) * cellH + 3))\" text-anchor=\"end\" class=\"k\">\(HTMLRenderer.escape(clip(rows[i])))</text>"
            for (j, c) in row.enumerated() {
                let shade = Double(c) / peak
                s += "<rect x=\"\(f(left + Double(j) * cellW))\" y=\"\(f(top + Double(i) * cellH))\" width=\"\(f(cellW))\" height=\"\(f(cellH))\" fill=\"rgb(\(Int(255 - 200 * shade)),\(Int(255 - 140 * shade)),255)\" stroke=\"#fff\"/>"
                if rows.count <= 20 && columns.count <= 20 {
                    s += "<text x=\"\(f(left + (Double(j) + 0.5) * cellW))\" y=\"\(f(top + (Double(i) + 0.5) * cellH + 4))\" text-anchor=\"middle\" class=\"k\">\(c)</text>"
                }
            }
        }
        for (j, name) in columns.enumerated() {
            s += "<text x=\"\(f(left + (Double(j) + 0.5) * cellW))\" y=\"\(f(pb + 14))\" text-anchor=\"middle\" class=\"k\">\(HTMLRenderer.escape(clip(name, 12)))</text>"
        }
        return s
    }

    static func histogram(_ bins: [HistogramBin]) -> String {
        guard let first = bins.first, let last = bins.last else { return "" }
        let peak = Double(max(1, bins.map(\.count).max() ?? 1))
        let pb = height - bottom
        let x = scale(first.low, last.high, left, width - right), y = scale(0, peak, pb, top + 5)
        var s = axes(xTicks: ticks(first.low, last.high, x), yTicks: ticks(0, peak, y), plotBottom: pb)
        for b in bins {
            s += "<rect x=\"\(f(x(b.low)))\" y=\"\(f(y(Double(b.count))))\" width=\"\(f(max(0.5, x(b.high) - x(b.low) - 1)))\" height=\"\(f(pb - y(Double(b.count))))\" fill=\"\(palette[0])\"/>"
        }
        return s
    }
}
