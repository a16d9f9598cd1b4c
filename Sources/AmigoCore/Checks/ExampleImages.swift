import Foundation

/// Images for check examples: owned by 111111111111 (a member of `EvaluationContext.example`'s
/// organisation) in us-east-1, created a month before the examples' as-of date.
extension Image {
    static func example(_ imageId: String = "ami-0example0000000001",
                        created: Date? = EvaluationContext.example.asOf.addingTimeInterval(-30 * 86_400),
                        configure: (inout Image) -> Void = { _ in }) -> Image {
        var image = Image(accountId: "111111111111", region: "us-east-1", imageId: imageId,
                          name: "example-app-2025-12-01", ownerId: "111111111111", creationDate: created,
                          state: "available", isPublic: false, virtualizationType: "hvm", architecture: "x86_64",
                          imageType: "machine", rootDeviceType: "ebs", rootDeviceName: "/dev/xvda",
                          blockDevices: [BlockDevice(deviceName: "/dev/xvda", snapshotId: "snap-0example00000001",
                                                     volumeSize: 8, volumeType: "gp3", encrypted: true,
                                                     kmsKeyId: "arn:aws:kms:us-east-1:111111111111:key/example")],
                          launchPermissions: [])
        configure(&image)
        return image
    }

    static func daysBeforeExampleAsOf(_ days: Double) -> Date {
        EvaluationContext.example.asOf.addingTimeInterval(-days * 86_400)
    }
}
