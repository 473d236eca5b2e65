//! Whole-corpus benchmarks, one document family at a time: every valid corpus document of
//! the family parsed (or written) per iteration, beside two references on the same bytes
//! in the same run — a bare `roxmltree::Document::parse` (a DOM) and a quick-xml event
//! loop that only reads events (no values, no tree).
//!
//! `cargo bench --bench corpus`, then `cargo run --example bench_table` prints
//! BENCHMARKS.md's table from criterion's estimates.

use std::collections::BTreeMap;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use libvirt_xml::Document;

/// Valid corpus documents by family (the schema file), read once. Device and
/// cpu-baseline rows are other roots (`DeviceRoot`, `Cpu` of a test schema) and left out.
fn families() -> BTreeMap<String, Vec<String>> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let tsv = std::fs::read_to_string(root.join("tests/corpus.tsv")).unwrap();
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in tsv.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        if f[2] != "valid" || f[1] == "device.rng" || f[1] == "cpu-baseline.rng" {
            continue;
        }
        let xml = std::fs::read_to_string(root.join("tests/corpus").join(f[0])).unwrap();
        let family = f[1].trim_end_matches(".rng").to_string();
        out.entry(family).or_default().push(xml);
    }
    out
}

/// Reads every event of `xml`, as the cheapest complete pass over the document.
fn quick_xml_events(xml: &str) -> usize {
    let mut r = quick_xml::Reader::from_str(xml);
    let mut n = 0;
    loop {
        match r.read_event() {
            Ok(quick_xml::events::Event::Eof) => return n,
            Ok(_) => n += 1,
            Err(e) => panic!("{e}"),
        }
    }
}

fn parse(c: &mut Criterion) {
    for (family, docs) in families() {
        let bytes: usize = docs.iter().map(String::len).sum();
        let mut g = c.benchmark_group(format!("corpus-parse/{family}"));
        g.throughput(Throughput::Bytes(bytes as u64));
        g.bench_function(BenchmarkId::from_parameter("roxmltree"), |b| {
            b.iter(|| {
                for x in &docs {
                    std::hint::black_box(roxmltree::Document::parse(x).unwrap());
                }
            })
        });
        g.bench_function(BenchmarkId::from_parameter("quick-xml-events"), |b| {
            b.iter(|| {
                for x in &docs {
                    std::hint::black_box(quick_xml_events(x));
                }
            })
        });
        g.bench_function(BenchmarkId::from_parameter("libvirt-xml"), |b| {
            b.iter(|| {
                for x in &docs {
                    std::hint::black_box(Document::from_xml(x).unwrap());
                }
            })
        });
        g.finish();
    }
}

fn serialize(c: &mut Criterion) {
    for (family, docs) in families() {
        let values: Vec<Document> = docs.iter().map(|x| Document::from_xml(x).unwrap()).collect();
        let written: usize = values.iter().map(|d| d.to_xml().unwrap().len()).sum();
        let mut g = c.benchmark_group(format!("corpus-serialize/{family}"));
        // Throughput over the bytes written.
        g.throughput(Throughput::Bytes(written as u64));
        g.bench_function(BenchmarkId::from_parameter("libvirt-xml"), |b| {
            b.iter(|| {
                for d in &values {
                    std::hint::black_box(d.to_xml().unwrap());
                }
            })
        });
        g.finish();
    }
}

criterion_group! {
    name = benches;
    // Small families take microseconds, domains tens of milliseconds: a short window
    // each keeps the whole run to minutes.
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(2));
    targets = parse, serialize
}
criterion_main!(benches);
