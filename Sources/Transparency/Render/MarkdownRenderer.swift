/// The card as Markdown: the same sections, facts and tables; each plot as its numbers (a small table)
/// with a pointer to the drawing in card.html.
public enum MarkdownRenderer {
    public static func render(_ doc: CardDocument) -> String {
        var s = "# \(doc.title)\n\n_\(doc.subtitle)_\n"
        for section in doc.sections {
            s += "\n## \(section.title)\n"
            for block in section.blocks { s += "\n" + markdown(block) }
        }
        return s
    }

    static func cell(_ t: String) -> String { t.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }

    static func table(_ header: [String], _ rows: [[String]]) -> String {
        var s = "| " + header.map(cell).joined(separator: " | ") + " |\n|" + header.map { _ in "---|" }.joined() + "\n"
        for row in rows { s += "| " + row.map(cell).joined(separator: " | ") + " |\n" }
        return s
    }

    static func markdown(_ block: CardDocument.Block) -> String {
        switch block {
        case .text(let t): return t + "\n"
        case .facts(let pairs): return pairs.map { "- **\($0.0)**: \($0.1)" }.joined(separator: "\n") + "\n"
        case .table(let header, let rows): return table(header, rows)
        case .list(let items): return items.map { "- " + $0 }.joined(separator: "\n") + "\n"
        case .preformatted(let t): return "```\n" + t + "\n```\n"
        case .plot(let p): return "*\(p.title)* (drawn in card.html)\n\n" + numbers(p)
        }
    }

    /// A plot's data as a table (long series thinned to at most 25 rows).
    static func numbers(_ p: Plot) -> String {
        func n(_ x: Double) -> String { SVGPlot.label(x) }
        switch p.kind {
        case .bars(let labels, let values, let low, let high):
            let rows = labels.indices.prefix(25).map { i in
                [labels[i], n(values[i])] + (low.map { [n($0[i]) + " … " + n(high![i])] } ?? [])
            }
            return table([p.yLabel, p.xLabel] + (low == nil ? [] : ["interval"]), rows)
        case .lines(let x, let categories, let series, _):
            let step = max(1, x.count / 25)
            let rows = stride(from: 0, to: x.count, by: step).map { i in
                [categories?[i] ?? n(x[i])] + series.map { i < $0.y.count ? n($0.y[i]) : "" }
            }
            return table([p.xLabel] + series.map(\.name), rows)
        case .scatter(let points, _):
            return "\(points.count) points (\(p.xLabel) against \(p.yLabel)).\n"
        case .heatmap(let rowNames, let columns, let counts):
            return table([p.yLabel + " \\ " + p.xLabel] + columns, counts.enumerated().map { [rowNames[$0.offset]] + $0.element.map(String.init) })
        case .histogram(let bins):
            return table([p.xLabel, "rows"], bins.map { [n($0.low) + " … " + n($0.high), "\($0.count)"] })
        }
    }
}
