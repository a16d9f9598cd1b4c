// CYaml is the libyaml that Yams builds and links: no library beyond what Yams brings.
import CYaml
import Foundation

/// Yams composes a node tree recursively, and the tree is freed recursively, so a few hundred
/// kilobytes of `[[[[…` (or `- - - …`, or a chain of aliases) overflow the stack and kill the
/// process before any error is shown. The depth is measured first on libyaml's event stream,
/// which is a loop, and a file nested past `maxDepth` is an error at the node that goes too deep.
enum YAMLNesting {
    /// Policies nest about five levels; this leaves room for any hand-written structure.
    static let maxDepth = 64

    /// Where (1-based line and column) the first collection or alias deeper than `maxDepth`
    /// starts, or nil. A syntax error also gives nil: Yams then reports it with its own place.
    static func tooDeep(_ text: String) -> (line: Int, column: Int)? {
        var bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return nil }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        return bytes.withUnsafeMutableBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            // Height (levels of collections) of every anchored node: an alias composes its
            // anchor's whole subtree again where it stands.
            var anchored: [String: Int] = [:]
            // For each open collection: its anchor and the tallest child seen so far.
            var open: [(anchor: String?, tallestChild: Int)] = []
            var event = yaml_event_t()
            while yaml_parser_parse(&parser, &event) == 1 {
                defer { yaml_event_delete(&event) }
                let mark = (line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
                var finished: Int?  // height of a node that ends with this event
                switch event.type {
                case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    guard open.count < maxDepth else { return mark }
                    let anchor = event.type == YAML_SEQUENCE_START_EVENT
                        ? event.data.sequence_start.anchor : event.data.mapping_start.anchor
                    open.append((anchor.map { String(cString: $0) }, 0))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    guard let closed = open.popLast() else { return nil }
                    finished = closed.tallestChild + 1
                    if let anchor = closed.anchor { anchored[anchor] = finished }
                case YAML_ALIAS_EVENT:
                    let height = event.data.alias.anchor.map { anchored[String(cString: $0)] ?? 0 } ?? 0
                    guard open.count + height <= maxDepth else { return mark }
                    finished = height
                case YAML_SCALAR_EVENT:
                    // A scalar's anchor may be re-used by a later anchor of the same name.
                    if let anchor = event.data.scalar.anchor { anchored[String(cString: anchor)] = 0 }
                case YAML_STREAM_END_EVENT:
                    return nil
                default:
                    break
                }
                if let finished, !open.isEmpty {
                    open[open.count - 1].tallestChild = max(open[open.count - 1].tallestChild, finished)
                }
            }
            return nil
        }
    }
}
