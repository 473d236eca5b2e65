//! Against a real libvirt: Debian's `virsh` with the in-process `test:///default` driver.
//! XML libvirt writes must parse and round-trip; XML we write must be accepted by libvirt.

mod common;

use std::process::Command;

use libvirt_xml::Document;

/// Runs one virsh session (commands separated by `;`) on a fresh test driver.
fn virsh(commands: &str) -> String {
    let out = Command::new("virsh")
        .args(["-q", "-c", "test:///default", commands])
        .output()
        .expect("virsh not found: install libvirt-clients (.ci/run does)");
    assert!(
        out.status.success(),
        "virsh {commands:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn documents_from_libvirt_round_trip() {
    let cases = [
        ("dumpxml test", "domain"),
        ("dumpxml --inactive test", "domain"),
        ("net-dumpxml default", "network"),
        ("pool-dumpxml default-pool", "pool"),
        ("iface-dumpxml eth1", "interface"),
        ("capabilities", "capabilities"),
    ];
    for (cmd, root) in cases {
        let xml = virsh(cmd);
        let doc = Document::from_xml(&xml).unwrap_or_else(|e| panic!("{cmd}: {e}"));
        let kind = match &doc {
            Document::Domain(_) => "domain",
            Document::Network(_) => "network",
            Document::StoragePool(_) => "pool",
            Document::HostInterface(_) => "interface",
            Document::Capabilities(_) => "capabilities",
            _ => "other",
        };
        assert_eq!(kind, root, "{cmd}");
        let written = doc.to_xml().unwrap();
        common::infoset_diff(&xml, &written).unwrap_or_else(|d| panic!("{cmd}: {d}"));
        common::ordered_diff(&xml, &written).unwrap_or_else(|d| panic!("{cmd}: {d}"));
        // What libvirt wrote comes back byte for byte (`virsh capabilities` prints a
        // blank line after the document, which is not part of it).
        let document = format!("{}\n", xml.trim_end_matches('\n'));
        assert_eq!(written, document, "{cmd}");
        println!("{cmd}: {} bytes, byte-identical round trip", xml.len());
    }
}

#[test]
fn libvirt_accepts_an_edited_domain() {
    let xml = virsh("dumpxml --inactive test");
    let mut domain = libvirt_xml::domain::Domain::from_xml(&xml).unwrap();
    domain.name.value = "edited-by-rust".into();
    domain.uuid = None;
    let memory = domain.memory.as_mut().expect("test domain has <memory>");
    memory.value = 4 * 1024 * 1024;
    let path = std::env::temp_dir().join(format!("libvirt-xml-define-{}.xml", std::process::id()));
    std::fs::write(&path, domain.to_xml().unwrap()).unwrap();
    // Define our XML, then read back what libvirt made of it.
    let back = virsh(&format!("define {}; dumpxml --inactive edited-by-rust", path.display()));
    std::fs::remove_file(&path).unwrap();
    let start = back.find("<domain").expect("dumpxml output");
    let defined = libvirt_xml::domain::Domain::from_xml(&back[start..]).unwrap();
    assert_eq!(defined.name.value, "edited-by-rust");
    assert_eq!(defined.memory.as_ref().map(|m| m.value), Some(4 * 1024 * 1024));
    assert_eq!(
        defined.devices.as_ref().map(|d| d.disks.len()),
        domain.devices.as_ref().map(|d| d.disks.len())
    );
}
