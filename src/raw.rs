//! Untyped XML kept verbatim: open content (`<metadata>`), and whatever a document holds
//! that the schema does not know (a newer libvirt, a vendor extension), so that parsing
//! and writing back never loses anything.

use crate::error::{Error, ErrorKind};
use crate::value::Value;
use crate::writer::Writer;
use crate::Element;

/// An attribute kept as written.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RawAttribute {
    /// Namespace URI, if the attribute is namespaced.
    pub namespace: Option<String>,
    /// Prefix it was written with (reused when writing).
    pub prefix: Option<String>,
    /// Local name.
    pub name: String,
    /// Value, unescaped.
    pub value: String,
}

/// An element kept as written, with everything below it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RawElement {
    /// Namespace URI, if any.
    pub namespace: Option<String>,
    /// Prefix it was written with (reused when writing).
    pub prefix: Option<String>,
    /// Local name.
    pub name: String,
    /// Attributes in document order.
    pub attributes: Vec<RawAttribute>,
    /// Child elements and text in document order.
    pub children: Vec<RawNode>,
}

/// A child of a [`RawElement`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum RawNode {
    /// A child element.
    Element(RawElement),
    /// Character data (entities resolved).
    Text(String),
}

impl RawAttribute {
    fn from_attr(node: roxmltree::Node<'_, '_>, a: &roxmltree::Attribute<'_, '_>) -> RawAttribute {
        let namespace = a.namespace().map(str::to_string);
        let prefix = a
            .namespace()
            .and_then(|ns| node.lookup_prefix(ns))
            .map(str::to_string);
        RawAttribute {
            namespace,
            prefix,
            name: a.name().to_string(),
            value: a.value().to_string(),
        }
    }
}

impl RawElement {
    /// Copies `node` and its subtree. Depth is bounded by [`crate::parse_document`].
    pub fn from_node(node: roxmltree::Node<'_, '_>) -> RawElement {
        let namespace = node.tag_name().namespace().map(str::to_string);
        let prefix = node
            .tag_name()
            .namespace()
            .and_then(|ns| node.lookup_prefix(ns))
            .map(str::to_string);
        let attributes = node
            .attributes()
            .map(|a| RawAttribute::from_attr(node, &a))
            .collect();
        let mut children = Vec::new();
        for c in node.children() {
            if c.is_element() {
                children.push(RawNode::Element(RawElement::from_node(c)));
            } else if c.is_text() {
                children.push(RawNode::Text(c.text().unwrap_or_default().to_string()));
            }
        }
        RawElement {
            namespace,
            prefix,
            name: node.tag_name().name().to_string(),
            attributes,
            children,
        }
    }

    /// Writes the element and its subtree.
    pub fn write(&self, w: &mut Writer) {
        let ns = self.namespace.as_deref().unwrap_or("");
        let prefix = self.prefix.as_deref().unwrap_or("");
        w.start_prefixed(ns, prefix, &self.name);
        for a in &self.attributes {
            w.attr_prefixed(
                a.namespace.as_deref().unwrap_or(""),
                a.prefix.as_deref().unwrap_or(""),
                &a.name,
                &a.value,
            );
        }
        for c in &self.children {
            match c {
                RawNode::Element(e) => e.write(w),
                RawNode::Text(t) => w.text(t),
            }
        }
        w.end();
    }
}

impl Element for RawElement {
    fn from_node(node: roxmltree::Node<'_, '_>) -> Result<Self, Error> {
        Ok(RawElement::from_node(node))
    }

    fn write(&self, w: &mut Writer) {
        RawElement::write(self, w)
    }
}

/// What a typed element keeps beside its fields so that nothing is lost: attributes and
/// children the schema does not know (written back after the known ones), and the
/// original spelling of values whose typed form would be written differently.
///
/// Empty (one null pointer) for the usual document that the schema fully describes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Preserved(Option<Box<PreservedInner>>);

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
struct PreservedInner {
    attributes: Vec<RawAttribute>,
    children: Vec<RawNode>,
    lexical: Vec<(u16, String)>,
    implicit_discriminant: bool,
}

impl Preserved {
    fn inner(&mut self) -> &mut PreservedInner {
        self.0.get_or_insert_with(Default::default)
    }

    /// True when nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// Attributes the schema does not know.
    pub fn attributes(&self) -> &[RawAttribute] {
        self.0.as_ref().map_or(&[], |i| &i.attributes)
    }

    /// Children (elements, non-blank text) the schema does not know.
    pub fn children(&self) -> &[RawNode] {
        self.0.as_ref().map_or(&[], |i| &i.children)
    }

    /// Adds an attribute to write back as it is.
    pub fn push_attribute(&mut self, a: RawAttribute) {
        self.inner().attributes.push(a);
    }

    /// Adds a child to write back as it is.
    pub fn push_child(&mut self, c: RawNode) {
        self.inner().children.push(c);
    }

    /// Drops everything kept, so the element is written from its typed fields alone.
    pub fn clear(&mut self) {
        self.0 = None;
    }

    pub(crate) fn lexical(&self, slot: u16) -> Option<&str> {
        let i = self.0.as_ref()?;
        i.lexical
            .iter()
            .find(|(s, _)| *s == slot)
            .map(|(_, v)| v.as_str())
    }

    fn set_lexical(&mut self, slot: u16, s: &str) {
        self.inner().lexical.push((slot, s.to_string()));
    }

    /// Whether a sum type's selecting attribute was absent in the input (so it is not
    /// written back either, as long as the default case is still the one chosen).
    #[doc(hidden)]
    pub fn implicit_discriminant(&self) -> bool {
        self.0.as_ref().is_some_and(|i| i.implicit_discriminant)
    }

    #[doc(hidden)]
    pub fn set_implicit_discriminant(&mut self) {
        self.inner().implicit_discriminant = true;
    }

    #[doc(hidden)]
    pub fn push_unknown_attr(
        &mut self,
        node: roxmltree::Node<'_, '_>,
        a: &roxmltree::Attribute<'_, '_>,
    ) {
        self.push_attribute(RawAttribute::from_attr(node, a));
    }

    /// Writes the kept attributes.
    #[doc(hidden)]
    pub fn write_attributes(&self, w: &mut Writer) {
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
            match c {
                RawNode::Element(e) => e.write(w),
                RawNode::Text(t) => w.text(t),
            }
        }
    }
}

/// Parses attribute value `a` of `node` as `T`, remembering a non-canonical spelling.
pub fn parse_attr<T: Value>(
    node: roxmltree::Node<'_, '_>,
    a: &roxmltree::Attribute<'_, '_>,
    slot: u16,
    p: &mut Preserved,
) -> Result<T, Error> {
    let s = a.value();
    match T::parse_value(s) {
        Some(v) => {
            if !v.is_canonical(s) {
                p.set_lexical(slot, s);
            }
            Ok(v)
        }
        None => Err(Error::at(
            node,
            ErrorKind::InvalidValue {
                item: format!("@{}", a.name()),
                value: s.to_string(),
                expected: T::EXPECTED,
            },
        )),
    }
}

/// Parses the text of `node` (all its text children) as `T`.
pub fn parse_text<T: Value>(
    node: roxmltree::Node<'_, '_>,
    slot: u16,
    p: &mut Preserved,
) -> Result<T, Error> {
    let mut texts = node.children().filter(|c| c.is_text());
    let first = texts.next().and_then(|t| t.text()).unwrap_or("");
    let owned;
    let s = match texts.next() {
        None => first,
        Some(_) => {
            owned = node
                .children()
                .filter(|c| c.is_text())
                .filter_map(|c| c.text())
                .collect::<String>();
            owned.as_str()
        }
    };
    match T::parse_value(s) {
        Some(v) => {
            if !v.is_canonical(s) {
                p.set_lexical(slot, s);
            }
            Ok(v)
        }
        None => Err(Error::at(
            node,
            ErrorKind::InvalidValue {
                item: "text()".into(),
                value: s.to_string(),
                expected: T::EXPECTED,
            },
        )),
    }
}

/// Keeps a child node nobody claimed: elements and non-blank text.
pub fn push_unknown_child(c: roxmltree::Node<'_, '_>, p: &mut Preserved) {
    if c.is_element() {
        p.push_child(RawNode::Element(RawElement::from_node(c)));
    } else if c.is_text() {
        let t = c.text().unwrap_or_default();
        if !t.trim().is_empty() {
            p.push_child(RawNode::Text(t.to_string()));
        }
    }
}

/// Reads a child that may occur once; a repeat (invalid, but possible) is kept raw.
pub fn single_child<T: Element>(
    slot: &mut Option<T>,
    c: roxmltree::Node<'_, '_>,
    p: &mut Preserved,
) -> Result<(), Error> {
    if slot.is_some() {
        push_unknown_child(c, p);
    } else {
        *slot = Some(T::from_node(c)?);
    }
    Ok(())
}

/// Unwraps a required attribute, or reports it missing.
pub fn required_attr<T>(
    v: Option<T>,
    node: roxmltree::Node<'_, '_>,
    name: &str,
) -> Result<T, Error> {
    v.ok_or_else(|| Error::at(node, ErrorKind::MissingAttribute(name.to_string())))
}

/// Unwraps a required child element, or reports it missing.
pub fn required_child<T>(
    v: Option<T>,
    node: roxmltree::Node<'_, '_>,
    name: &str,
) -> Result<T, Error> {
    v.ok_or_else(|| Error::at(node, ErrorKind::MissingElement(name.to_string())))
}

impl RawAttribute {
    /// Copies attribute `a` of `node` (its prefix is looked up on `node`).
    pub fn from_attribute(
        node: roxmltree::Node<'_, '_>,
        a: &roxmltree::Attribute<'_, '_>,
    ) -> RawAttribute {
        RawAttribute::from_attr(node, a)
    }
}
