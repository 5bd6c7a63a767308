/// One self-contained HTML page: inline CSS and SVG, no script, no font, image or style fetched from
/// anywhere (a strict Content-Security-Policy says so to the browser too).
public enum HTMLRenderer {
    public static func render(_ doc: CardDocument) -> String {
        var s = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(doc.title))</title>
        <style>
        body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
        h1{margin-bottom:0.1em}h2{border-bottom:1px solid #ddd;padding-bottom:0.2em;margin-top:1.8em}
        .sub{color:#666;margin-top:0}table{border-collapse:collapse;margin:0.6em 0;font-size:0.9em}
        td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}th{background:#f4f4f4}
        td.n{text-align:right;font-variant-numeric:tabular-nums}dl{display:grid;grid-template-columns:max-content auto;gap:2px 14px}
        dt{color:#555}dd{margin:0}pre{background:#f7f7f7;padding:0.7em;overflow-x:auto;white-space:pre-wrap}
        figure{margin:1em 0}svg{max-width:100%;height:auto;font-size:11px}svg .t{font-size:13px;font-weight:600}
        svg .a{font-size:11px;fill:#444}svg .k{font-size:10px;fill:#333}svg .ax{stroke:#888}svg .err{stroke:#000;stroke-width:1.5}
        svg .diag{stroke:#999;stroke-dasharray:4 3}
        </style></head><body>
        <h1>\(escape(doc.title))</h1>
        <p class="sub">\(escape(doc.subtitle))</p>

        """
        for (i, section) in doc.sections.enumerated() {
            s += "<section id=\"s\(i)\"><h2>\(escape(section.title))</h2>\n"
            for block in section.blocks { s += html(block) + "\n" }
            s += "</section>\n"
        }
        return s + "</body></html>\n"
    }

    static func html(_ block: CardDocument.Block) -> String {
        switch block {
        case .text(let t): return "<p>\(escape(t))</p>"
        case .facts(let pairs):
            return "<dl>" + pairs.map { "<dt>\(escape($0.0))</dt><dd>\(escape($0.1))</dd>" }.joined() + "</dl>"
        case .table(let header, let rows):
            var s = "<table><thead><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead><tbody>"
            for row in rows {
                s += "<tr>" + row.map { cell in
                    let numeric = Double(cell.replacingOccurrences(of: ",", with: "")) != nil
                    return numeric ? "<td class=\"n\">\(escape(cell))</td>" : "<td>\(escape(cell))</td>"
                }.joined() + "</tr>"
            }
            return s + "</tbody></table>"
        case .list(let items): return "<ul>" + items.map { "<li>\(escape($0))</li>" }.joined() + "</ul>"
        case .preformatted(let t): return "<pre>\(escape(t))</pre>"
        case .plot(let p): return "<figure data-plot=\"\(escape(p.id))\">\(SVGPlot.svg(p))</figure>"
        }
    }

    /// Text made safe for HTML content and attribute values.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
