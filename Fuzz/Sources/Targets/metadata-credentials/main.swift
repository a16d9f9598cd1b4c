// Container (ECS/EKS) and instance-metadata (IMDS) credential bodies.
@testable import AmigoAWS
import FuzzHarness

fuzz { data in
    _ = try? MetadataHTTP.credentials(from: data, source: "container credentials")
}
