import Prometheus

/// What `/metrics` reports in Prometheus' text format (swift-prometheus): requests and errors by route
/// and status, rows predicted, predict latency, and the model reloads.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let rows: Counter
    let latency: DurationHistogram
    let reloads: Counter
    let failedReloads: Counter

    /// Predict latency buckets, from 0.1 ms to 5 s.
    static let buckets: [Duration] = [.microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2),
                                      .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                                      .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5)]

    init() {
        rows = registry.makeCounter(name: "mlforge_rows_predicted_total", help: "Rows predicted")
        latency = registry.makeDurationHistogram(name: "mlforge_predict_duration_seconds", buckets: Self.buckets,
                                                 help: "Time to answer a predict request, parsing included")
        reloads = registry.makeCounter(name: "mlforge_model_reloads_total", help: "Model folders swapped in (SIGHUP)")
        failedReloads = registry.makeCounter(name: "mlforge_model_reload_failures_total", help: "Model folders refused on reload")
    }

    /// Counts one request of `route` that got `status` (errors: 4xx and 5xx).
    func count(route: String, status: Int) {
        registry.makeCounter(name: "mlforge_requests_total", labels: [("route", route), ("status", "\(status)")],
                             help: "Requests by route and status").increment()
        if status >= 400 {
            registry.makeCounter(name: "mlforge_request_errors_total", labels: [("route", route), ("class", status >= 500 ? "5xx" : "4xx")],
                                 help: "Requests answered with an error").increment()
        }
    }

    /// The text `/metrics` answers.
    func text() -> String { registry.emitToString() }
}
