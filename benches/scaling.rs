//! Cost against input size, and the hostile inputs of issue 9: `cargo bench --bench scaling`
//! prints markdown tables (medians of several runs, CPU-bound wall time; memory from a
//! counting global allocator). Nothing here is asserted: the tables are read by people.
//!
//! * Scaling: domains of 1 kB to 100 MB made of many disks, and of one large `<metadata>`
//!   of small unknown elements; typed parse beside a bare `roxmltree` parse of the same bytes.
//! * Hostile: 100k attributes on one element, 32k namespace declarations, 16M small unknown
//!   elements, an error at the end of 64 MB.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use libvirt_xml::domain::Domain;
use libvirt_xml::ReadOptions;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator and only counts sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let now = LIVE.fetch_add(l.size(), Ordering::Relaxed) + l.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        // SAFETY: same layout contract as the caller's.
        unsafe { System.alloc(l) }
    }

    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
        // SAFETY: `p` was allocated by `System` with layout `l`.
        unsafe { System.dealloc(p, l) }
    }

    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        if new >= l.size() {
            let now = LIVE.fetch_add(new - l.size(), Ordering::Relaxed) + new - l.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        } else {
            LIVE.fetch_sub(l.size() - new, Ordering::Relaxed);
        }
        // SAFETY: `p` was allocated by `System` with layout `l`.
        unsafe { System.realloc(p, l, new) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Generous limits: the scaling runs measure cost, not the default limits.
fn unlimited() -> ReadOptions {
    ReadOptions::default().max_bytes(usize::MAX).max_elements(usize::MAX).max_attributes(usize::MAX)
}

/// Median wall time of `f` over enough runs to fill about a second (3 to 21 runs), and the
/// peak heap above the level before the run, in bytes.
fn measure<R>(mut f: impl FnMut() -> R) -> (Duration, usize) {
    let mut times = Vec::new();
    let mut peak = 0;
    let started = Instant::now();
    while times.len() < 3 || (times.len() < 21 && started.elapsed() < Duration::from_secs(1)) {
        let base = LIVE.load(Ordering::Relaxed);
        PEAK.store(base, Ordering::Relaxed);
        let t = Instant::now();
        let r = std::hint::black_box(f());
        times.push(t.elapsed());
        peak = peak.max(PEAK.load(Ordering::Relaxed) - base);
        drop(r);
    }
    times.sort();
    (times[times.len() / 2], peak)
}

fn domain_with_disks(target: usize) -> String {
    let mut xml = String::from("<domain type='kvm'>\n  <name>big</name>\n  <devices>\n");
    let mut i = 0;
    while xml.len() < target {
        xml.push_str(&format!(
            "    <disk type='file' device='disk'>\n      <driver name='qemu' type='qcow2'/>\n      \
             <source file='/var/lib/libvirt/images/d{i}.qcow2'/>\n      <target dev='vd{i}' bus='virtio'/>\n      \
             <address type='pci' domain='0x0000' bus='0x{:02x}' slot='0x{:02x}' function='0x0'/>\n    </disk>\n",
            i / 32 % 256,
            i % 32
        ));
        i += 1;
    }
    xml.push_str("  </devices>\n</domain>\n");
    xml
}

fn domain_with_metadata(target: usize) -> String {
    let mut xml = String::from(
        "<domain type='kvm'>\n  <name>big</name>\n  <metadata>\n    <app:data xmlns:app='urn:app'>\n",
    );
    let mut i = 0;
    while xml.len() < target {
        xml.push_str(&format!("      <app:item n='{i}'>value {i}</app:item>\n"));
        i += 1;
    }
    xml.push_str("    </app:data>\n  </metadata>\n</domain>\n");
    xml
}

fn mb(bytes: usize) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

fn show(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 1.0 {
        format!("{s:.2} s")
    } else if s >= 1e-3 {
        format!("{:.2} ms", s * 1e3)
    } else {
        format!("{:.1} µs", s * 1e6)
    }
}

fn scaling() {
    println!("## Scaling (typed parse beside roxmltree, same bytes)\n");
    println!("| input | bytes | roxmltree parse | libvirt-xml parse | MB/s | µs per kB | held by the value | peak heap while parsing |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (kind, make) in
        [("disks", domain_with_disks as fn(usize) -> String), ("metadata", domain_with_metadata)]
    {
        for target in [1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000] {
            let xml = make(target);
            let (rox, _) =
                measure(|| roxmltree::Document::parse(&xml).map(|d| d.descendants().count()));
            let (t, peak) = measure(|| Domain::from_xml_with(&xml, unlimited()).unwrap());
            let base = LIVE.load(Ordering::Relaxed);
            let d = Domain::from_xml_with(&xml, unlimited()).unwrap();
            let held = LIVE.load(Ordering::Relaxed) - base + std::mem::size_of_val(&d);
            drop(d);
            println!(
                "| {kind} | {} | {} | {} | {:.0} | {:.2} | {} ({:.2}×) | {} |",
                xml.len(),
                show(rox),
                show(t),
                xml.len() as f64 / t.as_secs_f64() / 1e6,
                t.as_secs_f64() * 1e6 / (xml.len() as f64 / 1e3),
                mb(held),
                held as f64 / xml.len() as f64,
                mb(peak),
            );
        }
    }
    println!();
}

fn hostile() {
    println!("## Hostile inputs\n");
    println!("| input | bytes | options | outcome | time (median) | peak heap |");
    println!("|---|---:|---|---|---:|---:|");
    let row = |name: &str, xml: &str, opts_name: &str, opts: ReadOptions| {
        let mut outcome = String::new();
        let (t, peak) = measure(|| {
            let r = Domain::from_xml_with(xml, opts);
            outcome = match &r {
                Ok(_) => "parsed".to_string(),
                Err(e) => {
                    let mut s = e.to_string();
                    if s.len() > 90 {
                        s.truncate(s.char_indices().nth(87).map_or(s.len(), |(i, _)| i));
                        s.push('…');
                    }
                    format!("error: {s}")
                }
            };
            r
        });
        println!(
            "| {name} | {} | {opts_name} | {} | {} | {} |",
            xml.len(),
            outcome.replace('|', "\\|"),
            show(t),
            mb(peak)
        );
    };

    let attrs: String = (0..100_000).map(|i| format!(" a{i}='{i}'")).collect();
    let xml = format!("<domain type='kvm'{attrs}><name>x</name></domain>");
    row("100k attributes on `<domain>`", &xml, "default", ReadOptions::default());
    row("100k attributes on `<domain>`", &xml, "unlimited", unlimited());

    let decls: String = (0..32_000).map(|i| format!(" xmlns:p{i}='urn:{i}'")).collect();
    let uses: String = (0..32_000).map(|i| format!("<p{i}:e/>")).collect();
    let xml =
        format!("<domain type='kvm'{decls}><name>x</name><metadata>{uses}</metadata></domain>");
    row("32k namespace declarations, 32k uses", &xml, "default", ReadOptions::default());
    row("32k namespace declarations, 32k uses", &xml, "unlimited", unlimited());

    let xml = format!(
        "<domain type='kvm'><name>x</name><metadata><m>{}</m></metadata></domain>",
        "<a/>".repeat(16_000_000)
    );
    row("16M small unknown elements (64 MB)", &xml, "default", ReadOptions::default());
    row("16M small unknown elements (64 MB)", &xml, "unlimited", unlimited());
    drop(xml);

    let mut xml = domain_with_disks(64_000_000);
    xml.truncate(xml.len() - "  </devices>\n</domain>\n".len());
    xml.push_str("<disk type='file'><target dev='x'/><address type='pci' bus='zero'/></disk></devices></domain>");
    row("error at the end of 64 MB", &xml, "unlimited", unlimited());
    println!();
}

fn main() {
    // `cargo bench` passes `--bench`; an argument `scaling` or `hostile` runs one part.
    let only: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    if only.is_empty() || only.iter().any(|a| a == "scaling") {
        scaling();
    }
    if only.is_empty() || only.iter().any(|a| a == "hostile") {
        hostile();
    }
}
