//! Converts a domain to JSON and back, and checks nothing was lost.
//!
//! `virsh dumpxml VM | cargo run --example task_j_json`
//! CI input: < tests/corpus/tests/qemuxmlconfdata/boot-order.x86_64-latest.xml
use libvirt_xml::domain::Domain;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let domain = Domain::from_xml(&std::io::read_to_string(std::io::stdin())?)?;

    let json = serde_json::to_string_pretty(&domain)?;
    println!("{json}");
    let back: Domain = serde_json::from_str(&json)?;
    assert!(back == domain, "the JSON round trip changed the domain");
    Ok(())
}
