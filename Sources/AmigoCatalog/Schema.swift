import GRDB

/// The catalogue schema, one named migration per version. A migration, once released, is never
/// edited: later versions add new migrations, so old catalogues upgrade in place and keep history.
///
/// Conventions:
/// - times are REAL Unix seconds (UTC, fractional), e.g. `datetime(started_at, 'unixepoch')`
///   reads them in the sqlite3 shell;
/// - booleans are INTEGER 0/1, optional values are NULL when AWS did not say;
/// - arrays (tags, block devices, permissions) keep their order in a `position` column;
/// - tables are STRICT, so a wrongly typed value is an error, not a silent conversion;
/// - child rows are WITHOUT ROWID tables clustered by (parent, position): one B-tree to write,
///   and a scan's children are read in order without sorting.
enum Schema {
    /// Stored in every scan row: which schema wrote it. Always the number of migrations
    /// (a test holds it to that).
    static let version = 6

    /// Evaluation reads a scan one account×region at a time: index images and snapshots by
    /// region so each batch reads its own rows, not the whole scan's.
    static let v2 = """
    CREATE INDEX image_by_region ON image(scan_id, account_id, region, id);
    CREATE INDEX snapshot_by_region ON snapshot(scan_id, account_id, region, id);
    """

    /// A scan error may name the one image it is about (an image that could not be decoded,
    /// judged "cannot be verified" by every policy in scope); older rows name none.
    static let v3 = """
    ALTER TABLE scan_error ADD COLUMN image_id TEXT;
    """

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in try db.execute(sql: v1) }
        migrator.registerMigration("v2-region-indexes") { db in try db.execute(sql: v2) }
        migrator.registerMigration("v3-undecodable-images") { db in try db.execute(sql: v3) }
        migrator.registerMigration("v4-evaluations") { db in try db.execute(sql: v4) }
        migrator.registerMigration("v5-shards") { db in try db.execute(sql: v5) }
        migrator.registerMigration("v6-workloads") { db in try db.execute(sql: v6) }
        return migrator
    }

    /// Evaluations become records of their own, beside the scan: every `evaluate` adds one and
    /// none replaces another. The findings an older catalogue holds for a scan become that scan's
    /// evaluation 1 (with the scan's policies and as-of, the version unknown). Also: each
    /// finding's discriminator (part of its identity), the plan of account×regions a scan means
    /// to read (so unread ones show), and the process that runs a scan (so a dead one shows).
    static let v4 = """
    ALTER TABLE scan ADD COLUMN pid INTEGER;
    ALTER TABLE scan ADD COLUMN host TEXT;

    CREATE TABLE scan_plan (
        scan_id INTEGER NOT NULL REFERENCES scan(id) ON DELETE CASCADE,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        PRIMARY KEY (scan_id, account_id, region)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE evaluation (
        id INTEGER PRIMARY KEY,
        scan_id INTEGER NOT NULL REFERENCES scan(id) ON DELETE CASCADE,
        policy_digest TEXT NOT NULL,
        policy_text TEXT NOT NULL,
        as_of REAL NOT NULL,
        amigo_version TEXT NOT NULL,
        evaluated_at REAL NOT NULL
    ) STRICT;
    CREATE INDEX evaluation_by_scan ON evaluation(scan_id, id);

    -- Unwaived findings have a NULL waiver_reason.
    CREATE TABLE evaluation_finding (
        id INTEGER PRIMARY KEY,
        evaluation_id INTEGER NOT NULL REFERENCES evaluation(id) ON DELETE CASCADE,
        policy_id TEXT NOT NULL,
        check_id TEXT NOT NULL,
        severity TEXT NOT NULL,
        account_id TEXT NOT NULL,
        account_name TEXT,
        region TEXT NOT NULL,
        resource_type TEXT NOT NULL,
        resource_id TEXT NOT NULL,
        resource_name TEXT,
        message TEXT NOT NULL,
        evidence TEXT NOT NULL, -- JSON object of strings, keys sorted
        discriminator TEXT,
        waiver_reason TEXT,
        waiver_expires REAL
    ) STRICT;
    CREATE INDEX evaluation_finding_by_evaluation ON evaluation_finding(evaluation_id);

    INSERT INTO evaluation (id, scan_id, policy_digest, policy_text, as_of, amigo_version, evaluated_at)
    SELECT id, id, 'unknown (evaluated before catalogue schema v4)', policy_text, as_of, 'unknown',
           COALESCE(finished_at, started_at)
    FROM scan
    WHERE id IN (SELECT scan_id FROM finding UNION SELECT scan_id FROM waived_finding)
    ORDER BY id;
    INSERT INTO evaluation_finding (evaluation_id, policy_id, check_id, severity, account_id, account_name,
        region, resource_type, resource_id, resource_name, message, evidence)
    SELECT e.id, f.policy_id, f.check_id, f.severity, f.account_id, f.account_name, f.region,
           f.resource_type, f.resource_id, f.resource_name, f.message, f.evidence
    FROM finding f JOIN evaluation e ON e.scan_id = f.scan_id ORDER BY f.id;
    INSERT INTO evaluation_finding (evaluation_id, policy_id, check_id, severity, account_id, account_name,
        region, resource_type, resource_id, resource_name, message, evidence, waiver_reason, waiver_expires)
    SELECT e.id, w.policy_id, w.check_id, w.severity, w.account_id, w.account_name, w.region,
           w.resource_type, w.resource_id, w.resource_name, w.message, w.evidence, w.reason, w.expires
    FROM waived_finding w JOIN evaluation e ON e.scan_id = w.scan_id ORDER BY w.id;
    DROP TABLE finding;
    DROP TABLE waived_finding;
    """

    /// A scan may be one shard of a larger one (`--shard I/N`): which shard, what its share was
    /// cut by (`basis`), and the whole plan it was cut from, every account×region with the shard
    /// that owns it, so a merge can tell shards of one scan from others and name what a missing
    /// shard would have read. `plan_digest` is NULL until the shard's collection ended.
    static let v5 = """
    CREATE TABLE scan_shard (
        scan_id INTEGER PRIMARY KEY REFERENCES scan(id) ON DELETE CASCADE,
        shard_index INTEGER NOT NULL,
        shard_count INTEGER NOT NULL,
        basis TEXT NOT NULL,
        plan_digest TEXT
    ) STRICT;
    CREATE TABLE shard_plan (
        scan_id INTEGER NOT NULL REFERENCES scan(id) ON DELETE CASCADE,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        shard_index INTEGER NOT NULL,
        PRIMARY KEY (scan_id, account_id, region)
    ) STRICT, WITHOUT ROWID;
    """

    /// What runs (or would launch) which image, and the images workloads reference that the
    /// account×region does not own. A workload row is one reference from one resource to one
    /// image (an Auto Scaling group with two overrides is two rows), so `workload_by_image`
    /// answers "what uses this image" and the row itself "which image does this use". A found
    /// referenced image is an `image` row with `referenced = 1` (its tags and devices in the
    /// same child tables), so every owned-image reader asks for `referenced = 0`;
    /// `referenced_image` has one row per id asked for, found or not. An image's source image
    /// (`source_image_id`/`source_image_region`, since v1) is read the other way round through
    /// `image_by_source`. The Allowed AMIs criteria are JSON (a list of small records, read
    /// only whole); NULL when not collected.
    static let v6 = """
    ALTER TABLE image ADD COLUMN referenced INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX image_by_source ON image(scan_id, source_image_id, source_image_region);
    ALTER TABLE region_settings ADD COLUMN allowed_image_criteria TEXT;
    ALTER TABLE region_settings ADD COLUMN allowed_images_managed_by TEXT;

    CREATE TABLE workload (
        id INTEGER PRIMARY KEY,
        scan_id INTEGER NOT NULL REFERENCES scan(id) ON DELETE CASCADE,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        kind TEXT NOT NULL,
        resource_id TEXT NOT NULL,
        name TEXT,
        state TEXT,
        launch_time REAL,
        image_id TEXT,
        via TEXT,
        -- DescribeInstanceImageMetadata; metadata_image_id NULL: none collected
        metadata_image_id TEXT,
        metadata_name TEXT, metadata_owner_id TEXT, metadata_owner_alias TEXT, metadata_state TEXT,
        metadata_creation_date REAL, metadata_deprecation_time REAL, metadata_is_public INTEGER,
        metadata_image_allowed INTEGER
    ) STRICT;
    CREATE INDEX workload_by_region ON workload(scan_id, account_id, region, id);
    CREATE INDEX workload_by_image ON workload(scan_id, image_id);
    CREATE TABLE workload_tag (
        workload_row INTEGER NOT NULL REFERENCES workload(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (workload_row, position)
    ) STRICT, WITHOUT ROWID;

    -- found 1: the image is the image row of this account×region with referenced = 1
    CREATE TABLE referenced_image (
        scan_id INTEGER NOT NULL REFERENCES scan(id) ON DELETE CASCADE,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        image_id TEXT NOT NULL,
        found INTEGER NOT NULL,
        PRIMARY KEY (scan_id, account_id, region, image_id)
    ) STRICT;
    CREATE INDEX referenced_image_by_image ON referenced_image(scan_id, image_id);
    """

    static let v1 = """
    CREATE TABLE scan (
        id INTEGER PRIMARY KEY,
        started_at REAL NOT NULL,
        finished_at REAL,
        as_of REAL NOT NULL,
        status TEXT NOT NULL,
        source TEXT NOT NULL,
        policy_text TEXT NOT NULL,
        options TEXT NOT NULL,
        schema_version INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX scan_by_status ON scan(status, id);

    CREATE TABLE organization (
        scan_id INTEGER PRIMARY KEY REFERENCES scan(id) ON DELETE CASCADE,
        organization_id TEXT NOT NULL,
        arn TEXT NOT NULL,
        management_account_id TEXT NOT NULL
    ) STRICT;
    CREATE TABLE organization_member (
        scan_id INTEGER NOT NULL REFERENCES organization(scan_id) ON DELETE CASCADE,
        account_id TEXT NOT NULL,
        PRIMARY KEY (scan_id, account_id)
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE account (
        scan_id INTEGER NOT NULL REFERENCES scan(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        account_id TEXT NOT NULL,
        name TEXT, email TEXT, status TEXT, parent_id TEXT,
        PRIMARY KEY (scan_id, position),
        UNIQUE (scan_id, account_id)
    ) STRICT;

    CREATE TABLE image (
        id INTEGER PRIMARY KEY,
        scan_id INTEGER NOT NULL REFERENCES scan(id) ON DELETE CASCADE,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        image_id TEXT NOT NULL,
        name TEXT, description TEXT,
        owner_id TEXT NOT NULL,
        owner_alias TEXT,
        creation_date REAL, deprecation_time REAL,
        state TEXT NOT NULL,
        is_public INTEGER NOT NULL,
        virtualization_type TEXT, architecture TEXT, image_type TEXT,
        root_device_type TEXT, root_device_name TEXT, boot_mode TEXT,
        imds_support TEXT, tpm_support TEXT, ena_support INTEGER,
        platform TEXT, platform_details TEXT, usage_operation TEXT,
        source_image_id TEXT, source_image_region TEXT, deregistration_protection TEXT,
        last_launched_time REAL,
        -- 0: DescribeImageAttribute launchPermission was not called (nil), 1: it was (maybe empty)
        launch_permissions_collected INTEGER NOT NULL,
        instance_count INTEGER,
        launch_template_count INTEGER,
        UNIQUE (scan_id, account_id, region, image_id)
    ) STRICT;
    -- Reads a scan's images in recording (rowid) order without sorting.
    CREATE INDEX image_by_scan ON image(scan_id);
    CREATE TABLE block_device (
        image_row INTEGER NOT NULL REFERENCES image(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        device_name TEXT NOT NULL,
        virtual_name TEXT, snapshot_id TEXT, volume_size INTEGER, volume_type TEXT,
        encrypted INTEGER, kms_key_id TEXT, delete_on_termination INTEGER,
        PRIMARY KEY (image_row, position)
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE image_tag (
        image_row INTEGER NOT NULL REFERENCES image(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (image_row, position)
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE launch_permission (
        image_row INTEGER NOT NULL REFERENCES image(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        kind TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (image_row, position)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE snapshot (
        id INTEGER PRIMARY KEY,
        scan_id INTEGER NOT NULL REFERENCES scan(id) ON DELETE CASCADE,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        snapshot_id TEXT NOT NULL,
        owner_id TEXT NOT NULL,
        encrypted INTEGER NOT NULL,
        kms_key_id TEXT, volume_size INTEGER, start_time REAL,
        -- 0: DescribeSnapshotAttribute createVolumePermission was not called (nil)
        permissions_collected INTEGER NOT NULL,
        UNIQUE (scan_id, account_id, region, snapshot_id)
    ) STRICT;
    CREATE INDEX snapshot_by_scan ON snapshot(scan_id);
    CREATE TABLE snapshot_permission (
        snapshot_row INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        kind TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (snapshot_row, position)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE region_settings (
        scan_id INTEGER NOT NULL REFERENCES scan(id) ON DELETE CASCADE,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        image_block_public_access TEXT,
        snapshot_block_public_access TEXT,
        ebs_encryption_by_default INTEGER,
        allowed_images_state TEXT,
        PRIMARY KEY (scan_id, account_id, region)
    ) STRICT;
    -- One row per account×region per scan: a second write for the same pair is refused.
    CREATE TABLE coverage (
        scan_id INTEGER NOT NULL REFERENCES scan(id) ON DELETE CASCADE,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('scanned', 'partial', 'failed', 'skipped')),
        reason TEXT,
        image_count INTEGER NOT NULL,
        PRIMARY KEY (scan_id, account_id, region)
    ) STRICT;
    CREATE TABLE scan_error (
        id INTEGER PRIMARY KEY,
        scan_id INTEGER NOT NULL REFERENCES scan(id) ON DELETE CASCADE,
        account_id TEXT NOT NULL,
        region TEXT,
        operation TEXT NOT NULL,
        code TEXT NOT NULL,
        message TEXT NOT NULL
    ) STRICT;
    CREATE INDEX scan_error_by_scan ON scan_error(scan_id, account_id, region);

    CREATE TABLE finding (
        id INTEGER PRIMARY KEY,
        scan_id INTEGER NOT NULL REFERENCES scan(id) ON DELETE CASCADE,
        policy_id TEXT NOT NULL,
        check_id TEXT NOT NULL,
        severity TEXT NOT NULL,
        account_id TEXT NOT NULL,
        account_name TEXT,
        region TEXT NOT NULL,
        resource_type TEXT NOT NULL,
        resource_id TEXT NOT NULL,
        resource_name TEXT,
        message TEXT NOT NULL,
        evidence TEXT NOT NULL -- JSON object of strings, keys sorted
    ) STRICT;
    CREATE INDEX finding_by_scan ON finding(scan_id, policy_id);
    CREATE TABLE waived_finding (
        id INTEGER PRIMARY KEY,
        scan_id INTEGER NOT NULL REFERENCES scan(id) ON DELETE CASCADE,
        policy_id TEXT NOT NULL,
        check_id TEXT NOT NULL,
        severity TEXT NOT NULL,
        account_id TEXT NOT NULL,
        account_name TEXT,
        region TEXT NOT NULL,
        resource_type TEXT NOT NULL,
        resource_id TEXT NOT NULL,
        resource_name TEXT,
        message TEXT NOT NULL,
        evidence TEXT NOT NULL,
        reason TEXT NOT NULL,
        expires REAL
    ) STRICT;
    CREATE INDEX waived_finding_by_scan ON waived_finding(scan_id, policy_id);
    """
}
