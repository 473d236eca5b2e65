//! Document order and libvirt's layout: what is read is written back in its order, and
//! what libvirt wrote comes back byte for byte.

use std::path::{Path, PathBuf};

use libvirt_xml::domain::{Disk, Domain};
use libvirt_xml::Document;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// (path, schema) of the valid corpus documents.
fn valid() -> Vec<(String, String)> {
    let tsv =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus.tsv"))
            .unwrap();
    tsv.lines()
        .skip(1)
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|f| f[2] == "valid")
        .map(|f| (f[0].to_string(), f[1].to_string()))
        .collect()
}

fn round_trip(schema: &str, xml: &str) -> String {
    match schema {
        "device.rng" => libvirt_xml::device::DeviceRoot::from_xml(xml).and_then(|d| d.to_xml()),
        "cpu-baseline.rng" => libvirt_xml::cpu::Cpu::from_xml(xml).and_then(|d| d.to_xml()),
        _ => Document::from_xml(xml).and_then(|d| d.to_xml()),
    }
    .unwrap()
}

/// The corpus documents libvirt itself wrote (its formatters' expected outputs).
fn libvirt_written(path: &str) -> bool {
    path.contains("xml2xmlout")
        || path.contains("capabilityschemadata/")
        || path.contains("domaincapsdata/")
        || (path.contains("qemuxmlconfdata/") && path.ends_with("-latest.xml"))
}

#[test]
fn documents_libvirt_wrote_come_back_byte_for_byte() {
    let (mut n, mut differ) = (0, Vec::new());
    for (path, schema) in valid().into_iter().filter(|(p, _)| libvirt_written(p)) {
        let xml = std::fs::read_to_string(corpus().join(&path)).unwrap();
        let out = round_trip(&schema, &xml);
        if out != xml {
            let line = xml.lines().zip(out.lines()).position(|(a, b)| a != b);
            differ.push(format!("{path}: first difference on line {line:?}"));
        }
        n += 1;
    }
    println!("byte-identical: {}/{n} documents libvirt wrote", n - differ.len());
    assert!(differ.is_empty(), "{:#?}", &differ[..differ.len().min(10)]);
    assert!(n > 1000);
}

/// Lines of `b` that differ from `a` (both with the same number of lines).
fn changed_lines(a: &str, b: &str) -> Vec<(String, String)> {
    assert_eq!(a.lines().count(), b.lines().count());
    a.lines()
        .zip(b.lines())
        .filter(|(x, y)| x != y)
        .map(|(x, y)| (x.to_string(), y.to_string()))
        .collect()
}

#[test]
fn changing_one_value_changes_one_line() {
    let domains: Vec<String> = valid()
        .into_iter()
        .filter(|(p, s)| {
            s == "domain.rng" && p.contains("qemuxmlconfdata/") && p.ends_with("-latest.xml")
        })
        .map(|(p, _)| p)
        .take(50)
        .collect();
    assert_eq!(domains.len(), 50);
    for path in &domains {
        let xml = std::fs::read_to_string(corpus().join(path)).unwrap();
        let mut d = Domain::from_xml(&xml).unwrap();
        let memory = d.memory.as_mut().expect("libvirt writes <memory>");
        memory.value += 1024;
        let out = d.to_xml().unwrap();
        let changed = changed_lines(&xml, &out);
        assert_eq!(changed.len(), 1, "{path}: {changed:#?}");
        assert!(changed[0].1.contains("<memory"), "{path}: {changed:#?}");
    }
}

#[test]
fn nwfilter_references_stay_before_rules() {
    let path = corpus().join("src/nwfilter/xml/clean-traffic.xml");
    let xml = std::fs::read_to_string(path).unwrap();
    let out = Document::from_xml(&xml).unwrap().to_xml().unwrap();
    let first_ref = out.find("<filterref").unwrap();
    let first_rule = out.find("<rule").unwrap();
    assert!(first_ref < first_rule, "{out}");
}

#[test]
fn comments_and_processing_instructions_stay_in_place() {
    let xml = "<domain type='kvm'>\n  <!-- the name -->\n  <name>vm</name>\n  <?app keep?>\n  \
               <memory unit='KiB'>1024</memory>\n</domain>\n";
    let d = Domain::from_xml(xml).unwrap();
    assert_eq!(d.to_xml().unwrap(), xml);
}

#[test]
fn added_children_go_where_the_schema_puts_them() {
    let xml = "<domain type='kvm'>\n  <name>vm</name>\n  <memory unit='KiB'>1024</memory>\n  \
               <devices>\n    <disk type='file' device='disk'>\n      <target dev='vda'/>\n    \
               </disk>\n    <interface type='network'>\n      <source network='default'/>\n    \
               </interface>\n  </devices>\n</domain>\n";
    let mut d = Domain::from_xml(xml).unwrap();
    let devices = d.devices.as_mut().unwrap();
    // A second disk follows the first, before the interface that was read after it.
    let disk: Disk =
        libvirt_xml::Element::from_xml("<disk type='file'><target dev='vdb'/></disk>").unwrap();
    devices.disks.push(disk);
    // A field the document did not have goes before the first one the schema puts after it.
    d.uuid = Some(Box::new(libvirt_xml::domain::DomainUuid {
        value: "c7a5fdbd-edaf-9455-926a-d65c16db1809".parse().unwrap(),
        ..Default::default()
    }));
    let out = d.to_xml().unwrap();
    let pos = |s: &str| out.find(s).unwrap_or_else(|| panic!("{s} in {out}"));
    assert!(pos("<name>") < pos("<uuid>") && pos("<uuid>") < pos("<memory"), "{out}");
    assert!(pos("vda") < pos("vdb") && pos("vdb") < pos("<interface"), "{out}");
    // Removing content removes just its lines.
    let mut d = Domain::from_xml(xml).unwrap();
    d.devices.as_mut().unwrap().interfaces.clear();
    let out = d.to_xml().unwrap();
    assert_eq!(out.lines().count(), xml.lines().count() - 3, "{out}");
}

/// Found by fuzzing: a discriminant value the schema does not list kept its place too.
#[test]
fn attributes_keep_their_order_with_an_unknown_discriminant() {
    let xml = "<cpu match='exact'>\n  <feature name='sse4' policy='sometimes'/>\n</cpu>\n";
    let cpu = libvirt_xml::cpu::Cpu::from_xml(xml).unwrap();
    assert_eq!(cpu.to_xml().unwrap(), xml);
}

/// Found by fuzzing: a repeated single child inside a sum type's case keeps its place.
#[test]
fn a_repeated_child_of_a_case_keeps_its_place() {
    let xml = "<disk type='block' device='disk'>\n  <driver name='qemu' type='raw'/>\n  \
               <source dev='/a'/>\n  <source dev='/b'/>\n  <target dev='vda'/>\n</disk>\n";
    let disk: Disk = libvirt_xml::Element::from_xml(xml).unwrap();
    assert_eq!(libvirt_xml::Element::to_xml(&disk).unwrap(), xml);
}
