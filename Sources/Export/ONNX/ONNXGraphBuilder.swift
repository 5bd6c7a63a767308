import Foundation

/// An ONNX graph under construction: nodes in order, constants as initializers, and fresh value names.
/// Every `add` returns the name of the node's output, so a graph is written as a chain of calls.
struct ONNXGraphBuilder {
    private(set) var graph = Onnx_GraphProto()
    private var counter = 0

    init(name: String) { graph.name = name }

    /// A name no other value of the graph has.
    mutating func fresh(_ hint: String) -> String {
        counter += 1
        return "\(hint)_\(counter)"
    }

    /// Adds `op` on `inputs` ("" for an optional input left out) and returns its output's name.
    @discardableResult
    mutating func add(_ op: String, _ inputs: [String], domain: String = "", _ attributes: [Onnx_AttributeProto] = [],
                      output: String? = nil) -> String {
        var node = Onnx_NodeProto()
        node.opType = op
        node.domain = domain
        node.input = inputs
        let out = output ?? fresh(op.lowercased())
        node.output = [out]
        node.name = out
        node.attribute = attributes
        graph.node.append(node)
        return out
    }

    /// Adds a Cast of `input` to `type` and returns its output's name.
    @discardableResult
    mutating func cast(_ input: String, to type: Onnx_TensorProto.DataType, output: String? = nil) -> String {
        add("Cast", [input], [ONNXAttribute.int("to", type.rawValue)], output: output)
    }

    // MARK: Constants

    /// A constant tensor of `shape` (a scalar when empty).
    private mutating func constant(_ type: Onnx_TensorProto.DataType, shape: [Int], hint: String,
                                   fill: (inout Onnx_TensorProto) -> Void) -> String {
        var t = Onnx_TensorProto()
        t.name = fresh(hint)
        t.dataType = Int32(type.rawValue)
        t.dims = shape.map(Int64.init)
        fill(&t)
        graph.initializer.append(t)
        return t.name
    }

    mutating func doubles(_ v: [Double], shape: [Int]? = nil, hint: String = "const") -> String {
        constant(.double, shape: shape ?? [v.count], hint: hint) { $0.rawData = ONNXBytes.littleEndian(v.map(\.bitPattern)) }
    }

    mutating func floats(_ v: [Float], shape: [Int]? = nil, hint: String = "const") -> String {
        constant(.float, shape: shape ?? [v.count], hint: hint) { $0.rawData = ONNXBytes.littleEndian(v.map(\.bitPattern)) }
    }

    mutating func int64s(_ v: [Int], shape: [Int]? = nil, hint: String = "const") -> String {
        constant(.int64, shape: shape ?? [v.count], hint: hint) { $0.rawData = ONNXBytes.littleEndian(v.map { UInt64(bitPattern: Int64($0)) }) }
    }

    mutating func strings(_ v: [String], shape: [Int]? = nil, hint: String = "const") -> String {
        constant(.string, shape: shape ?? [v.count], hint: hint) { $0.stringData = v.map { Data($0.utf8) } }
    }

    // MARK: Inputs and outputs

    /// A graph input or output: a tensor of `type` whose first dimension is the row count `N`.
    static func value(_ name: String, _ type: Onnx_TensorProto.DataType, columns: Int?) -> Onnx_ValueInfoProto {
        var rows = Onnx_TensorShapeProto.Dimension()
        rows.dimParam = "N"
        var shape = Onnx_TensorShapeProto()
        shape.dim = [rows]
        if let columns {
            var d = Onnx_TensorShapeProto.Dimension()
            d.dimValue = Int64(columns)
            shape.dim.append(d)
        }
        var tensor = Onnx_TypeProto.Tensor()
        tensor.elemType = Int32(type.rawValue)
        tensor.shape = shape
        var info = Onnx_ValueInfoProto()
        info.name = name
        info.type.tensorType = tensor
        return info
    }

    mutating func input(_ name: String, _ type: Onnx_TensorProto.DataType, columns: Int?) {
        graph.input.append(Self.value(name, type, columns: columns))
    }

    mutating func output(_ name: String, _ type: Onnx_TensorProto.DataType, columns: Int?) {
        graph.output.append(Self.value(name, type, columns: columns))
    }
}

/// Node attributes.
enum ONNXAttribute {
    static func int(_ name: String, _ v: Int) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .int
        a.i = Int64(v)
        return a
    }

    static func ints(_ name: String, _ v: [Int]) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .ints
        a.ints = v.map(Int64.init)
        return a
    }

    static func float(_ name: String, _ v: Float) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .float
        a.f = v
        return a
    }

    static func string(_ name: String, _ v: String) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .string
        a.s = Data(v.utf8)
        return a
    }

    static func strings(_ name: String, _ v: [String]) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .strings
        a.strings = v.map { Data($0.utf8) }
        return a
    }

    static func floats(_ name: String, _ v: [Float]) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .floats
        a.floats = v
        return a
    }

    /// A tensor-valued attribute (TreeEnsemble's splits, weights and modes).
    static func tensor(_ name: String, floats v: [Float]) -> Onnx_AttributeProto {
        tensor(name, .float, count: v.count, raw: ONNXBytes.littleEndian(v.map(\.bitPattern)))
    }

    static func tensor(_ name: String, bytes v: [UInt8]) -> Onnx_AttributeProto {
        tensor(name, .uint8, count: v.count, raw: Data(v))
    }

    private static func tensor(_ name: String, _ type: Onnx_TensorProto.DataType, count: Int, raw: Data) -> Onnx_AttributeProto {
        var t = Onnx_TensorProto()
        t.dataType = Int32(type.rawValue)
        t.dims = [Int64(count)]
        t.rawData = raw
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .tensor
        a.t = t
        return a
    }
}

/// Numbers as ONNX's raw tensor data: little-endian, packed.
enum ONNXBytes {
    static func littleEndian<T: FixedWidthInteger>(_ v: [T]) -> Data {
        var out = Data(capacity: v.count * MemoryLayout<T>.size)
        for x in v { withUnsafeBytes(of: x.littleEndian) { out.append(contentsOf: $0) } }
        return out
    }
}
