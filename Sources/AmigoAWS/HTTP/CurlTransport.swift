import Foundation

/// The live transport: HTTP(S) over libcurl. Connections are pooled and kept alive, at most
/// `maxConcurrent` requests are in flight (others wait their turn), and all I/O happens on
/// one dedicated thread per transport, never on Swift's cooperative pool.
public final class CurlTransport: Transport {
    public struct Options: Sendable, Hashable {
        public var maxConcurrent: Int
        /// Seconds to establish a connection (TCP and TLS).
        public var connectTimeout: Double
        /// Seconds for the whole exchange.
        public var timeout: Double
        /// A PEM file of trusted CAs (`AWS_CA_BUNDLE`, `--ca-bundle`); nil uses the system's.
        public var caBundle: String?
        public var proxy: ProxySettings

        /// `proxy` defaults to the process environment's HTTPS_PROXY/HTTP_PROXY/NO_PROXY.
        public init(maxConcurrent: Int = 32, connectTimeout: Double = Timeouts.standard.connect,
                    timeout: Double = Timeouts.standard.exchange,
                    caBundle: String? = nil, proxy: ProxySettings = .fromProcessEnvironment) {
            self.maxConcurrent = max(1, maxConcurrent); self.connectTimeout = connectTimeout
            self.timeout = timeout; self.caBundle = caBundle; self.proxy = proxy
        }
    }

    public let options: Options
    private let loop: CurlMultiLoop

    public init(options: Options = Options()) {
        self.options = options
        loop = CurlMultiLoop(options: options)
    }

    public convenience init(maxConcurrent: Int = 32, connectTimeout: Double = Timeouts.standard.connect,
                            timeout: Double = Timeouts.standard.exchange,
                            caBundle: String? = nil, proxy: ProxySettings = .fromProcessEnvironment) {
        self.init(options: Options(maxConcurrent: maxConcurrent, connectTimeout: connectTimeout,
                                   timeout: timeout, caBundle: caBundle, proxy: proxy))
    }

    deinit { loop.shutdown() }

    /// An exchange ends at the transport's timeout or at the current call's deadline
    /// (`CallDeadline.current`, read here: after the pacer, whose wait it gives back),
    /// whichever comes first.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let box = ExchangeBox()
        let timeout = min(options.timeout, CallDeadline.current?.remaining ?? .infinity)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let exchange = CurlExchange(request: request, timeout: timeout, continuation: continuation)
                box.set(exchange)
                loop.submit(exchange)
            }
        } onCancel: {
            if let exchange = box.get() { loop.cancel(exchange) }
        }
    }
}

/// Lets the cancellation handler reach an exchange created inside the continuation closure.
private final class ExchangeBox: @unchecked Sendable {
    private let lock = NSLock()
    private var exchange: CurlExchange?
    func set(_ e: CurlExchange) { lock.withLock { exchange = e } }
    func get() -> CurlExchange? { lock.withLock { exchange } }
}

/// Proxies as the AWS CLI takes them from the environment: `HTTPS_PROXY`/`https_proxy` for
/// https URLs, `HTTP_PROXY`/`http_proxy` for http, `NO_PROXY`/`no_proxy` for exceptions.
public struct ProxySettings: Sendable, Hashable {
    public var httpsProxy: String?
    public var httpProxy: String?
    public var noProxy: String?

    public init(httpsProxy: String? = nil, httpProxy: String? = nil, noProxy: String? = nil) {
        self.httpsProxy = httpsProxy; self.httpProxy = httpProxy; self.noProxy = noProxy
    }

    public static func fromEnvironment(_ env: [String: String]) -> ProxySettings {
        func value(_ name: String) -> String? {
            let v = env[name] ?? env[name.lowercased()]
            return (v?.isEmpty ?? true) ? nil : v
        }
        return ProxySettings(httpsProxy: value("HTTPS_PROXY"), httpProxy: value("HTTP_PROXY"),
                             noProxy: value("NO_PROXY"))
    }

    public static var fromProcessEnvironment: ProxySettings { fromEnvironment(ProcessInfo.processInfo.environment) }

    func proxy(for url: URL) -> String? {
        url.scheme?.lowercased() == "https" ? httpsProxy : httpProxy
    }
}
