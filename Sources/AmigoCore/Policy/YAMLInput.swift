import Foundation
import Yams

/// What every YAML file amigo reads goes through before its content is interpreted (policy
/// files now, framework files too): a size cap checked before the file is read whole, strict
/// UTF-8, and unique keys in every mapping. Each problem is a `PolicyError` at its place.
enum YAMLInput {
    /// At most `maxBytes` of the file at `url`, read without reading further: a 50 MB file
    /// would otherwise cost minutes and a gigabyte in the YAML parser.
    static func read(_ url: URL, file: String, maxBytes requested: Int) -> Result<Data, PolicyError> {
        let maxBytes = min(requested, Int.max - 1)  // reads maxBytes + 1 to see a byte past it
        func failure(_ message: String) -> Result<Data, PolicyError> {
            .failure(PolicyError(file: file, line: 1, column: 1, message: message))
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            return failure("cannot read the policy file: no such file")
        }
        guard !isDirectory.boolValue else { return failure("cannot read the policy file: it is a directory") }
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            return failure("cannot read the policy file: permission denied")
        }
        defer { try? handle.close() }
        var data = Data()
        do {
            // A pipe may answer in pieces; stop at the first byte past the cap.
            while data.count <= maxBytes, let chunk = try handle.read(upToCount: maxBytes + 1 - data.count), !chunk.isEmpty {
                data.append(chunk)
            }
        } catch {
            return failure("cannot read the policy file: \(error.localizedDescription)")
        }
        guard data.count <= maxBytes else {
            return failure("the policy file is larger than \(maxBytes) bytes (the limit; \(PolicyLoader.maxFileBytesVariable) raises it)")
        }
        return .success(data)
    }

    /// The text of `data`, or an error at the first byte that is not UTF-8, its column counted
    /// in characters as Yams counts them. A lossy decoding would evaluate a policy nobody wrote.
    static func decode(_ data: Data, file: String) -> Result<String, PolicyError> {
        var line = 1, column = 1, offset = 0
        var bytes = data.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&bytes) {
            case .scalarValue(let scalar):
                offset += UTF8.width(scalar)
                if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
            case .emptyInput:
                return .success(String(decoding: data, as: UTF8.self))
            case .error:
                let byte = data[data.startIndex + offset]
                return .failure(PolicyError(file: file, line: line, column: column,
                    message: "the policy file is not UTF-8: invalid byte 0x\(String(byte, radix: 16, uppercase: true)) (save it as UTF-8)"))
            }
        }
    }

    /// Every key that repeats an earlier key of its mapping, at any depth, each at its own place:
    /// Yams keeps every pair, and readers that look a key up would silently take one of them (a
    /// second `policies:` block, a later `severity: info`). Keys are compared as the readers
    /// read them, by their text; a key that is not text is rejected by every reader anyway.
    static func duplicateKeys(in root: Node, file: String) -> [PolicyError] {
        var errors: [PolicyError] = []
        var pending = [root]
        // An alias is its anchor's node again (same mark): walking it once keeps a file of
        // nested aliases from costing exponential time.
        var walked: Set<[Int]> = []
        while let node = pending.popLast() {
            switch node {
            case .scalar: continue
            case .mapping(let mapping):
                if let mark = mapping.mark, !walked.insert([0, mark.line, mark.column]).inserted { continue }
                var first: [String: Mark] = [:]
                for (key, value) in mapping {
                    if let name = key.scalar?.string, let mark = key.mark {
                        if let earlier = first[name] {
                            errors.append(PolicyError(file: file, line: mark.line, column: mark.column,
                                message: "duplicate key '\(name)'; it is first given at \(file):\(earlier.line):\(earlier.column)"))
                        } else {
                            first[name] = mark
                        }
                    }
                    pending.append(value)
                }
            case .sequence(let sequence):
                if let mark = sequence.mark, !walked.insert([1, mark.line, mark.column]).inserted { continue }
                pending.append(contentsOf: sequence)
            }
        }
        return errors
    }
}

extension YAMLInput {
    /// The node tree of one policy or framework file, or the error that names where it is not
    /// YAML amigo reads (too deeply nested, or not YAML): one guard for every document kind.
    static func compose(_ text: String, file: String) -> Result<Node?, PolicyError> {
        if let (line, column) = YAMLNesting.tooDeep(text) {
            return .failure(PolicyError(file: file, line: line, column: column,
                                        message: "the YAML is nested more than \(YAMLNesting.maxDepth) levels deep"))
        }
        do { return .success(try Yams.compose(yaml: text)) } catch {
            return .failure(PolicyDocument.syntaxError(error, file: file))
        }
    }
}
