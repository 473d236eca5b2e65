//! Deterministic work count: `icount MODE LABEL N` runs MODE (rox | parse | write) N times
//! on one of the four parse-bench documents; run under valgrind with N=0 and N>0.
use libvirt_xml::Document;
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let path = match a[2].as_str() {
        "domain-30k" => "tests/qemuxmlconfdata/pci-bridge-many-disks.x86_64-latest.xml",
        "domain-4k" => "tests/qemuxmlconfdata/disk-network-nbd.xml",
        "capabilities-14k" => "tests/capabilityschemadata/caps-qemu-kvm.xml",
        "domaincaps-70k" => "tests/domaincapsdata/qemu_7.0.0-tcg.x86_64.xml",
        _ => panic!(),
    };
    let n: usize = a[3].parse().unwrap();
    let xml = std::fs::read_to_string(format!(
        "{}/tests/corpus/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let doc = Document::from_xml(&xml).unwrap();
    let _ = std::hint::black_box(doc.to_xml().unwrap());
    for _ in 0..n {
        match a[1].as_str() {
            "rox" => {
                std::hint::black_box(
                    roxmltree::Document::parse(std::hint::black_box(&xml)).unwrap(),
                );
            }
            "parse" => {
                std::hint::black_box(Document::from_xml(std::hint::black_box(&xml)).unwrap());
            }
            "write" => {
                std::hint::black_box({
                    let doc = std::hint::black_box(&doc);
                    doc.to_xml().unwrap()
                });
            }
            _ => panic!(),
        }
    }
}
