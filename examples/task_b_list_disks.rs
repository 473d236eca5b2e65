//! Lists a domain's disks: kind, source, target device and bus.
use libvirt_xml::domain::{DiskType, Domain};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        "tests/corpus/tests/qemuxmlconfdata/boot-order.x86_64-latest.xml".into()
    });
    let domain = Domain::from_xml(&std::fs::read_to_string(path)?)?;

    for disk in domain.devices.iter().flat_map(|d| &d.disks) {
        let source = match &disk.r#type {
            DiskType::File(f) => f.source.as_ref().and_then(|s| s.file.clone()),
            DiskType::Block(b) => b.source.as_ref().and_then(|s| s.dev.clone()),
            DiskType::Volume(v) => v
                .source
                .as_ref()
                .map(|s| format!("{}/{}", s.pool, s.volume)),
            DiskType::Network(n) => Some(format!(
                "{}:{}",
                n.source.protocol.as_str(),
                n.source.name.as_deref().unwrap_or_default()
            )),
            _ => None,
        };
        let bus = disk.target.bus.as_ref().map_or("-", |b| b.as_str());
        println!(
            "{:8} {:40} {:5} {}",
            disk.r#type.as_str(),
            source.unwrap_or_else(|| "-".into()),
            disk.target.dev,
            bus
        );
    }
    Ok(())
}
