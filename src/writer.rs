//! A small XML writer: escapes, closes empty elements as `<x/>`, and declares namespace
//! prefixes where an element or attribute first needs them. Nothing is allocated per
//! element: end tags and error paths are taken from the start tags already written.
//!
//! Two layouts ([`Style`]): libvirt's own (two-space indentation, single-quoted attributes,
//! all five markup characters escaped, as libvirt's formatters write), and a compact one
//! for machines. Indentation is only added where it cannot change a value: never inside an
//! element that holds text (typed text, or raw content, which keeps its whitespace as read).
//!
//! It never writes what does not parse back: characters XML forbids, invalid names, two
//! attributes of one name, or a prefix bound to two namespaces are not written; the first
//! such problem is returned by [`Writer::finish`] with the element path where it occurred.

use std::collections::HashSet;

use crate::chars::{forbidden_char, is_ncname, XMLNS_NS, XML_NS};
use crate::error::Error;

/// How a document is laid out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Style {
    /// As libvirt writes: two-space indentation, `'` around attribute values, `<`, `>`,
    /// `&`, `'` and `"` escaped everywhere, `<x/>` for empty elements, a final newline.
    /// Raw content (`<metadata>`, elements the schema does not know) is written as
    /// libvirt has libxml2 copy it: `"` around attribute values, only what XML requires
    /// escaped, its whitespace as read.
    #[default]
    Libvirt,
    /// One line, `"` around attribute values, only what XML requires escaped.
    Compact,
}

/// How a value is escaped where it is written (see [`crate::Value::write_escaped`]).
#[derive(Clone, Copy, Debug)]
pub struct Escape {
    attr: bool,
    libvirt: bool,
}

impl Escape {
    /// Escaping for an attribute value quoted with `"`, or as libvirt writes (`libvirt`).
    pub(crate) fn attribute(libvirt: bool) -> Escape {
        Escape { attr: true, libvirt }
    }
}

/// An element being written.
#[derive(Debug)]
struct OpenElem {
    /// Where its qualified name stands in `out`.
    name: (usize, usize),
    /// How many namespace bindings it declared.
    declared: u32,
    /// It has child elements, or text (which turns indentation off inside it).
    children: bool,
    text: bool,
    /// Its content is written as it is, without indentation (it holds text).
    verbatim: bool,
    /// Its attributes are quoted with `"` and escaped as libxml2 does (raw content that
    /// libvirt copies through libxml2, such as `<metadata>`).
    double: bool,
    /// Its name was written otherwise than the caller gave it (another prefix, or a
    /// placeholder for an invalid name): the end tag then repeats the name as written.
    renamed: bool,
}

/// Builds an XML document into a `String`.
#[derive(Debug)]
pub struct Writer {
    out: String,
    style: Style,
    open_elems: Vec<OpenElem>,
    /// In-scope namespace bindings: (prefix, uri); "" is the default namespace.
    bindings: Vec<(String, String)>,
    /// The last start tag is still open (`<x a="1"` without `>`).
    open: bool,
    /// (namespace, local name) of the open start tag's attributes, once it has many.
    tag_attr_set: Option<HashSet<(String, String)>>,
    /// Counter for prefixes the writer makes up (`ns1`, `ns2`, …).
    fresh: u32,
    /// Document order of the open start tag's attributes, as slots (empty: slot order).
    attr_record: Vec<u16>,
    /// The slot of the attribute written next.
    slot: u16,
    /// Slot and start in `out` of each attribute written, while `attr_record` is in use.
    attr_segments: Vec<(u16, usize)>,
    /// Working space of [`Writer::order_attrs`], kept so reordering allocates nothing.
    reorder: Reorder,
    /// Blank text read where libvirt's layout has other whitespace, written in place of
    /// the next indentation when `has_layout` (the buffer is kept: blanks allocate once).
    layout: String,
    /// `layout` holds the text to write in place of the next indentation.
    has_layout: bool,
    /// The innermost open element's `double` (see `OpenElem`).
    top_double: bool,
    /// Values are escaped and quoted as libvirt writes them here: `style` is libvirt's and
    /// `top_double` is not set (kept with them, as every attribute asks).
    libvirt_here: bool,
    error: Option<Error>,
}

/// Buffers for putting a start tag's attributes in their recorded order.
#[derive(Debug, Default)]
struct Reorder {
    used: Vec<bool>,
    keys: Vec<(usize, usize)>,
    sorted: Vec<(usize, usize)>,
    tail: String,
}

/// The slot of a namespace declaration kept with a typed element (see
/// [`Writer::start_declaring`]).
pub const NAMESPACE_DECLARATION: u16 = u16::MAX - 1;

/// Up to this many attributes on a tag, duplicates are looked for linearly.
const LINEAR: usize = 16;

thread_local! {
    /// The open-element list of the last writer dropped on this thread, emptied, for the
    /// next one: writing a document then allocates only its output.
    static SPARE_OPEN: std::cell::Cell<Vec<OpenElem>> = const { std::cell::Cell::new(Vec::new()) };
}

impl Drop for Writer {
    fn drop(&mut self) {
        // A list grown by an unusually deep document is not kept.
        if self.open_elems.capacity() <= 256 {
            let mut open = std::mem::take(&mut self.open_elems);
            open.clear();
            SPARE_OPEN.with(|s| s.set(open));
        }
    }
}

impl Default for Writer {
    fn default() -> Writer {
        Writer::new()
    }
}

impl Writer {
    /// An empty writer, laid out as libvirt writes.
    pub fn new() -> Writer {
        Writer::with_style(Style::Libvirt)
    }

    /// An empty writer with the given layout.
    pub fn with_style(style: Style) -> Writer {
        Writer {
            out: String::with_capacity(4096),
            style,
            open_elems: SPARE_OPEN.with(|s| s.take()),
            bindings: Vec::new(),
            open: false,
            tag_attr_set: None,
            fresh: 0,
            attr_record: Vec::new(),
            slot: 0,
            attr_segments: Vec::new(),
            reorder: Reorder::default(),
            layout: String::new(),
            has_layout: false,
            top_double: false,
            libvirt_here: style == Style::Libvirt,
            error: None,
        }
    }

    /// Whether values are written as libvirt's own formatters write them; raw content
    /// libvirt has libxml2 copy (`<metadata>`) is written as the compact style does.
    #[inline]
    fn libvirt(&self) -> bool {
        self.libvirt_here
    }

    /// Sets the innermost open element's `double`.
    #[inline]
    fn set_top_double(&mut self, double: bool) {
        self.top_double = double;
        self.libvirt_here = self.style == Style::Libvirt && !double;
    }

    /// The quote around attribute values.
    #[inline]
    fn quote(&self) -> char {
        if self.libvirt() {
            '\''
        } else {
            '"'
        }
    }

    fn escape(&self, attr: bool) -> Escape {
        Escape { attr, libvirt: self.libvirt() }
    }

    /// Writes the content of the element just started as it is: no indentation inside it
    /// (for elements with text, whose whitespace would otherwise change their value).
    pub fn verbatim(&mut self) {
        if let Some(top) = self.open_elems.last_mut() {
            top.verbatim = true;
        }
    }

    /// A newline and the indentation of an element at `depth` (0 for the root), or the
    /// blank text kept for this place.
    fn indent(&mut self, depth: usize) {
        if self.has_layout {
            self.has_layout = false;
            self.out.push_str(&self.layout);
            return;
        }
        // A newline and 2 × depth spaces, in one copy for the usual depths.
        const RUN: &str =
            concat!("\n", "                                ", "                                ");
        let width = 1 + 2 * depth;
        if width <= RUN.len() {
            self.out.push_str(&RUN[..width]);
        } else {
            self.out.push('\n');
            for _ in 0..depth {
                self.out.push_str("  ");
            }
        }
    }

    /// The document written so far, with a final newline; or the first problem met.
    pub fn finish(mut self) -> Result<String, Error> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.close_start();
        self.out.push('\n');
        Ok(std::mem::take(&mut self.out))
    }

    /// Records the first problem, at the innermost open element.
    #[cold]
    fn fail(&mut self, what: String) {
        if self.error.is_none() {
            let path: Vec<&str> =
                self.open_elems.iter().map(|o| &self.out[o.name.0..o.name.1]).collect();
            let path = if path.is_empty() { String::new() } else { format!("/{}", path.join("/")) };
            self.error = Some(Error::unwritable(path, what));
        }
    }

    #[inline]
    fn close_start(&mut self) {
        if self.open {
            self.order_attrs();
            self.out.push('>');
            self.open = false;
        }
    }

    /// Gives the attributes of the start tag just begun the document order `record`
    /// (their slots as read); attributes are then written in slot order, each after
    /// [`Writer::slot`], and put in the recorded order when the tag closes. Attributes
    /// the record does not have follow the one written before them.
    pub fn attr_order(&mut self, record: &[u16]) {
        self.attr_record.clear();
        self.attr_record.extend_from_slice(record);
        self.attr_segments.clear();
    }

    /// Declares namespace `uri` for `prefix` ("" for the default namespace) on the start
    /// tag just begun; an invalid one is an error.
    fn declare_namespace(&mut self, prefix: &str, uri: &str) {
        if !self.open {
            return self.fail(format!("namespace `{uri}` outside a start tag"));
        }
        let valid = if prefix.is_empty() {
            uri != XML_NS && uri != XMLNS_NS
        } else {
            is_ncname(prefix) && !uri.is_empty() && usable(prefix, uri) && uri != XMLNS_NS
        };
        if !valid {
            return self.fail(format!(
                "`{}` cannot be declared for `{}`",
                excerpt(uri),
                excerpt(prefix)
            ));
        }
        if prefix == "xml" {
            return;
        }
        if !self.attr_record.is_empty() {
            self.attr_segments.push((self.slot, self.out.len()));
        }
        self.declare(prefix, uri);
    }

    /// The slot of the next attribute (see [`Writer::attr_order`]).
    #[inline]
    pub fn slot(&mut self, slot: u16) {
        self.slot = slot;
    }

    /// Rearranges the open start tag's attributes into the recorded order, if it has one.
    #[inline]
    fn order_attrs(&mut self) {
        if self.attr_record.is_empty() || self.attr_segments.len() < 2 {
            self.attr_segments.clear();
        } else {
            self.reorder_attrs();
        }
    }

    /// [`Writer::order_attrs`] for a tag with a record and at least two attributes: out of
    /// line, as few tags have one.
    #[inline(never)]
    fn reorder_attrs(&mut self) {
        let segs = &self.attr_segments;
        let Reorder { used, keys, sorted, tail } = &mut self.reorder;
        used.clear();
        used.resize(self.attr_record.len(), false);
        keys.clear();
        let mut prev = 0;
        for (i, &(slot, _)) in segs.iter().enumerate() {
            let found =
                (0..self.attr_record.len()).find(|&p| !used[p] && self.attr_record[p] == slot);
            if let Some(p) = found {
                used[p] = true;
                prev = p;
            }
            keys.push((prev, i));
        }
        sorted.clear();
        sorted.extend_from_slice(keys);
        sorted.sort_unstable();
        if sorted != keys {
            let start = segs[0].1;
            tail.clear();
            tail.push_str(&self.out[start..]);
            self.out.truncate(start);
            let end = |i: usize| segs.get(i + 1).map_or(tail.len(), |s| s.1 - start);
            for &(_, i) in sorted.iter() {
                self.out.push_str(&tail[segs[i].1 - start..end(i)]);
            }
        }
        self.attr_segments.clear();
        self.attr_record.clear();
    }

    /// Whether a default namespace is in scope, which an element in none would be put in
    /// unless it undeclares it. Prefixes in scope (a document that declares `xmlns:qemu`
    /// on its root) leave such elements plain.
    #[inline]
    fn default_namespace_in_scope(&self) -> bool {
        match self.bindings.iter().rev().find(|(p, _)| p.is_empty()) {
            Some((_, uri)) => !uri.is_empty(),
            None => false,
        }
    }

    fn bound(&self, prefix: &str) -> Option<&str> {
        if prefix == "xml" {
            return Some(XML_NS);
        }
        self.bindings.iter().rev().find(|(p, _)| p == prefix).map(|(_, u)| u.as_str())
    }

    fn declare(&mut self, prefix: &str, ns: &str) {
        let q = self.quote();
        if prefix.is_empty() {
            self.out.push_str(" xmlns=");
        } else {
            self.out.push_str(" xmlns:");
            self.out.push_str(prefix);
            self.out.push('=');
        }
        self.out.push(q);
        self.escaped(ns, true);
        self.out.push(q);
        self.bindings.push((prefix.to_string(), ns.to_string()));
        if let Some(top) = self.open_elems.last_mut() {
            top.declared += 1;
        }
    }

    /// A prefix bound nowhere in scope, so declaring it changes no name already written.
    fn fresh_prefix(&mut self) -> String {
        loop {
            self.fresh += 1;
            let p = format!("ns{}", self.fresh);
            if self.bound(&p).is_none() {
                return p;
            }
        }
    }

    /// Starts element `local` in namespace `ns` ("" for none), using `prefix` for it.
    /// `prefix` and `local` must be valid names (the generated code's constants are);
    /// content from elsewhere goes through [`Writer::start_raw`].
    #[inline]
    pub fn start_prefixed(&mut self, ns: &str, prefix: &str, local: &str) {
        if ns.is_empty() && self.bindings.is_empty() {
            return self.start_plain(local, false, &[]);
        }
        self.start_element(ns, prefix, local, false, &[], &[]);
    }

    /// Starts a typed element with the namespace declarations it was read with (see
    /// [`Writer::start_prefixed`]) and the document order of its attributes (see
    /// [`Writer::attr_order`], where declarations are at [`NAMESPACE_DECLARATION`]). Its
    /// prefix is the one the document used for `ns` where one is declared here or in
    /// scope, else `prefix`; every declaration is written again.
    pub fn start_declaring(
        &mut self,
        ns: &str,
        prefix: &str,
        local: &str,
        declarations: &[(String, String)],
        attr_order: &[u16],
    ) {
        self.start_element(ns, prefix, local, false, declarations, attr_order);
    }

    /// The prefix for a typed element of namespace `ns`, given the declarations `kept`
    /// that go on its start tag: `preferred` if it will stand for `ns`, else a prefix the
    /// document bound to `ns` (here or in scope), else `preferred` or, if a kept
    /// declaration binds that to something else, a fresh one.
    fn element_prefix(&mut self, ns: &str, preferred: &str, kept: &[(String, String)]) -> String {
        let effective = |w: &Writer, p: &str| -> Option<String> {
            match kept.iter().rev().find(|(k, _)| k == p) {
                Some((_, u)) => Some(u.clone()),
                None => w.bound(p).map(str::to_string),
            }
        };
        if effective(self, preferred).as_deref().unwrap_or("") == ns {
            return preferred.to_string();
        }
        if let Some((p, _)) = kept.iter().rev().find(|(_, u)| u == ns) {
            return p.clone();
        }
        let in_scope = self
            .bindings
            .iter()
            .rev()
            .map(|(p, _)| p.clone())
            .find(|p| effective(self, p).as_deref() == Some(ns));
        if let Some(p) = in_scope {
            return p;
        }
        if kept.iter().any(|(k, _)| k == preferred) {
            return self.fresh_prefix();
        }
        preferred.to_string()
    }

    /// `double`: quote attributes with `"` (see [`Writer::start_raw`]); `kept` and
    /// `order`: namespace declarations to write on the tag, and the attributes' document
    /// order (see [`Writer::start_declaring`]).
    fn start_element(
        &mut self,
        ns: &str,
        prefix: &str,
        local: &str,
        double: bool,
        kept: &[(String, String)],
        order: &[u16],
    ) {
        if ns.is_empty() && kept.is_empty() && !self.default_namespace_in_scope() {
            return self.start_plain(local, double, order);
        }
        self.close_start();
        self.child_indent();
        let chosen;
        let given = prefix;
        let prefix = if ns.is_empty() {
            ""
        } else if kept.is_empty() && (self.bindings.is_empty() || self.bound(prefix) == Some(ns)) {
            prefix
        } else {
            chosen = self.element_prefix(ns, prefix, kept);
            &chosen
        };
        let renamed = !ns.is_empty() && prefix != given;
        self.out.push('<');
        let name_start = self.out.len();
        if !prefix.is_empty() {
            self.out.push_str(prefix);
            self.out.push(':');
        }
        self.out.push_str(local);
        self.opened(name_start, double, order);
        if renamed {
            self.mark_renamed();
        }
        for (p, u) in kept {
            // A default namespace would move an element of none into it.
            if !(ns.is_empty() && p.is_empty()) {
                self.slot = NAMESPACE_DECLARATION;
                self.declare_namespace(p, u);
            }
        }
        // Fast path: no namespaces in play at all.
        if ns.is_empty() && self.bindings.is_empty() {
            return;
        }
        if prefix != "xml" && self.bound(prefix).unwrap_or("") != ns {
            self.declare(prefix, ns);
        }
    }

    /// [`Writer::start_element`] where no namespace is in play: the usual element.
    #[inline]
    fn start_plain(&mut self, local: &str, double: bool, order: &[u16]) {
        self.close_start();
        self.child_indent();
        self.out.push('<');
        let name_start = self.out.len();
        self.out.push_str(local);
        self.opened(name_start, double, order);
    }

    /// Notes a child of the innermost open element, which goes on its own line where
    /// that cannot change a value.
    #[inline]
    fn child_indent(&mut self) {
        let depth = self.open_elems.len();
        if let Some(parent) = self.open_elems.last_mut() {
            parent.children = true;
            if self.style == Style::Libvirt && !parent.text && !parent.verbatim {
                self.indent(depth);
            }
        }
    }

    /// Records the element whose start tag was just written from `name_start` on.
    #[inline]
    fn opened(&mut self, name_start: usize, double: bool, order: &[u16]) {
        self.open_elems.push(OpenElem {
            name: (name_start, self.out.len()),
            declared: 0,
            children: false,
            text: false,
            verbatim: false,
            double,
            renamed: false,
        });
        self.set_top_double(double);
        self.open = true;
        if self.tag_attr_set.is_some() {
            self.tag_attr_set = None;
        }
        self.attr_record.clear();
        if !order.is_empty() {
            self.attr_record.extend_from_slice(order);
        }
        self.attr_segments.clear();
    }

    /// Starts an element whose name comes from outside the schema (raw content): the name
    /// is checked, and a prefix that cannot stand for `ns` is replaced by one that can.
    ///
    /// `double_quotes`: its attributes and declarations are quoted with `"` and its
    /// content escaped as libxml2 does, where libvirt copies raw content through libxml2
    /// (see [`RawElement::double_quoted`](crate::RawElement)).
    pub fn start_raw(&mut self, ns: &str, prefix: &str, local: &str, double_quotes: bool) {
        // On failure a placeholder keeps starts and ends balanced; nothing is returned.
        if !is_ncname(local) {
            self.fail(format!("`{}` is not a valid element name", excerpt(local)));
            self.start_element("", "", "invalid", double_quotes, &[], &[]);
            return self.mark_renamed();
        }
        if ns == XMLNS_NS {
            self.fail(format!("element `{local}` cannot be in the xmlns namespace"));
            self.start_element("", "", local, double_quotes, &[], &[]);
            return self.mark_renamed();
        }
        let chosen = if ns == XML_NS {
            "xml".to_string()
        } else if ns.is_empty() || prefix.is_empty() || (is_ncname(prefix) && usable(prefix, ns)) {
            prefix.to_string()
        } else {
            self.fresh_prefix()
        };
        self.start_element(ns, &chosen, local, double_quotes, &[], &[]);
        if !ns.is_empty() && chosen != prefix {
            self.mark_renamed();
        }
    }

    /// The element just started is written under another name than its caller's.
    fn mark_renamed(&mut self) {
        if let Some(top) = self.open_elems.last_mut() {
            top.renamed = true;
        }
    }

    /// Starts element `local` with no namespace.
    pub fn start(&mut self, local: &str) {
        self.start_prefixed("", "", local);
    }

    /// Writes an attribute of the open start tag (from the generated code: its names are
    /// constants, distinct on each element).
    pub fn attr(&mut self, ns: &str, local: &str, value: &str) {
        self.attr_name(ns, "", local);
        self.escaped(value, true);
        self.out.push(self.quote());
    }

    /// Writes an attribute from outside the schema (raw content), after checking its name
    /// and that the tag has no attribute of that name yet; `prefix` is used for `ns` where
    /// it can be, else another prefix is declared.
    pub fn attr_prefixed(&mut self, ns: &str, prefix: &str, local: &str, value: &str) {
        if !is_ncname(local) {
            return self.fail(format!("`{}` is not a valid attribute name", excerpt(local)));
        }
        if ns == XMLNS_NS || (ns.is_empty() && local == "xmlns") {
            return self.fail(format!("`{local}` is a namespace declaration, not an attribute"));
        }
        if self.has_attr(ns, local) {
            return self.fail(format!("duplicate attribute `{local}`"));
        }
        let prefix = if is_ncname(prefix) && usable(prefix, ns) { prefix } else { "" };
        self.attr_name(ns, prefix, local);
        self.escaped(value, true);
        self.out.push(self.quote());
    }

    /// Whether the open start tag already has attribute (`ns`, `local`). Only attributes
    /// from outside the schema ask, so the tag is read back rather than each attribute's
    /// place noted as it is written.
    fn has_attr(&mut self, ns: &str, local: &str) -> bool {
        if self.tag_attr_set.is_none() && self.tag_attr_names().nth(LINEAR).is_some() {
            let set = self
                .tag_attr_names()
                .map(|q| self.attr_key(q))
                .map(|(n, l)| (n.to_string(), l.to_string()))
                .collect();
            self.tag_attr_set = Some(set);
        }
        match &self.tag_attr_set {
            Some(set) => set.contains(&(ns.to_string(), local.to_string())),
            None => self.tag_attr_names().any(|q| self.attr_key(q) == (ns, local)),
        }
    }

    /// The qualified names of the open start tag's attributes, as written (` name='value'`,
    /// the value escaped, so its quote cannot occur in it; declarations are skipped).
    fn tag_attr_names(&self) -> impl Iterator<Item = &str> {
        let start = self.open_elems.last().map_or(self.out.len(), |e| e.name.1);
        let mut rest = &self.out[start..];
        std::iter::from_fn(move || loop {
            let (name, after) = rest.strip_prefix(' ')?.split_once('=')?;
            let quote = after.chars().next()?;
            let close = after[1..].find(quote)?;
            rest = &after[close + 2..];
            if name != "xmlns" && !name.starts_with("xmlns:") {
                return Some(name);
            }
        })
    }

    /// (namespace, local name) of an attribute's qualified name in the open start tag.
    fn attr_key<'s>(&'s self, qname: &'s str) -> (&'s str, &'s str) {
        match qname.split_once(':') {
            Some((p, l)) => (self.bound(p).unwrap_or(""), l),
            None => ("", qname),
        }
    }

    /// Writes ` name='` (the caller writes the escaped value and the closing quote).
    #[inline]
    fn attr_name(&mut self, ns: &str, prefix: &str, local: &str) {
        if ns.is_empty() && self.open && self.attr_record.is_empty() && self.tag_attr_set.is_none()
        {
            // The usual attribute: no namespace, nothing to order or look up later.
            let quote = if self.libvirt() { "='" } else { "=\"" };
            self.out.reserve(local.len() + 3);
            self.out.push(' ');
            self.out.push_str(local);
            self.out.push_str(quote);
            return;
        }
        self.attr_name_kept(ns, prefix, local)
    }

    /// [`Writer::attr_name`] for an attribute in a namespace, or on a tag whose
    /// attributes are ordered or looked up.
    #[inline(never)]
    fn attr_name_kept(&mut self, ns: &str, prefix: &str, local: &str) {
        if !self.open {
            return self.fail(format!("attribute `{local}` outside a start tag"));
        }
        if !self.attr_record.is_empty() {
            self.attr_segments.push((self.slot, self.out.len()));
        }
        self.out.push(' ');
        if ns.is_empty() {
            self.out.push_str(local);
            self.out.push('=');
            self.out.push(self.quote());
            if let Some(set) = &mut self.tag_attr_set {
                set.insert((String::new(), local.to_string()));
            }
            return;
        }
        let prefix = if ns == XML_NS {
            "xml".to_string()
        } else if !prefix.is_empty() && self.bound(prefix) == Some(ns) {
            prefix.to_string()
        } else {
            // A prefix already bound to `ns`, else `prefix` if nothing in scope binds
            // it, else one made up: redeclaring a prefix in use would change a name.
            let existing = self
                .bindings
                .iter()
                .rev()
                .find(|(p, u)| u == ns && !p.is_empty())
                .map(|(p, _)| p.clone())
                .filter(|p| self.bound(p) == Some(ns));
            let p = match existing {
                Some(p) => p,
                None if !prefix.is_empty() && self.bound(prefix).is_none() => prefix.to_string(),
                None => self.fresh_prefix(),
            };
            if self.bound(&p) != Some(ns) {
                // Declarations go before this attribute's name.
                self.out.pop();
                self.declare(&p, ns);
                self.out.push(' ');
            }
            p
        };
        if !prefix.is_empty() {
            self.out.push_str(&prefix);
            self.out.push(':');
        }
        self.out.push_str(local);
        if let Some(set) = &mut self.tag_attr_set {
            set.insert((ns.to_string(), local.to_string()));
        }
        self.out.push('=');
        self.out.push(self.quote());
    }

    /// Writes an attribute whose value `write` appends, escaped as the [`Escape`] says, to
    /// the output (typed values format straight into it; an `Err` is a character XML
    /// cannot carry).
    #[inline]
    pub fn attr_with(
        &mut self,
        ns: &str,
        local: &str,
        write: impl FnOnce(&mut String, Escape) -> Result<(), String>,
    ) {
        self.attr_name(ns, "", local);
        let esc = self.escape(true);
        if let Err(m) = write(&mut self.out, esc) {
            self.fail(m);
        }
        self.out.push(self.quote());
    }

    /// Writes character data inside the current element. Blank text among child
    /// elements is layout: in libvirt's style it replaces the indentation that follows.
    pub fn text(&mut self, s: &str) {
        if self.layout_here() && s.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r')) {
            self.layout_buffer().push_str(s);
            return;
        }
        self.has_layout = false;
        self.close_start();
        self.mark_text();
        self.escaped(s, false);
    }

    /// [`Writer::text`] of a newline and `spaces` spaces (blank text kept as a code): into
    /// the layout buffer, or, in another style or inside text, written as text.
    pub(crate) fn blank(&mut self, spaces: usize) {
        if self.layout_here() {
            let ws = self.layout_buffer();
            ws.push('\n');
            ws.extend(std::iter::repeat_n(' ', spaces));
            return;
        }
        self.text(&format!("\n{:1$}", "", spaces));
    }

    /// Whether blank text here is layout: libvirt's style, inside an element of children.
    fn layout_here(&self) -> bool {
        self.style == Style::Libvirt
            && self.open_elems.last().is_some_and(|e| !e.text && !e.verbatim)
    }

    /// The layout buffer, emptied first if it holds no layout now.
    fn layout_buffer(&mut self) -> &mut String {
        if !self.has_layout {
            self.layout.clear();
            self.has_layout = true;
        }
        &mut self.layout
    }

    /// Writes a comment inside the current element, laid out like a child element.
    pub fn comment(&mut self, body: &str) {
        if body.contains("--") || body.ends_with('-') {
            return self.fail(format!("comment `{}` holds `--`", excerpt(body)));
        }
        if let Some((_, m)) = forbidden_char(body.as_bytes()) {
            return self.fail(m);
        }
        self.markup_child();
        self.out.push_str("<!--");
        self.out.push_str(body);
        self.out.push_str("-->");
    }

    /// Writes a processing instruction inside the current element.
    pub fn processing_instruction(&mut self, target: &str, data: &str) {
        if !is_ncname(target) || target.eq_ignore_ascii_case("xml") {
            return self
                .fail(format!("`{}` is not a processing instruction target", excerpt(target)));
        }
        if data.contains("?>") || forbidden_char(data.as_bytes()).is_some() {
            return self.fail(format!(
                "processing instruction data `{}` cannot be written",
                excerpt(data)
            ));
        }
        self.markup_child();
        self.out.push_str("<?");
        self.out.push_str(target);
        if !data.is_empty() {
            self.out.push(' ');
            self.out.push_str(data);
        }
        self.out.push_str("?>");
    }

    /// Writes `xml`, one well-formed element that declares the namespaces it uses (see
    /// [`RawXml`](crate::RawXml)), as it is, laid out like a child element.
    pub fn raw_xml(&mut self, xml: &str) {
        self.markup_child();
        self.out.push_str(xml);
    }

    /// Starts a child that is not an element, on its own line where elements would be.
    fn markup_child(&mut self) {
        self.close_start();
        self.child_indent();
    }

    /// Writes character data that `write` appends, escaped, to the output.
    pub fn text_with(&mut self, write: impl FnOnce(&mut String, Escape) -> Result<(), String>) {
        self.close_start();
        self.mark_text();
        let esc = self.escape(false);
        if let Err(m) = write(&mut self.out, esc) {
            self.fail(m);
        }
    }

    fn mark_text(&mut self) {
        if let Some(top) = self.open_elems.last_mut() {
            top.text = true;
        }
    }

    fn escaped(&mut self, s: &str, attr: bool) {
        let esc = self.escape(attr);
        if let Err(m) = escape_into(&mut self.out, s, esc) {
            self.fail(m);
        }
    }

    /// Ends the innermost open element, started with the same `ns`, `prefix` and `local`
    /// (the end tag repeats the start tag as written, should a prefix have been replaced).
    #[inline]
    pub fn end_prefixed(&mut self, ns: &str, prefix: &str, local: &str) {
        // The usual leaf: still open, no attributes to order, no namespace declared here.
        if self.open
            && !self.has_layout
            && self.attr_record.is_empty()
            && self.open_elems.pop_if(|e| e.declared == 0).is_some()
        {
            self.set_top_double(self.open_elems.last().is_some_and(|e| e.double));
            self.attr_segments.clear();
            self.out.push_str("/>");
            self.open = false;
            return;
        }
        self.end_element(ns, prefix, local)
    }

    /// [`Writer::end_prefixed`] for any element.
    #[inline(never)]
    fn end_element(&mut self, ns: &str, prefix: &str, local: &str) {
        let Some(elem) = self.open_elems.pop() else {
            return self.fail("an end tag without a start tag".to_string());
        };
        self.set_top_double(self.open_elems.last().is_some_and(|e| e.double));
        let (s, e) = elem.name;
        if elem.declared != 0 {
            self.bindings.truncate(self.bindings.len() - elem.declared as usize);
        }
        if self.open && !self.has_layout {
            self.order_attrs();
            self.out.push_str("/>");
            self.open = false;
            return;
        }
        self.close_start();
        if self.has_layout
            || (self.style == Style::Libvirt && elem.children && !elem.text && !elem.verbatim)
        {
            self.indent(self.open_elems.len());
        }
        self.out.push_str("</");
        if elem.renamed {
            self.out.extend_from_within(s..e);
        } else {
            if !ns.is_empty() && !prefix.is_empty() {
                self.out.push_str(prefix);
                self.out.push(':');
            }
            self.out.push_str(local);
        }
        self.out.push('>');
    }

    /// Ends element `local` with no namespace.
    pub fn end(&mut self, local: &str) {
        self.end_prefixed("", "", local);
    }
}

/// Whether `prefix` may name namespace `ns` at all (`xml` only the XML namespace, and
/// `xmlns` nothing).
fn usable(prefix: &str, ns: &str) -> bool {
    prefix != "xmlns" && ((prefix == "xml") == (ns == XML_NS))
}

fn excerpt(s: &str) -> String {
    crate::error::excerpt(s).escape_debug().to_string()
}

/// Escapes markup characters; in attributes also quotes and the whitespace characters that
/// attribute-value normalisation would otherwise turn into spaces; in libvirt's style both
/// quotes everywhere. A character XML cannot carry at all is an error (nothing is written
/// for it).
pub(crate) fn escape_into(out: &mut String, s: &str, esc: Escape) -> Result<(), String> {
    let Escape { attr, libvirt } = esc;
    // One table per escaping mode, built at compile time: a byte needs a look when it is
    // markup, a control character, a quote or whitespace the mode escapes, or the first
    // byte of U+FFFE/U+FFFF.
    const fn needs_table(attr: bool, libvirt: bool) -> [bool; 256] {
        let mut t = [false; 256];
        let mut b = 0;
        while b < 256 {
            let c = b as u8;
            t[b] = matches!(c, b'<' | b'>' | b'&' | b'\r')
                || c < 0x20 && c != b'\n' && c != b'\t'
                || c == 0xEF
                || (attr && matches!(c, b'"' | b'\n' | b'\t'))
                || (libvirt && matches!(c, b'"' | b'\''));
            b += 1;
        }
        t
    }
    static NEEDS: [[bool; 256]; 4] = [
        needs_table(false, false),
        needs_table(false, true),
        needs_table(true, false),
        needs_table(true, true),
    ];
    let needs = &NEEDS[usize::from(attr) * 2 + usize::from(libvirt)];
    let bytes = s.as_bytes();
    let Some(first) = bytes.iter().position(|&b| needs[usize::from(b)]) else {
        out.push_str(s);
        return Ok(());
    };
    let mut last = 0;
    for (i, &b) in bytes.iter().enumerate().skip(first) {
        let rep = match b {
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'&' => "&amp;",
            b'"' if attr || libvirt => "&quot;",
            b'\'' if libvirt => "&apos;",
            b'\n' if attr => "&#10;",
            b'\t' if attr => "&#9;",
            b'\r' => "&#13;",
            0..=0x1F | 0xEF => match forbidden_char(&bytes[i..(i + 3).min(bytes.len())]) {
                Some((0, m)) => {
                    out.push_str(&s[last..i]);
                    return Err(m);
                }
                _ => continue,
            },
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&s[last..]);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(s: &str, attr: bool) -> Result<String, String> {
        let mut out = String::new();
        let esc = Escape { attr, libvirt: false };
        escape_into(&mut out, s, esc).map(|()| out)
    }

    #[test]
    fn escaping() {
        assert_eq!(escaped("a<b>&\"'\n\t\r", false).unwrap(), "a&lt;b&gt;&amp;\"'\n\t&#13;");
        assert_eq!(
            escaped("a<b>&\"'\n\t\r", true).unwrap(),
            "a&lt;b&gt;&amp;&quot;'&#10;&#9;&#13;"
        );
        let mut out = String::new();
        let esc = Escape { attr: false, libvirt: true };
        escape_into(&mut out, "\"a'", esc).unwrap();
        assert_eq!(out, "&quot;a&apos;");
        assert_eq!(escaped("\u{FFFD}é", true).unwrap(), "\u{FFFD}é");
        assert!(escaped("a\0", false).unwrap_err().contains("U+0000"));
        assert!(escaped("\u{FFFE}", true).unwrap_err().contains("U+FFFE"));
    }

    #[test]
    fn end_tags_repeat_replaced_prefixes() {
        let mut w = Writer::with_style(Style::Compact);
        w.start("root");
        w.start_raw("urn:a", "xmlns", "x", false);
        w.end_prefixed("urn:a", "xmlns", "x");
        w.end("root");
        let out = w.finish().unwrap();
        assert_eq!(out, "<root><ns1:x xmlns:ns1=\"urn:a\"/></root>\n");
        let mut w = Writer::with_style(Style::Compact);
        w.start("root");
        w.start_raw("urn:a", "xmlns", "x", false);
        w.text("t");
        w.end_prefixed("urn:a", "xmlns", "x");
        w.end("root");
        assert_eq!(w.finish().unwrap(), "<root><ns1:x xmlns:ns1=\"urn:a\">t</ns1:x></root>\n");
    }

    #[test]
    fn libvirt_layout() {
        let mut w = Writer::new();
        w.start("domain");
        w.attr("", "type", "kvm");
        w.start("name");
        w.text("it's");
        w.end("name");
        w.start("devices");
        w.start("disk");
        w.end("disk");
        w.end("devices");
        w.start("raw");
        w.verbatim();
        w.start("a");
        w.end("a");
        w.text(" x ");
        w.end("raw");
        w.end("domain");
        assert_eq!(
            w.finish().unwrap(),
            "<domain type='kvm'>\n  <name>it&apos;s</name>\n  <devices>\n    <disk/>\n  </devices>\n  \
             <raw><a/> x </raw>\n</domain>\n"
        );
    }
}
