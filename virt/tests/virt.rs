//! libvirt-xml with the `virt` crate (libvirt's C API) on libvirt's in-process
//! `test:///default` driver: read what libvirt hands out, edit or build documents in Rust,
//! define them with libvirt's own schema validation, and read them back.
//!
//! Every document libvirt hands out goes through [`parse_exact`], which also checks that
//! writing it back gives libvirt's bytes exactly.

use std::ffi::CString;
use std::sync::{Mutex, MutexGuard};

use libvirt_xml::domain::*;
use libvirt_xml::domainsnapshot::{DomainSnapshot, DomainSnapshotDomain};
use libvirt_xml::network::{
    DhcpHost, DhcpRange, IpDhcp, Network, NetworkBridge, NetworkForward, NetworkForwardMode,
    NetworkIp,
};
use libvirt_xml::storagepool::{Permissions, PermissionsMode, StoragePool, StoragePoolType};
use libvirt_xml::storagevol::{Format, FormatType, StorageVolume, StorageVolumeTarget};
use libvirt_xml::{thin_vec, Document, XmlDocument};
use virt::connect::Connect;
use virt::storage_vol::StorageVol;
use virt::sys;

/// A connection to a fresh test driver. `test:///default` is one driver state per
/// process, shared by every connection open at the same time and reset when the last one
/// closes, so the tests take turns (the lock is held until the connection is closed).
struct TestDriver {
    conn: Connect,
    _turn: MutexGuard<'static, ()>,
}

fn test_driver() -> TestDriver {
    static TURN: Mutex<()> = Mutex::new(());
    // A failed test poisons the lock; the next test still gets a fresh driver.
    let turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    // Errors come back as `Err`, and the tests print the ones they expect.
    virt::error::clear_error_callback();
    let conn = Connect::open(Some("test:///default")).expect("open test:///default");
    TestDriver { conn, _turn: turn }
}

/// Parses a document libvirt handed out and checks that it writes back byte for byte.
fn parse_exact<T: XmlDocument>(what: &str, xml: &str) -> T {
    let value = T::from_xml(xml).unwrap_or_else(|e| panic!("{what}: {e}\n{xml}"));
    let written = value.to_xml().unwrap();
    assert_eq!(written, xml, "{what}: not written back byte for byte");
    println!(
        "  {what}: {} bytes, {} lines, byte-identical round trip",
        xml.len(),
        xml.lines().count()
    );
    value
}

fn disk_target<'a>(domain: &'a Domain, dev: &str) -> Option<&'a Disk> {
    domain.devices.iter().flat_map(|d| &d.disks).find(|d| d.target.dev == dev)
}

fn file_source(disk: &Disk) -> Option<&str> {
    match &disk.r#type {
        DiskType::File(f) => f.source.as_ref()?.file.as_deref(),
        _ => None,
    }
}

fn mac(interface: &Interface) -> Option<&str> {
    interface.mac.as_ref().map(|m| m.address.as_str())
}

/// `virNetworkDefineXMLFlags`, which virt 0.5 does not wrap (it has only
/// `define_network_xml`, without flags).
fn define_network_xml_flags(
    conn: &Connect,
    xml: &str,
    flags: sys::virNetworkDefineFlags,
) -> Result<virt::network::Network, virt::error::Error> {
    let xml = CString::new(xml)?;
    // SAFETY: a live connection and a NUL-terminated string; the returned reference is
    // owned by the `Network` wrapper.
    let ptr = unsafe { sys::virNetworkDefineXMLFlags(conn.as_ptr(), xml.as_ptr(), flags) };
    if ptr.is_null() {
        return Err(virt::error::Error::last_error());
    }
    Ok(unsafe { virt::network::Network::from_ptr(ptr) })
}

#[test]
fn domain_edit_define_read_back() {
    let t = test_driver();
    let dom = t.conn.lookup_domain_by_name("test").unwrap();
    let xml = dom.xml_desc(sys::VIR_DOMAIN_XML_INACTIVE).unwrap();
    let mut domain: Domain = parse_exact("domain 'test' (inactive)", &xml);
    let before = domain.clone();
    println!(
        "  read: memory {:?} bytes, {} disks, {} interfaces",
        domain.memory.as_ref().and_then(|m| m.bytes()),
        before.devices.as_ref().map_or(0, |d| d.disks.len()),
        before.devices.as_ref().map_or(0, |d| d.interfaces.len()),
    );

    // More memory, a second disk, a new MAC on the NIC and a second NIC on a bridge.
    domain.memory.get_or_insert_with(Default::default).set_bytes(4 << 30);
    let devices = domain.devices.get_or_insert_with(Default::default);
    devices.disks.push(Disk {
        r#type: DiskType::File(DiskFile {
            source: Some(Box::new(DiskFileSource {
                file: Some("/guest/data.img".into()),
                ..Default::default()
            })),
            ..Default::default()
        }),
        device: Some(DiskDevice::Disk),
        target: DiskTarget {
            dev: "vdb".into(),
            bus: Some(DiskTargetBus::Virtio),
            ..Default::default()
        },
        ..Default::default()
    });
    let nic = devices.interfaces.first_mut().expect("'test' has a NIC");
    nic.mac.get_or_insert_with(Default::default).address = "52:54:00:aa:bb:01".into();
    devices.interfaces.push(Interface {
        r#type: InterfaceType::Bridge(InterfaceBridge {
            source: Some(Box::new(InterfaceBridgeSource {
                bridge: "br-lab".into(),
                ..Default::default()
            })),
            ..Default::default()
        }),
        mac: Some(Box::new(InterfaceMac {
            address: "52:54:00:aa:bb:02".into(),
            ..Default::default()
        })),
        model: Some(Box::new(InterfaceModel { r#type: "virtio".into(), ..Default::default() })),
        ..Default::default()
    });
    domain.validate().expect("the edited domain is valid");

    let defined = t
        .conn
        .define_domain_xml_flags(&domain.to_xml().unwrap(), sys::VIR_DOMAIN_DEFINE_VALIDATE)
        .expect("libvirt accepts the edited domain with VIR_DOMAIN_DEFINE_VALIDATE");
    let back_xml = defined.xml_desc(sys::VIR_DOMAIN_XML_INACTIVE).unwrap();
    let back: Domain = parse_exact("domain 'test' after define (inactive)", &back_xml);

    let memory = back.memory.as_ref().expect("<memory>");
    // libvirt stores memory in KiB and writes it so.
    assert_eq!(memory.bytes(), Some(4 << 30));
    assert_eq!((memory.value, memory.unit), (4 << 20, Some(libvirt_xml::Unit::KiB)));
    let vdb = disk_target(&back, "vdb").expect("the new disk vdb");
    assert_eq!(file_source(vdb), Some("/guest/data.img"));
    assert_eq!(vdb.target.bus, Some(DiskTargetBus::Virtio));
    // The disk that was there is unchanged, down to its address.
    assert_eq!(disk_target(&back, "vda"), disk_target(&before, "vda"));
    let nics = &back.devices.as_ref().unwrap().interfaces;
    assert_eq!(nics.len(), 2);
    assert_eq!(mac(&nics[0]), Some("52:54:00:aa:bb:01"));
    assert!(matches!(&nics[0].r#type, InterfaceType::Network(n) if n.source.network == "default"));
    assert_eq!(mac(&nics[1]), Some("52:54:00:aa:bb:02"));
    match &nics[1].r#type {
        InterfaceType::Bridge(b) => {
            assert_eq!(b.source.as_ref().map(|s| s.bridge.as_str()), Some("br-lab"))
        }
        other => panic!("second NIC is {}, not bridge", other.as_str()),
    }
    println!(
        "  read back: memory {} KiB, disks {:?}, interfaces {:?}",
        memory.value,
        back.devices
            .iter()
            .flat_map(|d| &d.disks)
            .map(|d| d.target.dev.as_str())
            .collect::<Vec<_>>(),
        nics.iter()
            .map(|n| format!("{} {}", n.r#type.as_str(), mac(n).unwrap_or("-")))
            .collect::<Vec<_>>(),
    );
}

#[test]
fn validation_agrees_with_libvirt() {
    let t = test_driver();
    let xml = t
        .conn
        .lookup_domain_by_name("test")
        .unwrap()
        .xml_desc(sys::VIR_DOMAIN_XML_INACTIVE)
        .unwrap();
    parse_exact::<Domain>("domain 'test' (inactive)", &xml);
    // An element the schema does not know: kept by the library, refused by both validators,
    // ignored by libvirt's parser when it does not validate.
    let odd = xml.replace("<on_crash>", "<frobnicate/>\n  <on_crash>");
    let domain = Domain::from_xml(&odd).unwrap();
    assert_eq!(domain.to_xml().unwrap(), odd, "the unknown element is kept");
    let problems = domain.validate().expect_err("libvirt-xml rejects <frobnicate>");
    println!("  libvirt-xml: {}", problems[0]);
    let e = t
        .conn
        .define_domain_xml_flags(&odd, sys::VIR_DOMAIN_DEFINE_VALIDATE)
        .expect_err("libvirt rejects <frobnicate> with VIR_DOMAIN_DEFINE_VALIDATE");
    println!("  libvirt: {}", e.message());
    t.conn.define_domain_xml_flags(&odd, 0).expect("libvirt's parser alone ignores it");
}

#[test]
fn network_edit_define_read_back() {
    let t = test_driver();
    let net = t.conn.lookup_network_by_name("default").unwrap();
    // The test driver gives only the live definition (no VIR_NETWORK_XML_INACTIVE) and
    // keeps a new definition of a running network for its next start: stop it first.
    net.destroy().unwrap();
    let xml = net.xml_desc(0).unwrap();
    let mut network: Network = parse_exact("network 'default'", &xml);

    network.bridge.get_or_insert_with(Default::default).stp = Some(VirOnOff::Off);
    let ip = network.ips.first_mut().expect("'default' has an <ip>");
    let dhcp = ip.dhcp.get_or_insert_with(Default::default);
    dhcp.ranges[0].end = [192, 168, 122, 99].into();
    dhcp.hosts.push(DhcpHost {
        mac: Some("52:54:00:aa:bb:01".into()),
        name: Some("test".into()),
        ip: [192, 168, 122, 100].into(),
        ..Default::default()
    });
    network.validate().expect("the edited network is valid");

    let net = define_network_xml_flags(
        &t.conn,
        &network.to_xml().unwrap(),
        sys::VIR_NETWORK_DEFINE_VALIDATE,
    )
    .expect("libvirt accepts the edited network");
    net.create().expect("the edited network starts");
    let back_xml = net.xml_desc(0).unwrap();
    let back: Network = parse_exact("network 'default' after define", &back_xml);
    assert_eq!(back.bridge.as_ref().unwrap().stp, Some(VirOnOff::Off));
    let dhcp = back.ips[0].dhcp.as_ref().expect("<dhcp>");
    assert_eq!(dhcp.ranges[0].end.to_string(), "192.168.122.99");
    assert_eq!(dhcp.hosts.len(), 1);
    let host = &dhcp.hosts[0];
    assert_eq!(
        (host.mac.as_deref(), host.name.as_deref(), host.ip.to_string()),
        (Some("52:54:00:aa:bb:01"), Some("test"), "192.168.122.100".to_string())
    );
    println!(
        "  read back: stp off, range {}-{}, {} DHCP host(s)",
        dhcp.ranges[0].start,
        dhcp.ranges[0].end,
        dhcp.hosts.len()
    );
}

#[test]
fn storage_pool_edit_define_read_back() {
    let t = test_driver();
    let pool = t.conn.lookup_storage_pool_by_name("default-pool").unwrap();
    // As for networks: no VIR_STORAGE_XML_INACTIVE in the test driver, so stop it first.
    pool.destroy().unwrap();
    let xml = pool.xml_desc(0).unwrap();
    let mut sp: StoragePool = parse_exact("pool 'default-pool'", &xml);

    let StoragePoolType::Dir(dir) = &mut sp.r#type else {
        panic!("'default-pool' is a {} pool, not dir", sp.r#type.as_str());
    };
    dir.target.path.value = "/srv/default-pool".into();
    // `<mode>` is octal in libvirt, and a `FileMode` holds the bits.
    dir.target.permissions = Some(Box::new(Permissions {
        mode: Some(Box::new(PermissionsMode {
            value: libvirt_xml::FileMode(0o711),
            ..Default::default()
        })),
        ..Default::default()
    }));
    sp.validate().expect("the edited pool is valid");

    let pool = t
        .conn
        .define_storage_pool_xml(&sp.to_xml().unwrap(), sys::VIR_STORAGE_POOL_DEFINE_VALIDATE)
        .expect("libvirt accepts the edited pool");
    pool.create(0).expect("the edited pool starts");
    let back_xml = pool.xml_desc(0).unwrap();
    let back: StoragePool = parse_exact("pool 'default-pool' after define", &back_xml);
    let StoragePoolType::Dir(dir) = &back.r#type else {
        panic!("read back a {} pool", back.r#type.as_str());
    };
    assert_eq!(dir.target.path.value, "/srv/default-pool");
    let mode = dir.target.permissions.as_ref().and_then(|p| p.mode.as_ref());
    assert_eq!(mode.map(|m| m.value.bits()), Some(0o711));
    assert!(back_xml.contains("<mode>0711</mode>"), "libvirt writes the mode in octal");
    println!("  read back: target {} mode {}", dir.target.path.value, mode.unwrap().value);
}

#[test]
fn storage_volume_create_read_back() {
    let t = test_driver();
    let pool = t.conn.lookup_storage_pool_by_name("default-pool").unwrap();
    let mut volume = StorageVolume {
        name: "data.img".into(),
        target: StorageVolumeTarget {
            format: Some(Format { r#type: FormatType::Raw, ..Default::default() }),
            ..Default::default()
        },
        ..Default::default()
    };
    volume.capacity.get_or_insert_with(Default::default).set_bytes(5 << 30);
    let xml = volume.to_xml().unwrap();
    print!("  volume XML built in Rust:\n{xml}");
    volume.validate().expect("the volume is valid");

    let vol = StorageVol::create_xml(&pool, &xml, sys::VIR_STORAGE_VOL_CREATE_VALIDATE)
        .or_else(|e| {
            // libvirt 9.0 passes this flag on to its volume parser, which refuses it
            // ("unsupported flags (0x4) in function virStorageVolDefParseXML"); the
            // volume was validated above.
            assert!(e.message().contains("unsupported flags"), "{e}");
            println!("  libvirt refuses VIR_STORAGE_VOL_CREATE_VALIDATE; creating without it");
            StorageVol::create_xml(&pool, &xml, 0)
        })
        .expect("libvirt creates the volume");
    let back_xml = vol.xml_desc(0).unwrap();
    let back: StorageVolume = parse_exact("volume 'data.img'", &back_xml);
    assert_eq!(back.name.value, "data.img");
    let capacity = back.capacity.as_ref().expect("<capacity>");
    assert_eq!(capacity.bytes(), Some(5 << 30));
    // The C API's numbers agree with the document's.
    let info = vol.info().unwrap();
    assert_eq!(Some(info.capacity), capacity.bytes());
    assert_eq!(Some(info.allocation), back.allocation.as_ref().and_then(|a| a.bytes()));
    let path = back.target.path.as_ref().map(|p| p.value.as_str());
    assert_eq!(path, Some(vol.path().unwrap().as_str()));
    println!(
        "  read back: capacity {} bytes, allocation {} bytes, path {}",
        info.capacity,
        info.allocation,
        path.unwrap()
    );
    // The pool's document counts it.
    let pool_xml = pool.xml_desc(0).unwrap();
    let sp: StoragePool = parse_exact("pool 'default-pool' with the volume", &pool_xml);
    assert_eq!(pool.list_volumes().unwrap(), ["data.img"]);
    println!("  pool allocation now {:?} bytes", sp.allocation.as_ref().map(|a| a.value));
}

#[test]
fn snapshot_create_read_back() {
    let t = test_driver();
    let dom = t.conn.lookup_domain_by_name("test").unwrap();
    let snapshot = DomainSnapshot {
        name: Some(Box::new("before-upgrade".into())),
        description: Some(Box::new("state before the package upgrade".into())),
        ..Default::default()
    };
    let xml = snapshot.to_xml().unwrap();
    print!("  snapshot XML built in Rust:\n{xml}");
    snapshot.validate().expect("the snapshot is valid");

    let snap = dom
        .create_snapshot_xml(&xml, sys::VIR_DOMAIN_SNAPSHOT_CREATE_VALIDATE)
        .expect("libvirt creates the snapshot");
    let back_xml = snap.xml_desc(0).unwrap();
    let back: DomainSnapshot = parse_exact("snapshot 'before-upgrade'", &back_xml);
    assert_eq!(back.name.as_ref().map(|n| n.value.as_str()), Some("before-upgrade"));
    assert_eq!(
        back.description.as_ref().map(|d| d.value.as_str()),
        Some("state before the package upgrade")
    );
    let state = back.state.as_ref().map(|s| s.value.as_str());
    assert_eq!(state, Some("running"));
    // The snapshot holds the domain's definition, as the domain document's own type.
    let saved = back.domain.as_deref().expect("<domain> in the snapshot");
    let DomainSnapshotDomain::Domain(saved) = saved else {
        panic!("the snapshot holds the older uuid-only <domain>: {saved:?}");
    };
    let saved: &Domain = saved;
    assert_eq!(saved.r#type, DomainType::Test);
    assert_eq!(saved.name.value, "test");
    assert_eq!(dom.list_all_snapshots(0).unwrap().len(), 1);
    println!(
        "  read back: state {}, domain {} with {} disk(s), {} snapshot(s) of 'test'",
        state.unwrap(),
        saved.name.value,
        saved.devices.as_ref().map_or(0, |d| d.disks.len()),
        dom.num_snapshots(0).unwrap()
    );
}

fn built_domain() -> Domain {
    Domain {
        r#type: DomainType::Test,
        name: "built-in-rust".into(),
        title: Some(Box::new("made with struct literals".into())),
        memory: Some(DomainMemory::new(512, libvirt_xml::Unit::MiB)),
        vcpu: Some(Box::new(DomainVcpu { value: 2, ..Default::default() })),
        os: Some(Box::new(DomainOs {
            r#type: OsType {
                arch: Some(Arch::X86_64),
                value: OsTypeValue::Hvm,
                ..Default::default()
            },
            ..Default::default()
        })),
        devices: Some(Box::new(Devices {
            disks: thin_vec![Disk {
                r#type: DiskType::File(DiskFile {
                    source: Some(Box::new(DiskFileSource {
                        file: Some("/guest/built.qcow2".into()),
                        ..Default::default()
                    })),
                    ..Default::default()
                }),
                device: Some(DiskDevice::Disk),
                driver: Some(Box::new(DiskDriver {
                    name: Some("qemu".into()),
                    r#type: Some(DiskDriverType::Qcow2),
                    ..Default::default()
                })),
                target: DiskTarget {
                    dev: "vda".into(),
                    bus: Some(DiskTargetBus::Virtio),
                    ..Default::default()
                },
                ..Default::default()
            }],
            interfaces: thin_vec![Interface {
                r#type: InterfaceType::Network(Box::new(InterfaceNetwork {
                    source: InterfaceNetworkSource {
                        network: "default".into(),
                        ..Default::default()
                    },
                    ..Default::default()
                })),
                mac: Some(Box::new(InterfaceMac {
                    address: "52:54:00:00:00:42".into(),
                    ..Default::default()
                })),
                ..Default::default()
            }],
            ..Default::default()
        })),
        ..Default::default()
    }
}

#[test]
fn domain_built_in_rust_define_read_back() {
    let t = test_driver();
    let domain = built_domain();
    domain.validate().expect("the built domain is valid");
    let xml = domain.to_xml().unwrap();
    println!("  domain XML built in Rust: {} lines", xml.lines().count());

    let dom = t
        .conn
        .define_domain_xml_flags(&xml, sys::VIR_DOMAIN_DEFINE_VALIDATE)
        .expect("libvirt accepts the built domain");
    let back_xml = dom.xml_desc(sys::VIR_DOMAIN_XML_INACTIVE).unwrap();
    let back: Domain = parse_exact("domain 'built-in-rust' (inactive)", &back_xml);

    assert_eq!(back.r#type, DomainType::Test);
    assert_eq!(back.name.value, "built-in-rust");
    assert_eq!(back.title.as_ref().map(|t| t.value.as_str()), Some("made with struct literals"));
    assert!(back.uuid.is_some(), "libvirt made up a UUID");
    assert_eq!(back.memory.as_ref().and_then(|m| m.bytes()), Some(512 << 20));
    assert_eq!(back.vcpu.as_ref().map(|v| v.value), Some(2));
    let os = &back.os.as_ref().unwrap().r#type;
    assert_eq!((&os.arch, &os.value), (&Some(Arch::X86_64), &OsTypeValue::Hvm));
    let vda = disk_target(&back, "vda").expect("disk vda");
    assert_eq!(file_source(vda), Some("/guest/built.qcow2"));
    assert_eq!(vda.driver.as_ref().unwrap().r#type, Some(DiskDriverType::Qcow2));
    let nics = &back.devices.as_ref().unwrap().interfaces;
    assert_eq!(nics.len(), 1);
    assert_eq!(mac(&nics[0]), Some("52:54:00:00:00:42"));
    assert!(matches!(&nics[0].r#type, InterfaceType::Network(n) if n.source.network == "default"));
    // What libvirt filled in.
    let current = back.current_memory.as_ref().expect("libvirt adds <currentMemory>");
    assert_eq!(current.bytes(), Some(512 << 20));
    assert_eq!((current.value, current.unit), (512 << 10, Some(libvirt_xml::Unit::KiB)));
    assert!(back.clock.is_some() && back.on_poweroff.is_some());
    assert_eq!(nics[0].target.as_ref().map(|t| t.dev.as_str()), Some("testnet0"));
    println!(
        "  read back: {} lines (libvirt added uuid, currentMemory, boot, clock, on_*, NIC target); memory {} {}",
        back_xml.lines().count(),
        back.memory.as_ref().unwrap().value,
        back.memory.as_ref().unwrap().unit.unwrap_or(libvirt_xml::Unit::KiB),
    );
    dom.create().expect("the test driver starts it");
    let live = dom.xml_desc(0).unwrap();
    let running: Domain = parse_exact("domain 'built-in-rust' (running)", &live);
    assert!(running.id.is_some(), "a running domain has an id");
}

#[test]
fn network_built_in_rust_define_read_back() {
    let t = test_driver();
    let network = Network {
        name: "lab".into(),
        forward: Some(Box::new(NetworkForward {
            mode: Some(NetworkForwardMode::Nat),
            ..Default::default()
        })),
        bridge: Some(Box::new(NetworkBridge {
            name: Some("virbr42".into()),
            stp: Some(VirOnOff::On),
            ..Default::default()
        })),
        ips: thin_vec![NetworkIp {
            address: Some([10, 42, 0, 1].into()),
            prefix: Some(24),
            dhcp: Some(Box::new(IpDhcp {
                ranges: thin_vec![DhcpRange {
                    start: [10, 42, 0, 100].into(),
                    end: [10, 42, 0, 199].into(),
                    ..Default::default()
                }],
                ..Default::default()
            })),
            ..Default::default()
        }],
        ..Default::default()
    };
    network.validate().expect("the built network is valid");
    let xml = network.to_xml().unwrap();
    print!("  network XML built in Rust:\n{xml}");

    let net = define_network_xml_flags(&t.conn, &xml, sys::VIR_NETWORK_DEFINE_VALIDATE)
        .expect("libvirt accepts the built network");
    net.create().expect("the test driver starts it");
    let back_xml = net.xml_desc(0).unwrap();
    let back: Network = parse_exact("network 'lab'", &back_xml);
    assert_eq!(back.name.value, "lab");
    assert!(back.uuid.is_some(), "libvirt made up a UUID");
    assert_eq!(back.forward.as_ref().and_then(|f| f.mode), Some(NetworkForwardMode::Nat));
    let bridge = back.bridge.as_ref().expect("<bridge>");
    assert_eq!((bridge.name.as_deref(), &bridge.stp), (Some("virbr42"), &Some(VirOnOff::On)));
    assert_eq!(back.ips.len(), 1);
    let ip = &back.ips[0];
    assert_eq!((ip.address, ip.prefix), (Some([10, 42, 0, 1].into()), Some(24)));
    let range = &ip.dhcp.as_ref().expect("<dhcp>").ranges[0];
    assert_eq!((range.start, range.end), ([10, 42, 0, 100].into(), [10, 42, 0, 199].into()));
    assert!(net.is_active().unwrap());
    println!(
        "  read back: {} {} on {}, {}/{} with DHCP {}-{}",
        back.name.value,
        back.forward.as_ref().unwrap().mode.as_ref().unwrap().as_str(),
        bridge.name.as_deref().unwrap(),
        ip.address.unwrap(),
        ip.prefix.unwrap(),
        range.start,
        range.end
    );
}

/// Every document the test driver hands out, of every kind, round-trips byte for byte.
#[test]
fn every_test_driver_document_round_trips() {
    let t = test_driver();
    let c = &t.conn;
    let mut docs = vec![("capabilities".to_string(), c.capabilities().unwrap())];
    for dom in c.list_all_domains(0).unwrap() {
        let name = dom.name().unwrap();
        docs.push((format!("domain {name}"), dom.xml_desc(0).unwrap()));
        let inactive = dom.xml_desc(sys::VIR_DOMAIN_XML_INACTIVE).unwrap();
        docs.push((format!("domain {name} (inactive)"), inactive));
    }
    for net in c.list_all_networks(0).unwrap() {
        let name = net.name().unwrap();
        docs.push((format!("network {name}"), net.xml_desc(0).unwrap()));
    }
    for pool in c.list_all_storage_pools(0).unwrap() {
        let name = pool.name().unwrap();
        docs.push((format!("pool {name}"), pool.xml_desc(0).unwrap()));
        for vol in pool.list_all_volumes(0).unwrap() {
            let name = vol.name().unwrap();
            docs.push((format!("volume {name}"), vol.xml_desc(0).unwrap()));
        }
    }
    for iface in c.list_all_interfaces(0).unwrap() {
        let name = iface.name().unwrap();
        docs.push((format!("interface {name}"), iface.xml_desc(0).unwrap()));
    }
    for dev in c.list_all_node_devices(0).unwrap() {
        let name = dev.name().unwrap();
        docs.push((format!("node device {name}"), dev.xml_desc(0).unwrap()));
    }
    let mut kinds = std::collections::BTreeMap::<&str, usize>::new();
    for (what, xml) in &docs {
        let doc = Document::from_xml(xml).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(&doc.to_xml().unwrap(), xml, "{what}: not byte for byte");
        let kind = match doc {
            Document::Capabilities(_) => "capabilities",
            Document::Domain(_) => "domain",
            Document::Network(_) => "network",
            Document::StoragePool(_) => "pool",
            Document::StorageVolume(_) => "volume",
            Document::HostInterface(_) => "interface",
            Document::NodeDevice(_) => "nodedev",
            _ => "other",
        };
        *kinds.entry(kind).or_default() += 1;
    }
    println!("  {} documents, all byte-identical: {kinds:?}", docs.len());
    for kind in ["capabilities", "domain", "network", "pool", "interface", "nodedev"] {
        assert!(kinds.contains_key(kind), "no {kind} document");
    }
}
