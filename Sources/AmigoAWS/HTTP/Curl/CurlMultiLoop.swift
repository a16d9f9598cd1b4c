import CCurlShim
import Foundation
import Synchronization

/// Runs every transfer of one `CurlTransport` on a single thread with a curl multi handle, so
/// blocking network I/O never occupies Swift's cooperative pool, and connections are shared
/// and kept alive across requests. At most `maxConcurrent` transfers run; the rest queue.
final class CurlMultiLoop: @unchecked Sendable {
    private struct Shared {
        var pending: [CurlExchange] = []
        var cancelled = false
        var stopping = false
        /// The loop thread has ended and freed `events`: nothing may wake it any more.
        var finished = false
    }
    private let shared = Mutex(Shared())
    private let options: CurlTransport.Options
    // Touched only by the loop thread.
    private let multi: UnsafeMutableRawPointer
    private let events: OpaquePointer
    private var active: [UnsafeMutableRawPointer: CurlExchange] = [:]
    private var idleHandles: [UnsafeMutableRawPointer] = []

    init(options: CurlTransport.Options) {
        ccurl_global_init_once()
        self.options = options
        multi = curl_multi_init()
        ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, max(options.maxConcurrent, 8))
        guard let events = ccurl_loop_create(multi) else { fatalError("out of memory creating the curl event loop") }
        self.events = events
        let thread = Thread { [self] in run() }
        thread.name = "amigo-curl"
        thread.start()
    }

    func submit(_ exchange: CurlExchange) {
        let accepted = shared.withLock { s -> Bool in
            guard !s.stopping else { return false }
            s.pending.append(exchange)
            return true
        }
        if accepted {
            wake()
        } else {
            exchange.finish(.failure(TransportError(kind: .other, url: exchange.request.url.absoluteString,
                                                    detail: "transport shut down")))
        }
    }

    func cancel(_ exchange: CurlExchange) {
        shared.withLock { s in
            exchange.cancelled = true
            s.cancelled = true
        }
        wake()
    }

    /// Ends the loop; requests still queued or running fail.
    func shutdown() {
        shared.withLock { $0.stopping = true }
        wake()
    }

    /// Under the lock, so a wake-up never reaches a loop that has freed its event loop.
    private func wake() {
        shared.withLock { s in
            if !s.finished { ccurl_loop_wakeup(events) }
        }
    }

    private func run() {
        while true {
            let (incoming, stopping, sweep) = shared.withLock { s -> ([CurlExchange], Bool, Bool) in
                let room = max(0, options.maxConcurrent - active.count)
                let take = s.stopping ? [] : Array(s.pending.prefix(room))
                s.pending.removeFirst(take.count)
                defer { s.cancelled = false }
                return (take, s.stopping, s.cancelled)
            }
            if stopping { break }
            for exchange in incoming { start(exchange) }
            if sweep { dropCancelled() }
            ccurl_loop_run_once(events, 1000)
            collectFinished()
        }
        let leftovers = shared.withLock { s -> [CurlExchange] in
            defer { s.pending.removeAll() }
            return s.pending
        }
        let failure = { (e: CurlExchange) in
            e.finish(.failure(TransportError(kind: .other, url: e.request.url.absoluteString,
                                             detail: "transport shut down")))
        }
        leftovers.forEach(failure)
        for (easy, exchange) in active {
            curl_multi_remove_handle(multi, easy)
            curl_easy_cleanup(easy)
            failure(exchange)
        }
        active.removeAll()
        idleHandles.forEach { curl_easy_cleanup($0) }
        idleHandles.removeAll()
        curl_multi_cleanup(multi)
        shared.withLock { $0.finished = true }
        ccurl_loop_destroy(events)
    }

    private func start(_ exchange: CurlExchange) {
        let easy: UnsafeMutableRawPointer
        if let reused = idleHandles.popLast() {
            curl_easy_reset(reused)
            easy = reused
        } else {
            guard let fresh = curl_easy_init() else {
                exchange.finish(.failure(TransportError(kind: .other, url: exchange.request.url.absoluteString,
                                                        detail: "curl_easy_init failed")))
                return
            }
            easy = fresh
        }
        exchange.configure(easy, options: options)
        active[easy] = exchange
        curl_multi_add_handle(multi, easy)
    }

    private func release(_ easy: UnsafeMutableRawPointer) {
        curl_multi_remove_handle(multi, easy)
        active[easy] = nil
        idleHandles.append(easy)
    }

    private func collectFinished() {
        var easy: UnsafeMutableRawPointer?
        var code = CURLE_OK
        while ccurl_multi_next_done(multi, &easy, &code) == 1, let handle = easy {
            guard let exchange = active[handle] else { continue }
            let receivedAt = HTTPResponse.uptime()
            release(handle)
            if code == CURLE_OK {
                var status = 0
                ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
                exchange.finish(.success(HTTPResponse(status: status, headerLines: exchange.headerLines,
                                                      body: exchange.body, receivedAt: receivedAt)))
            } else {
                exchange.finish(.failure(CurlExchange.error(for: code, url: exchange.request.url,
                                                            message: String(cString: exchange.errorBuffer))))
            }
        }
    }

    private func dropCancelled() {
        let (queued, running) = shared.withLock { s -> ([CurlExchange], [UnsafeMutableRawPointer]) in
            let queued = s.pending.filter(\.cancelled)
            s.pending.removeAll(where: \.cancelled)
            return (queued, active.filter { $0.value.cancelled }.map(\.key))
        }
        for exchange in queued { exchange.finish(.failure(CancellationError())) }
        for easy in running {
            let exchange = active[easy]
            release(easy)
            exchange?.finish(.failure(CancellationError()))
        }
    }
}
