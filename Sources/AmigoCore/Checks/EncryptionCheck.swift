import Foundation

/// Every EBS volume an image launches with must be encrypted, optionally with an allowed key.
/// Encryption unknown (neither the mapping nor its snapshot says) counts as unencrypted:
/// amigo never reports what it could not see as compliant.
public struct EncryptionCheck: Check {
    public static let descriptor = CheckDescriptor(
        id: "encryption",
        title: "Every EBS block device of the image is encrypted (optionally with an allowed KMS key).",
        rationale: "An unencrypted snapshot behind an image is readable by anyone it is shared with and every volume launched from it is unencrypted; a key outside the allowed set may be one the organization cannot control or revoke.",
        remediation: Remediation(
            "Copy the image with encryption under an allowed KMS key, move launches to the copy, then deregister the original.",
            commands: [
                "aws ec2 copy-image --region <region> --source-region <region> --source-image-id <image-id> --name <name> --encrypted --kms-key-id <kms-key-arn>",
                "aws ec2 deregister-image --region <region> --image-id <image-id>",
            ],
            documentation: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/AMIEncryption.html"),
        parameters: [
            ParameterDoc("kms-key-arns", "[glob]", "KMS key ARNs (shell globs) the volumes may be encrypted with; any key when absent."),
        ],
        needs: [.images],
        examples: examples)

    public let kmsKeyArns: [String]?

    public init(parameters: CheckParameters) throws {
        if let keys = try parameters.strings("kms-key-arns") {
            let node = parameters.location("kms-key-arns")
            if keys.isEmpty {
                throw parameters.error("'kms-key-arns' must list at least one key ARN; leave it out to allow any key", at: node)
            }
            for (i, key) in keys.enumerated() where !key.hasPrefix("arn:") {
                let item = node?.sequence.map { Array($0)[i] } ?? node
                throw parameters.error("'kms-key-arns' entry '\(key)' is not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID, globs allowed)",
                                       at: item)
            }
            kmsKeyArns = keys
        } else {
            kmsKeyArns = nil
        }
        try parameters.finish()
    }

    public func evaluate(_ image: Image, in context: EvaluationContext) -> [Violation] {
        var violations: [Violation] = []
        for i in image.blockDevices.indices {
            // The common case (an encrypted EBS volume, any key) is decided without copying the device.
            if !image.blockDevices[i].isEBS || (image.blockDevices[i].encrypted == true && kmsKeyArns == nil) { continue }
            let device = image.blockDevices[i]
            let snapshot = context.snapshots.isEmpty ? nil : context.snapshot(for: image, device)
            let encrypted = device.encrypted ?? snapshot?.encrypted
            let snapshotId = device.snapshotId ?? "none"
            guard encrypted == true else {
                let what = encrypted == nil ? "has unknown encryption, so it cannot be verified as encrypted"
                                            : "is not encrypted"
                violations.append(Violation("EBS volume \(device.deviceName) (snapshot \(snapshotId)) \(what).",
                                            evidence: ["device": device.deviceName, "snapshot": snapshotId,
                                                       "encrypted": encrypted.map { String($0) } ?? "unknown"],
                                            discriminator: device.deviceName))
                continue
            }
            guard let allowed = kmsKeyArns else { continue }
            guard let key = device.kmsKeyId ?? snapshot?.kmsKeyId else {
                violations.append(Violation("The KMS key of EBS volume \(device.deviceName) (snapshot \(snapshotId)) is unknown, so it cannot be checked against the allowed keys.",
                                            evidence: ["device": device.deviceName, "snapshot": snapshotId,
                                                       "encrypted": "true", "kmsKeyId": "unknown"],
                                            discriminator: device.deviceName))
                continue
            }
            if !allowed.contains(where: { Glob.matches($0, key) }) {
                violations.append(Violation("EBS volume \(device.deviceName) (snapshot \(snapshotId)) is encrypted with KMS key \(key), which is not one of the allowed keys.",
                                            evidence: ["device": device.deviceName, "snapshot": snapshotId,
                                                       "encrypted": "true", "kmsKeyId": key,
                                                       "allowed": allowed.joined(separator: ", ")],
                                            discriminator: device.deviceName))
            }
        }
        return violations
    }

    private static var examples: [CheckExample] {
        let allowList = #"kms-key-arns: ["arn:aws:kms:*:111111111111:key/*"]"#
        return [
            CheckExample("encrypted root volume", image: .example(), expect: .pass),
            CheckExample("instance-store volumes are not EBS", image: .example {
                $0.blockDevices.append(BlockDevice(deviceName: "/dev/sdb", virtualName: "ephemeral0"))
            }, expect: .pass),
            CheckExample("no block devices at all", image: .example { $0.blockDevices = [] }, expect: .pass),
            CheckExample("key inside the allow-list", params: allowList, image: .example(), expect: .pass),
            CheckExample("unencrypted root volume", image: .example { $0.blockDevices[0].encrypted = false },
                         expect: .fail(evidence: ["device": "/dev/xvda", "encrypted": "false"])),
            CheckExample("unencrypted second volume", image: .example {
                $0.blockDevices.append(BlockDevice(deviceName: "/dev/sdb", snapshotId: "snap-0example00000002",
                                                   encrypted: false))
            }, expect: .fail(evidence: ["device": "/dev/sdb", "snapshot": "snap-0example00000002", "encrypted": "false"])),
            CheckExample("encryption unknown", image: .example { $0.blockDevices[0].encrypted = nil }, expect: .fail(evidence: ["device": "/dev/xvda", "encrypted": "unknown"])),
            CheckExample("key from another account", params: allowList, image: .example {
                $0.blockDevices[0].kmsKeyId = "arn:aws:kms:us-east-1:999999999999:key/other"
            }, expect: .fail(evidence: ["kmsKeyId": "arn:aws:kms:us-east-1:999999999999:key/other", "allowed": "arn:aws:kms:*:111111111111:key/*"])),
            CheckExample("allow-list set but key unknown", params: allowList, image: .example {
                $0.blockDevices[0].kmsKeyId = nil
            }, expect: .fail(evidence: ["device": "/dev/xvda", "kmsKeyId": "unknown"])),
        ]
    }
}
