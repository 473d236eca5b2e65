//! How many documents libvirt itself wrote come back byte for byte from `to_xml()`:
//! `cargo run --release --example byte_identity` prints the count per folder and, with
//! `-v`, the first differing line of each file that differs.
use std::path::Path;

fn libvirt_written(path: &str) -> bool {
    path.contains("xml2xmlout")
        || path.contains("capabilityschemadata/")
        || path.contains("domaincapsdata/")
        || (path.contains("qemuxmlconfdata/") && path.ends_with("-latest.xml"))
}

fn main() {
    let verbose = std::env::args().any(|a| a == "-v");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tsv = std::fs::read_to_string(root.join("tests/corpus.tsv")).unwrap();
    let mut per_dir: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    for line in tsv.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let (path, schema, status) = (f[0], f[1], f[2]);
        if status != "valid" || !libvirt_written(path) {
            continue;
        }
        let xml = std::fs::read_to_string(root.join("tests/corpus").join(path)).unwrap();
        let out = match schema {
            "device.rng" => {
                libvirt_xml::device::DeviceRoot::from_xml(&xml).and_then(|d| d.to_xml())
            }
            "cpu-baseline.rng" => libvirt_xml::cpu::Cpu::from_xml(&xml).and_then(|d| d.to_xml()),
            _ => libvirt_xml::Document::from_xml(&xml).and_then(|d| d.to_xml()),
        }
        .unwrap();
        let dir = path.rsplit_once('/').map_or("", |p| p.0).to_string();
        let e = per_dir.entry(dir).or_default();
        e.0 += 1;
        if out == xml {
            e.1 += 1;
        } else if verbose {
            let first = xml.lines().zip(out.lines()).position(|(a, b)| a != b);
            let shown = first.map(|i| (xml.lines().nth(i), out.lines().nth(i)));
            println!("{path}: line {:?}: {:?}", first.map(|i| i + 1), shown);
        }
    }
    let (mut n, mut same) = (0, 0);
    for (dir, (a, b)) in &per_dir {
        println!("{dir}: {b}/{a} byte-identical");
        n += a;
        same += b;
    }
    println!("total: {same}/{n} byte-identical ({:.1}%)", 100.0 * same as f64 / n as f64);
}
