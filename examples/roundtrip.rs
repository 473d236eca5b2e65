fn main() {
    let args: Vec<String> = std::env::args().collect();
    let xml = std::fs::read_to_string(&args[1]).unwrap();
    let out = match args.get(2).map(String::as_str) {
        Some("device") => libvirt_xml::device::DeviceRoot::from_xml(&xml).and_then(|d| d.to_xml()),
        Some("cpu") => libvirt_xml::cpu::Cpu::from_xml(&xml).and_then(|d| d.to_xml()),
        _ => libvirt_xml::Document::from_xml(&xml).and_then(|d| d.to_xml()),
    };
    match out {
        Ok(s) => print!("{s}"),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1)
        }
    }
}
