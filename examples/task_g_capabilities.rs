//! Prints the host CPU model, the NUMA cells with their memory, and the guest
//! architectures with their machine types.
//!
//! `virsh capabilities | cargo run --example task_g_capabilities`
//! CI input: < tests/corpus/tests/capabilityschemadata/caps-qemu-kvm.xml
use libvirt_xml::capability::Capabilities;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let caps = Capabilities::from_xml(&std::io::read_to_string(std::io::stdin())?)?;

    let cpu = &caps.host.cpu;
    let model = cpu.model.as_ref().map_or("?", |m| &m.value);
    println!("host cpu: {} {model}", cpu.arch.value);
    for cell in caps.host.topology.iter().flat_map(|t| &t.cells.cells) {
        if let Some(bytes) = cell.memory.as_ref().and_then(|m| m.bytes()) {
            println!("numa cell {}: {bytes} bytes", cell.id);
        }
    }
    for guest in &caps.guests {
        println!("guest {} ({})", guest.arch.name, guest.os_type.value);
        for machine in &guest.arch.machines {
            println!("  machine {}", machine.value);
        }
    }
    Ok(())
}
