//! The string type of values: what a `String` does for a program that reads and replaces
//! values, in one pointer.

use std::borrow::{Borrow, Cow};
use std::ffi::OsStr;
use std::fmt;
use std::ops::Deref;
use std::path::{Path, PathBuf};

use arcstr::ArcStr;

/// A string value (an attribute or element text the schema types as a string, a raw
/// element's name): immutable, one pointer wide, nothing allocated while empty, and
/// clones share the text (a reference count, `arcstr`'s `ArcStr` inside), as do the short
/// values a document repeats, read once (domain capabilities' `<value>`s). An absent
/// `Option<Str>` takes 8 bytes where `Option<String>` takes 24, and libvirt's elements have
/// many optional strings, mostly absent.
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
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct Str(ArcStr);

impl Str {
    /// The empty string (no allocation).
    pub const fn new() -> Str {
        Str(ArcStr::new())
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Str {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
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

impl From<&str> for Str {
    fn from(s: &str) -> Str {
        Str(ArcStr::from(s))
    }
}

impl From<String> for Str {
    fn from(s: String) -> Str {
        Str(ArcStr::from(s))
    }
}

impl From<&String> for Str {
    fn from(s: &String) -> Str {
        Str(ArcStr::from(s.as_str()))
    }
}

impl From<Box<str>> for Str {
    fn from(s: Box<str>) -> Str {
        Str(ArcStr::from(s))
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
        assert_eq!(std::mem::size_of::<Option<Str>>(), 8);
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
}
