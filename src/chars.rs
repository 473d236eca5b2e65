//! What XML 1.0 (fifth edition) and Namespaces in XML 1.0 allow: characters and names,
//! and the two reserved namespaces. Read by the reader on input and the writer on output.

/// Byte classes for the reader's scanning loops (one table lookup a byte).
pub const NAME: u8 = 1;
/// ASCII `NameStartChar` (letters, `_`), or any byte of a non-ASCII character.
pub const NAME_START: u8 = 2;
/// Needs a look in text: `&`, `\r`, `>` (for `]]>`), C0 controls but tab and newline,
/// and 0xEF (the lead byte of U+FFFE/U+FFFF).
pub const TEXT_SPECIAL: u8 = 4;
/// Needs a look in an attribute value: as in text, and tab and newline (normalised to spaces).
pub const ATTR_SPECIAL: u8 = 8;

/// Ends an attribute value or is an error in it: either quote, and `<`.
pub const ATTR_STOP: u8 = 16;

/// The class bits of each byte.
pub static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        let mut k = 0;
        if c.is_ascii_alphanumeric() || c == b'_' || c == b'-' || c == b'.' || c >= 0x80 {
            k |= NAME;
        }
        if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 {
            k |= NAME_START;
        }
        if c == b'&'
            || c == b'\r'
            || c == b'>'
            || c == 0xEF
            || (c < 0x20 && c != b'\t' && c != b'\n')
        {
            k |= TEXT_SPECIAL;
        }
        if c == b'&' || c == b'\r' || c == 0xEF || c < 0x20 {
            k |= ATTR_SPECIAL;
        }
        if c == b'"' || c == b'\'' || c == b'<' {
            k |= ATTR_STOP;
        }
        t[i] = k;
        i += 1;
    }
    t
};

/// The namespace the prefix `xml` is bound to.
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
/// The namespace of namespace declarations, which no prefix may be bound to.
pub const XMLNS_NS: &str = "http://www.w3.org/2000/xmlns/";

/// `NameStartChar` of XML 1.0 (fifth edition), less the colon (names are read as QNames).
pub fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic()
        || c == '_'
        || matches!(c as u32,
            0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0x2FF | 0x370..=0x37D | 0x37F..=0x1FFF
            | 0x200C..=0x200D | 0x2070..=0x218F | 0x2C00..=0x2FEF | 0x3001..=0xD7FF
            | 0xF900..=0xFDCF | 0xFDF0..=0xFFFD | 0x10000..=0xEFFFF)
}

/// `NameChar` of XML 1.0 (fifth edition), less the colon.
pub fn is_name_char(c: char) -> bool {
    is_name_start(c)
        || c.is_ascii_digit()
        || matches!(c, '-' | '.' | '\u{B7}')
        || matches!(c as u32, 0x300..=0x36F | 0x203F..=0x2040)
}

/// An NCName (a name without a colon), as element and attribute local names and prefixes are.
pub fn is_ncname(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(is_name_start) && chars.all(is_name_char)
}

/// `Char` of XML 1.0: what a document may contain at all.
pub fn is_xml_char(c: char) -> bool {
    matches!(c as u32, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
}

/// The first character of `s` that XML forbids: (byte offset, message). In UTF-8 only
/// C0 controls and U+FFFE/U+FFFF need looking for (surrogates cannot occur in a `str`).
pub fn forbidden_char(b: &[u8]) -> Option<(usize, String)> {
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c < 0x20 && !matches!(c, b'\t' | b'\n' | b'\r') {
            return Some((i, format!("character U+{c:04X} is not allowed in XML")));
        }
        if c == 0xEF && b.get(i + 1) == Some(&0xBF) && matches!(b.get(i + 2), Some(0xBE | 0xBF)) {
            let ch = if b[i + 2] == 0xBE { "FFFE" } else { "FFFF" };
            return Some((i, format!("character U+{ch} is not allowed in XML")));
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for ok in ["a", "_x", "a-b.c9", "éléphant", "a\u{B7}b", "\u{10000}"] {
            assert!(is_ncname(ok), "{ok:?}");
        }
        for bad in ["", "1a", "-a", ".a", "a:b", "a b", "a\u{D7}", "\u{37E}"] {
            assert!(!is_ncname(bad), "{bad:?}");
        }
    }

    #[test]
    fn characters() {
        assert!(is_xml_char('\t') && is_xml_char('\u{FFFD}') && is_xml_char('\u{10FFFF}'));
        assert!(!is_xml_char('\0') && !is_xml_char('\u{FFFE}') && !is_xml_char('\u{1F}'));
        assert_eq!(forbidden_char(b"ok\t\r\n"), None);
        assert_eq!(forbidden_char("ab\u{1}".as_bytes()).map(|e| e.0), Some(2));
        assert_eq!(forbidden_char("é\u{FFFF}".as_bytes()).map(|e| e.0), Some(2));
        // U+FFFD and U+E000 share the 0xEF lead byte and are allowed.
        assert_eq!(forbidden_char("\u{FFFD}\u{E000}\u{FEFF}".as_bytes()), None);
    }
}
