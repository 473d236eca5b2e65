//! Hand-written runtime of the generated `libvirt-xml` crate.
//!
//! The generated code is mostly tables of names; the work of reading attributes, checking
//! occurrence, keeping unknown content and writing escaped XML is done here, once, so the
//! generated crate stays small and compiles quickly. Consumers use it through the
//! re-exports of `libvirt-xml` ([`Error`], [`RawElement`], [`Preserved`], ...).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod error;
mod raw;
mod value;
mod writer;

pub use error::{Error, ErrorKind};
pub use raw::{Preserved, RawAttribute, RawElement, RawNode};
pub use value::Value;
pub use writer::Writer;

/// The XML tree the parsers read from.
pub use roxmltree;

/// Deepest element nesting accepted, so hostile input cannot exhaust the stack.
pub const MAX_DEPTH: usize = 256;

/// A type generated for one XML element.
pub trait Element: Sized {
    /// Reads the element `node` (whose name the caller has checked).
    fn from_node(node: roxmltree::Node<'_, '_>) -> Result<Self, Error>;
    /// Writes the element, start tag to end tag.
    fn write(&self, w: &mut Writer);
}

/// A generated element type that can stand alone as a document (a root element).
pub trait XmlDocument: Element {
    /// Namespace URI of the root element (empty for none).
    const NAMESPACE: &'static str;
    /// Local name of the root element.
    const NAME: &'static str;

    /// Parses a whole document whose root is this element.
    fn from_xml(xml: &str) -> Result<Self, Error> {
        let doc = parse_document(xml)?;
        let root = doc.root_element();
        check_root(root, &[(Self::NAMESPACE, Self::NAME)])?;
        Self::from_node(root)
    }

    /// Serializes to a document (no XML declaration, libvirt does not write one).
    fn to_xml(&self) -> String {
        let mut w = Writer::new();
        self.write(&mut w);
        w.finish()
    }
}

/// Parses `xml` with the limits this crate applies to all input (no DTD, bounded depth).
pub fn parse_document(xml: &str) -> Result<roxmltree::Document<'_>, Error> {
    // roxmltree recurses per element level, so the depth is checked before it runs.
    check_depth(xml)?;
    let opts = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(xml, opts).map_err(Error::from_xml)
}

/// A linear scan of the markup that fails once elements nest deeper than [`MAX_DEPTH`].
/// It only counts tags (skipping comments, CDATA, processing instructions and quoted
/// attribute values); well-formedness is roxmltree's job afterwards.
fn check_depth(xml: &str) -> Result<(), Error> {
    let b = xml.as_bytes();
    let find = |from: usize, pat: &[u8]| -> usize {
        b[from..]
            .windows(pat.len())
            .position(|w| w == pat)
            .map_or(b.len(), |p| from + p + pat.len())
    };
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(p) = b[i..].iter().position(|&c| c == b'<') {
        let start = i + p;
        let rest = &b[start..];
        if rest.starts_with(b"<!--") {
            i = find(start + 4, b"-->");
        } else if rest.starts_with(b"<![CDATA[") {
            i = find(start + 9, b"]]>");
        } else if rest.starts_with(b"<?") {
            i = find(start + 2, b"?>");
        } else if rest.starts_with(b"<!") {
            // A DTD: refused by the parser, which stops there.
            return Ok(());
        } else if rest.starts_with(b"</") {
            depth = depth.saturating_sub(1);
            i = find(start + 2, b">");
        } else {
            // A start tag: find its end outside quoted attribute values.
            let mut j = start + 1;
            let mut quote = 0u8;
            while j < b.len() {
                let c = b[j];
                if quote != 0 {
                    if c == quote {
                        quote = 0;
                    }
                } else if c == b'"' || c == b'\'' {
                    quote = c;
                } else if c == b'>' {
                    break;
                }
                j += 1;
            }
            if j < b.len() && b[j - 1] != b'/' {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(Error::at_offset(xml, start, ErrorKind::TooDeep(MAX_DEPTH)));
                }
            }
            i = j + 1;
        }
        if i >= b.len() {
            break;
        }
    }
    Ok(())
}

/// Checks that `root` has one of the `expected` (namespace, local name) pairs.
pub fn check_root(root: roxmltree::Node<'_, '_>, expected: &[(&str, &str)]) -> Result<(), Error> {
    let ns = root.tag_name().namespace().unwrap_or("");
    let name = root.tag_name().name();
    if expected
        .iter()
        .any(|(e_ns, e_name)| *e_ns == ns && *e_name == name)
    {
        return Ok(());
    }
    let list: Vec<String> = expected.iter().map(|(_, n)| format!("<{n}>")).collect();
    Err(Error::at(
        root,
        ErrorKind::WrongRoot {
            expected: list.join(" or "),
            found: name.to_string(),
        },
    ))
}

/// Helpers called by generated code; not a stable API.
#[doc(hidden)]
pub mod __private {
    pub use crate::raw::{
        parse_attr, parse_text, push_unknown_child, required_attr, required_child, single_child,
    };
    pub use crate::value::{write_value_attr, write_value_text};
}

/// Recursive fields are boxed; they read and write like the element they hold.
impl<T: Element> Element for Box<T> {
    fn from_node(node: roxmltree::Node<'_, '_>) -> Result<Self, Error> {
        T::from_node(node).map(Box::new)
    }

    fn write(&self, w: &mut Writer) {
        (**self).write(w)
    }
}
