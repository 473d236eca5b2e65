//! Prints the name, UUID, memory (in bytes) and vCPU count of a domain.
//!
//! `virsh dumpxml VM | cargo run --example task_a_domain_summary`
//! CI input: < tests/corpus/tests/qemuxmlconfdata/boot-order.x86_64-latest.xml
use libvirt_xml::domain::Domain;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let domain = Domain::from_xml(&std::io::read_to_string(std::io::stdin())?)?;

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
