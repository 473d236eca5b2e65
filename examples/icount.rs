//! Deterministic work count: `icount MODE LABEL N` runs MODE (rox | parse | write) N times
//! on one of the four parse-bench documents, `file:PATH` (under tests/corpus), or
//! `schema:NAME.rng` (every valid corpus document of that schema); run under valgrind with
//! N=0 and N>0.
use libvirt_xml::Document;
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let read = |p: &str| std::fs::read_to_string(corpus.join(p)).unwrap();
    let xmls: Vec<String> = match a[2].as_str() {
        "domain-30k" => vec![read("tests/qemuxmlconfdata/pci-bridge-many-disks.x86_64-latest.xml")],
        "domain-4k" => vec![read("tests/qemuxmlconfdata/disk-network-nbd.xml")],
        "capabilities-14k" => vec![read("tests/capabilityschemadata/caps-qemu-kvm.xml")],
        "domaincaps-70k" => vec![read("tests/domaincapsdata/qemu_7.0.0-tcg.x86_64.xml")],
        other => match other.split_once(':') {
            Some(("file", p)) => vec![read(p)],
            Some(("schema", s)) => {
                let tsv = std::fs::read_to_string(corpus.with_extension("tsv")).unwrap();
                tsv.lines()
                    .map(|l| l.split('\t').collect::<Vec<_>>())
                    .filter(|f| f.len() > 2 && f[1] == s && f[2] == "valid")
                    .map(|f| read(f[0]))
                    .collect()
            }
            _ => panic!("a label, file:PATH or schema:NAME.rng"),
        },
    };
    let n: usize = a[3].parse().unwrap();
    let docs: Vec<Document> = xmls.iter().map(|x| Document::from_xml(x).unwrap()).collect();
    for d in &docs {
        let _ = std::hint::black_box(d.to_xml().unwrap());
    }
    for _ in 0..n {
        for (xml, doc) in xmls.iter().zip(&docs) {
            match a[1].as_str() {
                "rox" => {
                    std::hint::black_box(
                        roxmltree::Document::parse(std::hint::black_box(xml)).unwrap(),
                    );
                }
                "parse" => {
                    std::hint::black_box(Document::from_xml(std::hint::black_box(xml)).unwrap());
                }
                "write" => {
                    std::hint::black_box(std::hint::black_box(doc).to_xml().unwrap());
                }
                _ => panic!(),
            }
        }
    }
}
