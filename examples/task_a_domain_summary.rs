//! Prints the name, UUID, memory (in bytes) and vCPU count of a domain.
use libvirt_xml::domain::Domain;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        "tests/corpus/tests/qemuxmlconfdata/boot-order.x86_64-latest.xml".into()
    });
    let domain = Domain::from_xml(&std::fs::read_to_string(path)?)?;

    println!("name:   {}", domain.name.value);
    if let Some(uuid) = &domain.uuid {
        println!("uuid:   {}", uuid.value);
    }
    if let Some(bytes) = domain.memory.as_ref().and_then(|m| m.bytes()) {
        println!("memory: {bytes} bytes");
    }
    if let Some(vcpu) = &domain.vcpu {
        println!("vcpus:  {}", vcpu.value);
    }
    Ok(())
}
