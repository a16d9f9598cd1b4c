import Dispatch
import Foundation
import Synchronization

/// Wakes buckets when their next token is due, from one thread for the whole scheduler.
///
/// In the steady phase of a scan every paced bucket waits about 50 ms per token. A task
/// sleeping on a timer of its own for each wait cost a task, a dispatch timer and a hand-off
/// between threads per paced request; this thread instead keeps the alarms in order and
/// wakes every bucket that is due at once. Times are the real monotonic clock, whatever
/// clock the scheduler models tokens with.
final class BucketAlarm: Sendable {
    private struct Alarm {
        let at: UInt64   // DispatchTime uptime nanoseconds
        let bucket: Int
    }

    private struct State {
        var alarms: [Alarm] = []   // latest first: the due ones leave from the end
        var stopped = false
    }

    private let state = Mutex(State())
    /// Signalled when an alarm becomes the earliest or the alarm stops. A signal given before
    /// the thread waits is kept by the semaphore, so none is lost; at worst the thread looks
    /// once more and finds nothing due.
    private let nudge = DispatchSemaphore(value: 0)

    /// Starts the thread; `wake` runs on it with the buckets that are due.
    func start(wake: @escaping @Sendable ([Int]) -> Void) {
        let thread = Thread { [self] in run(wake) }
        thread.name = "amigo-pacing"
        thread.start()
    }

    /// Wakes `bucket` once `seconds` have passed.
    func set(_ bucket: Int, after seconds: Double) {
        let at = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, seconds) * 1e9)
        let earliest = state.withLock { s -> Bool in
            // Binary search for the place that keeps the array latest first.
            var low = 0, high = s.alarms.count
            while low < high {
                let mid = (low + high) / 2
                if s.alarms[mid].at > at { low = mid + 1 } else { high = mid }
            }
            s.alarms.insert(Alarm(at: at, bucket: bucket), at: low)
            return low == s.alarms.count - 1
        }
        if earliest { nudge.signal() }
    }

    /// Ends the thread; alarms not yet due never fire.
    func stop() {
        state.withLock { $0.stopped = true }
        nudge.signal()
    }

    private enum Next {
        case stop
        case wake([Int])
        case wait(DispatchTime)
        case idle
    }

    private func run(_ wake: @Sendable ([Int]) -> Void) {
        while true {
            let now = DispatchTime.now().uptimeNanoseconds
            let next = state.withLock { s -> Next in
                if s.stopped { return .stop }
                guard let earliest = s.alarms.last else { return .idle }
                guard earliest.at <= now else { return .wait(DispatchTime(uptimeNanoseconds: earliest.at)) }
                var due: [Int] = []
                while let last = s.alarms.last, last.at <= now {
                    due.append(last.bucket)
                    s.alarms.removeLast()
                }
                return .wake(due)
            }
            switch next {
            case .stop: return
            case .wake(let buckets): wake(buckets)
            case .wait(let deadline): _ = nudge.wait(timeout: deadline)
            case .idle: nudge.wait()
            }
        }
    }
}
