import Foundation
import NIOSSL
import PostgresNIO

/// Where a PostgreSQL server is and who to be there: read from a `postgresql://` URL, or from the
/// standard `PG*` environment variables (`PGHOST`, `PGPORT`, `PGUSER`, `PGPASSWORD`, `PGDATABASE`,
/// `PGSSLMODE`) as libpq reads them; a URL's missing parts fall back to those variables, then to libpq's
/// defaults (the local socket directory or localhost, port 5432, the login name as user and database).
///
/// `description` never shows the password, so a location can be logged and put in error messages.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    /// How the connection uses TLS, as libpq's `sslmode`: `prefer` and `require` encrypt without checking
    /// the server's certificate (libpq's meaning); `verifyFull` checks it against the system's roots and
    /// the host name (`verify-ca` is taken as `verify-full`).
    public enum TLSMode: String, Sendable, Equatable {
        case disable, prefer, require, verifyFull
    }

    /// A host name or address; a value starting with `/` is the directory of the server's Unix socket.
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var tls: TLSMode

    public init(host: String, port: Int = 5432, user: String, password: String? = nil, database: String,
                tls: TLSMode = .prefer) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.tls = tls
    }

    /// Whether `text` names a PostgreSQL server (`postgresql://` or `postgres://`).
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
    }

    /// The location from the `PG*` variables alone (libpq's defaults for what they leave out).
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PostgresLocation {
        try parse(url: nil, environment: environment)
    }

    /// The location a `postgresql://user:password@host:port/database?sslmode=…` URL names; parts it leaves
    /// out come from the `PG*` variables. Throws a message that says what is wrong with the URL.
    public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self = try Self.parse(url: url, environment: environment)
    }

    private static func parse(url: String?, environment env: [String: String]) throws -> PostgresLocation {
        var host = env["PGHOST"].flatMap { $0.isEmpty ? nil : $0 }
        var port = env["PGPORT"]
        var user = env["PGUSER"].flatMap { $0.isEmpty ? nil : $0 }
        var password = env["PGPASSWORD"]
        var database = env["PGDATABASE"].flatMap { $0.isEmpty ? nil : $0 }
        var sslmode = env["PGSSLMODE"]
        if let url {
            guard isURL(url), let parts = URLComponents(string: url) else {
                throw StoreError.badLocation("'\(redacted(url))' is not a PostgreSQL URL: write postgresql://USER:PASSWORD@HOST:PORT/DATABASE (each part optional)")
            }
            if let h = parts.host, !h.isEmpty { host = h.removingPercentEncoding ?? h }
            if let p = parts.port { port = String(p) }
            if let u = parts.user, !u.isEmpty { user = u.removingPercentEncoding ?? u }
            if let p = parts.password { password = p.removingPercentEncoding ?? p }
            let path = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
            if !path.isEmpty { database = path.removingPercentEncoding ?? path }
            for item in parts.queryItems ?? [] {
                switch item.name {
                case "sslmode": sslmode = item.value
                case "host": if let v = item.value, !v.isEmpty { host = v }
                case "port": port = item.value
                case "user": if let v = item.value, !v.isEmpty { user = v }
                case "password": password = item.value
                case "dbname": if let v = item.value, !v.isEmpty { database = v }
                default:
                    throw StoreError.badLocation("the PostgreSQL URL's parameter '\(item.name)' is not understood (known: sslmode, host, port, user, password, dbname)")
                }
            }
        }
        let portNumber: Int
        if let port, !port.isEmpty {
            guard let p = Int(port), (1...65535).contains(p) else {
                throw StoreError.badLocation("the PostgreSQL port '\(port)' is not a number from 1 to 65535")
            }
            portNumber = p
        } else {
            portNumber = 5432
        }
        let login = user ?? ProcessInfo.processInfo.environment["USER"] ?? NSUserName()
        let mode: TLSMode
        switch sslmode ?? "prefer" {
        case "disable", "allow": mode = .disable
        case "prefer": mode = .prefer
        case "require": mode = .require
        case "verify-ca", "verify-full": mode = .verifyFull
        case let other:
            throw StoreError.badLocation("sslmode '\(other)' is not one of disable, allow, prefer, require, verify-ca, verify-full")
        }
        let defaultHost = FileManager.default.fileExists(atPath: "/var/run/postgresql") ? "/var/run/postgresql" : "localhost"
        return PostgresLocation(host: host ?? defaultHost, port: portNumber, user: login, password: password,
                                database: database ?? login, tls: mode)
    }

    /// The URL with its password (in the user part or as a `password=` parameter) replaced by `***`.
    static func redacted(_ url: String) -> String {
        guard var parts = URLComponents(string: url) else { return "(a URL that cannot be read)" }
        if parts.password != nil { parts.password = "***" }
        parts.queryItems = parts.queryItems?.map { $0.name == "password" ? URLQueryItem(name: "password", value: "***") : $0 }
        return parts.string ?? "(a URL that cannot be read)"
    }

    public var description: String {
        let place = host.hasPrefix("/") ? "socket \(host)/.s.PGSQL.\(port)" : "\(host):\(port)"
        return "PostgreSQL at \(place), database '\(database)' as '\(user)'"
    }

    /// postgres-nio's configuration for this location.
    func configuration(connectTimeoutSeconds: Double) throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if host.hasPrefix("/") {
            configuration = .init(unixSocketPath: "\(host)/.s.PGSQL.\(port)", username: user, password: password, database: database)
        } else {
            let tls: PostgresConnection.Configuration.TLS
            switch self.tls {
            case .disable: tls = .disable
            case .prefer: tls = .prefer(try Self.unverifiedContext())
            case .require: tls = .require(try Self.unverifiedContext())
            case .verifyFull: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
            configuration = .init(host: host, port: port, username: user, password: password, database: database, tls: tls)
        }
        configuration.options.connectTimeout = .milliseconds(Int64(connectTimeoutSeconds * 1000))
        return configuration
    }

    private static func unverifiedContext() throws -> NIOSSLContext {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .none
        return try NIOSSLContext(configuration: tls)
    }
}
