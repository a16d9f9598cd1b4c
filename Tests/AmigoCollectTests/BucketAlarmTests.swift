@testable import AmigoCollect
import AmigoAWS
import Foundation
import Synchronization
import Testing

/// The pacer's one timer thread (`BucketAlarm`): it must wake each bucket once, never before
/// its time, in due order, and a new earliest alarm must not wait behind a later one.
@Suite struct BucketAlarmTests {
    final class Woken: Sendable {
        let log = Mutex<[(bucket: Int, at: Double)]>([])
        let start = HTTPResponse.uptime()
        func record(_ buckets: [Int]) {
            let now = HTTPResponse.uptime() - start
            log.withLock { log in log.append(contentsOf: buckets.map { ($0, now) }) }
        }
        var buckets: [Int] { log.withLock { $0.map(\.bucket) } }
        func time(of bucket: Int) -> Double? { log.withLock { $0.first { $0.bucket == bucket }?.at } }
    }

    /// A started alarm and what it has woken so far; stop the alarm when done.
    func started() -> (BucketAlarm, Woken) {
        let alarm = BucketAlarm()
        let woken = Woken()
        alarm.start { woken.record($0) }
        return (alarm, woken)
    }

    func waitFor(_ woken: Woken, count: Int, seconds: Double = 20) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while woken.buckets.count < count && Date() < deadline { try await Task.sleep(nanoseconds: 5_000_000) }
    }

    @Test func alarmsSetOutOfOrderWakeInDueOrderAndNotBeforeTheirTime() async throws {
        let (alarm, woken) = started()
        defer { alarm.stop() }
        alarm.set(3, after: 0.30)
        alarm.set(1, after: 0.10)
        alarm.set(2, after: 0.20)
        try await waitFor(woken, count: 3)
        #expect(woken.buckets == [1, 2, 3])
        for (bucket, delay) in [(1, 0.10), (2, 0.20), (3, 0.30)] {
            #expect(try #require(woken.time(of: bucket)) >= delay)
        }
    }

    @Test func aNewEarliestAlarmDoesNotWaitBehindALaterOne() async throws {
        let (alarm, woken) = started()
        defer { alarm.stop() }
        alarm.set(1, after: 3_600)
        try await Task.sleep(nanoseconds: 50_000_000)   // the thread is now asleep until then
        alarm.set(2, after: 0.05)
        try await waitFor(woken, count: 1)
        #expect(woken.buckets == [2])
    }

    @Test func aStoppedAlarmWakesNothing() async throws {
        let (alarm, woken) = started()
        alarm.set(1, after: 0.05)
        alarm.stop()
        try await Task.sleep(nanoseconds: 300_000_000)
        #expect(woken.buckets.isEmpty)
    }
}
