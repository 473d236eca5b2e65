use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};
struct Counting;
static LIVE: AtomicIsize = AtomicIsize::new(0);
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        LIVE.fetch_add(l.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(p, l) }
    }
}
#[global_allocator]
static A: Counting = Counting;
fn main() {
    for path in std::env::args().skip(1) {
        let xml = std::fs::read_to_string(&path).unwrap();
        let before = LIVE.load(Ordering::Relaxed);
        let doc = libvirt_xml::Document::from_xml(&xml).unwrap();
        let heap = LIVE.load(Ordering::Relaxed) - before;
        let total = heap as usize + std::mem::size_of_val(&doc);
        println!(
            "{path}: {} bytes xml, {} bytes parsed ({:.2}x)",
            xml.len(),
            total,
            total as f64 / xml.len() as f64
        );
    }
}
