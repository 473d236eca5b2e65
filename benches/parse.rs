//! Typed parse and serialize, side by side with a bare `roxmltree::Document::parse` of the
//! same bytes (the reference), on documents from libvirt's test suite.
//!
//! `cargo bench --bench parse`; BENCHMARKS.md quotes the medians.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use libvirt_xml::Document;

/// (label, corpus path): the largest domain, a typical domain, capabilities, domain caps.
const INPUTS: &[(&str, &str)] = &[
    ("domain-30k", "tests/qemuxmlconfdata/pci-bridge-many-disks.x86_64-latest.xml"),
    ("domain-4k", "tests/qemuxmlconfdata/disk-network-nbd.xml"),
    ("capabilities-14k", "tests/capabilityschemadata/caps-qemu-kvm.xml"),
    ("domaincaps-70k", "tests/domaincapsdata/qemu_7.0.0-tcg.x86_64.xml"),
];

fn load(path: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/corpus/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn parse(c: &mut Criterion) {
    let mut g = c.benchmark_group("parse");
    for (label, path) in INPUTS {
        let xml = load(path);
        g.throughput(Throughput::Bytes(xml.len() as u64));
        g.bench_with_input(BenchmarkId::new("roxmltree", label), &xml, |b, xml| {
            b.iter(|| roxmltree::Document::parse(std::hint::black_box(xml)).unwrap())
        });
        g.bench_with_input(BenchmarkId::new("libvirt-xml", label), &xml, |b, xml| {
            b.iter(|| Document::from_xml(std::hint::black_box(xml)).unwrap())
        });
    }
    g.finish();
}

fn serialize(c: &mut Criterion) {
    let mut g = c.benchmark_group("serialize");
    for (label, path) in INPUTS {
        let xml = load(path);
        let doc = Document::from_xml(&xml).unwrap();
        let out_len = doc.to_xml().unwrap().len();
        g.throughput(Throughput::Bytes(out_len as u64));
        g.bench_with_input(BenchmarkId::new("libvirt-xml", label), &doc, |b, doc| {
            b.iter(|| std::hint::black_box(doc).to_xml())
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(60).measurement_time(std::time::Duration::from_secs(3));
    targets = parse, serialize
}
criterion_main!(benches);
