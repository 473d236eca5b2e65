//! Prints a network's DHCP ranges, adds a static DHCP host, and prints the XML.
use libvirt_xml::network::{DhcpHost, Network};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "tests/corpus/tests/networkxml2xmlin/nat-network.xml".into());
    let mut network = Network::from_xml(&std::fs::read_to_string(path)?)?;

    for ip in &network.ips {
        for range in ip.dhcp.iter().flat_map(|d| &d.ranges) {
            println!("dhcp range {} - {}", range.start, range.end);
        }
    }
    let dhcp = network
        .ips
        .iter_mut()
        .find_map(|ip| ip.dhcp.as_mut())
        .ok_or("no <dhcp>")?;
    dhcp.hosts.push(DhcpHost {
        mac: Some("52:54:00:12:34:56".into()),
        name: Some("c.example.com".into()),
        ip: "192.168.122.12".into(),
        ..Default::default()
    });
    print!("{}", network.to_xml()?);
    Ok(())
}
