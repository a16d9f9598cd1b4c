import CCurlShim
import Foundation

/// One request in flight on the multi loop: owns the request bytes curl reads, collects the
/// response curl writes, and resumes the caller exactly once.
final class CurlExchange: @unchecked Sendable {
    let request: HTTPRequest
    private var continuation: CheckedContinuation<HTTPResponse, any Error>?
    var status = 0
    /// The header lines as received; `HTTPResponse.headers` reads them when someone asks.
    var headerLines: [UInt8] = []
    var body = Data()
    /// Kept alive until curl is done with it: CURLOPT_POSTFIELDS does not copy.
    var requestBody: UnsafeMutableRawBufferPointer?
    var headerList: UnsafeMutablePointer<curl_slist>?
    let errorBuffer: UnsafeMutablePointer<CChar> = {
        let b = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
        b.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        return b
    }()
    /// Set by a cancelled task; the loop drops the transfer on its next turn.
    var cancelled = false
    /// Seconds the whole exchange may take: the transport's limit, or less when the call's
    /// deadline has less left (curl's own timer then ends the call at its deadline).
    let timeout: Double

    init(request: HTTPRequest, timeout: Double, continuation: CheckedContinuation<HTTPResponse, any Error>) {
        self.request = request
        self.timeout = timeout
        self.continuation = continuation
    }

    deinit {
        requestBody?.deallocate()
        errorBuffer.deallocate()
        if let headerList { curl_slist_free_all(headerList) }
    }

    func finish(_ result: Result<HTTPResponse, any Error>) {
        guard let c = continuation else { return }
        continuation = nil
        c.resume(with: result)
    }

    /// A header line as curl hands it over; a new status line (after `100 Continue` or a
    /// proxy's CONNECT answer) starts the header set afresh. Kept as bytes: this runs on the
    /// transport's one thread, for every line of every response.
    func receiveHeader(_ line: UnsafeBufferPointer<UInt8>) {
        if line.starts(with: "HTTP/".utf8) { headerLines.removeAll(keepingCapacity: true); return }
        headerLines.append(contentsOf: line)
    }

    /// Sets this request's options on a freshly reset easy handle.
    func configure(_ easy: UnsafeMutableRawPointer, options: CurlTransport.Options) {
        let me = Unmanaged.passUnretained(self).toOpaque()
        ccurl_setopt_string(easy, CURLOPT_URL, request.url.absoluteString)
        ccurl_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        ccurl_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1)
        ccurl_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Int(options.connectTimeout * 1000))
        ccurl_setopt_long(easy, CURLOPT_TIMEOUT_MS, max(1, Int(timeout * 1000)))
        ccurl_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0)
        ccurl_setopt_string(easy, CURLOPT_ACCEPT_ENCODING, nil)
        if let ca = options.caBundle { ccurl_setopt_string(easy, CURLOPT_CAINFO, ca) }
        // An explicit empty proxy stops libcurl from reading the process environment on its
        // own: the proxy settings come from the environment the transport was given.
        let proxy = options.proxy.proxy(for: request.url)
        ccurl_setopt_string(easy, CURLOPT_PROXY, proxy ?? "")
        if let noProxy = options.proxy.noProxy { ccurl_setopt_string(easy, CURLOPT_NOPROXY, noProxy) }
        ccurl_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer)
        ccurl_setopt_pointer(easy, CURLOPT_PRIVATE, me)
        ccurl_setopt_pointer(easy, CURLOPT_WRITEDATA, me)
        ccurl_setopt_pointer(easy, CURLOPT_HEADERDATA, me)
        ccurl_setopt_write_function(easy, curlWriteBody)
        ccurl_setopt_header_function(easy, curlWriteHeader)

        let method = request.method.uppercased()
        switch method {
        case "GET" where request.body.isEmpty: ccurl_setopt_long(easy, CURLOPT_HTTPGET, 1)
        case "HEAD": ccurl_setopt_long(easy, CURLOPT_NOBODY, 1)
        default:
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(request.body.count, 1), alignment: 1)
            _ = request.body.copyBytes(to: buffer.bindMemory(to: UInt8.self))
            requestBody = buffer
            ccurl_setopt_long(easy, CURLOPT_POST, 1)
            ccurl_setopt_long(easy, CURLOPT_POSTFIELDSIZE, request.body.count)
            ccurl_setopt_pointer(easy, CURLOPT_POSTFIELDS, buffer.baseAddress)
            if method != "POST" { ccurl_setopt_string(easy, CURLOPT_CUSTOMREQUEST, method) }
        }
        // No `Expect: 100-continue` round trip, and no default Content-Type on bodies we did
        // not label: what is sent is what was signed.
        var list = curl_slist_append(nil, "Expect:")
        if request.headers.keys.contains(where: { $0.lowercased() == "content-type" }) == false {
            list = curl_slist_append(list, "Content-Type:")
        }
        for (name, value) in request.headers {
            list = curl_slist_append(list, value.isEmpty ? "\(name);" : "\(name): \(value)")
        }
        headerList = list
        ccurl_setopt_pointer(easy, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(list))
    }

    static func error(for code: CURLcode, url: URL, message: String) -> TransportError {
        let kind: TransportError.Kind
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            kind = .connect
        case CURLE_OPERATION_TIMEDOUT: kind = .timeout
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE,
             CURLE_HTTP2, CURLE_HTTP2_STREAM:
            kind = .reset
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
             CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ENGINE_NOTFOUND,
             CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
             CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE, CURLE_SSL_SHUTDOWN_FAILED:
            kind = .tls
        default: kind = .other
        }
        let text = String(cString: curl_easy_strerror(code))
        return TransportError(kind: kind, url: url.absoluteString,
                              detail: message.isEmpty ? text : "\(text): \(message)")
    }
}

private let curlWriteBody: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    data, size, count, user in
    guard let data, let user else { return 0 }
    let exchange = Unmanaged<CurlExchange>.fromOpaque(user).takeUnretainedValue()
    exchange.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: size * count)
    return size * count
}

private let curlWriteHeader: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    data, size, count, user in
    guard let data, let user else { return 0 }
    let exchange = Unmanaged<CurlExchange>.fromOpaque(user).takeUnretainedValue()
    exchange.receiveHeader(UnsafeBufferPointer(start: UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self),
                                               count: size * count))
    return size * count
}
