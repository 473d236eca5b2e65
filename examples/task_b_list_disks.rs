//! Lists a domain's disks: kind, source, target device and bus.
//!
//! `virsh dumpxml VM | cargo run --example task_b_list_disks`
//! CI input: < tests/corpus/tests/qemuxmlconfdata/boot-order.x86_64-latest.xml
use libvirt_xml::domain::{DiskType, Domain};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let domain = Domain::from_xml(&std::io::read_to_string(std::io::stdin())?)?;

    for disk in domain.devices.iter().flat_map(|d| &d.disks) {
        let source = match &disk.r#type {
            DiskType::File(f) => f.source.as_ref().and_then(|s| s.file.as_deref()).map(Into::into),
            DiskType::Block(b) => b.source.as_ref().and_then(|s| s.dev.as_deref()).map(Into::into),
            DiskType::Volume(v) => v.source.as_ref().map(|s| format!("{}/{}", s.pool, s.volume)),
            DiskType::Network(n) => {
                n.source.name.as_ref().map(|name| format!("{}:{name}", n.source.protocol))
            }
            _ => None,
        };
        let source = source.as_deref().unwrap_or("-");
        let bus = disk.target.bus.as_ref().map_or("-", |b| b.as_str());
        println!("{:8} {source:40} {:5} {bus}", disk.r#type.as_str(), disk.target.dev);
    }
    Ok(())
}
