//! Converts a domain to JSON and back, and checks nothing was lost.
use libvirt_xml::domain::Domain;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        "tests/corpus/tests/qemuxmlconfdata/boot-order.x86_64-latest.xml".into()
    });
    let domain = Domain::from_xml(&std::fs::read_to_string(path)?)?;

    let json = serde_json::to_string_pretty(&domain)?;
    println!("{json}");
    let back: Domain = serde_json::from_str(&json)?;
    if back != domain {
        return Err("domain changed in the JSON round trip".into());
    }
    println!("round trip: equal");
    Ok(())
}
