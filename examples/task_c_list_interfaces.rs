//! Lists a domain's network interfaces: type, MAC address, source and model.
use libvirt_xml::domain::{Domain, InterfaceType as IfType};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        "tests/corpus/tests/domainschemadata/domain-qemu-interface-filterref.xml".into()
    });
    let domain = Domain::from_xml(&std::fs::read_to_string(path)?)?;

    for iface in domain.devices.iter().flat_map(|d| &d.interfaces) {
        let source = match &iface.r#type {
            IfType::Network(n) => n.source.network.clone(),
            IfType::Bridge(b) => b
                .source
                .as_ref()
                .map_or(String::new(), |s| s.bridge.clone()),
            IfType::Direct(d) => d.source.dev.clone(),
            IfType::Server(s) => format!("listen {}", s.source.port),
            IfType::Client(c) => format!("{}:{}", c.source.address, c.source.port),
            _ => String::new(),
        };
        println!(
            "{:8} {:17} {:10} {}",
            iface.r#type.as_str(),
            iface.mac.as_ref().map_or("-", |m| &m.address),
            source,
            iface.model.as_ref().map_or("-", |m| &m.r#type),
        );
    }
    Ok(())
}
