//! libvirt's scaled integers: a size and the `unit` it is counted in (`<memory
//! unit='GiB'>2</memory>`, `<capacity unit='bytes'>…`).

/// Bytes in one `unit`, as libvirt reads units (case-insensitive: `b`, `byte`, `bytes`;
/// `k`/`KiB` = 1024 and `KB` = 1000, and so on up to `e`/`EiB`/`EB`); `None` for a unit
/// libvirt does not know.
pub fn unit_bytes(unit: &str) -> Option<u64> {
    let u = unit.to_ascii_lowercase();
    let (power, decimal) = match u.as_str() {
        "b" | "byte" | "bytes" => return Some(1),
        "k" | "kib" => (1, false),
        "kb" => (1, true),
        "m" | "mib" => (2, false),
        "mb" => (2, true),
        "g" | "gib" => (3, false),
        "gb" => (3, true),
        "t" | "tib" => (4, false),
        "tb" => (4, true),
        "p" | "pib" => (5, false),
        "pb" => (5, true),
        "e" | "eib" => (6, false),
        "eb" => (6, true),
        _ => return None,
    };
    Some(if decimal { 1000u64 } else { 1024 }.pow(power))
}

/// `value` counted in `unit` (or `default` when the document gives none), in bytes;
/// `None` for an unknown unit or a size beyond `u64`.
pub fn bytes(value: u64, unit: Option<&str>, default: &str) -> Option<u64> {
    value.checked_mul(unit_bytes(unit.unwrap_or(default))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_scale_as_libvirt_reads_them() {
        assert_eq!(bytes(2, Some("GiB"), "KiB"), Some(2 << 30));
        assert_eq!(bytes(2, Some("gb"), "KiB"), Some(2_000_000_000));
        assert_eq!(bytes(3, Some("mib"), "KiB"), Some(3 << 20));
        assert_eq!(bytes(5, None, "KiB"), Some(5 << 10));
        assert_eq!(bytes(5, Some("b"), "KiB"), Some(5));
        assert_eq!(bytes(5, Some("parsecs"), "KiB"), None);
        assert_eq!(bytes(u64::MAX, Some("k"), "KiB"), None);
    }
}
