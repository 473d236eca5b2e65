//! Lists a domain's network interfaces: type, MAC address, source and model.
//!
//! `virsh dumpxml VM | cargo run --example task_c_list_interfaces`
//! CI input: < tests/corpus/tests/domainschemadata/domain-qemu-interface-filterref.xml
use libvirt_xml::domain::{Domain, InterfaceType as IfType};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let domain = Domain::from_xml(&std::io::read_to_string(std::io::stdin())?)?;

    for iface in domain.devices.iter().flat_map(|d| &d.interfaces) {
        let source = match &iface.r#type {
            IfType::Network(n) => n.source.network.to_string(),
            IfType::Bridge(b) => b.source.as_ref().map_or(String::new(), |s| s.bridge.to_string()),
            IfType::Direct(d) => d.source.dev.to_string(),
            IfType::Server(s) => format!("listen {}", s.source.port),
            IfType::Client(c) => format!("{}:{}", c.source.address, c.source.port),
            _ => String::new(),
        };
        let mac = iface.mac.as_ref().map_or("-", |m| &m.address);
        let model = iface.model.as_ref().map_or("-", |m| &m.r#type);
        println!("{:8} {mac:17} {source:10} {model}", iface.r#type.as_str());
    }
    Ok(())
}
