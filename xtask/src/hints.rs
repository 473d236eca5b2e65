//! The libvirt-specific knowledge the generator needs, as data. Everything else comes from
//! the schemas themselves, so a new libvirt release needs no code change.

/// Schemas with a `<start>` that are not documents of their own: `inactiveDomain.rng` is
/// only meaningful nested inside `domainsnapshot.rng`.
pub const NOT_ENTRIES: &[&str] = &["inactiveDomain.rng"];

/// Test-only schemas (under `schemas/test/`) that still describe something users parse:
/// `device.rng` is a single domain device, as `virsh attach-device` takes it.
pub const EXTRA_ENTRIES: &[&str] = &["test/device.rng"];

/// libvirt's documentation page for each module (by schema file stem).
pub const DOC_PAGES: &[(&str, &str)] = &[
    ("domain", "https://libvirt.org/formatdomain.html"),
    ("device", "https://libvirt.org/formatdomain.html#devices"),
    ("domainsnapshot", "https://libvirt.org/formatsnapshot.html"),
    (
        "domaincheckpoint",
        "https://libvirt.org/formatcheckpoint.html",
    ),
    ("domainbackup", "https://libvirt.org/formatbackup.html"),
    ("domaincaps", "https://libvirt.org/formatdomaincaps.html"),
    ("capability", "https://libvirt.org/formatcaps.html"),
    ("network", "https://libvirt.org/formatnetwork.html"),
    ("networkport", "https://libvirt.org/formatnetworkport.html"),
    ("nodedev", "https://libvirt.org/formatnode.html"),
    ("nwfilter", "https://libvirt.org/formatnwfilter.html"),
    ("nwfilterbinding", "https://libvirt.org/formatnwfilter.html"),
    ("secret", "https://libvirt.org/formatsecret.html"),
    ("storagepool", "https://libvirt.org/formatstorage.html"),
    ("storagevol", "https://libvirt.org/formatstorage.html"),
    (
        "storagepoolcaps",
        "https://libvirt.org/formatstoragecaps.html",
    ),
    ("interface", "https://libvirt.org/formatnode.html"),
    (
        "cpu",
        "https://libvirt.org/formatdomain.html#cpu-model-and-topology",
    ),
];

/// Modules of schema files whose name is not the module's: the domain types are written
/// in `domaincommon.rng`. Other files give their stem (`basictypes.rng` → `basictypes`).
pub const FILE_MODULES: &[(&str, &str)] = &[("domaincommon.rng", "domain")];

/// Rust names for document roots whose element names are one lowercase word
/// (`<domainbackup>`) or would read ambiguously (`<device>` of nodedev.rng beside the
/// domain's devices). Keyed by `entry:root`; names of nested types follow from these.
pub const ROOT_NAMES: &[(&str, &str)] = &[
    ("domainbackup.rng:domainbackup", "DomainBackup"),
    ("domaincheckpoint.rng:domaincheckpoint", "DomainCheckpoint"),
    ("domainsnapshot.rng:domainsnapshot", "DomainSnapshot"),
    ("networkport.rng:networkport", "NetworkPort"),
    ("nodedev.rng:device", "NodeDevice"),
    ("nwfilter.rng:filter", "NwFilter"),
    ("nwfilterbinding.rng:filterbinding", "NwFilterBinding"),
    ("storagepool.rng:pool", "StoragePool"),
    (
        "storagepoolcaps.rng:storagepoolCapabilities",
        "StoragePoolCapabilities",
    ),
    ("storagevol.rng:volume", "StorageVolume"),
];
