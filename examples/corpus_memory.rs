//! Heap the parsed values of every valid corpus document hold, relative to their XML,
//! per schema, as a Markdown table (a counting global allocator; exact, not timed):
//! `cargo run --release --example corpus_memory`. Held bytes are the sizes asked for; the
//! last column adds what glibc's malloc takes per block (8 bytes, rounded up to 16, at
//! least 32), which is what the process pays.
use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering};

struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);
static ALLOCS: AtomicUsize = AtomicUsize::new(0);
static CHUNKS: AtomicIsize = AtomicIsize::new(0);

/// The block glibc's malloc (x86_64) takes for a request of `n` bytes.
fn chunk(n: usize) -> isize {
    ((n + 8).div_ceil(16) * 16).max(32) as isize
}

// SAFETY: forwards to the system allocator and only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        LIVE.fetch_add(l.size() as isize, Ordering::Relaxed);
        CHUNKS.fetch_add(chunk(l.size()), Ordering::Relaxed);
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: same layout contract as the caller's.
        unsafe { System.alloc(l) }
    }

    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size() as isize, Ordering::Relaxed);
        CHUNKS.fetch_sub(chunk(l.size()), Ordering::Relaxed);
        // SAFETY: `p` was allocated by `System` with layout `l`.
        unsafe { System.dealloc(p, l) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let tsv = std::fs::read_to_string(root.join("tests/corpus.tsv")).unwrap();
    // schema -> per document: (input bytes, bytes held, allocations made while parsing,
    // malloc blocks held)
    let mut per: BTreeMap<String, Vec<(usize, isize, usize, isize)>> = BTreeMap::new();
    for line in tsv.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        if f[2] != "valid" || f[1] == "device.rng" || f[1] == "cpu-baseline.rng" {
            continue;
        }
        let xml = std::fs::read_to_string(root.join("tests/corpus").join(f[0])).unwrap();
        let (before, allocs) = (LIVE.load(Ordering::Relaxed), ALLOCS.load(Ordering::Relaxed));
        let chunks = CHUNKS.load(Ordering::Relaxed);
        let doc = libvirt_xml::Document::from_xml(&xml).unwrap();
        let held = LIVE.load(Ordering::Relaxed) - before;
        let made = ALLOCS.load(Ordering::Relaxed) - allocs;
        let blocks = CHUNKS.load(Ordering::Relaxed) - chunks;
        drop(doc);
        per.entry(f[1].to_string()).or_default().push((xml.len(), held, made, blocks));
    }
    println!(
        "| schema | documents | held/input (all) | held/input per document: median (min–max) | allocations per document: median (min–max) | with malloc's blocks (all) |"
    );
    println!("|---|---:|---:|---|---|---:|");
    let mut all = (0, 0isize, 0isize);
    for (schema, docs) in &per {
        let input: usize = docs.iter().map(|d| d.0).sum();
        let held: isize = docs.iter().map(|d| d.1).sum();
        let blocks: isize = docs.iter().map(|d| d.3).sum();
        all = (all.0 + input, all.1 + held, all.2 + blocks);
        let mut ratios: Vec<f64> = docs.iter().map(|d| d.1 as f64 / d.0 as f64).collect();
        let mut allocs: Vec<f64> = docs.iter().map(|d| d.2 as f64).collect();
        let (rmin, rmax) = (
            ratios.iter().copied().fold(f64::MAX, f64::min),
            ratios.iter().copied().fold(0.0, f64::max),
        );
        let (amin, amax) = (
            allocs.iter().copied().fold(f64::MAX, f64::min),
            allocs.iter().copied().fold(0.0, f64::max),
        );
        println!(
            "| {schema} | {} | {:.2} | {:.2} ({rmin:.2}–{rmax:.2}) | {} ({amin}–{amax}) | {:.2} |",
            docs.len(),
            held as f64 / input as f64,
            median(&mut ratios),
            median(&mut allocs),
            blocks as f64 / input as f64,
        );
    }
    println!(
        "| all {} documents | | {:.2} | | | {:.2} |",
        per.values().map(Vec::len).sum::<usize>(),
        all.1 as f64 / all.0 as f64,
        all.2 as f64 / all.0 as f64
    );
}
