import AmigoAWS
import AmigoCollect
import AmigoCore
import Foundation
import FoundationXML
import Testing

/// docs/decoding.md checked against the decoders: for every row, a full response of its
/// operation is mutated at that field (empty, whitespace, absent, malformed) and decoded; and
/// every field of the sample whose absence changes the decoded result must have a row.
@Suite struct DecodingTableTests {
    struct Row: Sendable, CustomStringConvertible {
        var operation, field, type, empty, absent, malformed: String
        var description: String { "\(operation) \(field)" }
    }

    enum Outcome: Hashable, CustomStringConvertible {
        case error, undecodable, decoded(String)
        var description: String {
            switch self {
            case .error: "error"
            case .undecodable: "undecodable"
            case .decoded(let value): "decoded \(value.prefix(200))"
            }
        }
    }

    static let rows: [Row] = {
        let text = (try? String(contentsOf: Wire.repoRoot.appendingPathComponent("docs/decoding.md"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line -> Row? in
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 6, cells[0] != "Operation", !cells[0].hasPrefix("---") else { return nil }
            return Row(operation: cells[0], field: cells[1], type: cells[2], empty: cells[3], absent: cells[4], malformed: cells[5])
        }
    }()

    @Test func theTableIsThere() {
        #expect(Self.rows.count > 60)
        #expect(Set(Self.rows.map(\.operation)) == Set(Samples.xml.keys).union(Samples.json.keys).union(["AssumeRole"]))
    }

    @Test(arguments: rows)
    func rowMatchesTheDecoder(row: Row) async throws {
        let mutate: (Mutation) async throws -> Outcome = { mutation in
            if row.operation == "AssumeRole" { return await Samples.assumeRole(row.field, mutation) }
            if let sample = Samples.json[row.operation] { return Samples.decodeJSON(sample, row.field, mutation) }
            let sample = try #require(Samples.xml[row.operation], "no sample for \(row.operation)")
            return try Samples.decodeXML(sample, row.field, mutation)
        }
        let baseline = try await mutate(.none)
        #expect(baseline != .error && baseline != .undecodable, "the sample of \(row.operation) decodes")
        let absent = try await mutate(.absent)
        #expect(absent != baseline, "\(row): the decoder does not read it (absent changes nothing)")
        #expect(Self.matches(absent, row.absent, baseline: baseline), "\(row): absent gives \(absent), the table says \(row.absent)")
        if row.type == "presence" {
            #expect(try await mutate(.value("")) == baseline, "\(row): an empty flag is present")
        } else {
            #expect(row.empty == "as absent")
            for blank in ["", " ", "\n\t "] {
                #expect(try await mutate(.value(blank)) == absent, "\(row): \(blank.debugDescription) is not as absent")
            }
        }
        guard row.malformed != "—", !row.malformed.hasPrefix("— ") else { return }
        let garbage: Mutation = Samples.json[row.operation] != nil ? .number : .value(row.type == "string" ? "staff" : "last week")
        let malformed = try await mutate(garbage)
        #expect(Self.matches(malformed, row.malformed, baseline: baseline), "\(row): malformed gives \(malformed), the table says \(row.malformed)")
    }

    /// Every leaf element or key of the samples whose absence changes the result has a row.
    @Test func everyFieldTheDecodersReadHasARow() throws {
        let documented = Set(Self.rows.map { "\($0.operation) \($0.field)" })
        for (operation, sample) in Samples.xml {
            let baseline = try Samples.decodeXML(sample, nil, .none)
            for path in try Samples.leafPaths(sample.body) where !documented.contains("\(operation) \(path)") {
                #expect(try Samples.decodeXML(sample, path, .absent) == baseline, "\(operation) reads \(path), which has no row")
            }
        }
        for (operation, sample) in Samples.json {
            let baseline = Samples.decodeJSON(sample, nil, .none)
            for path in Samples.leafPaths(sample.object) where !documented.contains("\(operation) \(path)") {
                #expect(Samples.decodeJSON(sample, path, .absent) == baseline, "\(operation) reads \(path), which has no row")
            }
        }
    }

    /// The table's words for an outcome: a cell starting "undecodable" or "error" is that; any
    /// other is a value decoded (different from the sample's, as the field changed).
    static func matches(_ outcome: Outcome, _ cell: String, baseline: Outcome) -> Bool {
        if cell.hasPrefix("undecodable") { return outcome == .undecodable }
        if cell.hasPrefix("error") { return outcome == .error }
        return outcome != .error && outcome != .undecodable
    }
}

enum Mutation: Sendable { case none, absent, value(String), number }

/// Full responses of every operation the table lists, each field with a value whose absence
/// shows in the decoded result.
enum Samples {
    struct XMLSample: Sendable {
        var body: String
        var decode: @Sendable (AmigoAWS.XMLNode) throws -> DecodingTableTests.Outcome
    }
    struct JSONSample: @unchecked Sendable {
        var object: [String: Any]
        var decode: @Sendable ([String: Any]) throws -> String
    }

    static func value<T>(_ body: () throws -> T) throws -> DecodingTableTests.Outcome {
        do { return .decoded(String(describing: try body())) } catch is DecodeError { return .error }
    }

    static let image = """
    <item><imageId>ami-1</imageId><imageLocation>x</imageLocation><imageState>available</imageState>
    <imageOwnerId>111111111111</imageOwnerId><imageOwnerAlias>self</imageOwnerAlias><isPublic>false</isPublic>
    <name>n</name><description>d</description><creationDate>2024-03-01T12:00:00.000Z</creationDate>
    <deprecationTime>2026-06-01T00:00:00Z</deprecationTime><lastLaunchedTime>2026-10-20T08:15:00Z</lastLaunchedTime>
    <virtualizationType>hvm</virtualizationType><architecture>arm64</architecture><imageType>machine</imageType>
    <rootDeviceType>ebs</rootDeviceType><rootDeviceName>/dev/xvda</rootDeviceName><bootMode>uefi</bootMode>
    <imdsSupport>v2.0</imdsSupport><tpmSupport>v2.0</tpmSupport><enaSupport>true</enaSupport><platform>windows</platform>
    <platformDetails>Windows</platformDetails><usageOperation>RunInstances:0002</usageOperation>
    <sourceImageId>ami-2</sourceImageId><sourceImageRegion>us-east-1</sourceImageRegion>
    <deregistrationProtection>disabled</deregistrationProtection><hypervisor>xen</hypervisor>
    <tagSet><item><key>Owner</key><value>o</value></item></tagSet>
    <blockDeviceMapping>
      <item><deviceName>/dev/xvda</deviceName><ebs><snapshotId>snap-1</snapshotId><volumeSize>8</volumeSize>
        <volumeType>gp3</volumeType><encrypted>true</encrypted><kmsKeyId>k</kmsKeyId><deleteOnTermination>true</deleteOnTermination>
        <iops>3000</iops></ebs></item>
      <item><deviceName>/dev/sdb</deviceName><virtualName>ephemeral0</virtualName></item>
      <item><deviceName>/dev/sdc</deviceName><noDevice/></item>
    </blockDeviceMapping></item>
    """

    static func permissions(_ list: String) -> String {
        "<\(list)><item><group>all</group></item><item><userId>222222222222</userId></item><item><organizationArn>arn:o</organizationArn></item><item><organizationalUnitArn>arn:ou</organizationalUnitArn></item></\(list)>"
    }

    static let xml = baseXML.merging(workloadXML) { _, workload in workload }
    static let json = baseJSON.merging(workloadJSON) { _, workload in workload }

    static let baseXML: [String: XMLSample] = [
        "DescribeImages": XMLSample(body: "<DescribeImagesResponse><requestId>r</requestId><imagesSet>\(image)</imagesSet><nextToken>t</nextToken></DescribeImagesResponse>") { root in
            let page = try EC2Decode.images(root, account: "999999999999", region: "r")
            return page.undecodable.isEmpty ? .decoded("\(page.images) \(page.nextToken ?? "-")") : .undecodable
        },
        "DescribeSnapshotAttribute": XMLSample(body: "<DescribeSnapshotAttributeResponse><snapshotId>snap-1</snapshotId>\(permissions("createVolumePermission"))</DescribeSnapshotAttributeResponse>") { root in
            try value { try EC2Decode.createVolumePermissions(root) }
        },
        "DescribeSnapshots": XMLSample(body: "<DescribeSnapshotsResponse><snapshotSet><item><snapshotId>snap-1</snapshotId><ownerId>111111111111</ownerId><encrypted>true</encrypted><kmsKeyId>k</kmsKeyId><volumeSize>8</volumeSize><startTime>2024-03-01T12:00:00Z</startTime><status>completed</status></item></snapshotSet><nextToken>t</nextToken></DescribeSnapshotsResponse>") { root in
            try value { try EC2Decode.snapshots(root, account: "999999999999", region: "r") }
        },
        "DescribeRegions": XMLSample(body: "<DescribeRegionsResponse><regionInfo><item><regionName>af-south-1</regionName><regionEndpoint>e</regionEndpoint><optInStatus>not-opted-in</optInStatus></item></regionInfo></DescribeRegionsResponse>") { root in
            try value { try EC2Decode.regions(root).map { "\($0) \($0.isEnabled)" } }
        },
        "GetEbsEncryptionByDefault": XMLSample(body: "<GetEbsEncryptionByDefaultResponse><ebsEncryptionByDefault>true</ebsEncryptionByDefault><sseType>sse-ebs</sseType></GetEbsEncryptionByDefaultResponse>") { root in
            try value { try EC2Decode.ebsEncryptionByDefault(root) }
        },
        "GetImageBlockPublicAccessState": XMLSample(body: "<GetImageBlockPublicAccessStateResponse><imageBlockPublicAccessState>unblocked</imageBlockPublicAccessState><managedBy>account</managedBy></GetImageBlockPublicAccessStateResponse>") { root in
            try value { try EC2Decode.imageBlockPublicAccessState(root) }
        },
        "GetSnapshotBlockPublicAccessState": XMLSample(body: "<GetSnapshotBlockPublicAccessStateResponse><state>unblocked</state></GetSnapshotBlockPublicAccessStateResponse>") { root in
            try value { try EC2Decode.snapshotBlockPublicAccessState(root) }
        },
        "GetCallerIdentity": XMLSample(body: "<GetCallerIdentityResponse><GetCallerIdentityResult><Account>111111111111</Account><Arn>arn:a</Arn><UserId>u</UserId></GetCallerIdentityResult></GetCallerIdentityResponse>") { root in
            try value { try STSDecode.callerIdentity(root) }
        },
    ]

    static let baseJSON: [String: JSONSample] = [
        "ListAccounts": JSONSample(object: ["Accounts": [["Id": "111111111111", "Name": "a", "Email": "e", "State": "SUSPENDED", "Status": "ACTIVE", "Arn": "x"],
                                                         ["Id": "222222222222", "Status": "SUSPENDED"]], "NextToken": "t"]) {
            "\(try OrganizationsDecode.accounts($0))"
        },
        "ListAccountsForParent": JSONSample(object: ["Accounts": [["Id": "111111111111", "Name": "a"]], "NextToken": "t"]) {
            "\(try OrganizationsDecode.childIds($0, operation: "ListAccountsForParent", key: "Accounts"))"
        },
        "ListOrganizationalUnitsForParent": JSONSample(object: ["OrganizationalUnits": [["Id": "ou-1", "Name": "a"]], "NextToken": "t"]) {
            "\(try OrganizationsDecode.childIds($0, operation: "ListOrganizationalUnitsForParent", key: "OrganizationalUnits"))"
        },
        "DescribeOrganization": JSONSample(object: ["Organization": ["Id": "o-1", "Arn": "arn:o", "MasterAccountId": "111111111111", "FeatureSet": "ALL"]]) {
            "\(try OrganizationsDecode.organization($0))"
        },
    ]

    // MARK: XML

    static func decodeXML(_ sample: XMLSample, _ path: String?, _ mutation: Mutation) throws -> DecodingTableTests.Outcome {
        try sample.decode(try AmigoAWS.XMLDocument.parse(Data(try mutated(sample.body, path, mutation).utf8)))
    }

    /// The body with every element at `path` (`item` steps take every item) changed.
    static func mutated(_ body: String, _ path: String?, _ mutation: Mutation) throws -> String {
        let document = try FoundationXML.XMLDocument(xmlString: body, options: [])
        guard let path, let root = document.rootElement() else { return body }
        for node in nodes(root, path.split(separator: "/").map(String.init)) {
            switch mutation {
            case .none: break
            case .absent: node.detach()
            case .value(let text): node.setChildren(nil); node.stringValue = text
            case .number: node.setChildren(nil); node.stringValue = "42"
            }
        }
        return document.xmlString
    }

    static func nodes(_ element: XMLElement, _ path: [String]) -> [XMLElement] {
        guard let first = path.first else { return [element] }
        return element.elements(forName: first).flatMap { nodes($0, Array(path.dropFirst())) }
    }

    static func leafPaths(_ body: String) throws -> Set<String> {
        let document = try FoundationXML.XMLDocument(xmlString: body, options: [])
        var paths: Set<String> = []
        func walk(_ element: XMLElement, _ prefix: [String]) {
            let children = (element.children ?? []).compactMap { $0 as? XMLElement }
            if children.isEmpty { paths.insert(prefix.joined(separator: "/")); return }
            for child in children { walk(child, prefix + [child.name ?? ""]) }
        }
        if let root = document.rootElement() { walk(root, []) }
        return paths
    }

    // MARK: JSON

    static func decodeJSON(_ sample: JSONSample, _ path: String?, _ mutation: Mutation) -> DecodingTableTests.Outcome {
        var object = sample.object
        if let path { object = mutate(object, path.split(separator: ".").map(String.init), mutation) }
        do { return .decoded(try sample.decode(object)) } catch { return .error }
    }

    /// `Accounts[].Id`: `[]` applies the rest of the path to every element.
    static func mutate(_ object: [String: Any], _ path: [String], _ mutation: Mutation) -> [String: Any] {
        var object = object
        guard let head = path.first else { return object }
        if head.hasSuffix("[]"), path.count > 1 {
            let key = String(head.dropLast(2))
            object[key] = (object[key] as? [[String: Any]] ?? []).map { mutate($0, Array(path.dropFirst()), mutation) }
        } else if path.count > 1 {
            object[head] = mutate(object[head] as? [String: Any] ?? [:], Array(path.dropFirst()), mutation)
        } else {
            switch mutation {
            case .none: break
            case .absent: object[head] = nil
            case .value(let text): object[head] = text
            case .number: object[head] = 42
            }
        }
        return object
    }

    static func leafPaths(_ object: [String: Any]) -> Set<String> {
        var paths: Set<String> = []
        for (key, value) in object {
            if let list = value as? [[String: Any]] {
                for element in list { paths.formUnion(leafPaths(element).map { "\(key)[].\($0)" }) }
            } else if let nested = value as? [String: Any] {
                paths.formUnion(leafPaths(nested).map { "\(key).\($0)" })
            } else {
                paths.insert(key)
            }
        }
        return paths
    }

    // MARK: AssumeRole, decoded by the credential provider

    static func assumeRole(_ field: String, _ mutation: Mutation) async -> DecodingTableTests.Outcome {
        let body = "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIA1</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>a</Arn></AssumedRoleUser></AssumeRoleResult></AssumeRoleResponse>"
        guard let answer = try? mutated(body, field, mutation) else { return .error }
        let client = AWSClient(transport: StandIn { _ in StandIn.xml(answer) }, retry: RetryPolicy(maxAttempts: 1))
        let provider = AssumeRoleCredentialProvider(
            client: client, roleArn: "arn:aws:iam::111111111111:role/r", sessionName: "s", externalId: nil, durationSeconds: nil,
            source: StaticCredentialProvider(Credentials(accessKeyId: "AKIDTEST", secretAccessKey: "s")), region: "us-east-1")
        do {
            let c = try await provider.credentials()
            return .decoded("\(c.accessKeyId) \(c.secretAccessKey) \(c.sessionToken ?? "-") \(c.expiration.map { "\($0)" } ?? "-")")
        } catch { return .error }
    }
}
