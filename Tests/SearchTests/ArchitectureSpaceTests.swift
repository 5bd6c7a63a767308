import Search
import Testing
import TestSupport

@Suite("Architecture spaces")
struct ArchitectureSpaceTests {
    @Test("A NAS-Bench-201 cell flattens to 6 edge decisions and a width, and freezes back")
    func cellRoundTrip() throws {
        let space = CellSpace(nodes: 4, operations: ["none", "skip", "conv1x1", "conv3x3", "avgpool3x3"], widths: [16, 32])
        let flat = try space.simplify()
        #expect(flat.parameters.count == 7)
        #expect(flat.names.contains("edge.3-0") && flat.names.contains("width"))
        var config = flat.build { p, _ in p.name == "width" ? .string("32") : .string("none") }
        config["edge.1-0"] = .string("conv3x3")
        config["edge.2-0"] = .string("skip")
        let cell = try space.freeze(config)
        #expect(cell.edges == [.init(from: 0, to: 1, op: "conv3x3"), .init(from: 0, to: 2, op: "skip")])
        #expect(cell.description == "cell: 0→1 conv3x3, 0→2 skip, width 32")
        #expect(throws: SearchError.self) { try space.freeze(["width": .string("32")]) }
    }

    @Test("A study searches the flat form and every trial freezes to a valid cell")
    func searchCells() async throws {
        let space = CellSpace(nodes: 4, operations: ["none", "skip", "conv3x3"], widths: [8, 16])
        let study = Study(space: try space.simplify(), directions: [.maximize], strategy: RegularizedEvolution(seed: 1, population: 8, sampleSize: 3))
        try await study.optimize(trials: 40) { trial in
            let cell = try space.freeze(trial.configuration)
            return [Double(cell.edges.filter { $0.op == "conv3x3" }.count)]  // a toy "accuracy": more convolutions
        }
        #expect(study.bestTrial?.values?.first == 6)
    }
}
