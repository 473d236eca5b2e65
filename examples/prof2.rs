fn main() {
    let path = std::env::args().nth(1).unwrap();
    let xml = std::fs::read_to_string(path).unwrap();
    for _ in 0..3000 { std::hint::black_box(libvirt_xml::Document::from_xml(&xml).unwrap()); }
}
