import AmigoCatalog
import AmigoCollect
import AmigoCore

/// Writes what the collectors deliver straight into the catalogue, one transaction per
/// account×region, so nothing collected is lost when a later region fails or the run dies.
struct CatalogSink: InventorySink {
    let catalog: Catalog
    let scan: Int64

    func organization(_ organization: Organization?, accounts: [Account]) async throws {
        try catalog.record(organization: organization, accounts: accounts, scan: scan)
    }

    func region(_ batch: RegionBatch) async throws {
        try catalog.record(batch, scan: scan)
    }

    func coverage(_ coverage: RegionCoverage, errors: [ScanError]) async throws {
        try catalog.record(coverage: coverage, scan: scan)
        if !errors.isEmpty { try catalog.record(errors: errors, scan: scan) }
    }

    func errors(_ errors: [ScanError]) async throws {
        try catalog.record(errors: errors, scan: scan)
    }
}
