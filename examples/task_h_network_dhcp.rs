//! Prints a network's DHCP ranges, adds a static DHCP host, and prints the XML.
//!
//! `virsh net-dumpxml default | cargo run --example task_h_network_dhcp`
//! CI input: < tests/corpus/tests/networkxml2xmlin/nat-network.xml
use libvirt_xml::network::{DhcpHost, Network};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut network = Network::from_xml(&std::io::read_to_string(std::io::stdin())?)?;

    for range in network.ips.iter().flat_map(|ip| ip.dhcp.iter().flat_map(|d| &d.ranges)) {
        println!("dhcp range {} - {}", range.start, range.end);
    }
    let dhcp = network.ips.iter_mut().find_map(|ip| ip.dhcp.as_mut()).ok_or("no <dhcp>")?;
    let mut host = DhcpHost { ip: [192, 168, 122, 12].into(), ..Default::default() };
    host.mac = Some("52:54:00:12:34:56".into());
    host.name = Some("c.example.com".into());
    dhcp.hosts.push(host);

    print!("{}", network.to_xml()?);
    Ok(())
}
