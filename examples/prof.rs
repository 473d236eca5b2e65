fn main() {
    let path = std::env::args().nth(1).unwrap();
    let xml = std::fs::read_to_string(path).unwrap();
    let n = 2000;
    let t = std::time::Instant::now();
    for _ in 0..n {
        std::hint::black_box(roxmltree::Document::parse(&xml).unwrap());
    }
    let rox = t.elapsed();
    let pd = std::time::Duration::ZERO;
    let t = std::time::Instant::now();
    for _ in 0..n {
        std::hint::black_box(libvirt_xml::Document::from_xml(&xml).unwrap());
    }
    let full = t.elapsed();
    let doc = libvirt_xml::Document::from_xml(&xml).unwrap();
    let t = std::time::Instant::now();
    for _ in 0..n {
        std::hint::black_box(doc.to_xml());
    }
    let ser = t.elapsed();
    println!(
        "roxmltree {:?} parse_document {:?} typed {:?} serialize {:?}",
        rox / n,
        pd / n,
        full / n,
        ser / n
    );
}
