//! Round-trips every document of libvirt's own test suite (`tests/corpus`, listed in
//! `tests/corpus.tsv`) through the generated types and checks that
//! (a) the written XML equals the input by infoset comparison, and
//! (b) the value read back from the written XML equals the value first read,
//! (c) the written XML of every `valid` file still validates against its schema (xmllint).

mod common;
#[path = "common/rows.rs"]
mod corpus_rows;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{infoset_diff, ordered_diff};
use corpus_rows::{read, root, rows};
use libvirt_xml::ReadOptions;

/// The schema file a corpus row names, as vendored.
fn schema_path(schema: &str) -> PathBuf {
    let public = root().join("schemas").join(schema);
    if public.exists() {
        public
    } else {
        root().join("schemas/test").join(schema)
    }
}

/// Parses and writes back with the type the row's schema calls for; then reads the
/// output again. Returns the output, whether the value read back equals the value first
/// read, and whether writing it again gives the same text.
fn round_trip(schema: &str, xml: &str) -> Result<Trip, libvirt_xml::Error> {
    use libvirt_xml::{cpu::Cpu, device::DeviceRoot, Document};
    match schema {
        "device.rng" => trip(xml, DeviceRoot::from_xml_with_diagnostics, DeviceRoot::to_xml),
        "cpu-baseline.rng" => trip(xml, Cpu::from_xml_with_diagnostics, Cpu::to_xml),
        _ => trip(xml, Document::from_xml_with_diagnostics, Document::to_xml),
    }
}

struct Trip {
    written: String,
    /// `from_xml(to_xml(v)) == v` for the value `v` read from the file.
    value_equal: bool,
    /// Writing the value read back gives the same text.
    fixed_point: bool,
    /// Where the document did not fit the types (read leniently).
    diagnostics: Vec<libvirt_xml::Error>,
}

type Parse<T> = fn(&str, ReadOptions) -> Result<(T, Vec<libvirt_xml::Error>), libvirt_xml::Error>;
type Write<T> = fn(&T) -> Result<String, libvirt_xml::Error>;

fn trip<T: PartialEq>(
    xml: &str,
    parse: Parse<T>,
    write: Write<T>,
) -> Result<Trip, libvirt_xml::Error> {
    let (value, diagnostics) = parse(xml, ReadOptions::default())?;
    let written = write(&value)?;
    let (again, _) = parse(&written, ReadOptions::default())?;
    Ok(Trip {
        value_equal: again == value,
        fixed_point: write(&again)? == written,
        written,
        diagnostics,
    })
}

#[derive(Default, Debug)]
struct Counts {
    files: usize,
    parsed: usize,
    errors: usize,
    infoset_equal: usize,
    ordered_equal: usize,
    value_equal: usize,
    validated: usize,
    /// Parsed files with diagnostics.
    diagnosed: usize,
    /// Valid test-schema files whose diagnostics are the test schema's relaxations.
    relaxed: usize,
}

/// `test/device.rng` lets a `<disk>` go without `<target>` ("as used in some tests"); its
/// documents read into `domain::Disk`, which, as libvirt does, requires one: the only
/// diagnostic a valid device document may have.
fn test_schema_relaxation(schema: &str, e: &libvirt_xml::Error) -> bool {
    schema == "device.rng"
        && e.path() == "/disk"
        && matches!(e.kind(), libvirt_xml::ErrorKind::MissingElement(n) if n == "target")
}

#[test]
fn corpus_round_trip() {
    let out_dir = std::env::temp_dir().join(format!("libvirt-xml-corpus-{}", std::process::id()));
    std::fs::create_dir_all(&out_dir).unwrap();
    let mut counts: BTreeMap<String, Counts> = BTreeMap::new();
    let mut failures: Vec<String> = Vec::new();
    // Written output of valid files, per schema, to validate in batches.
    let mut to_validate: BTreeMap<String, Vec<(PathBuf, String)>> = BTreeMap::new();
    let rows = rows();
    for (i, row) in rows.iter().enumerate() {
        let c = counts.entry(row.status.clone()).or_default();
        c.files += 1;
        let input = match read(row) {
            Ok(s) => s,
            Err(e) => {
                failures.push(format!("{}: cannot read: {e}", row.path));
                continue;
            }
        };
        let result = std::panic::catch_unwind(|| round_trip(&row.schema, &input));
        let trip = match result {
            Err(_) => {
                failures.push(format!("{}: PANIC", row.path));
                continue;
            }
            Ok(Err(e)) => {
                c.errors += 1;
                // Every well-formed document loads (leniently); only malformed XML fails.
                if row.status == "valid" || !matches!(e.kind(), libvirt_xml::ErrorKind::Xml(_)) {
                    failures.push(format!("{} ({}): parse error: {e}", row.path, row.status));
                }
                continue;
            }
            Ok(Ok(t)) => t,
        };
        c.parsed += 1;
        if !trip.diagnostics.is_empty() {
            c.diagnosed += 1;
            if row.status == "valid" {
                if trip.diagnostics.iter().all(|e| test_schema_relaxation(&row.schema, e)) {
                    c.relaxed += 1;
                } else {
                    failures.push(format!(
                        "{}: diagnostics for a valid file: {}",
                        row.path, trip.diagnostics[0]
                    ));
                }
            }
        }
        if trip.value_equal {
            c.value_equal += 1;
        } else {
            failures.push(format!("{}: the value read back differs", row.path));
        }
        if !trip.fixed_point {
            failures.push(format!("{}: a second round trip writes different XML", row.path));
        }
        let written = trip.written;
        // Document order: children compared as one sequence, comments and text included.
        match ordered_diff(&input, &written) {
            Ok(()) => c.ordered_equal += 1,
            Err(d) => failures.push(format!("{} ({}): order differs: {d}", row.path, row.status)),
        }
        match infoset_diff(&input, &written) {
            Ok(()) => c.infoset_equal += 1,
            Err(d) => {
                failures.push(format!("{} ({}): infoset differs: {d}", row.path, row.status));
                continue;
            }
        }
        if row.status == "valid" {
            let out = out_dir.join(format!("{i:05}.xml"));
            std::fs::write(&out, &written).unwrap();
            to_validate.entry(row.schema.clone()).or_default().push((out, row.path.clone()));
        }
    }
    // (b) the written documents validate against the same schema.
    let mut validated = 0;
    for (schema, files) in &to_validate {
        for chunk in files.chunks(400) {
            let verdicts = xmllint(&schema_path(schema), chunk.iter().map(|(p, _)| p.as_path()));
            for (out, orig) in chunk {
                match verdicts.get(out) {
                    Some(true) => validated += 1,
                    Some(false) => failures.push(format!("{orig}: written XML fails {schema}")),
                    None => failures.push(format!("{orig}: no xmllint verdict")),
                }
            }
        }
    }
    if let Some(c) = counts.get_mut("valid") {
        c.validated = validated;
    }
    let _ = std::fs::remove_dir_all(&out_dir);
    println!("corpus round trip (status: files, parsed, with diagnostics, errors, value-equal, infoset-equal, ordered-equal, re-validated):");
    for (status, c) in &counts {
        println!(
            "  {status:<11} {:>5} files  {:>5} parsed  {:>4} with diagnostics  {:>4} errors  {:>5} value-equal  {:>5} infoset-equal  {:>5} ordered-equal  {:>5} re-validated",
            c.files, c.parsed, c.diagnosed, c.errors, c.value_equal, c.infoset_equal, c.ordered_equal, c.validated
        );
        if c.relaxed > 0 {
            println!(
                "  {:<11} {:>5} of them: test/device.rng disks without <target>, read into domain::Disk (which requires one, as libvirt does): the missing <target> is their only diagnostic",
                "", c.relaxed
            );
        }
    }
    for f in failures.iter().take(60) {
        println!("FAIL {f}");
    }
    assert!(failures.is_empty(), "{} corpus failures (first ones printed above)", failures.len());
}

/// Runs xmllint once on many files; returns a verdict per file.
fn xmllint<'a>(schema: &Path, files: impl Iterator<Item = &'a Path>) -> BTreeMap<PathBuf, bool> {
    let files: Vec<&Path> = files.collect();
    let out = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--relaxng")
        .arg(schema)
        .args(&files)
        .output()
        .expect("xmllint not found: install libxml2-utils (.ci/run does)");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut verdicts = BTreeMap::new();
    for line in stderr.lines() {
        if let Some(f) = line.strip_suffix(" validates") {
            verdicts.insert(PathBuf::from(f), true);
        } else if let Some(f) = line.strip_suffix(" fails to validate") {
            verdicts.insert(PathBuf::from(f), false);
        }
    }
    verdicts
}
