//! The string type of values: what a `String` does for a program that reads and replaces
//! values, in one pointer.
//!
//! The one module of the runtime with `unsafe` code: a short text is held in the bits of
//! the pointer, a longer one in a block the pointer owns with its clones (see [`Str`]).

#![allow(unsafe_code)]

use std::alloc::{self, Layout};
use std::borrow::{Borrow, Cow};
use std::ffi::OsStr;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::ptr::{self, NonNull};
use std::sync::atomic::{self, AtomicU32, Ordering};

/// A string value (an attribute or element text the schema types as a string, a raw
/// element's name): immutable and one pointer wide. A text of up to 7 bytes (`vda`,
/// `qemu`, `pc`; 3 on a 32-bit target) is held in the pointer itself, so nothing is
/// allocated for it; a longer one is one heap block, its text after an 8-byte header
/// (a reference count and the length), shared by clones, as are the short values (up to
/// 32 bytes) a document repeats, read once (domain capabilities' `<value>`s). On a 64-bit
/// target an absent `Option<Str>` takes 8 bytes where `Option<String>` takes 24, and
/// libvirt's elements have many optional strings, mostly absent.
///
/// Read it as a `&str` (it derefs to one, and `as_str()`), pass it where a `&str`, `Path`
/// or `OsStr` goes, compare it with `==` against `&str`, `String` and `Str`, and turn it
/// into a `String` with `.into()` or `.to_string()`. To change a value, assign a new one:
///
/// ```
/// use libvirt_xml_runtime::Str;
///
/// let mut dev = Str::from("vda");
/// assert_eq!(dev, "vda");
/// assert!(dev.starts_with("vd"));
/// dev = format!("{dev}-backup").into();
/// let owned: String = dev.clone().into();
/// assert_eq!(owned, "vda-backup");
/// let _ = std::path::Path::new(&dev).exists();
/// match dev.as_str() {
///     "vda-backup" => {}
///     _ => unreachable!(),
/// }
/// ```
// No crate has this shape: `arcstr` (used before) has a 16-byte header and nothing in
// place, `compact_str`, `smol_str` and `ecow` are two or three words wide; an absent
// optional string then costs more than short strings save.
pub struct Str(NonNull<Header>);

/// The bytes of a [`Str`].
const WORD: usize = size_of::<usize>();

/// Where a text held in place sits among a [`Str`]'s bytes: beside the tag, which is the
/// pointer's low byte (first on little-endian targets, last on big-endian ones; its bit 0
/// set, as no heap block's address has it, the bits above it the length).
const TEXT_AT: usize = if cfg!(target_endian = "little") { 1 } else { 0 };

/// A heap block's header; the text follows it (after the length in full, for a text of
/// 4 GiB or more).
#[repr(C)]
struct Header {
    count: AtomicU32,
    /// The text's length, or [`u32::MAX`] when the length is the `usize` that follows.
    len: u32,
}

/// Where the text of a block of 4 GiB or more starts: after the header and the full
/// length.
const BIG_AT: usize = size_of::<Header>().next_multiple_of(WORD) + WORD;

/// How a heap block of a text of `len` bytes is laid out, and where its text starts.
fn block(len: usize) -> (Layout, usize) {
    let at = if len < u32::MAX as usize { size_of::<Header>() } else { BIG_AT };
    let size = at.checked_add(len).expect("string too long");
    let align = align_of::<Header>().max(align_of::<usize>());
    (Layout::from_size_align(size, align).expect("string too long"), at)
}

// SAFETY: the text is never written after it is made, and the count is atomic.
unsafe impl Send for Str {}
// SAFETY: as above.
unsafe impl Sync for Str {}

impl Str {
    /// The longest text held in place, without an allocation.
    pub(crate) const INLINE: usize = WORD - 1;

    /// The empty string (no allocation).
    pub const fn new() -> Str {
        // SAFETY: 1 is not zero: the tag of an empty text held in place.
        Str(unsafe { NonNull::new_unchecked(ptr::without_provenance_mut(1)) })
    }

    #[inline]
    fn is_inline(&self) -> bool {
        self.0.as_ptr().addr() & 1 == 1
    }

    /// The text.
    #[inline]
    pub fn as_str(&self) -> &str {
        let word = self.0.as_ptr().addr();
        let (text, len) = if word & 1 == 1 {
            let text = (self as *const Str).cast::<u8>().wrapping_add(TEXT_AT);
            (text, (word & 0xFF) >> 1)
        } else {
            let h = self.0.as_ptr().cast_const();
            // SAFETY: a heap block's header is initialised and lives while `self` does.
            match unsafe { (*h).len } {
                u32::MAX => {
                    let len_at = h.cast::<u8>().wrapping_add(BIG_AT - WORD).cast::<usize>();
                    // SAFETY: the full length is written there for such a block.
                    (h.cast::<u8>().wrapping_add(BIG_AT), unsafe { len_at.read() })
                }
                len => (h.cast::<u8>().wrapping_add(size_of::<Header>()), len as usize),
            }
        };
        // SAFETY: `len` bytes of UTF-8 at `text`, in `self` or in its heap block, which
        // live as long as the borrow of `self`.
        unsafe { std::str::from_utf8_unchecked(std::slice::from_raw_parts(text, len)) }
    }
}

impl From<&str> for Str {
    fn from(s: &str) -> Str {
        if s.len() <= Str::INLINE {
            let mut bytes = [0u8; WORD];
            bytes[TEXT_AT..TEXT_AT + s.len()].copy_from_slice(s.as_bytes());
            let word = usize::from_ne_bytes(bytes) | (s.len() << 1) | 1;
            // SAFETY: bit 0 is set, so the pointer is not null.
            return Str(unsafe { NonNull::new_unchecked(ptr::without_provenance_mut(word)) });
        }
        let (layout, at) = block(s.len());
        // SAFETY: the layout's size is at least the header's, not zero.
        let p = unsafe { alloc::alloc(layout) };
        let Some(h) = NonNull::new(p.cast::<Header>()) else { alloc::handle_alloc_error(layout) };
        let len = u32::try_from(s.len()).unwrap_or(u32::MAX);
        // SAFETY: the block is `at + s.len()` bytes, aligned for the header and a
        // `usize`; the full length (where written) ends at `at`.
        unsafe {
            h.as_ptr().write(Header { count: AtomicU32::new(1), len });
            if len == u32::MAX {
                p.add(at - WORD).cast::<usize>().write(s.len());
            }
            ptr::copy_nonoverlapping(s.as_ptr(), p.add(at), s.len());
        }
        Str(h)
    }
}

impl Clone for Str {
    #[inline]
    fn clone(&self) -> Str {
        if !self.is_inline() {
            // SAFETY: the block lives while `self` does.
            let count = unsafe { &(*self.0.as_ptr()).count };
            // Past half the count's range (2³¹ clones of one value: a hostile document
            // of many gigabytes, or leaked clones), a clone is a copy, so the count never
            // wraps and nothing aborts.
            if count.fetch_add(1, Ordering::Relaxed) > i32::MAX as u32 {
                count.fetch_sub(1, Ordering::Relaxed);
                return Str::from(self.as_str());
            }
        }
        Str(self.0)
    }
}

impl Drop for Str {
    #[inline]
    fn drop(&mut self) {
        if !self.is_inline() {
            self.release();
        }
    }
}

impl Str {
    /// Drops a reference to a heap block: the block with the last one.
    fn release(&mut self) {
        let h = self.0.as_ptr();
        // SAFETY: the block lives until its last `Str` is dropped, here.
        unsafe {
            if (*h).count.fetch_sub(1, Ordering::Release) != 1 {
                return;
            }
            atomic::fence(Ordering::Acquire);
            let (layout, _) = block(self.as_str().len());
            alloc::dealloc(h.cast(), layout);
        }
    }
}

impl Default for Str {
    fn default() -> Str {
        Str::new()
    }
}

impl PartialEq for Str {
    #[inline]
    fn eq(&self, other: &Str) -> bool {
        // Two texts held in place are equal when their words are (the spare bytes are 0).
        if self.0 == other.0 || self.0.as_ptr().addr() & other.0.as_ptr().addr() & 1 == 1 {
            return self.0 == other.0;
        }
        self.as_str() == other.as_str()
    }
}

impl Eq for Str {}

impl PartialOrd for Str {
    fn partial_cmp(&self, other: &Str) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Str {
    fn cmp(&self, other: &Str) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for Str {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Str {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Str {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Str, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Str;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Str, E> {
                Ok(Str::from(s))
            }
            fn visit_bytes<E: serde::de::Error>(self, b: &[u8]) -> Result<Str, E> {
                let s = std::str::from_utf8(b)
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Bytes(b), &self))?;
                Ok(Str::from(s))
            }
        }
        d.deserialize_str(V)
    }
}

impl Deref for Str {
    type Target = str;

    #[inline]
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for Str {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Str {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl AsRef<str> for Str {
    fn as_ref(&self) -> &str {
        self
    }
}

impl AsRef<[u8]> for Str {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl AsRef<Path> for Str {
    fn as_ref(&self) -> &Path {
        Path::new(self.as_str())
    }
}

impl AsRef<OsStr> for Str {
    fn as_ref(&self) -> &OsStr {
        OsStr::new(self.as_str())
    }
}

impl Borrow<str> for Str {
    fn borrow(&self) -> &str {
        self
    }
}

impl std::str::FromStr for Str {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Str, Self::Err> {
        Ok(Str::from(s))
    }
}

impl From<String> for Str {
    fn from(s: String) -> Str {
        Str::from(s.as_str())
    }
}

impl From<&String> for Str {
    fn from(s: &String) -> Str {
        Str::from(s.as_str())
    }
}

impl From<Box<str>> for Str {
    fn from(s: Box<str>) -> Str {
        Str::from(&*s)
    }
}

impl From<Cow<'_, str>> for Str {
    fn from(s: Cow<'_, str>) -> Str {
        Str::from(s.as_ref())
    }
}

impl From<Str> for String {
    fn from(s: Str) -> String {
        s.as_str().to_string()
    }
}

impl From<&Str> for String {
    fn from(s: &Str) -> String {
        s.as_str().to_string()
    }
}

impl From<Str> for PathBuf {
    fn from(s: Str) -> PathBuf {
        PathBuf::from(s.as_str())
    }
}

/// `==` both ways against the usual string types.
macro_rules! eq_both_ways {
    ($($t:ty),*) => {$(
        impl PartialEq<$t> for Str {
            fn eq(&self, other: &$t) -> bool {
                self.as_str() == &other[..]
            }
        }

        impl PartialEq<Str> for $t {
            fn eq(&self, other: &Str) -> bool {
                &self[..] == other.as_str()
            }
        }
    )*};
}

eq_both_ways!(str, &str, String, Cow<'_, str>);

#[cfg(test)]
mod tests {
    use super::Str;
    use std::collections::{HashMap, HashSet};

    #[test]
    fn behaves_as_a_string_where_values_are_read() {
        let s = Str::from("vda");
        assert_eq!(std::mem::size_of::<Option<Str>>(), std::mem::size_of::<usize>());
        let (a, b) = ("vda", String::from("vda"));
        assert_eq!(s, a);
        assert_eq!(a, s);
        assert_eq!(s, *a);
        assert_eq!(*a, s);
        assert_eq!(s, b);
        assert_eq!(b, s);
        assert_ne!(s, "vdb");
        assert_eq!(format!("{s} {s:?}"), "vda \"vda\"");
        let set: HashSet<Str> = [s.clone()].into();
        assert!(set.contains("vda"));
        let map: HashMap<&str, u8> = [("vda", 1)].into();
        assert_eq!(map.get(s.as_str()), Some(&1));
        assert_eq!(String::from(&s), "vda");
        assert_eq!("x".parse::<Str>().unwrap(), "x");
        assert!(Str::new().is_empty());
        assert_eq!(Str::default(), Str::new());
        let later = Str::from("vdb");
        assert!(later > s);
    }

    #[test]
    fn texts_of_every_length_read_back_held_in_place_up_to_a_word() {
        use super::{block, WORD};
        assert_eq!(std::mem::size_of::<Str>(), WORD);
        let text = "0123456789abcdefghijklmnopqrstuvwxyzé✓ ok";
        for end in (0..=text.len()).filter(|&n| text.is_char_boundary(n)) {
            let t = &text[..end];
            let s = Str::from(t);
            assert_eq!(s.as_str(), t);
            assert_eq!(s.is_inline(), t.len() <= Str::INLINE, "{t:?}");
            let c = s.clone();
            drop(s);
            assert_eq!(c, t);
            assert_eq!(Str::from(String::from(t)), c);
        }
        assert_eq!(Str::from("é✓").as_str(), "é✓");
        assert_eq!(block(40).1, 8);
        // A text of 4 GiB or more keeps its length after the header (not made here).
        #[cfg(target_pointer_width = "64")]
        {
            let (layout, at) = block(u32::MAX as usize);
            assert_eq!((at, layout.size()), (16, 16 + u32::MAX as usize));
        }
    }

    #[test]
    fn equal_texts_are_equal_wherever_they_are_held() {
        use std::collections::HashMap;
        let path = "/var/lib/libvirt/images/guest.qcow2";
        let (a, b) = (Str::from(path), Str::from(path));
        assert_ne!(a.as_ptr(), b.as_ptr());
        assert_eq!(a, b);
        assert_ne!(a, Str::from("/var/lib/libvirt/images/guest.raw"));
        // Lengths and NULs held in place tell texts apart.
        let short = ["", "\0", "a", "a\0", "\0\0\0\0\0\0\0", "abcdefg"];
        let strs: Vec<Str> = short.iter().map(|&t| Str::from(t)).collect();
        for (i, x) in strs.iter().enumerate() {
            for (j, y) in strs.iter().enumerate() {
                assert_eq!(x == y, i == j, "{x:?} {y:?}");
            }
            assert_eq!(x.as_str(), short[i]);
        }
        let (in_place, on_heap) = (Str::from("abcdefg"), Str::from("abcdefgh"));
        assert!(in_place < on_heap);
        let map: HashMap<Str, u8> = [(a.clone(), 1), (Str::from("vda"), 2)].into();
        assert_eq!((map.get(path), map.get("vda"), map.get("vdb")), (Some(&1), Some(&2), None));
    }

    #[test]
    fn a_clone_past_half_the_count_is_a_copy() {
        use std::sync::atomic::Ordering::Relaxed;
        let s = Str::from("/var/lib/libvirt/images/guest.qcow2");
        // SAFETY: the count of the block `s` holds, set as if 2³¹ clones were alive, and
        // put back before `s` goes.
        let count = unsafe { &(*s.0.as_ptr()).count };
        count.store(i32::MAX as u32 + 1, Relaxed);
        let c = s.clone();
        assert_eq!(count.load(Relaxed), i32::MAX as u32 + 1);
        assert_ne!(c.as_ptr(), s.as_ptr());
        assert_eq!(c, s);
        count.store(1, Relaxed);
    }

    #[test]
    fn the_last_clone_may_go_on_another_thread() {
        let s = Str::from("/var/lib/libvirt/images/guest.qcow2");
        let c = s.clone();
        drop(s);
        std::thread::spawn(move || assert_eq!(c, "/var/lib/libvirt/images/guest.qcow2"))
            .join()
            .unwrap();
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serializes_as_a_string() {
        for t in ["", "vda", "/var/lib/libvirt/images/guest.qcow2"] {
            let json = serde_json::to_string(&Str::from(t)).unwrap();
            assert_eq!(json, serde_json::to_string(t).unwrap());
            assert_eq!(serde_json::from_str::<Str>(&json).unwrap(), t);
        }
    }

    #[test]
    fn clones_on_many_threads_share_one_text_until_the_last_goes() {
        let s = Str::from("/var/lib/libvirt/images/guest.qcow2");
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let s = s.clone();
                std::thread::spawn(move || {
                    let clones: Vec<Str> = (0..1000).map(|_| s.clone()).collect();
                    assert!(clones.iter().all(|c| c.as_ptr() == s.as_ptr()));
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        // SAFETY: reads the count of a block `s` holds.
        let count = unsafe { (*s.0.as_ptr()).count.load(std::sync::atomic::Ordering::Relaxed) };
        assert_eq!(count, 1);
        assert_eq!(s, "/var/lib/libvirt/images/guest.qcow2");
    }
}
