import Foundation

/// How MLForge writes and reads its JSON (model folders, reports, `--json` output): sorted keys, and
/// NaN and infinities — which fitted values and scores may hold — as the strings "nan", "inf", "-inf".
public enum ArtifactJSON {
    /// An encoder with sorted keys, indented unless `pretty` is false (one record a line).
    public static func encoder(pretty: Bool = true) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys] : [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// A decoder that reads what `encoder` writes.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }
}
