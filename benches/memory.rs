//! Heap held by parsed documents, relative to their XML size, counted by a global allocator.
//! Not timing: `cargo bench --bench memory` prints one line per document.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

// SAFETY: forwards to the system allocator and only counts sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        LIVE.fetch_add(l.size() as isize, Ordering::Relaxed);
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

const INPUTS: &[&str] = &[
    "tests/qemuxmlconfdata/pci-bridge-many-disks.x86_64-latest.xml",
    "tests/qemuxmlconfdata/disk-network-nbd.xml",
    "tests/capabilityschemadata/caps-qemu-kvm.xml",
    "tests/domaincapsdata/qemu_7.0.0-tcg.x86_64.xml",
];

fn main() {
    // `cargo bench` passes `--bench`; nothing to parse from the arguments.
    for path in INPUTS {
        let xml =
            std::fs::read_to_string(format!("{}/tests/corpus/{path}", env!("CARGO_MANIFEST_DIR")))
                .unwrap();
        let before = LIVE.load(Ordering::Relaxed);
        let doc = libvirt_xml::Document::from_xml(&xml).unwrap();
        let heap = (LIVE.load(Ordering::Relaxed) - before) as usize;
        let total = heap + std::mem::size_of_val(&doc);
        println!(
            "{path}: {} bytes of XML, {total} bytes parsed ({:.2}x)",
            xml.len(),
            total as f64 / xml.len() as f64
        );
        drop(doc);
    }
}
