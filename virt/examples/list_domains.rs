//! Lists the domains of a libvirt connection: name, state, memory and disks. The Rust
//! version of the classic Go program with libvirt-go and libvirt-go-xml.
//!
//! Run: `cargo run -p libvirt-xml-with-virt --example list_domains [URI]`
//! (URI defaults to `test:///default`, libvirt's in-process test driver; on a host
//! running libvirtd try `qemu:///system`).
use libvirt_xml::domain::{Disk, DiskType, Domain};
use virt::connect::Connect;
use virt::domain::DomainState;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let uri = std::env::args().nth(1);
    let uri = uri.as_deref().unwrap_or("test:///default");
    // Errors come back as `Err`; do not also let libvirt print them.
    virt::error::clear_error_callback();
    let conn = Connect::open(Some(uri))?;

    for dom in conn.list_all_domains(0)? {
        let domain = Domain::from_xml(&dom.xml_desc(0)?)?;
        let memory = domain.memory.as_ref().and_then(|m| m.bytes()).unwrap_or(0);
        println!(
            "{}: {}, {} MiB",
            domain.name.value,
            state_name(dom.info()?.state.known()),
            memory >> 20
        );
        for disk in domain.devices.iter().flat_map(|d| &d.disks) {
            let source = disk_source(disk).unwrap_or_else(|| "(none)".into());
            println!("  {:6} {:7} {}", disk.target.dev, disk.r#type.as_str(), source);
        }
    }
    Ok(())
}

/// The state as `virsh list` writes it.
fn state_name(state: Option<DomainState>) -> &'static str {
    match state {
        Some(DomainState::Running) => "running",
        Some(DomainState::Blocked) => "idle",
        Some(DomainState::Paused) => "paused",
        Some(DomainState::Shutdown) => "in shutdown",
        Some(DomainState::Shutoff) => "shut off",
        Some(DomainState::Crashed) => "crashed",
        Some(DomainState::PMSuspended) => "pmsuspended",
        Some(DomainState::NoState) | None => "no state",
    }
}

/// Where a disk's data is: a file, a block device, a pool's volume or a network image.
fn disk_source(disk: &Disk) -> Option<String> {
    match &disk.r#type {
        DiskType::File(f) => Some(f.source.as_ref()?.file.as_ref()?.to_string()),
        DiskType::Block(b) => Some(b.source.as_ref()?.dev.as_ref()?.to_string()),
        DiskType::Volume(v) => v.source.as_ref().map(|s| format!("{}/{}", s.pool, s.volume)),
        DiskType::Network(n) => Some(format!(
            "{}:{}",
            n.source.protocol.as_str(),
            n.source.name.as_deref().unwrap_or_default()
        )),
        _ => None,
    }
}
