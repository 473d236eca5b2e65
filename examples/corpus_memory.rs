//! Heap the parsed values of every valid corpus document hold, relative to their XML,
//! per schema (a counting global allocator; exact, not timed):
//! `cargo run --release --example corpus_memory`.
use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering};

struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);
static ALLOCS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator and only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        LIVE.fetch_add(l.size() as isize, Ordering::Relaxed);
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: same layout contract as the caller's.
        unsafe { System.alloc(l) }
    }

    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size() as isize, Ordering::Relaxed);
        // SAFETY: `p` was allocated by `System` with layout `l`.
        unsafe { System.dealloc(p, l) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let tsv = std::fs::read_to_string(root.join("tests/corpus.tsv")).unwrap();
    // schema -> (documents, input bytes, bytes held, allocations made while parsing)
    let mut per: BTreeMap<String, (usize, usize, isize, usize)> = BTreeMap::new();
    for line in tsv.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        if f[2] != "valid" || f[1] == "device.rng" || f[1] == "cpu-baseline.rng" {
            continue;
        }
        let xml = std::fs::read_to_string(root.join("tests/corpus").join(f[0])).unwrap();
        let (before, allocs) = (LIVE.load(Ordering::Relaxed), ALLOCS.load(Ordering::Relaxed));
        let doc = libvirt_xml::Document::from_xml(&xml).unwrap();
        let held = LIVE.load(Ordering::Relaxed) - before;
        let made = ALLOCS.load(Ordering::Relaxed) - allocs;
        drop(doc);
        let e = per.entry(f[1].to_string()).or_default();
        e.0 += 1;
        e.1 += xml.len();
        e.2 += held;
        e.3 += made;
    }
    println!("schema\tdocuments\tinput bytes\theld bytes\theld/input\tallocations/document");
    for (schema, (n, input, held, allocs)) in &per {
        println!(
            "{schema}\t{n}\t{input}\t{held}\t{:.2}\t{:.1}",
            *held as f64 / *input as f64,
            *allocs as f64 / *n as f64
        );
    }
}
