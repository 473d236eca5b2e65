//! Prints BENCHMARKS.md's whole-corpus table from criterion's results of
//! `cargo bench --bench corpus` (`target/criterion/corpus-*`): per family, the median time
//! of each system over the family's documents, the range of its samples, and ratios; and
//! the whole corpus, as the sum of the families' medians.
//!
//! `cargo run --example bench_table`

use std::path::{Path, PathBuf};

fn criterion_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("criterion")
}

/// (median ns per iteration, fastest and slowest sample per iteration, throughput bytes).
fn result(group: &str, id: &str) -> Option<(f64, f64, f64, f64)> {
    let dir = criterion_dir().join(group).join(id).join("new");
    let read = |f: &str| -> Option<serde_json::Value> {
        serde_json::from_str(&std::fs::read_to_string(dir.join(f)).ok()?).ok()
    };
    let median = read("estimates.json")?["median"]["point_estimate"].as_f64()?;
    let bytes = read("benchmark.json")?["throughput"]["Bytes"].as_f64()?;
    let sample = read("sample.json")?;
    let iters = sample["iters"].as_array()?;
    let times = sample["times"].as_array()?;
    let per: Vec<f64> =
        iters.iter().zip(times).filter_map(|(i, t)| Some(t.as_f64()? / i.as_f64()?)).collect();
    let min = per.iter().copied().fold(f64::MAX, f64::min);
    let max = per.iter().copied().fold(0.0, f64::max);
    Some((median, min, max, bytes))
}

fn ms(ns: f64) -> String {
    format!("{:.3}", ns / 1e6)
}

fn main() {
    let mut families: Vec<String> = std::fs::read_dir(criterion_dir())
        .map(|d| {
            d.filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter_map(|n| n.strip_prefix("corpus-parse_").map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    families.sort();
    if families.is_empty() {
        eprintln!("no results: run `cargo bench --bench corpus` first");
        std::process::exit(1);
    }
    println!(
        "| family | XML bytes | roxmltree parse, ms | quick-xml events, ms | libvirt-xml parse, ms (min–max) | MB/s | ÷ roxmltree | ÷ quick-xml | serialize, ms | serialize MB/s (of output) |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    // Sums over the families: XML bytes, roxmltree, quick-xml, parse, serialize (ns),
    // serialized bytes.
    let mut all = [0.0; 6];
    for f in &families {
        let group = format!("corpus-parse_{f}");
        let (Some(rox), Some(qx), Some(lx)) = (
            result(&group, "roxmltree"),
            result(&group, "quick-xml-events"),
            result(&group, "libvirt-xml"),
        ) else {
            eprintln!("{f}: incomplete results, left out");
            continue;
        };
        let ser = result(&format!("corpus-serialize_{f}"), "libvirt-xml");
        let (ser_ms, ser_rate) = match ser {
            Some((m, _, _, out)) => {
                all[4] += m;
                all[5] += out;
                (ms(m), format!("{:.0}", out / m * 1e3))
            }
            None => ("–".into(), "–".into()),
        };
        for (sum, x) in all.iter_mut().zip([lx.3, rox.0, qx.0, lx.0]) {
            *sum += x;
        }
        println!(
            "| {f} | {} | {} | {} | {} ({}–{}) | {:.0} | {:.2} | {:.2} | {ser_ms} | {ser_rate} |",
            lx.3,
            ms(rox.0),
            ms(qx.0),
            ms(lx.0),
            ms(lx.1),
            ms(lx.2),
            lx.3 / lx.0 * 1e3,
            lx.0 / rox.0,
            lx.0 / qx.0,
        );
    }
    let [bytes, rox, qx, lx, ser, out] = all;
    println!(
        "| all (sums of the medians) | {bytes} | {} | {} | {} | {:.0} | {:.2} | {:.2} | {} | {:.0} |",
        ms(rox),
        ms(qx),
        ms(lx),
        bytes / lx * 1e3,
        lx / rox,
        lx / qx,
        ms(ser),
        out / ser * 1e3,
    );
}
