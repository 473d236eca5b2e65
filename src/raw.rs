//! Untyped XML kept verbatim: open content (`<metadata>`), and whatever a document holds
//! that the schema does not know (a newer libvirt, a vendor extension), so that parsing
//! and writing back never loses anything.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};

use thin_vec::ThinVec;

use crate::error::{Error, ErrorKind};
use crate::options::ReadOptions;
use crate::reader::{blank_code, deep, is_blank_code, Attr, Child, Reader, Tag, BLANK};
use crate::string::Str;
use crate::value::Value;
use crate::writer::{escape_into, Escape, Writer, NAMESPACE_DECLARATION};

/// An attribute kept as written.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct RawAttribute {
    /// Namespace URI, if the attribute is namespaced.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub namespace: Option<Str>,
    /// Prefix it was written with (reused when writing).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub prefix: Option<Str>,
    /// Local name.
    pub name: Str,
    /// Value, unescaped.
    pub value: Str,
}

impl From<&Attr<'_>> for RawAttribute {
    fn from(a: &Attr<'_>) -> RawAttribute {
        RawAttribute::read(a, &mut Names::default())
    }
}

impl RawAttribute {
    fn read(a: &Attr<'_>, names: &mut Names) -> RawAttribute {
        RawAttribute {
            namespace: a.ns().map(|n| names.get(n)),
            prefix: (!a.prefix.is_empty()).then(|| names.get(a.prefix)),
            name: names.get(a.local),
            value: Str::from(a.value.as_ref()),
        }
    }
}

/// The names (namespaces, prefixes, local names) met in one piece of raw content, each
/// allocated once and shared by the elements and attributes that use it: `<metadata>`
/// repeats a handful of names many times.
#[derive(Default)]
struct Names(Vec<Str>);

impl Names {
    /// Past this many distinct names, further ones are not shared (a linear search stays
    /// cheap).
    const MAX: usize = 32;

    fn get(&mut self, s: &str) -> Str {
        if let Some(n) = self.0.iter().find(|n| n.as_str() == s) {
            return n.clone();
        }
        let n = Str::from(s);
        if self.0.len() < Self::MAX {
            self.0.push(n.clone());
        }
        n
    }
}

/// An element kept as written, with everything below it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct RawElement {
    /// Namespace URI, if any.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub namespace: Option<Str>,
    /// Prefix it was written with (reused when writing).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub prefix: Option<Str>,
    /// Local name.
    pub name: Str,
    /// Attributes in document order.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub attributes: Vec<RawAttribute>,
    /// Child elements and text in document order.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub children: Vec<RawNode>,
    /// Attribute values are quoted with `"` (as libvirt's copy of `<metadata>` through
    /// libxml2 writes them) rather than `'` (as its own formatters do); read from the
    /// element's first attribute, else from its parent.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "std::ops::Not::not"))]
    pub double_quoted: bool,
}

impl std::str::FromStr for RawElement {
    type Err = Error;

    fn from_str(xml: &str) -> Result<RawElement, Error> {
        RawElement::from_xml(xml)
    }
}

/// A child of a [`RawElement`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum RawNode {
    /// A child element.
    Element(RawElement),
    /// Character data (entities resolved).
    Text(String),
    /// A comment's text (between `<!--` and `-->`).
    Comment(String),
    /// A processing instruction (`<?target data?>`).
    ProcessingInstruction {
        /// Its target.
        target: String,
        /// Its data, after the blanks that follow the target.
        data: String,
    },
}

impl RawNode {
    /// A comment, processing instruction or text node from the reader (not an element).
    fn from_child(c: Child<'_>) -> Option<RawNode> {
        match c {
            Child::Element(_) => None,
            Child::Text(t) => Some(RawNode::Text(t.into_owned())),
            Child::Comment(t) => Some(RawNode::Comment(t.into_owned())),
            Child::ProcessingInstruction(target, data) => Some(RawNode::ProcessingInstruction {
                target: target.to_string(),
                data: data.into_owned(),
            }),
        }
    }

    /// Writes the node and what it holds.
    pub fn write(&self, w: &mut Writer) {
        match self {
            RawNode::Element(e) => deep(|| e.write(w)),
            RawNode::Text(t) => w.text(t),
            RawNode::Comment(t) => w.comment(t),
            RawNode::ProcessingInstruction { target, data } => {
                w.processing_instruction(target, data)
            }
        }
    }
}

impl RawElement {
    /// An element named `name`, in no namespace, empty.
    pub fn new(name: impl Into<Str>) -> RawElement {
        RawElement { name: name.into(), ..RawElement::default() }
    }

    /// An element named `name` in namespace `namespace`, written with `prefix` (`""`
    /// for the default namespace).
    pub fn namespaced(namespace: &str, prefix: &str, name: &str) -> RawElement {
        RawElement {
            namespace: Some(namespace.into()),
            prefix: (!prefix.is_empty()).then(|| prefix.into()),
            ..RawElement::new(name)
        }
    }

    /// The element with attribute `name` (in no namespace) set to `value` after its others.
    pub fn with_attribute(mut self, name: &str, value: impl Into<Str>) -> RawElement {
        self.attributes.push(RawAttribute {
            name: name.into(),
            value: value.into(),
            ..RawAttribute::default()
        });
        self
    }

    /// The element with text `text` after its children (escaped when written).
    pub fn with_text(mut self, text: impl Into<String>) -> RawElement {
        self.children.push(RawNode::Text(text.into()));
        self
    }

    /// The element with `child` after its children.
    pub fn with_child(mut self, child: RawElement) -> RawElement {
        self.children.push(RawNode::Element(child));
        self
    }

    /// The child elements, in document order.
    pub fn elements(&self) -> impl Iterator<Item = &RawElement> {
        self.children.iter().filter_map(|c| match c {
            RawNode::Element(e) => Some(e),
            _ => None,
        })
    }

    /// The first child element whose local name is `name` (in whatever namespace: an
    /// application's elements are in its own).
    pub fn child(&self, name: &str) -> Option<&RawElement> {
        self.elements().find(|e| e.name == name)
    }

    /// The text directly inside the element, its pieces joined (child elements, comments
    /// and processing instructions left out).
    pub fn text(&self) -> String {
        let texts = self.children.iter().filter_map(|c| match c {
            RawNode::Text(t) => Some(t.as_str()),
            _ => None,
        });
        texts.collect()
    }

    /// The value of attribute `name` in no namespace.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        let mut own = self.attributes.iter().filter(|a| a.namespace.is_none());
        own.find(|a| a.name == name).map(|a| a.value.as_str())
    }

    /// Parses an XML document as a tree of raw content (an application's element to put
    /// in a domain's `<metadata>` is a [`RawXml`], which can be made from this):
    ///
    /// ```
    /// use libvirt_xml_runtime::RawElement;
    ///
    /// let e: RawElement = "<app:owner xmlns:app='http://example.org/app'>alice</app:owner>".parse()?;
    /// assert_eq!((e.name.as_str(), e.namespace.as_deref()), ("owner", Some("http://example.org/app")));
    /// # Ok::<(), libvirt_xml_runtime::Error>(())
    /// ```
    pub fn from_xml(xml: &str) -> Result<RawElement, Error> {
        RawElement::from_xml_with(xml, ReadOptions::default())
    }

    fn from_xml_with(xml: &str, opts: ReadOptions) -> Result<RawElement, Error> {
        let mut r = Reader::with_options(xml, opts);
        let root = r.root()?;
        let e = RawElement::read(&mut r, &root)?;
        r.finish()?;
        Ok(e)
    }

    /// Reads element `tag` and its subtree. Depth is bounded by the reader.
    pub fn read<'a>(r: &mut Reader<'a>, tag: &Tag<'a>) -> Result<RawElement, Error> {
        Self::read_in(r, tag, false, &mut Names::default())
    }

    fn read_in<'a>(
        r: &mut Reader<'a>,
        tag: &Tag<'a>,
        parent_double: bool,
        names: &mut Names,
    ) -> Result<RawElement, Error> {
        let attributes = r.attrs().iter().map(|a| RawAttribute::read(a, names)).collect();
        let double_quoted = r.double_quoted().unwrap_or(parent_double);
        let mut children = Vec::new();
        while let Some(c) = r.next_child(tag)? {
            match c {
                Child::Element(t) => {
                    let e = deep(|| RawElement::read_in(r, &t, double_quoted, names))?;
                    children.push(RawNode::Element(e));
                }
                Child::Text(t) => push_raw_text(&mut children, t),
                other => children.extend(RawNode::from_child(other)),
            }
        }
        // A growing Vec keeps room for 4 nodes (480 bytes) for the usual single text
        // child; raw content is read once and rarely grown, so keep it exact.
        children.shrink_to_fit();
        Ok(RawElement {
            namespace: tag.ns().map(|n| names.get(n)),
            prefix: (!tag.prefix.is_empty()).then(|| names.get(tag.prefix)),
            name: names.get(tag.local),
            attributes,
            children,
            double_quoted,
        })
    }

    /// Writes the element and its subtree.
    pub fn write(&self, w: &mut Writer) {
        let ns = self.namespace.as_deref().unwrap_or("");
        let prefix = self.prefix.as_deref().unwrap_or("");
        w.start_raw(ns, prefix, &self.name, self.double_quoted);
        // Raw content keeps the whitespace it was read with: nothing is added inside it.
        w.verbatim();
        for a in &self.attributes {
            w.attr_prefixed(
                a.namespace.as_deref().unwrap_or(""),
                a.prefix.as_deref().unwrap_or(""),
                &a.name,
                &a.value,
            );
        }
        for c in &self.children {
            c.write(w);
        }
        w.end_prefixed(ns, prefix, &self.name);
    }
}

/// An element of open content (a child of `<metadata>`), kept as its XML text.
///
/// libvirt keeps these elements for applications, one per namespace, and hands them over
/// as text (`virDomainGetMetadata`, without their namespace); so does this type, keeping
/// the namespace, so that the text reads alone. The text is checked when it is
/// read or made (one well-formed element, every namespace prefix it uses declared in it)
/// and written back as it is, so a document's `<metadata>` costs about its own size. Walk
/// it as a tree with [`RawXml::to_element`], or hand [`RawXml::as_str`] to the XML library
/// the application reads its own format with.
///
/// ```
/// use libvirt_xml_runtime::{RawElement, RawXml};
///
/// let app: RawXml = "<app:vm xmlns:app='urn:app'><app:owner>alice</app:owner></app:vm>".parse()?;
/// assert_eq!((app.name(), app.namespace().as_deref()), ("vm", Some("urn:app")));
/// let owner = app.to_element()?.child("owner").map(RawElement::text);
/// assert_eq!(owner.as_deref(), Some("alice"));
///
/// // Built as a tree, the text escaped and the namespace declared where it is needed.
/// let owner = RawElement::namespaced("urn:app", "app", "owner").with_text("bob & co");
/// let app = RawElement::namespaced("urn:app", "app", "vm").with_child(owner);
/// assert_eq!(
///     RawXml::try_from(&app)?.as_str(),
///     "<app:vm xmlns:app='urn:app'><app:owner>bob &amp; co</app:owner></app:vm>"
/// );
/// # Ok::<(), libvirt_xml_runtime::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct RawXml(Str);

impl RawXml {
    /// Checks that `xml` is one well-formed element (blanks and an XML declaration may
    /// surround it) and keeps the element's text.
    pub fn from_xml(xml: &str) -> Result<RawXml, Error> {
        let mut r = Reader::new(xml);
        let root = r.root()?;
        let raw = RawXml::read(&mut r, &root)?;
        let end = r.offset();
        r.finish()?;
        let before = xml[..root.pos()].trim_start_matches('\u{feff}').trim_start();
        // The XML declaration (`<?xml-stylesheet …?>` is a processing instruction).
        let before = match before.strip_prefix("<?xml") {
            Some(decl) if decl.starts_with([' ', '\t', '\n', '\r']) => {
                decl.split_once("?>").map_or(decl, |(_, rest)| rest)
            }
            _ => before,
        };
        let outside = [before, &xml[end..]].into_iter().find(|s| !is_blank(s));
        match outside {
            None => Ok(raw),
            Some(s) => Err(Error::at_offset(
                xml,
                s.as_ptr() as usize - xml.as_ptr() as usize,
                ErrorKind::Xml("raw XML holds something besides its one element".to_string()),
            )),
        }
    }

    /// Reads element `tag` (the reader's last start tag) to its end and keeps its text.
    /// Prefixes bound outside the element are declared on it, so that the text means
    /// the same on its own.
    pub fn read<'a>(r: &mut Reader<'a>, tag: &Tag<'a>) -> Result<RawXml, Error> {
        let scope = Scope::of(r, tag)?;
        let text = &r.text()[tag.pos()..r.offset()];
        if scope.outside.is_empty() {
            return Ok(RawXml(Str::from(text)));
        }
        let qname = 1 + tag.prefix.len() + usize::from(!tag.prefix.is_empty()) + tag.local.len();
        let estimate: usize = scope.outside.iter().map(|(p, uri)| p.len() + uri.len() + 10).sum();
        let mut s = String::with_capacity(text.len() + estimate);
        s.push_str(&text[..qname]);
        for (prefix, uri) in &scope.outside {
            s.push_str(if prefix.is_empty() { " xmlns" } else { " xmlns:" });
            s.push_str(prefix);
            s.push_str("=\"");
            escape_into(&mut s, uri, Escape::attribute(false)).map_err(|m| {
                r.error(tag, ErrorKind::Xml(format!("namespace name cannot be written: {m}")))
            })?;
            s.push('"');
        }
        // A long namespace name used by many elements must not cost more than the limit.
        r.charge(s.len() - qname, tag.pos())?;
        s.push_str(&text[qname..]);
        Ok(RawXml(Str::from(s)))
    }

    /// Writes the element as it was read or made.
    pub fn write(&self, w: &mut Writer) {
        w.raw_xml(&self.0);
    }

    /// The element's XML text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The element's local name.
    pub fn name(&self) -> &str {
        let tag = self.0.strip_prefix('<').unwrap_or(&self.0);
        let end = tag.find([' ', '\t', '\n', '\r', '/', '>']).unwrap_or(tag.len());
        let qname = &tag[..end];
        qname.split_once(':').map_or(qname, |(_, local)| local)
    }

    /// The element's namespace URI, if it is in one.
    pub fn namespace(&self) -> Option<String> {
        let mut r = Reader::with_options(&self.0, ReadOptions::checked_text());
        r.root().ok()?.ns().map(str::to_string)
    }

    /// The element as a tree (parsed anew on each call).
    pub fn to_element(&self) -> Result<RawElement, Error> {
        RawElement::from_xml_with(&self.0, ReadOptions::checked_text())
    }
}

impl TryFrom<&RawElement> for RawXml {
    type Error = Error;

    /// Writes the tree; a name XML cannot carry is an error naming its path.
    fn try_from(e: &RawElement) -> Result<RawXml, Error> {
        let mut w = Writer::new();
        e.write(&mut w);
        let mut xml = w.finish()?;
        xml.pop(); // the document's final newline
        Ok(RawXml(Str::from(xml)))
    }
}

impl TryFrom<RawElement> for RawXml {
    type Error = Error;

    fn try_from(e: RawElement) -> Result<RawXml, Error> {
        RawXml::try_from(&e)
    }
}

impl std::str::FromStr for RawXml {
    type Err = Error;

    fn from_str(xml: &str) -> Result<RawXml, Error> {
        RawXml::from_xml(xml)
    }
}

impl std::fmt::Display for RawXml {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::fmt::Debug for RawXml {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("RawXml").field(&self.as_str()).finish()
    }
}

impl AsRef<str> for RawXml {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for RawXml {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for RawXml {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<RawXml, D::Error> {
        let xml = String::deserialize(d)?;
        RawXml::from_xml(&xml).map_err(serde::de::Error::custom)
    }
}

/// The element of open content `list` in namespace `namespace` (libvirt keeps one per
/// namespace under `<metadata>`).
pub fn open_element<'l>(list: &'l [RawXml], namespace: &str) -> Option<&'l RawXml> {
    list.iter().find(|e| e.namespace().as_deref() == Some(namespace))
}

/// Puts `element` in place of the element of its namespace in `list` (later ones of that
/// namespace, which libvirt would drop, go), or after the others; one in no namespace is
/// added after the others.
pub fn set_open_element(list: &mut ThinVec<RawXml>, element: RawXml) {
    let Some(ns) = element.namespace() else {
        return list.push(element);
    };
    match remove_open_element(list, &ns) {
        Some((i, _)) => list.insert(i, element),
        None => list.push(element),
    }
}

/// Takes every element in namespace `namespace` out of `list`: the first, and where it was.
pub fn remove_open_element(list: &mut ThinVec<RawXml>, namespace: &str) -> Option<(usize, RawXml)> {
    let first = list.iter().position(|e| e.namespace().as_deref() == Some(namespace))?;
    let taken = list.remove(first);
    list.retain(|e| e.namespace().as_deref() != Some(namespace));
    Some((first, taken))
}

/// The namespace prefixes an element of raw content uses that are bound outside it.
#[derive(Default)]
struct Scope<'a> {
    /// Bindings from this index on (in the reader's list) are the element's own.
    base: usize,
    /// Prefixes used but bound outside, with their namespace.
    outside: BTreeMap<&'a str, String>,
}

impl<'a> Scope<'a> {
    fn of(r: &mut Reader<'a>, tag: &Tag<'a>) -> Result<Scope<'a>, Error> {
        let mut scope = Scope { base: r.binding_count(), ..Scope::default() };
        if !tag.is_empty() {
            scope.base = scope.base.saturating_sub(r.declared_prefixes().count());
        }
        scope.visit(r, tag)?;
        Ok(scope)
    }

    fn visit(&mut self, r: &mut Reader<'a>, tag: &Tag<'a>) -> Result<(), Error> {
        // An empty element's bindings are out of scope once its tag is read: what it
        // declares is told by its tag.
        let own: HashSet<&str> =
            if tag.is_empty() { r.declared_prefixes().collect() } else { HashSet::new() };
        self.note(r, &own, tag.prefix, tag.ns());
        for a in r.attrs() {
            if !a.prefix.is_empty() {
                self.note(r, &own, a.prefix, a.ns());
            }
        }
        while let Some(c) = r.next_child(tag)? {
            if let Child::Element(t) = c {
                deep(|| self.visit(r, &t))?;
            }
        }
        Ok(())
    }

    fn note(&mut self, r: &Reader<'a>, own: &HashSet<&str>, prefix: &'a str, ns: Option<&str>) {
        // `xml` is bound everywhere; an unprefixed name in no namespace is the same alone.
        if prefix == "xml" || (prefix.is_empty() && ns.is_none()) {
            return;
        }
        let inside =
            own.contains(prefix) || r.binding_index(prefix).is_some_and(|i| i >= self.base);
        if !inside {
            self.outside.entry(prefix).or_insert_with(|| ns.unwrap_or_default().to_string());
        }
    }
}

/// Appends text to `children`, joined to a text node just before it: text split by a
/// CDATA section is one text node, as it reads back after writing.
fn push_raw_text(children: &mut Vec<RawNode>, t: Cow<'_, str>) {
    match children.last_mut() {
        Some(RawNode::Text(prev)) => prev.push_str(&t),
        _ => children.push(RawNode::Text(t.into_owned())),
    }
}

/// What a typed element keeps beside its fields so that nothing is lost: attributes and
/// children the schema does not know (with comments, processing instructions and text
/// out of place), the original spelling of values whose typed form would be written
/// differently, the namespace declarations it was read with, and the document order of
/// its attributes and children where that is not the schema's.
///
/// Empty (one null pointer) for the usual document that the schema fully describes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Preserved(Option<Box<PreservedInner>>);

/// The parts most kept elements need (spellings of `0x…` numbers, document order) inline,
/// the rest one box further: most kept elements hold 24 bytes, not 160.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(from = "PreservedFields", into = "PreservedFields"))]
struct PreservedInner {
    lexical: ThinVec<(u16, Spelling)>,
    /// Document order of the attributes and of the children, where it is not the
    /// schema's: the generated code's slot numbers as read ([`RAW`] for kept content,
    /// codes from `reader::BLANK` on for blank text of the usual shape). One list: the
    /// attributes' length (see [`Order`]), their slots, then the children's.
    order: ThinVec<u16>,
    rare: Option<Box<Rare>>,
}

/// The two document orders in [`PreservedInner::order`]: the attributes' length first, in
/// one `u16`, or in three (`u16::MAX`, then the length's high and low halves) for an
/// element of 65,535 attributes or more.
struct Order;

impl Order {
    /// Where the attributes' slots start, and how many there are.
    fn attrs(order: &[u16]) -> (usize, usize) {
        match order {
            [] => (0, 0),
            [u16::MAX, hi, lo, ..] => (3, (usize::from(*hi) << 16) | usize::from(*lo)),
            [n, ..] => (1, usize::from(*n)),
        }
    }

    fn split(order: &[u16]) -> (&[u16], &[u16]) {
        let (start, n) = Order::attrs(order);
        let rest = order.get(start..).unwrap_or_default();
        rest.split_at(n.min(rest.len()))
    }

    /// The list of `attrs` and `children` (empty when both are).
    fn join(attrs: &[u16], children: &[u16]) -> ThinVec<u16> {
        if attrs.is_empty() && children.is_empty() {
            return ThinVec::new();
        }
        let wide = attrs.len() >= usize::from(u16::MAX);
        let mut out =
            ThinVec::with_capacity(attrs.len() + children.len() + 1 + 2 * usize::from(wide));
        match u16::try_from(attrs.len()) {
            Ok(n) if n < u16::MAX => out.push(n),
            _ => {
                let n = attrs.len() as u32;
                out.extend([u16::MAX, (n >> 16) as u16, n as u16]);
            }
        }
        out.extend_from_slice(attrs);
        out.extend_from_slice(children);
        out
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
struct Rare {
    attributes: Vec<RawAttribute>,
    children: Vec<RawNode>,
    /// Required values (attributes, text, children; keyed as `lexical` is) that the
    /// document lacked: their default stands in and is not written.
    absent: Vec<u16>,
    implicit_discriminant: bool,
    /// Namespace declarations written on the element: (prefix, URI).
    namespaces: Vec<(String, String)>,
}

impl PreservedInner {
    fn rare(&mut self) -> &mut Rare {
        self.rare.get_or_insert_with(Default::default)
    }
}

/// What [`Preserved`] looks like serialized: every part a field, empty ones left out.
#[cfg(feature = "serde")]
#[derive(Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
struct PreservedFields {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attributes: Vec<RawAttribute>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    children: Vec<RawNode>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    lexical: Vec<(u16, Spelling)>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    absent: Vec<u16>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    implicit_discriminant: bool,
    #[serde(skip_serializing_if = "<[u16]>::is_empty")]
    attr_order: Box<[u16]>,
    #[serde(skip_serializing_if = "<[u16]>::is_empty")]
    child_order: Box<[u16]>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    namespaces: Vec<(String, String)>,
}

#[cfg(feature = "serde")]
impl From<PreservedFields> for PreservedInner {
    fn from(f: PreservedFields) -> Self {
        let rare = Rare {
            attributes: f.attributes,
            children: f.children,
            absent: f.absent,
            implicit_discriminant: f.implicit_discriminant,
            namespaces: f.namespaces,
        };
        PreservedInner {
            lexical: f.lexical.into(),
            order: Order::join(&f.attr_order, &f.child_order),
            rare: (rare != Rare::default()).then(|| Box::new(rare)),
        }
    }
}

#[cfg(feature = "serde")]
impl From<PreservedInner> for PreservedFields {
    fn from(i: PreservedInner) -> Self {
        let rare = i.rare.map(|r| *r).unwrap_or_default();
        let (attr_order, child_order) = Order::split(&i.order);
        PreservedFields {
            attributes: rare.attributes,
            children: rare.children,
            lexical: i.lexical.into(),
            absent: rare.absent,
            implicit_discriminant: rare.implicit_discriminant,
            attr_order: attr_order.into(),
            child_order: child_order.into(),
            namespaces: rare.namespaces,
        }
    }
}

/// How a value was spelled where writing it would spell it differently.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(from = "SpellingRepr", into = "SpellingRepr"))]
enum Spelling {
    /// `0x` and this many hexadecimal digits, zero-padded (`0x0000`, as libvirt writes PCI
    /// addresses): a format, not a string, so the commonest spelling costs no allocation
    /// and a changed value keeps it.
    Hex { digits: u8, upper: bool },
    /// Any other spelling, as read (or set by a program), with the item it belongs to.
    Text(KeptText),
}

/// A spelling kept as text, with the item it belongs to (`@cache`, `text()`), in one
/// allocation: `item`, U+0000 (which no XML name or text holds), the text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(from = "KeptTextRepr", into = "KeptTextRepr"))]
struct KeptText(Box<str>);

impl KeptText {
    fn new(item: &str, text: &str) -> KeptText {
        KeptText([item, text].join("\0").into())
    }

    /// As read: one allocation, of the kept text's size.
    fn of(item: Item<'_>, text: &str) -> KeptText {
        let item_len = match item {
            Item::Attr(local) => 1 + local.len(),
            Item::Text => TEXT.len(),
        };
        let mut s = String::with_capacity(item_len + 1 + text.len());
        match item {
            Item::Attr(local) => {
                s.push('@');
                s.push_str(local);
            }
            Item::Text => s.push_str(TEXT),
        }
        s.push('\0');
        s.push_str(text);
        KeptText(s.into_boxed_str())
    }

    fn split(&self) -> (&str, &str) {
        self.0.split_once('\0').unwrap_or(("", &self.0))
    }

    fn item(&self) -> &str {
        self.split().0
    }

    fn text(&self) -> &str {
        self.split().1
    }
}

/// A kept text in serialized data: `{"item": "@cache", "text": "fast"}`.
#[cfg(feature = "serde")]
#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct KeptTextRepr {
    item: String,
    text: String,
}

#[cfg(feature = "serde")]
impl From<KeptTextRepr> for KeptText {
    fn from(r: KeptTextRepr) -> Self {
        KeptText::new(&r.item, &r.text)
    }
}

#[cfg(feature = "serde")]
impl From<KeptText> for KeptTextRepr {
    fn from(k: KeptText) -> Self {
        let (item, text) = k.split();
        KeptTextRepr { item: item.into(), text: text.into() }
    }
}

impl Spelling {
    fn text(item: &str, text: &str) -> Spelling {
        Spelling::Text(KeptText::new(item, text))
    }
}

/// A spelling in serialized data: the text as read, or `{"hex": 4}` (`{"HEX": 4}` for
/// upper-case digits).
#[cfg(feature = "serde")]
#[derive(Clone, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
enum SpellingRepr {
    Text(KeptText),
    Hex {
        hex: u8,
    },
    HexUpper {
        #[serde(rename = "HEX")]
        hex: u8,
    },
}

#[cfg(feature = "serde")]
impl From<SpellingRepr> for Spelling {
    fn from(r: SpellingRepr) -> Self {
        match r {
            SpellingRepr::Text(s) => Spelling::Text(s),
            SpellingRepr::Hex { hex } => Spelling::Hex { digits: hex, upper: false },
            SpellingRepr::HexUpper { hex } => Spelling::Hex { digits: hex, upper: true },
        }
    }
}

#[cfg(feature = "serde")]
impl From<Spelling> for SpellingRepr {
    fn from(s: Spelling) -> Self {
        match s {
            Spelling::Text(s) => SpellingRepr::Text(s),
            Spelling::Hex { digits, upper: false } => SpellingRepr::Hex { hex: digits },
            Spelling::Hex { digits, upper: true } => SpellingRepr::HexUpper { hex: digits },
        }
    }
}

impl Spelling {
    /// The spelling `s` of `v` (a value read from `s`, as `item`).
    fn of<T: Value>(item: Item<'_>, s: &str, v: &T) -> Spelling {
        if let (Some(digits), Some(_)) = (s.strip_prefix("0x"), v.as_u64()) {
            let b = digits.as_bytes();
            let lower = b.iter().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'));
            let upper = b.iter().all(|c| matches!(c, b'0'..=b'9' | b'A'..=b'F'));
            if (lower || upper) && (1..=u8::MAX as usize).contains(&b.len()) {
                return Spelling::Hex { digits: b.len() as u8, upper: !lower };
            }
        }
        Spelling::Text(KeptText::of(item, s))
    }
}

/// Which value of an element a spelling belongs to: an attribute (by local name) or the
/// text.
#[derive(Clone, Copy)]
enum Item<'x> {
    Attr(&'x str),
    Text,
}

impl std::fmt::Display for Item<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Item::Attr(local) => write!(f, "@{local}"),
            Item::Text => f.write_str(TEXT),
        }
    }
}

/// The slot of content kept in [`Preserved`] (always written last in the schema's order).
pub const RAW: u16 = u16::MAX;

/// `e`, on the path taken only when reading fails. Generated readers pass every error
/// through here ([`Cold`]), so that the compiler moves that path, and the dropping of what
/// was read so far, out of the way of the usual one: the readers' hot code is then denser
/// (a domain's reader, 52 kB of machine code without it, is 14 kB).
#[cold]
#[inline(never)]
pub fn cold(e: Error) -> Error {
    e
}

/// `reading.cold()?`: `?` with the error path marked cold (see [`cold`]), as generated
/// readers write every `?`.
pub trait Cold {
    /// The result, its error passed through [`cold`].
    fn cold(self) -> Self;
}

impl<T> Cold for Result<T, Error> {
    #[inline(always)]
    fn cold(self) -> Self {
        self.map_err(cold)
    }
}

/// The text a blank code stands for, if `slot` is one.
fn blank_text(slot: u16) -> Option<String> {
    is_blank_code(slot).then(|| format!("\n{:1$}", "", usize::from(slot - BLANK)))
}

/// The key of a spelling a program set by name (after every slot, so `lexical` stays sorted).
const SET: u16 = u16::MAX;

/// How an element's text is named among its values.
const TEXT: &str = "text()";

impl Preserved {
    fn inner(&mut self) -> &mut PreservedInner {
        self.0.get_or_insert_with(Default::default)
    }

    fn rare(&self) -> Option<&Rare> {
        self.0.as_ref()?.rare.as_deref()
    }

    /// True when nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// Attributes the schema does not know.
    pub fn attributes(&self) -> &[RawAttribute] {
        self.rare().map_or(&[], |r| &r.attributes)
    }

    /// Children the schema does not know: elements, comments, processing instructions,
    /// text. Blank text out of libvirt's layout is here only where it is not a newline
    /// and spaces (`"\n\t"`); indentation at another depth is kept in the document order
    /// instead, and written back in its place all the same.
    pub fn children(&self) -> &[RawNode] {
        self.rare().map_or(&[], |r| &r.children)
    }

    /// Adds an attribute to write back as it is.
    pub fn push_attribute(&mut self, a: RawAttribute) {
        self.inner().rare().attributes.push(a);
    }

    /// Adds a child to write back as it is.
    pub fn push_child(&mut self, c: RawNode) {
        self.inner().rare().children.push(c);
    }

    /// Document order of the attributes as read, where it differs from the schema's.
    #[doc(hidden)]
    pub fn attr_order(&self) -> &[u16] {
        self.0.as_ref().map_or(&[], |i| Order::split(&i.order).0)
    }

    /// Document order of the children as read, where it differs from the schema's.
    #[doc(hidden)]
    pub fn child_order(&self) -> &[u16] {
        self.0.as_ref().map_or(&[], |i| Order::split(&i.order).1)
    }

    /// Namespace declarations the element was read with, (prefix, URI) in document
    /// order ("" for the default namespace); written back with it, so prefixes keep
    /// their place (libvirt declares `xmlns:qemu` on `<domain>`).
    pub fn namespaces(&self) -> &[(String, String)] {
        self.rare().map_or(&[], |r| &r.namespaces)
    }

    /// Forgets the document order, so the element is written in the schema's order (kept
    /// content last), and with it the blank text out of libvirt's layout that the order
    /// holds (see [`Preserved::children`]): libvirt's indentation takes its place.
    pub fn clear_order(&mut self) {
        if let Some(i) = &mut self.0 {
            i.order = ThinVec::new();
        }
    }

    /// Drops everything kept, so the element is written from its typed fields alone.
    pub fn clear(&mut self) {
        self.0 = None;
    }

    /// Takes the last kept child back if it is text.
    fn pop_last_text(&mut self) -> Option<String> {
        let children = &mut self.0.as_mut()?.rare.as_mut()?.children;
        if let Some(RawNode::Text(_)) = children.last() {
            if let Some(RawNode::Text(t)) = children.pop() {
                return Some(t);
            }
        }
        None
    }

    /// Once the element is read: gives the kept lists back what they hold spare, and
    /// drops parts left empty (text taken back to join other text), so that equal
    /// content is an equal value.
    fn compact(&mut self) {
        let Some(i) = &mut self.0 else { return };
        i.lexical.shrink_to_fit();
        if let Some(r) = &mut i.rare {
            if **r == Rare::default() {
                i.rare = None;
            } else {
                r.attributes.shrink_to_fit();
                r.children.shrink_to_fit();
                r.absent.shrink_to_fit();
                r.namespaces.shrink_to_fit();
            }
        }
        if **i == PreservedInner::default() {
            self.0 = None;
        }
    }

    fn lexical(&self, slot: u16) -> Option<&Spelling> {
        let i = self.0.as_ref()?;
        i.lexical.binary_search_by_key(&slot, |(s, _)| *s).ok().map(|k| &i.lexical[k].1)
    }

    /// Kept sorted by slot, so two values read from the same content in any attribute
    /// order are equal.
    fn set_lexical(&mut self, slot: u16, s: Spelling) {
        let lexical = &mut self.inner().lexical;
        match lexical.binary_search_by_key(&slot, |(s, _)| *s) {
            Ok(k) => lexical[k].1 = s,
            Err(k) => lexical.insert(k, (slot, s)),
        }
    }

    fn texts(&self) -> impl Iterator<Item = &KeptText> {
        let lexical = self.0.as_ref().map_or(&[][..], |i| &i.lexical[..]);
        lexical.iter().filter_map(|(_, s)| match s {
            Spelling::Text(k) => Some(k),
            Spelling::Hex { .. } => None,
        })
    }

    /// The text kept for value `item` (its XML name: `"@cache"` for an attribute,
    /// `"text()"` for the element's text), where its typed field could not write what was
    /// read: a value its enum does not list (the field is `Other`), one that did not fit
    /// its type, or another spelling of the same value (`007`); or the text set with
    /// [`Preserved::set_spelling`]. `None` where the field wrote what was read, or where a
    /// hexadecimal number's spelling is kept as a format (`0x00`). The text is written only
    /// while the field holds the value read from it (or `Other`): it stays here after the
    /// field changes, but is no longer used. In a sum type's case, the case's struct holds
    /// its fields' texts.
    ///
    /// ```
    /// use libvirt_xml::prelude::*;
    /// use libvirt_xml::domain::{Disk, DriverCache};
    ///
    /// let disk = Disk::from_xml("<disk type='file' device='disk'><driver cache='fast'/>\
    ///     <target dev='vda'/></disk>")?;
    /// let driver = disk.driver.as_deref().unwrap();
    /// assert_eq!(driver.cache, Some(DriverCache::Other));
    /// assert_eq!(driver.preserved.spelling("@cache"), Some("fast"));
    /// # Ok::<(), libvirt_xml::Error>(())
    /// ```
    pub fn spelling(&self, item: &str) -> Option<&str> {
        self.texts().find(|k| k.item() == item).map(KeptText::text)
    }

    /// Sets the text to write for value `item` (named as in [`Preserved::spelling`])
    /// while its field is `Other`: how a program writes a value the schema does not list.
    /// The field's own value is written as soon as it holds a listed one.
    ///
    /// ```
    /// use libvirt_xml::prelude::*;
    /// use libvirt_xml::domain::{DiskDriver, DriverCache};
    ///
    /// let mut driver = DiskDriver { cache: Some(DriverCache::Other), ..Default::default() };
    /// driver.preserved.set_spelling("@cache", "fast");
    /// assert_eq!(driver.to_xml()?, "<driver cache='fast'/>\n");
    /// # Ok::<(), libvirt_xml::Error>(())
    /// ```
    pub fn set_spelling(&mut self, item: &str, text: &str) {
        let lexical = &mut self.inner().lexical;
        for (_, s) in lexical.iter_mut() {
            if let Spelling::Text(k) = s {
                if k.item() == item {
                    *k = KeptText::new(item, text);
                    return;
                }
            }
        }
        lexical.push((SET, Spelling::text(item, text)));
    }

    /// Whether required value `key` was absent from the document read.
    pub(crate) fn is_absent(&self, key: u16) -> bool {
        self.rare().is_some_and(|r| r.absent.contains(&key))
    }

    fn set_absent(&mut self, key: u16) {
        let absent = &mut self.inner().rare().absent;
        if let Err(k) = absent.binary_search(&key) {
            absent.insert(k, key);
        }
    }

    /// Whether a sum type's selecting attribute was absent in the input (so it is not
    /// written back either, as long as the default case is still the one chosen).
    #[doc(hidden)]
    pub fn implicit_discriminant(&self) -> bool {
        self.rare().is_some_and(|r| r.implicit_discriminant)
    }

    #[doc(hidden)]
    pub fn set_implicit_discriminant(&mut self) {
        self.inner().rare().implicit_discriminant = true;
    }

    #[cold]
    #[doc(hidden)]
    pub fn push_unknown_attr(&mut self, a: &Attr<'_>) {
        self.push_attribute(RawAttribute::from(a));
    }

    /// Writes the kept attributes.
    #[doc(hidden)]
    #[inline]
    pub fn write_attributes(&self, w: &mut Writer) {
        if self.rare().is_none_or(|r| r.attributes.is_empty()) {
            return;
        }
        self.write_kept_attributes(w);
    }

    #[inline(never)]
    fn write_kept_attributes(&self, w: &mut Writer) {
        w.slot(RAW);
        for a in self.attributes() {
            w.attr_prefixed(
                a.namespace.as_deref().unwrap_or(""),
                a.prefix.as_deref().unwrap_or(""),
                &a.name,
                &a.value,
            );
        }
    }

    /// Writes the kept children.
    #[doc(hidden)]
    pub fn write_children(&self, w: &mut Writer) {
        for c in self.children() {
            c.write(w);
        }
    }
}

/// Starts element `local` and gives the writer the document order of its attributes.
#[inline]
pub fn start(w: &mut Writer, ns: &str, prefix: &str, local: &str, p: &Preserved) {
    if p.0.is_none() {
        return w.start_prefixed(ns, prefix, local);
    }
    start_kept(w, ns, prefix, local, p)
}

/// [`start`] for an element with something kept.
#[inline(never)]
fn start_kept(w: &mut Writer, ns: &str, prefix: &str, local: &str, p: &Preserved) {
    let namespaces = p.namespaces();
    if namespaces.is_empty() {
        w.start_prefixed(ns, prefix, local);
        let order = p.attr_order();
        if !order.is_empty() {
            w.attr_order(order);
        }
    } else {
        w.start_declaring(ns, prefix, local, namespaces, p.attr_order());
    }
}

/// Ends reading the attributes (`attrs`) or children of an element whose slots were
/// noted from `mark` on: their order is kept if it is not the schema's.
pub fn end_order(r: &mut Reader<'_>, mark: usize, attrs: bool, p: &mut Preserved) {
    // The usual element: its order is the schema's, and nothing is kept.
    if !(attrs && r.declares()) && r.order_unsorted(mark).is_none() {
        r.order_truncate(mark);
        if !attrs && !p.is_empty() {
            p.compact();
        }
        return;
    }
    end_kept_order(r, mark, attrs, p)
}

/// [`end_order`] for an element with namespace declarations or an order to keep.
#[inline(never)]
fn end_kept_order(r: &mut Reader<'_>, mark: usize, attrs: bool, p: &mut Preserved) {
    if attrs {
        if let Some(layout) = r.declarations() {
            // Declarations keep their place among the attributes.
            let slots = r.order_pop(mark);
            let mut slots = slots.into_iter();
            let mut order = Vec::with_capacity(layout.len());
            let mut namespaces = Vec::new();
            for entry in layout {
                match entry {
                    Some(decl) => {
                        order.push(NAMESPACE_DECLARATION);
                        namespaces.push(decl);
                    }
                    None => order.extend(slots.next()),
                }
            }
            let inner = p.inner();
            inner.order = Order::join(&order, Order::split(&inner.order).1);
            inner.rare().namespaces = namespaces;
            return;
        }
    }
    if let Some(order) = r.order_unsorted(mark) {
        let inner = p.inner();
        let (a, c) = Order::split(&inner.order);
        if !attrs && !a.is_empty() && c.is_empty() {
            // The children's order after the attributes' (read first).
            inner.order.extend_from_slice(order);
        } else {
            inner.order = if attrs { Order::join(order, c) } else { Order::join(a, order) };
        }
    }
    r.order_truncate(mark);
    if !attrs {
        p.compact();
    }
}

/// Writes an element's children: `counts[s]` items in slot `s`, item `i` of slot `s`
/// written by `item(w, s, i)`, then the kept children; in document order where
/// `p` has one. An item the record lacks (added since reading) follows the last recorded
/// item of its slot, or, for a slot the record lacks entirely, comes before the first
/// recorded item of a later slot, which is where the schema puts it.
#[inline]
pub fn write_children(
    w: &mut Writer,
    p: &Preserved,
    counts: &[u32],
    mut item: impl FnMut(&mut Writer, usize, usize),
) {
    if p.is_empty() {
        for (s, &n) in counts.iter().enumerate() {
            for i in 0..n {
                item(w, s, i as usize);
            }
        }
        return;
    }
    write_kept_children(w, p, counts, &mut item)
}

/// [`write_children`] where something is kept: the kept children, and the document order.
/// One function for all element types (`item` called through a pointer): the rarer path
/// costs a call per item, not a copy of this function per type.
#[inline(never)]
fn write_kept_children(
    w: &mut Writer,
    p: &Preserved,
    counts: &[u32],
    item: &mut dyn FnMut(&mut Writer, usize, usize),
) {
    let order = p.child_order();
    let raw = p.children();
    if order.is_empty() {
        for (s, &n) in counts.iter().enumerate() {
            for i in 0..n as usize {
                item(w, s, i);
            }
        }
        for c in raw {
            c.write(w);
        }
        return;
    }
    // Slot `counts.len()` stands for the kept children.
    let n = counts.len();
    let count = |s: usize| {
        if s == n {
            raw.len()
        } else {
            counts[s] as usize
        }
    };
    let mut emit = |w: &mut Writer, s: usize, i: usize| {
        if s == n {
            raw[i].write(w);
        } else {
            item(w, s, i);
        }
    };
    let index = |slot: u16| {
        if slot == RAW {
            Some(n)
        } else {
            Some(slot as usize).filter(|&s| s < n)
        }
    };
    // Per-slot counters: on the stack for the usual number of slots.
    const ON_STACK: usize = 48;
    let (mut left_stack, mut done_stack) = ([0u32; ON_STACK], [0u32; ON_STACK]);
    let (mut left_heap, mut done_heap) = (Vec::new(), Vec::new());
    let (left, done): (&mut [u32], &mut [u32]) = if n < ON_STACK {
        (&mut left_stack[..=n], &mut done_stack[..=n])
    } else {
        left_heap.resize(n + 1, 0);
        done_heap.resize(n + 1, 0);
        (&mut left_heap, &mut done_heap)
    };
    for &slot in order {
        if let Some(s) = index(slot) {
            left[s] += 1;
        }
    }
    let mut flushed = 0;
    for &slot in order {
        // Blank text kept as a code stands where its text node would: as kept content.
        let blank = is_blank_code(slot);
        let Some(s) = (if blank { Some(n) } else { index(slot) }) else { continue };
        // Slots never read, placed before this one by the schema.
        while flushed < s {
            if left[flushed] == 0 {
                while (done[flushed] as usize) < count(flushed) {
                    emit(w, flushed, done[flushed] as usize);
                    done[flushed] += 1;
                }
            }
            flushed += 1;
        }
        if blank {
            w.blank(usize::from(slot - BLANK));
            continue;
        }
        left[s] -= 1;
        let last = left[s] == 0;
        while (done[s] as usize) < count(s) {
            emit(w, s, done[s] as usize);
            done[s] += 1;
            if !last {
                break;
            }
        }
    }
    for (s, d) in done.iter_mut().enumerate() {
        while (*d as usize) < count(s) {
            emit(w, s, *d as usize);
            *d += 1;
        }
    }
}

/// Adds an item read to a list: room for one at first, then two (the usual lists of one
/// or two items are allocated at their size), then 8, 32 and 128 (fewer moves for the
/// lists of tens of items in domain capabilities), then doubling; [`exact`] trims the rest.
#[inline]
pub fn push<T>(v: &mut ThinVec<T>, item: T) {
    if v.len() == v.capacity() {
        let c = v.capacity();
        v.reserve_exact(match c {
            0 | 1 => 1,
            2..64 => 3 * c,
            _ => c,
        });
    }
    v.push(item);
}

/// A list as read, holding no room beyond its items ([`push`] reserves ahead: up to
/// four times as much below 32 items).
pub fn exact<T>(mut v: ThinVec<T>) -> ThinVec<T> {
    if v.capacity() > v.len() {
        v.shrink_to_fit();
    }
    v
}

/// A `oneOrMore` list as read: an empty one is a misfit ("missing required element"),
/// refused when reading strictly; leniently it stays empty and writes back as it was.
pub fn at_least_one<'a, T>(
    v: ThinVec<T>,
    r: &mut Reader<'a>,
    tag: &Tag<'a>,
    name: &str,
) -> Result<ThinVec<T>, Error> {
    if v.is_empty() {
        r.misfit(tag, ErrorKind::MissingElement(name.to_string()))?;
    }
    Ok(exact(v))
}

/// Keeps a comment or processing instruction (or any non-element child) in `p`.
#[cold]
pub fn keep_node(r: &mut Reader<'_>, c: Child<'_>, p: &mut Preserved) {
    if let Some(node) = RawNode::from_child(c) {
        r.order_push(RAW);
        p.push_child(node);
    }
}

/// Parses attribute `a` of element `tag` as `T`, remembering a non-canonical spelling.
pub fn parse_attr<'a, T: Value>(
    r: &mut Reader<'a>,
    tag: &Tag<'a>,
    a: &Attr<'_>,
    slot: u16,
    p: &mut Preserved,
) -> Result<T, Error> {
    parse_value(r, tag, &a.value, Item::Attr(a.local), slot, p, None)
}

/// Parses attribute `a` as an integer the format writes as `0x` and at least `digits`
/// lowercase hexadecimal digits (a PCI address's `domain='0x0000'`): read so, it keeps no
/// spelling; read otherwise (`bus='1'`), the spelling is kept as for any value.
pub fn parse_hex_attr<'a, T: Value>(
    r: &mut Reader<'a>,
    tag: &Tag<'a>,
    a: &Attr<'_>,
    slot: u16,
    p: &mut Preserved,
    digits: u8,
) -> Result<T, Error> {
    parse_value(r, tag, &a.value, Item::Attr(a.local), slot, p, Some(digits))
}

/// Whether `s` is `n` written as `0x` and at least `digits` lowercase hexadecimal digits.
fn is_hex_form(n: u64, s: &str, digits: u8) -> bool {
    let Some(d) = s.strip_prefix("0x") else {
        return false;
    };
    let needed = (64 - n.leading_zeros()).div_ceil(4).max(1) as usize;
    d.len() == needed.max(usize::from(digits))
        && d.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'))
}

/// Parses `s` as `T`, keeping a spelling that writing would not reproduce; a value that
/// does not fit `T` is a misfit (see [`Reader::misfit`]): `T`'s default stands in, and the
/// spelling is written back while the value stays the default.
fn parse_value<'a, T: Value>(
    r: &mut Reader<'a>,
    tag: &Tag<'a>,
    s: &str,
    item: Item<'_>,
    slot: u16,
    p: &mut Preserved,
    hex: Option<u8>,
) -> Result<T, Error> {
    match T::parse_shared(s, r.strings()) {
        Some(v) => {
            let canonical = match (hex, v.as_u64()) {
                (Some(digits), Some(n)) => is_hex_form(n, s, digits),
                _ => v.is_canonical(s),
            };
            if !canonical {
                p.set_lexical(slot, Spelling::of(item, s, &v));
            }
            Ok(v)
        }
        None => {
            p.set_lexical(slot, Spelling::Text(KeptText::of(item, s)));
            let kind = ErrorKind::InvalidValue {
                item: item.to_string(),
                value: crate::error::excerpt(s),
                expected: T::EXPECTED.into(),
            };
            r.misfit(tag, kind)?;
            Ok(T::placeholder())
        }
    }
}

/// A spelling to write for a value, other than its own.
enum Kept<'p> {
    Text(&'p str),
    Hex { value: u64, digits: u8, upper: bool },
}

/// The spelling to write for value `v` kept under `slot`: text as read, while `v` is what
/// was read from it (a misfit's default included); a hexadecimal format, whatever `v` is.
fn kept_spelling<'p, T: Value>(v: &T, slot: u16, p: &'p Preserved) -> Option<Kept<'p>> {
    match p.lexical(slot)? {
        Spelling::Text(k) => {
            let unchanged = match T::parse_value(k.text()) {
                Some(read) => read == *v,
                None => *v == T::placeholder(),
            };
            unchanged.then_some(Kept::Text(k.text()))
        }
        &Spelling::Hex { digits, upper } => Some(Kept::Hex { value: v.as_u64()?, digits, upper }),
    }
}

/// For an `Other` (`None` for any other value): the text a program set for it (with
/// [`Preserved::set_spelling`]) where none was read, as the item `is_item` accepts.
#[inline]
fn set_spelling<'p, T: Value>(
    v: &T,
    p: &'p Preserved,
    is_item: impl Fn(&str) -> bool,
) -> Option<Option<Kept<'p>>> {
    v.is_unlisted().then(|| set_text(p, is_item))
}

#[cold]
fn set_text(p: &Preserved, is_item: impl Fn(&str) -> bool) -> Option<Kept<'_>> {
    p.texts().find(|k| is_item(k.item())).map(|k| Kept::Text(k.text()))
}

/// Appends `0x` and `value` in at least `digits` hexadecimal digits.
fn push_hex(out: &mut String, value: u64, digits: u8, upper: bool) {
    // Every PCI address writes four of these: digit by digit, not through `fmt`.
    let table: &[u8; 16] = if upper { b"0123456789ABCDEF" } else { b"0123456789abcdef" };
    let mut buf = [b'0'; 16];
    let mut n = 0;
    let mut v = value;
    while v != 0 {
        buf[15 - n] = table[(v & 0xF) as usize];
        v >>= 4;
        n += 1;
    }
    let n = n.max(usize::from(digits).min(16)).max(1);
    out.push_str("0x");
    if usize::from(digits) > 16 {
        out.extend(std::iter::repeat_n('0', usize::from(digits) - 16));
    }
    // ASCII digits, a few: pushed one by one rather than checked as UTF-8 and copied.
    out.reserve(n);
    for &c in &buf[16 - n..] {
        out.push(char::from(c));
    }
}

/// Appends a text chunk to the text collected so far (most elements have one chunk);
/// the text's order slot is noted where it stops being blank (blank text is layout).
pub fn push_text<'a>(
    r: &mut Reader<'a>,
    acc: &mut Option<Cow<'a, str>>,
    t: Cow<'a, str>,
    slot: u16,
) {
    let was_blank = acc.as_deref().is_none_or(is_blank);
    match acc {
        None => *acc = Some(t),
        Some(prev) => prev.to_mut().push_str(&t),
    }
    if was_blank && !acc.as_deref().is_none_or(is_blank) {
        r.order_push(slot);
    }
}

/// Adds text of mixed content: a new piece where markup was read since the last one,
/// else more of the last piece (text the reader delivers in parts, as around a CDATA
/// section). Each piece's order slot is noted, so it is written back in its place.
pub fn push_mixed_text(
    r: &mut Reader<'_>,
    pieces: &mut ThinVec<String>,
    t: Cow<'_, str>,
    slot: u16,
) {
    match pieces.last_mut() {
        Some(last) if r.order_last() == Some(slot) => last.push_str(&t),
        _ => {
            r.order_push(slot);
            pieces.push(t.into_owned());
        }
    }
}

fn is_blank(s: &str) -> bool {
    s.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
}

/// Text read beside child elements that it is an alternative to: blank, it was layout.
pub fn drop_layout<'a>(text: Option<Cow<'a, str>>, children: bool) -> Option<Cow<'a, str>> {
    text.filter(|t| !(children && is_blank(t)))
}

/// Parses the collected text of element `tag` as `T` (no text reads as "").
pub fn parse_text<'a, T: Value>(
    r: &mut Reader<'a>,
    tag: &Tag<'a>,
    text: Option<Cow<'_, str>>,
    slot: u16,
    p: &mut Preserved,
) -> Result<T, Error> {
    parse_value(r, tag, text.as_deref().unwrap_or(""), Item::Text, slot, p, None)
}

/// Keeps text nobody claimed, unless it is the indentation libvirt's layout puts there
/// (other blanks are kept, and written back in place of the indentation); joined to kept
/// text just before it, as it reads back after writing.
pub fn push_unknown_text(r: &mut Reader<'_>, t: Cow<'_, str>, p: &mut Preserved) {
    if r.blank_is_layout(&t) {
        return;
    }
    // Text just after kept text (a CDATA section splits text in two) joins it: what
    // this element noted last is the kept text node, or blank text kept as a code.
    let last = r.order_last_own();
    let prev = if last == Some(RAW) { p.pop_last_text() } else { None };
    let joined = if let Some(prev) = prev {
        r.order_pop_last();
        prev + &t
    } else if let Some(blank) = last.and_then(blank_text) {
        r.order_pop_last();
        blank + &t
    } else {
        t.into_owned()
    };
    // Blank text of the usual shape is a code; anything else a text node.
    match blank_code(&joined) {
        Some(code) => r.order_push(code),
        None => {
            r.order_push(RAW);
            p.push_child(RawNode::Text(joined));
        }
    }
}

/// Reads the children of an element whose schema allows none (attributes only, or a sum
/// type's cases of attributes only): any there are kept. One loop for all such elements,
/// rather than one per type.
#[inline(never)]
pub fn read_no_children<'a>(
    r: &mut Reader<'a>,
    tag: &Tag<'a>,
    p: &mut Preserved,
) -> Result<(), Error> {
    while let Some(child) = r.next_element_child(tag)? {
        match child {
            Child::Element(c) => read_unknown(r, &c, p)?,
            Child::Text(t) => push_unknown_text(r, t, p),
            other => keep_node(r, other, p),
        }
    }
    Ok(())
}

/// Reads the children of an element of text only: its text gathered into `text` (at
/// order slot `slot`, see [`push_text`]), anything else kept.
#[inline(never)]
pub fn read_text_children<'a>(
    r: &mut Reader<'a>,
    tag: &Tag<'a>,
    text: &mut Option<Cow<'a, str>>,
    slot: u16,
    p: &mut Preserved,
) -> Result<(), Error> {
    while let Some(child) = r.next_child(tag)? {
        match child {
            Child::Element(c) => read_unknown(r, &c, p)?,
            Child::Text(t) => push_text(r, text, t, slot),
            other => keep_node(r, other, p),
        }
    }
    Ok(())
}

/// Keeps a child element nobody claimed.
#[cold]
pub fn read_unknown<'a>(r: &mut Reader<'a>, c: &Tag<'a>, p: &mut Preserved) -> Result<(), Error> {
    r.order_push(RAW);
    let e = RawElement::read(r, c)?;
    p.push_child(RawNode::Element(e));
    Ok(())
}

/// Unwraps a required attribute; one that is absent is a misfit (see [`Reader::misfit`]):
/// its placeholder stands in, marked absent under `key` so that it is not written.
pub fn required_attr<'a, T: Value>(
    v: Option<T>,
    r: &mut Reader<'a>,
    tag: &Tag<'a>,
    name: &str,
    key: u16,
    p: &mut Preserved,
) -> Result<T, Error> {
    let missing = || ErrorKind::MissingAttribute(name.to_string());
    required(v, r, tag, missing, key, p, T::placeholder)
}

/// Unwraps a required child element; one that is absent is a misfit, as for
/// [`required_attr`].
pub fn required_child<'a, T: Default>(
    v: Option<T>,
    r: &mut Reader<'a>,
    tag: &Tag<'a>,
    name: &str,
    key: u16,
    p: &mut Preserved,
) -> Result<T, Error> {
    let missing = || ErrorKind::MissingElement(name.to_string());
    required(v, r, tag, missing, key, p, T::default)
}

fn required<'a, T>(
    v: Option<T>,
    r: &mut Reader<'a>,
    tag: &Tag<'a>,
    missing: impl FnOnce() -> ErrorKind,
    key: u16,
    p: &mut Preserved,
    stand_in: fn() -> T,
) -> Result<T, Error> {
    match v {
        Some(v) => Ok(v),
        None => {
            r.misfit(tag, missing())?;
            p.set_absent(key);
            Ok(stand_in())
        }
    }
}

/// How many times a required child is written: once, unless the document lacked it and
/// the default standing in is unchanged.
pub fn required_count<T: Default + PartialEq>(v: &T, key: u16, p: &Preserved) -> u32 {
    u32::from(!(p.is_absent(key) && *v == T::default()))
}

/// Writes attribute `name` with value `v`, in the spelling it was read with if `v` is unchanged.
#[inline]
pub fn write_value_attr<T: Value>(
    w: &mut Writer,
    ns: &str,
    name: &str,
    v: &T,
    slot: u16,
    p: &Preserved,
) {
    write_attr_as(w, ns, name, v, slot, p, None)
}

/// Writes attribute `name` with integer `v` as `0x` and at least `digits` lowercase
/// hexadecimal digits, or in the spelling it was read with if that was another one and
/// `v` is unchanged (see [`parse_hex_attr`]).
#[inline]
pub fn write_hex_attr<T: Value>(
    w: &mut Writer,
    ns: &str,
    name: &str,
    v: &T,
    slot: u16,
    p: &Preserved,
    digits: u8,
) {
    write_attr_as(w, ns, name, v, slot, p, Some(digits))
}

#[inline]
fn write_attr_as<T: Value>(
    w: &mut Writer,
    ns: &str,
    name: &str,
    v: &T,
    slot: u16,
    p: &Preserved,
    hex: Option<u8>,
) {
    // Nothing kept, the usual case: the value's own spelling, or its hexadecimal format.
    let kept = if p.is_empty() {
        None
    } else {
        match kept_attr(v, slot, p, name) {
            Some(kept) => kept,
            None => return,
        }
    };
    let kept = kept.or_else(|| Some(Kept::Hex { value: v.as_u64()?, digits: hex?, upper: false }));
    match kept {
        Some(Kept::Text(s)) => w.attr(ns, name, s),
        Some(Kept::Hex { value, digits, upper }) => w.attr_with(ns, name, |out, _| {
            push_hex(out, value, digits, upper);
            Ok(())
        }),
        None => w.attr_with(ns, name, |out, esc| v.write_escaped(out, esc)),
    }
}

/// What an element with something kept holds for attribute `name`: `None` when it is not
/// written (absent from the document and unchanged), else the spelling kept for it, if
/// any (a hexadecimal number's format is found whether or not something is kept).
#[inline(never)]
fn kept_attr<'p, T: Value>(
    v: &T,
    slot: u16,
    p: &'p Preserved,
    name: &str,
) -> Option<Option<Kept<'p>>> {
    if p.is_absent(slot) && *v == T::placeholder() {
        return None;
    }
    let set = || set_spelling(v, p, |item| item.strip_prefix('@') == Some(name))?;
    Some(kept_spelling(v, slot, p).or_else(set))
}

/// Writes element text `v`, in the spelling it was read with if `v` is unchanged.
pub fn write_value_text<T: Value>(w: &mut Writer, v: &T, slot: u16, p: &Preserved) {
    let kept = kept_spelling(v, slot, p).or_else(|| set_spelling(v, p, |item| item == TEXT)?);
    match kept {
        Some(Kept::Text(s)) => w.text(s),
        Some(Kept::Hex { value, digits, upper }) => w.text_with(|out, _| {
            push_hex(out, value, digits, upper);
            Ok(())
        }),
        None => w.text_with(|out, esc| v.write_escaped(out, esc)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hexadecimal_spellings_are_kept_as_a_format() {
        let hex = |digits, upper| Spelling::Hex { digits, upper };
        let a = Item::Attr("a");
        assert_eq!(Spelling::of(a, "0x0000", &0u16), hex(4, false));
        assert_eq!(Spelling::of(a, "0x1F", &31u8), hex(2, true));
        assert_eq!(Spelling::of(a, "0x1f", &31u64), hex(2, false));
        // Mixed case, `0X`, signs and decimal spellings stay text, as do non-integers.
        for (s, v) in [("0xaB", 171u32), ("0X1f", 31), ("+0x1", 1), ("007", 7)] {
            assert_eq!(Spelling::of(a, s, &v), Spelling::text("@a", s), "{s}");
        }
        let s = "0x1".to_string();
        assert_eq!(Spelling::of(Item::Text, "0x1", &s), Spelling::text("text()", "0x1"));
        let mut out = String::new();
        push_hex(&mut out, 10, 4, true);
        push_hex(&mut out, 0x12345, 2, false);
        assert_eq!(out, "0x000A0x12345");
        let mut out = String::new();
        push_hex(&mut out, 0, 0, false);
        push_hex(&mut out, u64::MAX, 1, true);
        push_hex(&mut out, 1, 18, false);
        assert_eq!(out, "0x00xFFFFFFFFFFFFFFFF0x000000000000000001");
    }
}
