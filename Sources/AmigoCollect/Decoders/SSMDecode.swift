import AmigoCore
import Foundation

/// Decoders for SSM JSON 1.1 responses (botocore's `ssm/2014-11-06`): the parameters whose
/// data type is `aws:ec2:image`, which pipelines point at their current golden image.
public enum SSMDecode {
    public static let imageDataType = "aws:ec2:image"

    /// `DescribeParameters` with `DataType=aws:ec2:image`: the names to ask `GetParameters`
    /// for. A parameter of another data type is not one (the filter is enforced here too); a
    /// name SSM could not have issued is a problem, never sent back.
    public static func imageParameterNames(_ object: [String: Any]) throws -> WorkloadPage<String> {
        let r = JSONFieldReader(operation: "DescribeParameters")
        guard let list = object["Parameters"] as? [Any] else { throw r.fail("response has no Parameters list") }
        var page = WorkloadPage<String>(items: [], problems: [], nextToken: try r.nextToken(object))
        for (n, element) in list.enumerated() {
            do throws(DecodeError) {
                let place = "parameter item \(n + 1)"
                guard let entry = element as? [String: Any] else { throw r.fail("\(place) is not an object") }
                let name = try r.parameterName(entry, place)
                guard try r.string(entry, "DataType", "parameter \(name)") == imageDataType else { continue }
                page.items.append(name)
            } catch {
                page.problems.append(error)
            }
        }
        return page
    }

    /// `GetParameters`: each parameter as a workload naming the AMI it holds. A parameter
    /// deleted since it was listed comes back in `InvalidParameters` and is no workload.
    public static func imageParameters(_ object: [String: Any], account: String, region: String) throws -> WorkloadPage<Workload> {
        let r = JSONFieldReader(operation: "GetParameters")
        guard let list = object["Parameters"] as? [Any] else { throw r.fail("response has no Parameters list") }
        var page = WorkloadPage<Workload>(items: [], problems: [], nextToken: nil)
        for (n, element) in list.enumerated() {
            do throws(DecodeError) {
                let place = "parameter item \(n + 1)"
                guard let entry = element as? [String: Any] else { throw r.fail("\(place) is not an object") }
                let name = try r.parameterName(entry, place)
                let what = "parameter \(name)"
                let value = try r.required(entry, "Value", what)
                guard AWSIdentifier.isImage(value) else {
                    throw r.fail("\(what) has Value \(UntrustedText.quoted(value)), expected an AMI id (ami-…)")
                }
                page.items.append(Workload(accountId: account, region: region, kind: .ssmParameter, resourceId: name,
                                           name: nil, state: nil, launchTime: try r.epochDate(entry, "LastModifiedDate", what),
                                           tags: [], imageId: value, via: nil, imageMetadata: nil))
            } catch {
                page.problems.append(error)
            }
        }
        return page
    }
}

extension JSONFieldReader {
    /// A required `Name` that SSM could have issued: it is sent back in `GetParameters`.
    func parameterName(_ entry: [String: Any], _ place: String) throws(DecodeError) -> String {
        let name = try required(entry, "Name", place)
        guard AWSIdentifier.isParameterName(name) else {
            throw fail("\(place) has Name \(UntrustedText.quoted(name)), expected an SSM parameter name")
        }
        return name
    }

    /// A JSON 1.1 timestamp: seconds since 1970 as a number.
    func epochDate(_ object: [String: Any], _ key: String, _ what: String) throws(DecodeError) -> Date? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        if let text = value as? String, !text.contains(where: { !$0.isWhitespace }) { return nil }
        guard !(value is String), let seconds = (value as? NSNumber)?.doubleValue, seconds.isFinite else {
            throw fail("\(what) has \(key) \(UntrustedText.quoted(String(describing: value))), expected seconds since 1970")
        }
        return Date(timeIntervalSince1970: seconds)
    }
}
