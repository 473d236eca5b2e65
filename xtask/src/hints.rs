//! The libvirt-specific knowledge the generator needs, as data. Everything else comes from
//! the schemas themselves, so a new libvirt release needs no code change, and the same
//! generator builds other crates from other schemas (the RelaxNG fixtures: [`FIXTURES`]).

use crate::model::RuntimeValue;

/// What a generated crate is, beyond what its schemas say.
pub struct Target {
    /// Package name.
    pub crate_name: &'static str,
    /// Package description.
    pub description: &'static str,
    /// SPDX licence expression of the package.
    pub license: &'static str,
    /// crates.io metadata; `None` for a crate that is not published.
    pub publish: Option<Publish>,
    /// Whose schemas they are, for generated docs ("libvirt's").
    pub owner: &'static str,
    /// Where the crate is written, relative to the workspace root.
    pub out_dir: &'static str,
    /// The runtime crate's path, relative to `out_dir`.
    pub runtime_path: &'static str,
    /// The crate's front page: a file of the workspace (its examples run as doctests), or
    /// `None` for a page made from the description.
    pub readme: Option<&'static str>,
    /// Doc line of the enum of all documents.
    pub document_doc: &'static str,
    /// The entry schema that comes first (owns the types it shares with others).
    pub first_entry: &'static str,
    pub not_entries: &'static [&'static str],
    pub extra_entries: &'static [&'static str],
    pub doc_pages: &'static [(&'static str, &'static str)],
    pub file_modules: &'static [(&'static str, &'static str)],
    pub root_names: &'static [(&'static str, &'static str)],
    /// Type names where the rules cannot guess libvirt's word, keyed by the define an
    /// element is written in and the element's name (both stable across releases), or,
    /// for a field that holds any of a choice define's elements, by that define.
    pub type_names: &'static [(&'static str, &'static str)],
    /// Value enum names where a define's name is not libvirt's word, keyed by the define.
    pub enum_names: &'static [(&'static str, &'static str)],
    /// Field names of choices between elements (see `Fields::choices`), keyed by the
    /// element's name and the choice's first member (`rule/mac`).
    pub choice_names: &'static [(&'static str, &'static str)],
    /// The module for value lists that several families use and no shared schema file defines.
    pub shared_module: &'static str,
    /// Defines whose values a runtime type holds: permission bits, integers the schema
    /// limits to digits 0–7 that libvirt reads in octal (`rt::FileMode`); size units, which
    /// libvirt reads case-insensitively (`rt::Unit`).
    pub runtime_values: &'static [(&'static str, RuntimeValue)],
    /// Integer defines the format writes as `0x` and at least this many lowercase
    /// hexadecimal digits: such a value read in that form keeps no spelling, and a value a
    /// program sets is written that way.
    pub hex_values: &'static [(&'static str, u8)],
    /// Where `regen` writes each stage's output (load, simplify, model) as text
    /// snapshots, checked like the generated code; `None` for none.
    pub stage_snapshots: Option<&'static str>,
    /// Documents the schemas' owner wrote (a list of path, schema, verdict lines, relative
    /// to the workspace root, and the folder of the paths): their valid ones show the
    /// order to write fields in where the schema leaves it open; `None` for the schema's.
    pub written_order: Option<(&'static str, &'static str)>,
    /// Scaled integers (an integer text with a `unit` attribute, libvirt's sizes): the unit
    /// an absent `unit` means, per module, then for every other module; `None` for schemas
    /// without them. Elements of this shape get `bytes()`/`set_bytes()`.
    pub scaled_units: Option<(&'static [(&'static str, &'static str)], &'static str)>,
}

/// What crates.io shows of a published crate.
pub struct Publish {
    pub keywords: &'static [&'static str],
    pub categories: &'static [&'static str],
    /// The licence text, a file of the workspace, copied beside the generated manifest so
    /// the package carries it.
    pub licence_file: &'static str,
}

/// The `libvirt-xml` crate, from libvirt's schemas.
pub const LIBVIRT: Target = Target {
    crate_name: "libvirt-xml",
    description: "Typed, lossless model of every libvirt XML document, generated from libvirt's RelaxNG schemas",
    // libvirt's schemas are LGPL; so is what is generated from them.
    license: "LGPL-2.1-or-later",
    publish: Some(Publish {
        keywords: &["libvirt", "xml", "virtualization", "qemu", "kvm"],
        categories: &["parser-implementations", "virtualization", "api-bindings"],
        licence_file: "schemas/COPYING.LESSER",
    }),
    owner: "libvirt's",
    out_dir: "generated",
    runtime_path: "..",
    readme: Some("README.md"),
    document_doc: "Any libvirt XML document, its kind told by the root element.",
    first_entry: "domain.rng",
    not_entries: NOT_ENTRIES,
    extra_entries: EXTRA_ENTRIES,
    doc_pages: DOC_PAGES,
    file_modules: FILE_MODULES,
    root_names: ROOT_NAMES,
    type_names: TYPE_NAMES,
    enum_names: ENUM_NAMES,
    choice_names: CHOICE_NAMES,
    shared_module: "basictypes",
    // Storage permissions (`<mode>`) and filesystem `fmode`/`dmode`; the `unit` of sizes;
    // UUIDs; IP addresses.
    runtime_values: &[
        ("octalMode", RuntimeValue::FileMode),
        ("createMode", RuntimeValue::FileMode),
        ("unit", RuntimeValue::Unit),
        ("UUID", RuntimeValue::Uuid),
        ("ipAddr", RuntimeValue::Ip),
        ("ipv4Addr", RuntimeValue::Ipv4),
        ("ipv6Addr", RuntimeValue::Ipv6),
    ],
    // libvirt's formatters: PCI `0x%04x`/`0x%02x`/`0x%02x`/`0x%x`, CCW `0x%x`/`0x%x`/`0x%04x`.
    hex_values: &[
        ("pciDomain", 4),
        ("pciBus", 2),
        ("pciSlot", 2),
        ("pciFunc", 1),
        ("ccwCssidRange", 1),
        ("ccwSsidRange", 1),
        ("ccwDevnoRange", 4),
    ],
    stage_snapshots: None,
    written_order: Some(("tests/corpus.tsv", "tests/corpus")),
    // Storage sizes are bytes by default; memory sizes (domain, capabilities) KiB.
    scaled_units: Some((
        &[
            ("storagepool", "bytes"),
            ("storagevol", "bytes"),
            ("storagecommon", "bytes"),
            ("storagepoolcaps", "bytes"),
        ],
        "KiB",
    )),
};

/// The crate of the generator's RelaxNG fixtures (`xtask/fixtures/schemas/`): one small
/// schema per construct, whose generated code is a snapshot checked like `generated/`
/// and whose documents (`xtask/fixtures/docs/`) round-trip in `tests/fixtures.rs`.
pub const FIXTURES: Target = Target {
    crate_name: "rng-fixtures",
    description:
        "The xtask generator's output for its RelaxNG fixtures (snapshots and round-trip tests)",
    license: "LGPL-2.1-or-later",
    publish: None,
    owner: "the fixtures'",
    out_dir: "xtask/fixtures/generated",
    runtime_path: "../../..",
    readme: None,
    document_doc: "Any fixture document, its kind told by the root element.",
    first_entry: "",
    not_entries: &[],
    extra_entries: &[],
    doc_pages: &[],
    file_modules: &[],
    root_names: &[],
    type_names: &[],
    enum_names: &[],
    choice_names: &[],
    shared_module: "common",
    runtime_values: &[],
    hex_values: &[],
    stage_snapshots: Some("xtask/fixtures/stages"),
    written_order: None,
    scaled_units: None,
};

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
    ("domaincheckpoint", "https://libvirt.org/formatcheckpoint.html"),
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
    ("storagepoolcaps", "https://libvirt.org/formatstoragecaps.html"),
    ("interface", "https://libvirt.org/formatnode.html"),
    ("cpu", "https://libvirt.org/formatdomain.html#cpu-model-and-topology"),
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
    // A host's network interface (`virsh iface-dumpxml`), apart from a domain's `<interface>`.
    ("interface.rng:interface", "HostInterface"),
    ("nwfilter.rng:filter", "NwFilter"),
    ("nwfilterbinding.rng:filterbinding", "NwFilterBinding"),
    ("storagepool.rng:pool", "StoragePool"),
    ("storagepoolcaps.rng:storagepoolCapabilities", "StoragePoolCapabilities"),
    ("storagevol.rng:volume", "StorageVolume"),
];

/// Type names the rules cannot guess (see `Target::type_names`): elements shared by
/// several devices are named for what libvirt's documentation calls them.
pub const TYPE_NAMES: &[(&str, &str)] = &[
    // The character devices: serial, console, parallel, channel (formatdomain "Character devices").
    ("qemucdevSrcDef/source", "ChardevSource"),
    ("qemucdevTgtDef/target", "ChardevTarget"),
    ("qemucdevSerialTgtModel/model", "SerialTargetModel"),
    ("qemucdevSrcDef/log", "ChardevLog"),
    ("qemucdevSrcDef/protocol", "ChardevProtocol"),
    // The `<driver>` of virtio devices' options (formatdomain "Virtio-related options").
    ("memballoon/driver", "VirtioDriver"),
    ("listenElements/listen", "GraphicsListen"),
    // The scaled `<size>` of shmem, pstore and memory devices.
    ("shmem/size", "Size"),
    ("interface-ip-info/ip", "InterfaceIp"),
    ("virtualPortProfile/virtualport", "VirtualPort"),
    ("memorydev/memory", "MemoryDevice"),
    ("memorydev-source/source", "MemoryDeviceSource"),
    ("memorydev-target/target", "MemoryDeviceTarget"),
    ("sourceinfoadapter/adapter", "SourceAdapter"),
    ("audiocommonchild/settings", "AudioSettings"),
    ("video/acceleration", "VideoAcceleration"),
    ("video/resolution", "VideoResolution"),
    ("codec/codec", "SoundCodec"),
    ("diskspec/backenddomain", "BackendDomain"),
    ("diskSourceCommon/dataStore", "DiskDataStore"),
    ("redirfilter/redirfilter", "RedirFilter"),
    ("usbdevfilter/usbdev", "RedirFilterUsb"),
    // The snapshot's `<domain>` as older libvirt wrote it: only its `<uuid>` (formatsnapshot).
    ("domainsnapshot/domain", "DomainUuidOnly"),
    ("disksnapshot/source", "DomainSnapshotDiskSource"),
    ("disksnapshotdriver/driver", "DomainSnapshotDiskDriver"),
    // Any disk `<source>` (the `diskSource` choice: a `<mirror>`'s, an `<nvram>`'s).
    ("diskSource/source", "DiskSource"),
    // Every disk source's `<slices>` (written once, in `diskSourceCommon`).
    ("diskSourceCommon/slices", "DiskSlices"),
    ("diskSourceCommon/slice", "DiskSlice"),
];

/// Value enum names (see `Target::enum_names`).
pub const ENUM_NAMES: &[(&str, &str)] = &[
    ("archnames", "Arch"),
    // The character devices' `type` (pty, file, unix, …) and their targets'.
    ("qemucdevSrcTypeChoice", "ChardevType"),
    ("qemucdevConsoleTgtType", "ConsoleTargetType"),
    ("qemucdevSerialTgtType", "SerialTargetType"),
    // What `<on_poweroff>`, `<on_reboot>`, `<on_crash>`, `<on_lockfailure>` do
    // (formatdomain "Events configuration").
    ("offOptions", "LifecycleAction"),
    ("crashOptions", "CrashAction"),
    ("lockfailureOptions", "LockFailureAction"),
    ("state", "SnapshotState"),
];

/// Field names of choices between elements (see `Target::choice_names`), in libvirt's
/// documentation's words.
pub const CHOICE_NAMES: &[(&str, &str)] = &[
    // A filtering rule matches one protocol (formatnwfilter "Supported protocols").
    ("rule/mac", "protocol"),
    // A bond watches its links by MII or by ARP (formatnode's bond).
    ("bond/miimon", "link_monitor"),
    // A disk is throttled by filters or by its own `<iotune>`.
    ("disk/throttlefilters", "throttle"),
    // An ssh disk source authenticates by key (`<identity>`) or by secret (`<auth>`).
    ("source/identity", "authentication"),
];
