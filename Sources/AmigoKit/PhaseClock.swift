import Foundation
enum PhaseClock {
    static let on = ProcessInfo.processInfo.environment["AMIGO_PHASES"] != nil
    static func mark(_ what: String) {
        guard on else { return }
        FileHandle.standardError.write("PHASE \(String(format: "%.4f", Date().timeIntervalSince1970)) \(what)\n".data(using: .utf8)!)
    }
}
