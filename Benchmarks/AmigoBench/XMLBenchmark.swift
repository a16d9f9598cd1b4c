import AmigoAWS
import AmigoCollect
import AmigoCore
#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Parse + decode CPU of the hot responses, streaming parser against libxml2's DOM (the
/// reference it replaced): `amigo-bench xml [PAGES]`. A DescribeImages page of 1,000 images
/// like the simulator's, and the one-image DescribeImageAttribute answer that is most requests.
func runXMLBenchmark(_ arguments: [String]) async throws {
    let pages = arguments.first.flatMap(Int.init) ?? 20
    let images = Data(describeImagesPage(images: 1000).utf8)
    let attribute = Data("""
        <?xml version="1.0" encoding="UTF-8"?>
        <DescribeImageAttributeResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</requestId><imageId>ami-0123456789abcdef0</imageId><launchPermission><item><userId>210987654321</userId></item></launchPermission></DescribeImageAttributeResponse>
        """.utf8)
    print("XML benchmark: \(pages) DescribeImages pages of 1,000 images (\(images.count / 1024) KiB), \(pages * 1000) DescribeImageAttribute answers")
    for parser in XMLDocument.Parser.allCases {
        let (_, page) = try await Measurement.of {
            for _ in 0..<pages {
                _ = try EC2Decode.images(try XMLDocument.parse(images, parser: parser), account: "123456789012", region: "r")
            }
        }
        let (_, small) = try await Measurement.of {
            for _ in 0..<(pages * 1000) { _ = try EC2Decode.launchPermissions(try XMLDocument.parse(attribute, parser: parser)) }
        }
        print(String(format: "  %@: DescribeImages %.2f µs per image, DescribeImageAttribute %.1f µs per answer (parse + decode, CPU)",
                     "\(parser)".padding(toLength: 9, withPad: " ", startingAt: 0),
                     page.cpu / Double(pages * 1000) * 1e6, small.cpu / Double(pages * 1000) * 1e6))
    }
}

/// What decoded images hold while an account×region waits on its per-image calls:
/// `amigo-bench images-memory [PAGES]` decodes PAGES DescribeImages pages of 1,000 images
/// (the shape of a 1,000-image account×region) and keeps them, as a scan with that many
/// account×regions in flight does; prints the resident memory they add per image, decoded one page at a time
/// (so no concurrent page buffers fragment the heap), against a scan's peak RSS.
func runImagesMemoryBenchmark(_ arguments: [String]) throws {
    let pages = arguments.first.flatMap(Int.init) ?? 200
    let page = Data(describeImagesPage(images: 1000).utf8)
    let before = heapInUse()
    var kept: [[AmigoCore.Image]] = []
    for _ in 0..<pages {
        kept.append(try EC2Decode.images(try XMLDocument.parse(page), account: "123456789012", region: "r").images)
    }
    let live = Double(heapInUse() - before)
    let images = Double(kept.reduce(0) { $0 + $1.count })
    print(String(format: "%d pages, %.0f images kept: %.0f bytes of resident memory per image (decoded one page at a time), peak RSS %.0f MiB (page: %d KiB of XML)",
                 pages, images, live / images, Measurement.peakRSS(), page.count / 1024))
}

/// The process's resident memory now, in bytes (/proc/self/statm counts pages).
private func heapInUse() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
          let pages = text.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

private func describeImagesPage(images: Int) -> String {
    var xml = #"<?xml version="1.0" encoding="UTF-8"?><DescribeImagesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId><imagesSet>"#
    for i in 0..<images {
        let id = String(format: "%017x", i)
        xml += """
            <item><imageId>ami-\(id)</imageId><imageLocation>123456789012/app-\(i)</imageLocation><imageState>available</imageState>\
            <imageOwnerId>123456789012</imageOwnerId><creationDate>2025-03-01T10:00:00.000Z</creationDate><isPublic>false</isPublic>\
            <architecture>x86_64</architecture><imageType>machine</imageType><name>app-\(i)</name><description>build \(i) of the app</description>\
            <rootDeviceType>ebs</rootDeviceType><rootDeviceName>/dev/xvda</rootDeviceName><blockDeviceMapping><item><deviceName>/dev/xvda</deviceName>\
            <ebs><snapshotId>snap-\(id)</snapshotId><volumeSize>8</volumeSize><deleteOnTermination>true</deleteOnTermination>\
            <volumeType>gp3</volumeType><encrypted>false</encrypted></ebs></item></blockDeviceMapping><virtualizationType>hvm</virtualizationType>\
            <hypervisor>xen</hypervisor><enaSupport>true</enaSupport><bootMode>uefi-preferred</bootMode><imdsSupport>v2.0</imdsSupport>\
            <platformDetails>Linux/UNIX</platformDetails><usageOperation>RunInstances</usageOperation>\
            <tagSet><item><key>Owner</key><value>team-\(i % 7)</value></item><item><key>Environment</key><value>prod</value></item>\
            <item><key>CostCenter</key><value>cc-\(i % 13)</value></item></tagSet></item>
            """
    }
    return xml + "</imagesSet></DescribeImagesResponse>"
}
