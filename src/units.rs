//! libvirt's scaled integers: a size and the `unit` it is counted in (`<memory
//! unit='GiB'>2</memory>`, `<capacity unit='bytes'>…`).

use std::borrow::Cow;

use crate::value::Value;

/// The unit of a libvirt size (`<memory unit='GiB'>`, `<capacity unit='bytes'>`): binary
/// multiples (`KiB` = 1024) and decimal ones (`KB` = 1000). libvirt reads units in any
/// case and in short forms (`k`, `mib`, `b`); such a spelling reads as its unit and is
/// written back as it was while the unit is unchanged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Unit {
    /// `bytes` (also `b`, `byte`).
    #[default]
    Bytes,
    /// `KiB` (also `k`): 1024 bytes.
    KiB,
    /// `MiB` (also `m`).
    MiB,
    /// `GiB` (also `g`).
    GiB,
    /// `TiB` (also `t`).
    TiB,
    /// `PiB` (also `p`).
    PiB,
    /// `EiB` (also `e`).
    EiB,
    /// `KB`: 1000 bytes.
    KB,
    /// `MB`.
    MB,
    /// `GB`.
    GB,
    /// `TB`.
    TB,
    /// `PB`.
    PB,
    /// `EB`.
    EB,
}

impl Unit {
    /// Every unit, bytes first, then binary and decimal multiples in growing order.
    pub const ALL: [Unit; 13] = [
        Unit::Bytes,
        Unit::KiB,
        Unit::MiB,
        Unit::GiB,
        Unit::TiB,
        Unit::PiB,
        Unit::EiB,
        Unit::KB,
        Unit::MB,
        Unit::GB,
        Unit::TB,
        Unit::PB,
        Unit::EB,
    ];

    /// libvirt's spelling of the unit (`KiB`, `bytes`).
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Bytes => "bytes",
            Unit::KiB => "KiB",
            Unit::MiB => "MiB",
            Unit::GiB => "GiB",
            Unit::TiB => "TiB",
            Unit::PiB => "PiB",
            Unit::EiB => "EiB",
            Unit::KB => "KB",
            Unit::MB => "MB",
            Unit::GB => "GB",
            Unit::TB => "TB",
            Unit::PB => "PB",
            Unit::EB => "EB",
        }
    }

    /// Bytes in one unit (`KiB` → 1024).
    pub fn bytes(self) -> u64 {
        let k = self as u32;
        if k <= Unit::EiB as u32 {
            1024u64.pow(k)
        } else {
            1000u64.pow(k - Unit::EiB as u32)
        }
    }

    /// `value` of this unit in bytes; `None` beyond `u64`.
    pub fn to_bytes(self, value: u64) -> Option<u64> {
        value.checked_mul(self.bytes())
    }

    /// The largest binary unit that holds `bytes` exactly, with the count in it
    /// (`8 << 30` → `(8, GiB)`; `1000` and `0` → bytes).
    pub fn largest_exact(bytes: u64) -> (u64, Unit) {
        let binary = &Unit::ALL[1..=Unit::EiB as usize];
        binary
            .iter()
            .rev()
            .find(|u| bytes != 0 && bytes.is_multiple_of(u.bytes()))
            .map_or((bytes, Unit::Bytes), |&u| (bytes / u.bytes(), u))
    }
}

impl std::fmt::Display for Unit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Unit {
    type Err = String;

    /// Reads a unit as libvirt does: any case, short forms included.
    fn from_str(s: &str) -> Result<Self, String> {
        Unit::parse_value(s).ok_or_else(|| format!("`{s}` is not a size unit"))
    }
}

impl Value for Unit {
    const EXPECTED: &'static str = "a size unit (`bytes`, `KiB`, `MB`, `k`, …)";

    fn placeholder() -> Self {
        Self::default()
    }

    fn parse_value(s: &str) -> Option<Self> {
        // Lowercased on the stack: every `<memory unit=…>` passes here.
        let mut buf = [0u8; 5];
        let u = buf.get_mut(..s.len()).filter(|_| s.is_ascii())?;
        u.copy_from_slice(s.as_bytes());
        u.make_ascii_lowercase();
        Some(match &*u {
            b"b" | b"byte" | b"bytes" => Unit::Bytes,
            b"k" | b"kib" => Unit::KiB,
            b"m" | b"mib" => Unit::MiB,
            b"g" | b"gib" => Unit::GiB,
            b"t" | b"tib" => Unit::TiB,
            b"p" | b"pib" => Unit::PiB,
            b"e" | b"eib" => Unit::EiB,
            b"kb" => Unit::KB,
            b"mb" => Unit::MB,
            b"gb" => Unit::GB,
            b"tb" => Unit::TB,
            b"pb" => Unit::PB,
            b"eb" => Unit::EB,
            _ => return None,
        })
    }

    fn to_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self.as_str())
    }
}

/// A unit in serialized data is libvirt's spelling (`"GiB"`); any spelling libvirt reads
/// is accepted back.
#[cfg(feature = "serde")]
impl serde::Serialize for Unit {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Unit {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// `value` counted in `unit` (or `default` when the document gives none), in bytes;
/// `None` beyond `u64`.
pub fn bytes(value: u64, unit: Option<Unit>, default: Unit) -> Option<u64> {
    unit.unwrap_or(default).to_bytes(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_scale_as_libvirt_reads_them() {
        let unit = |s: &str| s.parse::<Unit>().unwrap();
        assert_eq!(bytes(2, Some(unit("GiB")), Unit::KiB), Some(2 << 30));
        assert_eq!(bytes(2, Some(unit("gb")), Unit::KiB), Some(2_000_000_000));
        assert_eq!(bytes(3, Some(unit("mib")), Unit::KiB), Some(3 << 20));
        assert_eq!(bytes(5, None, Unit::KiB), Some(5 << 10));
        assert_eq!(bytes(5, Some(unit("b")), Unit::KiB), Some(5));
        assert_eq!(bytes(7, Some(unit("E")), Unit::KiB), Some(7 << 60));
        assert_eq!(bytes(3, Some(unit("PB")), Unit::KiB), Some(3_000_000_000_000_000));
        assert!("parsecs".parse::<Unit>().is_err());
        assert_eq!(bytes(u64::MAX, Some(unit("k")), Unit::KiB), None);
    }

    #[test]
    fn every_unit_reads_back_from_its_spelling() {
        for u in Unit::ALL {
            assert_eq!(u.as_str().parse::<Unit>(), Ok(u));
            assert_eq!(u.as_str().to_uppercase().parse::<Unit>(), Ok(u));
        }
        assert!(!Unit::KiB.is_canonical("k"), "a short form is kept as written");
    }

    #[test]
    fn largest_exact_unit() {
        assert_eq!(Unit::largest_exact(8 << 30), (8, Unit::GiB));
        assert_eq!(Unit::largest_exact(1536), (1536, Unit::Bytes));
        assert_eq!(Unit::largest_exact(3 << 20), (3, Unit::MiB));
        assert_eq!(Unit::largest_exact(0), (0, Unit::Bytes));
    }
}
