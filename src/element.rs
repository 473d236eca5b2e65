//! The trait every generated element type implements, and what reading a document's root
//! needs: the top of the runtime, using the reader, writer, raw content and validator below.

use crate::error::{Error, ErrorKind, Invalid};
use crate::options::ReadOptions;
use crate::raw::{read_unknown, Preserved};
use crate::reader::{deep, Reader, Tag};
use crate::validate;
use crate::writer::{Style, Writer};

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
        let v = deep(|| Self::read(&mut r, &root))?;
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
        deep(|| self.write(&mut w));
        w.finish()
    }
}

/// The root element of one of libvirt's document kinds (`<domain>`, `<network>`, …).
pub trait XmlDocument: Element {}

/// Checks that `root` has one of the `expected` (namespace, local name) pairs.
pub fn check_root(r: &Reader<'_>, root: &Tag<'_>, expected: &[(&str, &str)]) -> Result<(), Error> {
    let ns = root.ns().unwrap_or("");
    if expected.iter().any(|(e_ns, e_name)| *e_ns == ns && *e_name == root.local) {
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
    let list: Vec<String> = expected.iter().map(|(ns, n)| format!("<{}>", show(ns, n))).collect();
    r.error(
        root,
        ErrorKind::WrongRoot {
            expected: list.join(" or "),
            found: show(root.ns().unwrap_or(""), root.local),
        },
    )
}

/// Recursive and large fields are boxed; they read and write like the element they hold
/// (an element on a cycle of the schema checks for stack room itself).
impl<T: Element> Element for Box<T> {
    const NAMESPACE: &'static str = T::NAMESPACE;
    const NAME: &'static str = T::NAME;

    fn read<'a>(r: &mut Reader<'a>, tag: &Tag<'a>) -> Result<Self, Error> {
        T::read(r, tag).map(Box::new)
    }

    fn write(&self, w: &mut Writer) {
        (**self).write(w)
    }

    fn patterns() -> (&'static validate::Grammar, &'static [u32]) {
        T::patterns()
    }
}

/// A member of a choice between elements (`wrap` makes it the choice's value): read into
/// `field`, or kept as unknown content when the choice already holds one.
pub fn single_choice<'a, T: Element, C>(
    field: &mut Option<C>,
    r: &mut Reader<'a>,
    c: &Tag<'a>,
    p: &mut Preserved,
    slot: u16,
    wrap: impl FnOnce(T) -> C,
) -> Result<(), Error> {
    if field.is_some() {
        read_unknown(r, c, p)
    } else {
        r.order_push(slot);
        *field = Some(wrap(T::read(r, c).map_err(crate::raw::cold)?));
        Ok(())
    }
}

/// Reads a child that may occur once, into `field` (at order slot `slot`); a repeat
/// (invalid, but possible) is kept raw.
pub fn single_child<'a, T: Element>(
    field: &mut Option<T>,
    r: &mut Reader<'a>,
    c: &Tag<'a>,
    p: &mut Preserved,
    slot: u16,
) -> Result<(), Error> {
    single_choice(field, r, c, p, slot, |v: T| v)
}
