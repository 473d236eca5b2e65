//! Typed attribute and text values, and how their exact spelling survives a round trip.

use std::borrow::Cow;

use crate::reader::SharedStrings;
use crate::string::Str;
use crate::writer::Escape;

/// A value of an attribute or of element text: strings, integers, floats, value enums.
pub trait Value: Sized + PartialEq {
    /// What the value must look like, for error messages.
    const EXPECTED: &'static str;

    /// What stands in for a required value the document lacks or spells so that it does
    /// not fit (its text is kept): the type's default, `0.0.0.0` for an address.
    fn placeholder() -> Self;

    /// Parses the XML spelling; `None` when it does not fit the type.
    fn parse_value(s: &str) -> Option<Self>;

    /// Parses the XML spelling as [`Value::parse_value`] does, where the reader shares
    /// the strings a document repeats (which [`Str`] takes part in).
    #[doc(hidden)]
    #[inline]
    fn parse_shared(s: &str, _: &mut SharedStrings) -> Option<Self> {
        Self::parse_value(s)
    }

    /// The spelling written back.
    fn to_text(&self) -> Cow<'_, str>;

    /// Appends the spelling, escaped as `esc` says (for an attribute or for text, in the
    /// writer's style); fails on a character XML cannot carry.
    fn write_escaped(&self, out: &mut String, esc: Escape) -> Result<(), String> {
        crate::writer::escape_into(out, &self.to_text(), esc)
    }

    /// Whether writing `self` gives back exactly `s`; when not, the parser keeps `s` so that
    /// an untouched value is written the way it was read (`0x1F`, `007`, ` 5`).
    fn is_canonical(&self, s: &str) -> bool {
        self.to_text() == s
    }

    /// The value as an unsigned integer, for a number read as `0x…`, whose spelling is
    /// kept as a format (digits, case) applied to the current value rather than as text.
    /// `None` for values that are not non-negative integers.
    fn as_u64(&self) -> Option<u64> {
        None
    }

    /// Whether the value is a value enum's `Other`: one the schema does not list, whose
    /// text the element keeps (see [`Preserved::spelling`](crate::Preserved::spelling)).
    fn is_unlisted(&self) -> bool {
        false
    }
}

impl Value for String {
    const EXPECTED: &'static str = "a string";

    fn placeholder() -> Self {
        Self::default()
    }

    fn parse_value(s: &str) -> Option<Self> {
        Some(s.to_string())
    }

    fn to_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }

    fn is_canonical(&self, _: &str) -> bool {
        true
    }
}

impl Value for Str {
    const EXPECTED: &'static str = "a string";

    fn placeholder() -> Self {
        Self::default()
    }

    fn parse_value(s: &str) -> Option<Self> {
        Some(Str::from(s))
    }

    #[inline]
    fn parse_shared(s: &str, shared: &mut SharedStrings) -> Option<Self> {
        Some(shared.get(s))
    }

    #[inline]
    fn to_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }

    fn is_canonical(&self, _: &str) -> bool {
        true
    }
}

/// Writes a value enum's spelling `s`: as it is where the generator checked that the
/// schema's spellings need no escaping (`plain`), escaped otherwise. An `Other` has no
/// spelling of its own: written where no text was kept for it (in a list of values), it
/// is an error.
#[inline]
pub fn write_enum(
    out: &mut String,
    esc: Escape,
    s: &str,
    plain: bool,
    other: bool,
) -> Result<(), String> {
    if other {
        Err(UNLISTED_WITHOUT_TEXT.into())
    } else if plain {
        out.push_str(s);
        Ok(())
    } else {
        crate::writer::escape_into(out, s, esc)
    }
}

/// Why an `Other` could not be written.
pub(crate) const UNLISTED_WITHOUT_TEXT: &str = "a value enum's `Other` with no text kept for it \
     (set one with `Preserved::set_spelling`, or choose a listed value)";

macro_rules! int_value {
    ($($t:ty => $what:literal),* $(,)?) => {$(
        impl Value for $t {
            const EXPECTED: &'static str = $what;

            fn placeholder() -> Self {
                Self::default()
            }

            fn parse_value(s: &str) -> Option<Self> {
                let t = s.trim_matches([' ', '\t', '\n', '\r']);
                let (neg, digits) = match t.as_bytes().first() {
                    Some(b'-') => (true, &t[1..]),
                    Some(b'+') => (false, &t[1..]),
                    _ => (false, t),
                };
                // libvirt accepts hexadecimal wherever it documents it (`0x1f`).
                let (radix, digits) = match digits.get(..2) {
                    Some("0x") | Some("0X") => (16, &digits[2..]),
                    _ => (10, digits),
                };
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                if neg {
                    <$t>::from_str_radix(&format!("-{digits}"), radix).ok()
                } else {
                    <$t>::from_str_radix(digits, radix).ok()
                }
            }

            fn to_text(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }

            fn write_escaped(&self, out: &mut String, _esc: Escape) -> Result<(), String> {
                // Digits need no escaping; format straight into the output.
                out.push_str(itoa::Buffer::new().format(*self));
                Ok(())
            }

            fn is_canonical(&self, s: &str) -> bool {
                itoa::Buffer::new().format(*self) == s
            }

            fn as_u64(&self) -> Option<u64> {
                u64::try_from(*self).ok()
            }
        }
    )*};
}

int_value! {
    u8 => "an unsigned 8-bit integer",
    u16 => "an unsigned 16-bit integer",
    u32 => "an unsigned 32-bit integer",
    u64 => "an unsigned 64-bit integer",
    i8 => "an 8-bit integer",
    i16 => "a 16-bit integer",
    i32 => "a 32-bit integer",
    i64 => "a 64-bit integer",
    i128 => "an integer",
}

impl Value for f64 {
    const EXPECTED: &'static str = "a number";

    fn placeholder() -> Self {
        Self::default()
    }

    fn parse_value(s: &str) -> Option<Self> {
        let t = s.trim_matches([' ', '\t', '\n', '\r']);
        if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b)) {
            return None;
        }
        t.parse().ok()
    }

    fn to_text(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }
}

impl Value for bool {
    const EXPECTED: &'static str = "`true`, `false`, `1` or `0`";

    fn placeholder() -> Self {
        Self::default()
    }

    fn parse_value(s: &str) -> Option<Self> {
        match s.trim_matches([' ', '\t', '\n', '\r']) {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        }
    }

    fn to_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(if *self { "true" } else { "false" })
    }
}

/// A RELAX NG `<list>`: items separated by whitespace (`<ports>80 443</ports>` is
/// `vec![80, 443]`), written back separated by single spaces; other spacing is kept while
/// the list is unchanged.
impl<T: Value> Value for Vec<T> {
    const EXPECTED: &'static str = "a list of items separated by spaces";

    fn placeholder() -> Self {
        Self::default()
    }

    fn parse_value(s: &str) -> Option<Self> {
        s.split([' ', '\t', '\n', '\r']).filter(|t| !t.is_empty()).map(T::parse_value).collect()
    }

    fn to_text(&self) -> Cow<'_, str> {
        let items: Vec<Cow<'_, str>> = self.iter().map(Value::to_text).collect();
        Cow::Owned(items.join(" "))
    }

    /// Item by item, so that one that cannot be written (an `Other` the list was not read
    /// with) is an error, not an empty token.
    fn write_escaped(&self, out: &mut String, esc: Escape) -> Result<(), String> {
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            item.write_escaped(out, esc)?;
        }
        Ok(())
    }
}

/// Unix permission bits, which libvirt writes and reads in octal (`<mode>0755</mode>`,
/// `fmode='644'`): `FileMode(0o755)` is written `0755`. The schema calls them integers
/// limited to the digits 0–7; read as decimal they would be wrong numbers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileMode(pub u32);

impl FileMode {
    /// The permission bits (`0o755`).
    pub fn bits(self) -> u32 {
        self.0
    }
}

impl From<u32> for FileMode {
    fn from(bits: u32) -> Self {
        FileMode(bits)
    }
}

impl std::fmt::Display for FileMode {
    /// Four octal digits, as libvirt writes modes (`0755`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04o}", self.0)
    }
}

impl Value for FileMode {
    const EXPECTED: &'static str = "an octal file mode (digits 0-7)";

    fn placeholder() -> Self {
        Self::default()
    }

    fn parse_value(s: &str) -> Option<Self> {
        let t = s.trim_matches([' ', '\t', '\n', '\r']);
        if t.is_empty() || !t.bytes().all(|b| matches!(b, b'0'..=b'7')) {
            return None;
        }
        u32::from_str_radix(t, 8).ok().map(FileMode)
    }

    fn to_text(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }
}

/// IP addresses are `std::net`'s types, read as the schema allows them (dotted quad,
/// RFC 4291 text) and written in their standard form (for IPv6, RFC 5952's: lowercase,
/// the longest run of zero groups as `::`); another spelling read is kept until the value
/// changes. A dotted quad, the usual case, is read and written without `std::fmt`.
impl Value for std::net::Ipv4Addr {
    const EXPECTED: &'static str = "an IPv4 address (`192.168.122.1`)";

    fn placeholder() -> Self {
        std::net::Ipv4Addr::UNSPECIFIED
    }

    fn parse_value(s: &str) -> Option<Self> {
        dotted_quad(s).or_else(|| s.parse().ok())
    }

    fn to_text(&self) -> Cow<'_, str> {
        let mut out = String::with_capacity(15);
        push_dotted_quad(&mut out, *self);
        Cow::Owned(out)
    }

    fn write_escaped(&self, out: &mut String, _: Escape) -> Result<(), String> {
        push_dotted_quad(out, *self);
        Ok(())
    }

    fn is_canonical(&self, s: &str) -> bool {
        dotted_quad(s).is_some() || displays_as(self, s)
    }
}

impl Value for std::net::Ipv6Addr {
    const EXPECTED: &'static str = "an IPv6 address (`fe80::1`)";

    fn placeholder() -> Self {
        std::net::Ipv6Addr::UNSPECIFIED
    }

    fn parse_value(s: &str) -> Option<Self> {
        s.parse().ok()
    }

    fn to_text(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }

    fn write_escaped(&self, out: &mut String, _: Escape) -> Result<(), String> {
        push_ipv6(out, *self);
        Ok(())
    }

    fn is_canonical(&self, s: &str) -> bool {
        displays_as(self, s)
    }
}

/// Writes an IPv6 address as `Display` does (RFC 5952), without `std::fmt` for the usual
/// address: groups in lowercase hexadecimal, the longest run of two or more zero groups
/// (the first of equal ones) as `::`. Addresses starting with five zero groups (`::1`,
/// `::ffff:192.0.2.1`) go through `Display`, which has forms of its own for some.
fn push_ipv6(out: &mut String, a: std::net::Ipv6Addr) {
    let g = a.segments();
    if g[..5].iter().all(|&x| x == 0) {
        use std::fmt::Write;
        let _ = write!(out, "{a}");
        return;
    }
    let (mut best, mut best_len, mut i) = (0, 0, 0);
    while i < 8 {
        let start = i;
        while i < 8 && g[i] == 0 {
            i += 1;
        }
        if i - start > best_len {
            (best, best_len) = (start, i - start);
        }
        i += 1;
    }
    // Built on the stack and copied once: at most eight groups of four digits, seven colons.
    let mut buf = [0u8; 39];
    let mut n = 0;
    let mut k = 0;
    while k < 8 {
        if best_len >= 2 && k == best {
            buf[n..n + 2].copy_from_slice(b"::");
            n += 2;
            k += best_len;
            continue;
        }
        if k > 0 && !(best_len >= 2 && k == best + best_len) {
            buf[n] = b':';
            n += 1;
        }
        let x = g[k];
        let digits = [x >> 12, (x >> 8) & 0xf, (x >> 4) & 0xf, x & 0xf];
        let first = digits.iter().position(|&d| d != 0).unwrap_or(3);
        for &d in &digits[first..] {
            buf[n] = HEX[usize::from(d)];
            n += 1;
        }
        k += 1;
    }
    push_ascii(out, &buf[..n]);
}

impl Value for std::net::IpAddr {
    const EXPECTED: &'static str = "an IPv4 or IPv6 address";

    fn placeholder() -> Self {
        std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED)
    }

    fn parse_value(s: &str) -> Option<Self> {
        match dotted_quad(s) {
            Some(a) => Some(std::net::IpAddr::V4(a)),
            None => s.parse().ok(),
        }
    }

    fn to_text(&self) -> Cow<'_, str> {
        match self {
            std::net::IpAddr::V4(a) => a.to_text().into_owned().into(),
            std::net::IpAddr::V6(a) => a.to_text().into_owned().into(),
        }
    }

    fn write_escaped(&self, out: &mut String, esc: Escape) -> Result<(), String> {
        match self {
            std::net::IpAddr::V4(a) => a.write_escaped(out, esc),
            std::net::IpAddr::V6(a) => a.write_escaped(out, esc),
        }
    }

    fn is_canonical(&self, s: &str) -> bool {
        match self {
            std::net::IpAddr::V4(a) => a.is_canonical(s),
            std::net::IpAddr::V6(a) => a.is_canonical(s),
        }
    }
}

/// A dotted quad as written by `Display`: four decimal octets, no leading zeros.
fn dotted_quad(s: &str) -> Option<std::net::Ipv4Addr> {
    let b = s.as_bytes();
    let mut octets = [0u8; 4];
    let mut i = 0;
    for (k, octet) in octets.iter_mut().enumerate() {
        if k > 0 {
            if b.get(i) != Some(&b'.') {
                return None;
            }
            i += 1;
        }
        let start = i;
        let mut v = 0u32;
        while let Some(&c) = b.get(i).filter(|c| c.is_ascii_digit()) {
            v = v * 10 + u32::from(c - b'0');
            i += 1;
            if i - start > 3 {
                return None;
            }
        }
        let digits = i - start;
        if digits == 0 || (digits > 1 && b[start] == b'0') {
            return None;
        }
        *octet = u8::try_from(v).ok()?;
    }
    (i == b.len()).then(|| std::net::Ipv4Addr::from(octets))
}

/// Appends an address built on the stack (ASCII, so always UTF-8).
#[inline]
fn push_ascii(out: &mut String, ascii: &[u8]) {
    out.push_str(std::str::from_utf8(ascii).unwrap_or_default());
}

fn push_dotted_quad(out: &mut String, a: std::net::Ipv4Addr) {
    // Built on the stack and copied once: four octets, three dots.
    let mut buf = [0u8; 15];
    let mut n = 0;
    for (k, o) in a.octets().into_iter().enumerate() {
        if k > 0 {
            buf[n] = b'.';
            n += 1;
        }
        if o >= 100 {
            buf[n] = b'0' + o / 100;
            n += 1;
        }
        if o >= 10 {
            buf[n] = b'0' + o / 10 % 10;
            n += 1;
        }
        buf[n] = b'0' + o % 10;
        n += 1;
    }
    push_ascii(out, &buf[..n]);
}

/// Whether `v` displays as exactly `s`, compared piece by piece as it is formatted
/// (nothing allocated).
fn displays_as(v: &impl std::fmt::Display, s: &str) -> bool {
    struct Rest<'s>(&'s str);
    impl std::fmt::Write for Rest<'_> {
        fn write_str(&mut self, piece: &str) -> std::fmt::Result {
            match self.0.strip_prefix(piece) {
                Some(rest) => {
                    self.0 = rest;
                    Ok(())
                }
                None => Err(std::fmt::Error),
            }
        }
    }
    let mut rest = Rest(s);
    std::fmt::write(&mut rest, format_args!("{v}")).is_ok() && rest.0.is_empty()
}

/// A UUID (`<uuid>` of domains, networks, pools…), written as libvirt writes it: lower-case
/// hexadecimal in groups of 8-4-4-4-12 digits. Read in either of the schema's spellings
/// (also 32 digits without dashes) and any case; another spelling read is kept until the
/// value changes.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Uuid(pub [u8; 16]);

impl Uuid {
    /// The 16 bytes.
    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }
}

impl std::fmt::Display for Uuid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, b) in self.0.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                f.write_str("-")?;
            }
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl std::fmt::Debug for Uuid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Uuid({self})")
    }
}

impl std::str::FromStr for Uuid {
    type Err = String;

    /// 8-4-4-4-12 hexadecimal digits, or 32 without dashes, in any case.
    fn from_str(s: &str) -> Result<Self, String> {
        Uuid::parse_value(s).ok_or_else(|| format!("`{s}` is not a UUID"))
    }
}

impl Value for Uuid {
    const EXPECTED: &'static str = "a UUID (8-4-4-4-12 or 32 hexadecimal digits)";

    fn placeholder() -> Self {
        Self::default()
    }

    fn parse_value(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        let dashed = b.len() == 36 && DASHES.iter().all(|&i| b[i] == b'-');
        if !dashed && b.len() != 32 {
            return None;
        }
        let mut digits = b
            .iter()
            .enumerate()
            .filter(|&(i, _)| !(dashed && DASHES.contains(&i)))
            .map(|(_, &c)| (c as char).to_digit(16));
        let mut out = [0u8; 16];
        for byte in &mut out {
            *byte = (digits.next()?? * 16 + digits.next()??) as u8;
        }
        Some(Uuid(out))
    }

    fn to_text(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }

    fn write_escaped(&self, out: &mut String, _: Escape) -> Result<(), String> {
        // Hexadecimal digits and dashes need no escaping: made in a buffer, copied once.
        let mut buf = [b'-'; 36];
        let mut at = 0;
        for (i, b) in self.0.iter().enumerate() {
            at += usize::from(matches!(i, 4 | 6 | 8 | 10));
            buf[at] = HEX[usize::from(b >> 4)];
            buf[at + 1] = HEX[usize::from(b & 0xf)];
            at += 2;
        }
        out.push_str(std::str::from_utf8(&buf).unwrap_or_default());
        Ok(())
    }

    fn is_canonical(&self, s: &str) -> bool {
        // `s` was read as `self`: only its spelling can differ.
        s.len() == 36 && !s.bytes().any(|c| c.is_ascii_uppercase())
    }
}

/// Where a UUID's text has its dashes.
const DASHES: [usize; 4] = [8, 13, 18, 23];
const HEX: &[u8; 16] = b"0123456789abcdef";

/// A UUID in serialized data is its text, as libvirt writes it.
#[cfg(feature = "serde")]
impl serde::Serialize for Uuid {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Uuid {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <Cow<'de, str>>::deserialize(d)?;
        Uuid::parse_value(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("`{s}` is not a UUID")))
    }
}

/// A mode in serialized data is its octal text (`"0755"`), as in the XML.
#[cfg(feature = "serde")]
impl serde::Serialize for FileMode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for FileMode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <Cow<'de, str>>::deserialize(d)?;
        FileMode::parse_value(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("`{s}` is not an octal file mode")))
    }
}

#[cfg(test)]
mod ip_tests {
    use super::*;
    use std::net::Ipv6Addr;

    /// The fast IPv6 writer agrees with `Display` on every shape of zero runs.
    #[test]
    fn ipv6_is_written_as_display_writes_it() {
        let mut checked = 0;
        for mask in 0u32..256 {
            for fill in [1u16, 0xab, 0xfff, 0xffff] {
                let mut g = [0u16; 8];
                for (i, x) in g.iter_mut().enumerate() {
                    if mask & (1 << i) != 0 {
                        *x = fill.wrapping_add(i as u16);
                    }
                }
                let a = Ipv6Addr::from(g);
                let mut out = String::new();
                push_ipv6(&mut out, a);
                assert_eq!(out, a.to_string(), "{g:x?}");
                assert!(a.is_canonical(&out));
                checked += 1;
            }
        }
        assert_eq!(checked, 1024);
    }

    #[test]
    fn dotted_quads_are_read_as_std_reads_them() {
        for s in ["0.0.0.0", "192.168.122.1", "255.255.255.255", "10.0.0.9"] {
            assert_eq!(dotted_quad(s), s.parse().ok(), "{s}");
        }
        for s in ["01.2.3.4", "256.1.1.1", "1.2.3", "1.2.3.4.", "1..2.3", "1.2.3.4 ", ""] {
            assert_eq!(dotted_quad(s), None, "{s}");
        }
    }
}
