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
    let opts = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(xml, opts).map_err(Error::from_xml)?;
    // Document order with a stack of open ancestors: iterative, so deep input is safe here.
    let mut open: Vec<roxmltree::NodeId> = Vec::new();
    for n in doc.root().descendants().filter(|n| n.is_element()) {
        let parent = n.parent().map(|p| p.id());
        while let Some(top) = open.last() {
            if Some(*top) == parent {
                break;
            }
            open.pop();
        }
        open.push(n.id());
        if open.len() > MAX_DEPTH {
            return Err(Error::at(n, ErrorKind::TooDeep(MAX_DEPTH)));
        }
    }
    Ok(doc)
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
