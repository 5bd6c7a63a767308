/// A model card as content, before it is rendered: sections of paragraphs, facts, tables and plots. The
/// HTML and Markdown renderers draw the same document, so both files say the same things.
public struct CardDocument: Sendable {
    public var title: String
    public var subtitle: String
    public var sections: [Section]

    public struct Section: Sendable {
        public var title: String
        public var blocks: [Block]
    }

    public enum Block: Sendable {
        case text(String)
        /// Name and value pairs.
        case facts([(String, String)])
        case table(header: [String], rows: [[String]])
        case list([String])
        /// Preformatted text (the user's notes, log lines).
        case preformatted(String)
        case plot(Plot)
    }

    /// Every plot of the document (the HTML draws each as an inline SVG figure).
    public var plots: [Plot] {
        sections.flatMap { $0.blocks }.compactMap { if case .plot(let p) = $0 { return p } else { return nil } }
    }
}

/// A chart's data and labels; `id` names it in the page (`data-plot`).
public struct Plot: Sendable {
    public var id: String
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var kind: Kind

    public enum Kind: Sendable {
        /// Horizontal bars, optionally with an interval per bar.
        case bars(labels: [String], values: [Double], low: [Double]?, high: [Double]?)
        /// Lines over numeric x (or over categories when `categories` is set); `step` draws steps.
        case lines(x: [Double], categories: [String]?, series: [(name: String, y: [Double])], step: Bool)
        /// Points, with the y = x diagonal when `diagonal`.
        case scatter(points: [(Double, Double)], diagonal: Bool)
        /// A matrix of counts with row and column labels.
        case heatmap(rows: [String], columns: [String], counts: [[Int]])
        /// Columns over contiguous bins.
        case histogram(bins: [HistogramBin])
    }

    public init(id: String, title: String, xLabel: String, yLabel: String, kind: Kind) {
        self.id = id
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.kind = kind
    }
}
