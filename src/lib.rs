//! Hand-written runtime of the generated `libvirt-xml` crate.
//!
//! The generated code is mostly tables of names; the work of reading attributes, checking
//! occurrence, keeping unknown content and writing escaped XML is done here, once, so the
//! generated crate stays small and compiles quickly. Consumers use it through the
//! re-exports of `libvirt-xml` ([`Error`], [`RawElement`], [`Preserved`], ...).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod chars;
mod error;
mod options;
mod raw;
mod reader;
#[cfg(feature = "serde")]
#[doc(hidden)]
pub mod serde_support;
pub mod units;
#[doc(hidden)]
pub mod validate;
mod value;
mod writer;

pub use error::{Error, ErrorKind, Invalid};
pub use options::ReadOptions;
pub use raw::{Preserved, RawAttribute, RawElement, RawNode};
pub use reader::{Attr, Child, Reader, Tag};
pub use units::Unit;
pub use value::{FileMode, Value};
pub use writer::{Escape, Style, Writer, NAMESPACE_DECLARATION};

/// Deepest element nesting accepted (libxml2's default, so libvirt's own limit), so hostile
/// input cannot exhaust the stack. [`ReadOptions::max_depth`] can lower it.
pub const MAX_DEPTH: usize = 256;

/// A type generated for one XML element. Every one can also stand alone as a document
/// (`Disk::from_xml("<disk …>")`), as libvirt's device hot-plug XML does.
pub trait Element: Sized {
    /// Namespace URI of the element (empty for none).
    const NAMESPACE: &'static str;
    /// Local name of the element.
    const NAME: &'static str;

    /// Reads the element whose start tag `tag` the reader has just read (the caller has
    /// checked its name), through its end tag.
    fn read<'a>(r: &mut Reader<'a>, tag: &Tag<'a>) -> Result<Self, Error>;

    /// Writes the element, start tag to end tag.
    fn write(&self, w: &mut Writer);

    /// Parses a document whose root is this element. Reading is lenient, as libvirt's is:
    /// a document that does not fit the schema's types loads (see [`ReadOptions::strict`]
    /// and [`Element::from_xml_with_diagnostics`]).
    fn from_xml(xml: &str) -> Result<Self, Error> {
        Self::from_xml_with(xml, ReadOptions::default())
    }

    /// Parses a document whose root is this element, as `options` say.
    fn from_xml_with(xml: &str, options: ReadOptions) -> Result<Self, Error> {
        Self::from_xml_with_diagnostics(xml, options).map(|(v, _)| v)
    }

    /// Parses a document whose root is this element, and says where it did not fit the
    /// schema's types: a required attribute or element absent, a value that is not of its
    /// type (each with element path and line:column). Those places hold the type's
    /// default and are written back as read; with [`ReadOptions::strict`], the first is
    /// an error instead.
    fn from_xml_with_diagnostics(
        xml: &str,
        options: ReadOptions,
    ) -> Result<(Self, Vec<Error>), Error> {
        let mut r = Reader::with_options(xml, options);
        let root = r.root()?;
        check_root(&r, &root, &[(Self::NAMESPACE, Self::NAME)])?;
        let v = Self::read(&mut r, &root)?;
        r.finish()?;
        Ok((v, r.take_diagnostics()))
    }

    /// Where the element is in the crate's schema patterns (for validation).
    #[doc(hidden)]
    fn patterns() -> (&'static validate::Grammar, &'static [u32]);

    /// Checks the value against the schema, as `xmllint --relaxng` would check what
    /// [`Element::to_xml`] writes: every violation, each with its element path (missing
    /// required parts, values outside the schema's types, patterns and ranges, values
    /// outside closed sets, unknown or misplaced content, repeated single elements).
    fn validate(&self) -> Result<(), Invalid> {
        let (grammar, elements) = Self::patterns();
        validate::validate_value(grammar, elements, self.to_xml_with(Style::Compact))
    }

    /// Checks a document whose root is this element against the schema without reading
    /// it into a value: every violation, with element path and line:column (or the one
    /// error that stops reading, for malformed XML).
    fn validate_xml(xml: &str) -> Result<(), Invalid> {
        let (grammar, elements) = Self::patterns();
        validate::validate_xml(grammar, elements, xml)
    }

    /// Serializes to a document laid out as libvirt writes (see [`Style::Libvirt`]; no XML
    /// declaration, libvirt does not write one).
    ///
    /// Fails, naming the element path in the value, when the value holds something XML
    /// cannot express: a character XML forbids (such as U+0000), an invalid name in raw
    /// content, or two attributes of one name.
    fn to_xml(&self) -> Result<String, Error> {
        self.to_xml_with(Style::Libvirt)
    }

    /// Serializes to a document in the given layout ([`Style::Compact`]: one line).
    fn to_xml_with(&self, style: Style) -> Result<String, Error> {
        let mut w = Writer::with_style(style);
        self.write(&mut w);
        w.finish()
    }
}

/// The root element of one of libvirt's document kinds (`<domain>`, `<network>`, …).
pub trait XmlDocument: Element {}

/// Checks that `root` has one of the `expected` (namespace, local name) pairs.
pub fn check_root(r: &Reader<'_>, root: &Tag<'_>, expected: &[(&str, &str)]) -> Result<(), Error> {
    let ns = root.ns().unwrap_or("");
    if expected
        .iter()
        .any(|(e_ns, e_name)| *e_ns == ns && *e_name == root.local)
    {
        return Ok(());
    }
    Err(wrong_root(r, root, expected))
}

/// The error for a root element that is none of `expected`.
pub fn wrong_root(r: &Reader<'_>, root: &Tag<'_>, expected: &[(&str, &str)]) -> Error {
    // Namespaces are shown where they tell the names apart (`{urn:x}domain`).
    let show = |ns: &str, local: &str| match ns {
        "" => local.to_string(),
        ns => format!("{{{ns}}}{local}"),
    };
    let list: Vec<String> = expected
        .iter()
        .map(|(ns, n)| format!("<{}>", show(ns, n)))
        .collect();
    r.error(
        root,
        ErrorKind::WrongRoot {
            expected: list.join(" or "),
            found: show(root.ns().unwrap_or(""), root.local),
        },
    )
}

/// Helpers called by generated code; not a stable API.
#[doc(hidden)]
pub mod __private {
    pub use crate::raw::{
        at_least_one, drop_layout, end_order, exact, keep_node, parse_attr, parse_text, push_text,
        push_unknown_text, read_unknown, required_attr, required_child, required_count,
        single_child, start, write_children, write_value_attr, write_value_text, RAW,
    };
}

/// Runs `f` on a fresh stack segment when little of the current one is left: recursion
/// in the schema (`<backingStore>` in `<backingStore>`) and in raw content goes through
/// here, so the deepest document [`MAX_DEPTH`] allows fits any thread's stack, whatever the
/// frame sizes of the build profile.
pub(crate) fn deep<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(128 * 1024, 1024 * 1024, f)
}

/// Recursive and large fields are boxed; they read and write like the element they hold.
impl<T: Element> Element for Box<T> {
    const NAMESPACE: &'static str = T::NAMESPACE;
    const NAME: &'static str = T::NAME;

    fn read<'a>(r: &mut Reader<'a>, tag: &Tag<'a>) -> Result<Self, Error> {
        deep(|| T::read(r, tag).map(Box::new))
    }

    fn write(&self, w: &mut Writer) {
        deep(|| (**self).write(w))
    }

    fn patterns() -> (&'static validate::Grammar, &'static [u32]) {
        T::patterns()
    }
}
