//! A streaming XML reader: generated parsers pull elements and text from it and build
//! typed values directly, with no tree in between. It scans the bytes itself (with
//! `memchr` for the long runs), which is most of what makes typed parsing fast.
//!
//! It does what a conforming parser must for libvirt's documents: resolves namespaces,
//! decodes entity and character references, normalizes line ends and attribute
//! whitespace, checks that tags match and attributes are unique, and refuses DTDs (so no
//! entity expansion). It checks what XML 1.0 and Namespaces in XML 1.0 require of a
//! well-formed document: allowed characters, names, comments, processing instructions,
//! unique attributes and namespace declarations.
//!
//! Every cost is linear in the input: attribute uniqueness and namespace lookups use hash
//! tables once an element has many, and the limits of [`ReadOptions`] (depth, elements,
//! attributes, bytes) bound memory. Error paths come from the reader's own state and one
//! streaming re-scan, never from building a tree.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use crate::chars::{
    forbidden_char, is_name_char, is_name_start, is_xml_char, ATTR_SPECIAL, ATTR_STOP, CLASS, NAME,
    NAME_START, TEXT_SPECIAL, XMLNS_NS, XML_NS,
};
use crate::error::{Error, ErrorKind};
use crate::options::ReadOptions;
use crate::string::Str;

/// A start tag just read: its name (namespace resolved) and where it is.
#[derive(Clone, Debug)]
pub struct Tag<'a> {
    /// Prefix as written (empty for none).
    pub prefix: &'a str,
    /// Local name.
    pub local: &'a str,
    ns: Option<Rc<str>>,
    pos: usize,
    empty: bool,
}

impl<'a> Tag<'a> {
    /// Namespace URI, if the element is in one.
    pub fn ns(&self) -> Option<&str> {
        self.ns.as_deref()
    }

    /// Byte offset of the `<` of the tag.
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// It is written `<x/>`: it has no content and its bindings are out of scope.
    pub(crate) fn is_empty(&self) -> bool {
        self.empty
    }
}

/// An attribute of the last start tag.
#[derive(Clone, Debug)]
pub struct Attr<'a> {
    /// Prefix as written (empty for none).
    pub prefix: &'a str,
    /// Local name.
    pub local: &'a str,
    ns: Option<Rc<str>>,
    /// Value with references decoded and whitespace normalized.
    pub value: Cow<'a, str>,
}

impl Attr<'_> {
    /// Namespace URI, if the attribute is namespaced.
    pub fn ns(&self) -> Option<&str> {
        self.ns.as_deref()
    }
}

/// What comes next inside an element.
#[derive(Debug)]
pub enum Child<'a> {
    /// A child element; read it (or skip it) before asking for the next child.
    Element(Tag<'a>),
    /// Character data (text or CDATA), decoded.
    Text(Cow<'a, str>),
    /// A comment's text, between `<!--` and `-->`.
    Comment(Cow<'a, str>),
    /// A processing instruction: its target and its data (`<?target data?>`).
    ProcessingInstruction(&'a str, Cow<'a, str>),
}

struct Open<'a> {
    prefix: &'a str,
    local: &'a str,
    /// Byte offset of the start tag's `<`.
    pos: usize,
    ns_mark: usize,
    /// It has had a child element, comment or processing instruction so far.
    children: bool,
    /// How many slots were noted when it started: what it notes itself comes after.
    order_mark: usize,
}

/// A namespace binding in scope.
struct Binding<'a> {
    prefix: &'a str,
    uri: Rc<str>,
    /// The binding of the same prefix that this one hides, restored when it goes out of scope.
    shadowed: Option<usize>,
}

/// The working lists of the last reader dropped on this thread, kept for the next one: a
/// parse then allocates only for the values it builds.
struct Spare {
    attrs: Vec<Attr<'static>>,
    pending: Vec<(&'static str, &'static str, &'static str, usize, bool)>,
    open: Vec<Open<'static>>,
    order: Vec<u16>,
}

/// The short strings one document repeats, allocated once and shared by every value
/// that spells them: domain capabilities list the same `<value>`s (`virtio-scsi`,
/// `qemu-xhci`) under device after device, three times in four. Strings that a
/// [`Str`] holds in place (`usb`) are not looked up. A string value is immutable,
/// so sharing is invisible but for memory and allocations; the table goes with the
/// reader, so nothing outlives the values read.
#[doc(hidden)]
#[derive(Default)]
pub struct SharedStrings {
    /// A string of at most [`SharedStrings::LONGEST`] bytes, with its hash, at the slot
    /// its hash picks (a newer one takes the place of an older one of the same slot); 512
    /// slots, made when a document first needs them. The hash tells most other strings
    /// apart without reading them.
    slots: Vec<(u64, Option<Str>)>,
    /// Strings read before the table is used: a document of few values (most domains)
    /// does not pay for looking them up.
    unshared: u32,
}

impl SharedStrings {
    /// Longer strings (paths, descriptions) seldom repeat, and are not looked up.
    const LONGEST: usize = 32;

    /// How many strings a document reads before the table is used.
    const FIRST: u32 = 64;

    /// Slots in the table, a power of two (the top bits of a hash pick one).
    const SLOTS: usize = 512;

    /// `s` as a [`Str`]: the one read before if the document had it already.
    pub fn get(&mut self, s: &str) -> Str {
        if s.len() <= Str::INLINE || s.len() > Self::LONGEST || self.unshared < Self::FIRST {
            self.unshared += u32::from(self.unshared < Self::FIRST);
            return Str::from(s);
        }
        if self.slots.is_empty() {
            self.slots = vec![(0, None); Self::SLOTS];
        }
        let h = hash_short(s.as_bytes());
        let i = (h >> (64 - Self::SLOTS.trailing_zeros())) as usize;
        let Some((key, slot)) = self.slots.get_mut(i) else {
            return Str::from(s);
        };
        match slot {
            Some(t) if *key == h && t.as_str() == s => t.clone(),
            _ => {
                let t = Str::from(s);
                *key = h;
                *slot = Some(t.clone());
                t
            }
        }
    }
}

const _: () = assert!(SharedStrings::SLOTS.is_power_of_two());

/// A hash of a short string: the FxHash step over its 8-byte words, the last one read
/// overlapping the one before (a string under 8 bytes as two overlapping halves, one
/// under 4 as its first, middle and last bytes), so that no byte is copied to make a word.
fn hash_short(b: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let step = |h: u64, w: u64| (h.rotate_left(5) ^ w).wrapping_mul(K);
    let word = |i: usize| {
        b.get(i..i + 8).map_or(0, |w| u64::from_le_bytes(w.try_into().unwrap_or_default()))
    };
    let half = |i: usize| {
        b.get(i..i + 4)
            .map_or(0, |w| u64::from(u32::from_le_bytes(w.try_into().unwrap_or_default())))
    };
    let n = b.len();
    let h = n as u64;
    match n {
        0..4 => {
            let (first, mid, last) = (b.first(), b.get(n / 2), b.last());
            let byte = |c: Option<&u8>| u64::from(c.copied().unwrap_or(0));
            step(h, byte(first) | byte(mid) << 8 | byte(last) << 16)
        }
        4..8 => step(h, half(0) | half(n - 4) << 32),
        _ => {
            let mut h = h;
            let mut i = 0;
            while i + 8 < n {
                h = step(h, word(i));
                i += 8;
            }
            step(h, word(n - 8))
        }
    }
}

thread_local! {
    static SPARE: std::cell::Cell<Option<Spare>> = const { std::cell::Cell::new(None) };
}

/// An emptied list, its allocation reused for items of the same layout (items borrowing
/// from another text); `Vec`'s in-place collection reuses it, and at worst allocates anew.
fn recycle<T, U>(mut v: Vec<T>) -> Vec<U> {
    v.clear();
    v.into_iter().map(|_| unreachable!("the list is empty")).collect()
}

impl Drop for Reader<'_> {
    fn drop(&mut self) {
        // Lists grown by an unusual document are not kept.
        if self.attrs.capacity() > 64 || self.open.capacity() > 256 || self.order.capacity() > 4096
        {
            return;
        }
        let mut order = std::mem::take(&mut self.order);
        order.clear();
        let spare = Spare {
            attrs: recycle(std::mem::take(&mut self.attrs)),
            pending: recycle(std::mem::take(&mut self.pending)),
            open: recycle(std::mem::take(&mut self.open)),
            order,
        };
        SPARE.with(|s| s.set(Some(spare)));
    }
}

/// Up to this many bindings in scope (or attributes on a tag), a linear search beats hashing.
const LINEAR: usize = 24;

/// Pull parser over one document.
pub struct Reader<'a> {
    text: &'a str,
    /// Byte offset of the next unread byte.
    pos: usize,
    attrs: Vec<Attr<'a>>,
    /// Attributes of the tag being read: (prefix, local, raw value, offset, whether the
    /// value needs no decoding).
    pending: Vec<(&'a str, &'a str, &'a str, usize, bool)>,
    /// Whether the tag read last declares a namespace (`xmlns`, `xmlns:p`).
    declares: bool,
    /// Namespace bindings in scope, outermost first.
    bindings: Vec<Binding<'a>>,
    /// Index of the innermost binding of each prefix ("" is the default namespace).
    latest: HashMap<&'a str, usize>,
    open: Vec<Open<'a>>,
    elements: usize,
    /// Bytes that reading adds to the document's own (declarations written into raw
    /// content), counted against the size limit.
    added: usize,
    opts: ReadOptions,
    /// False in the re-scan that works out a path (whose own errors need none).
    paths: bool,
    /// Document order of the open elements' attributes and children, as the generated
    /// code's slot numbers: one stack shared by all levels, so the usual element (whose
    /// order is the schema's) allocates nothing for it.
    order: Vec<u16>,
    /// Places where the document did not fit the types, read leniently.
    diagnostics: Vec<Error>,
    strings: SharedStrings,
}

impl<'a> Reader<'a> {
    /// A reader over `text` with the default [`ReadOptions`].
    pub fn new(text: &'a str) -> Reader<'a> {
        Reader::with_options(text, ReadOptions::default())
    }

    /// A reader over `text` with the given limits.
    pub fn with_options(text: &'a str, opts: ReadOptions) -> Reader<'a> {
        // A UTF-8 byte order mark is not content.
        let pos = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let spare = SPARE.with(|s| s.take()).unwrap_or_else(|| Spare {
            attrs: Vec::with_capacity(16),
            pending: Vec::with_capacity(16),
            open: Vec::with_capacity(16),
            order: Vec::with_capacity(64),
        });
        Reader {
            text,
            pos,
            attrs: recycle(spare.attrs),
            pending: recycle(spare.pending),
            declares: false,
            bindings: Vec::new(),
            latest: HashMap::new(),
            open: recycle(spare.open),
            order: spare.order,
            strings: SharedStrings::default(),
            elements: 0,
            added: 0,
            opts,
            paths: true,
            diagnostics: Vec::new(),
        }
    }

    /// The short strings this document repeats (see [`SharedStrings`]).
    pub(crate) fn strings(&mut self) -> &mut SharedStrings {
        &mut self.strings
    }

    /// A syntax error at byte `pos`, inside the elements open there.
    #[cold]
    fn syntax(&self, pos: usize, msg: &str) -> Error {
        self.error_at(pos, ErrorKind::Xml(msg.to_string()))
    }

    /// An error at byte `pos`, with the path of the elements open there.
    #[cold]
    fn error_at(&self, pos: usize, kind: ErrorKind) -> Error {
        self.error_in(pos, kind, None)
    }

    /// An error at byte `pos`, with the path of the elements open there and then of
    /// `starting`, an element refused at its start tag.
    #[cold]
    fn error_in(
        &self,
        pos: usize,
        kind: ErrorKind,
        starting: Option<(usize, &str, &str)>,
    ) -> Error {
        let mut e = Error::at_offset(self.text, pos, kind);
        if !self.paths {
            return e;
        }
        let mut chain: Vec<(usize, &str, &str)> =
            self.open.iter().map(|o| (o.pos, o.prefix, o.local)).collect();
        chain.extend(starting);
        e.set_path(self.path_of(&chain));
        e
    }

    #[inline]
    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    #[inline]
    fn starts_with(&self, s: &[u8]) -> bool {
        self.bytes()[self.pos..].starts_with(s)
    }

    /// Moves past the next `end` (e.g. `-->`) and returns what came before it, or fails
    /// with `what` at `from`.
    fn take_until(&mut self, end: &[u8], from: usize, what: &str) -> Result<&'a str, Error> {
        match memchr::memmem::find(&self.bytes()[self.pos..], end) {
            Some(i) => {
                let body = &self.text[self.pos..self.pos + i];
                self.pos += i + end.len();
                Ok(body)
            }
            None => Err(self.syntax(from, &format!("unterminated {what}"))),
        }
    }

    fn skip_space(&mut self) {
        let b = self.bytes();
        while self.pos < b.len() && matches!(b[self.pos], b' ' | b'\t' | b'\r' | b'\n') {
            self.pos += 1;
        }
    }

    /// Reads a comment; the position is at its `<!--`.
    fn comment(&mut self) -> Result<&'a str, Error> {
        let at = self.pos;
        self.pos += 4;
        let body = self.take_until(b"-->", at, "comment")?;
        if body.contains("--") || body.ends_with('-') {
            return Err(self.syntax(at, "`--` inside a comment"));
        }
        check_chars(body).map_err(|(i, m)| self.syntax(at + 4 + i, &m))?;
        Ok(body)
    }

    /// Reads a processing instruction; the position is at its `<?`.
    fn pi(&mut self) -> Result<(&'a str, &'a str), Error> {
        let at = self.pos;
        self.pos += 2;
        let (prefix, target) = self.name()?;
        if !prefix.is_empty() {
            return Err(self.syntax(at, "a processing instruction target cannot have a colon"));
        }
        if target.eq_ignore_ascii_case("xml") {
            let msg = if target == "xml" {
                "the XML declaration must come first in the document"
            } else {
                "processing instruction targets starting with `xml` are reserved"
            };
            return Err(self.syntax(at, msg));
        }
        if !self.starts_with(b"?>")
            && !matches!(self.bytes().get(self.pos), Some(b' ' | b'\t' | b'\r' | b'\n'))
        {
            return Err(self.syntax(self.pos, "expected whitespace or `?>` after the target"));
        }
        let body = self.take_until(b"?>", at, "processing instruction")?;
        let body_at = self.pos - 2 - body.len();
        check_chars(body).map_err(|(i, m)| self.syntax(body_at + i, &m))?;
        Ok((target, body.trim_start_matches([' ', '\t', '\r', '\n'])))
    }

    /// Skips comments, processing instructions and blanks (outside the root element).
    /// Returns at a `<` that starts something else, or at the end.
    fn skip_misc(&mut self) -> Result<(), Error> {
        loop {
            self.skip_space();
            if self.starts_with(b"<!--") {
                self.comment()?;
            } else if self.starts_with(b"<?") {
                self.pi()?;
            } else {
                return Ok(());
            }
        }
    }

    /// Reads the XML declaration, if the document starts with one.
    fn xml_declaration(&mut self) -> Result<(), Error> {
        let b = self.bytes();
        let ws = |c: Option<&u8>| matches!(c, Some(b' ' | b'\t' | b'\r' | b'\n'));
        if !(self.starts_with(b"<?xml") && ws(b.get(self.pos + 5))) {
            return Ok(());
        }
        let at = self.pos;
        self.pos += 5;
        let body = self.take_until(b"?>", at, "XML declaration")?;
        if !body.trim_start().starts_with("version") {
            return Err(self.syntax(at, "the XML declaration must start with `version`"));
        }
        Ok(())
    }

    /// Reads up to and including the root start tag.
    pub fn root(&mut self) -> Result<Tag<'a>, Error> {
        if self.text.len() > self.opts.limits().3 {
            return Err(Error::at_offset(
                self.text,
                0,
                ErrorKind::LimitExceeded { limit: "bytes", max: self.opts.limits().3 },
            ));
        }
        self.xml_declaration()?;
        self.skip_misc()?;
        if self.starts_with(b"<!") {
            return Err(self.syntax(self.pos, "DTDs are not allowed"));
        }
        if self.pos >= self.text.len() || !self.starts_with(b"<") {
            return Err(self.syntax(self.pos, "no root element"));
        }
        self.start()
    }

    /// After the root element: only comments, processing instructions and blanks may follow.
    pub fn finish(&mut self) -> Result<(), Error> {
        self.skip_misc()?;
        if self.pos < self.text.len() {
            return Err(self.syntax(self.pos, "content after the root element"));
        }
        Ok(())
    }

    /// Whether the text at the current position is the name `prefix:local` (or `local`),
    /// whole: not followed by another name character.
    fn at_qname(&self, prefix: &str, local: &str) -> bool {
        let rest = &self.bytes()[self.pos..];
        let rest = if prefix.is_empty() {
            rest
        } else {
            match rest.strip_prefix(prefix.as_bytes()).and_then(|r| r.strip_prefix(b":")) {
                Some(r) => r,
                None => return false,
            }
        };
        match rest.strip_prefix(local.as_bytes()) {
            Some(after) => {
                after.first().is_none_or(|&c| CLASS[c as usize] & NAME == 0 && c != b':')
            }
            None => false,
        }
    }

    /// Reads a qualified name (`prefix:local` or `local`) at the current position.
    fn name(&mut self) -> Result<(&'a str, &'a str), Error> {
        let b = self.bytes();
        let start = self.pos;
        let mut i = start;
        let mut colon = None;
        // Every byte or'ed together: below 0x80 when the name is ASCII.
        let mut seen = 0u8;
        loop {
            while let Some(&c) = b.get(i) {
                if CLASS[usize::from(c)] & NAME == 0 {
                    break;
                }
                seen |= c;
                i += 1;
            }
            if b.get(i) != Some(&b':') {
                break;
            }
            if colon.is_some() {
                self.pos = i;
                return Err(self.syntax(start, "a name can have at most one colon"));
            }
            colon = Some(i);
            i += 1;
        }
        self.pos = i;
        let name = &self.text[start..i];
        let (prefix, local) = match colon {
            Some(c) => (&self.text[start..c], &self.text[c + 1..i]),
            None => ("", name),
        };
        // ASCII names need only their first byte checked; others every character.
        let valid = |n: &str| match n.as_bytes().first() {
            None => false,
            Some(&c) if seen < 0x80 => CLASS[usize::from(c)] & NAME_START != 0,
            Some(_) => {
                let mut chars = n.chars();
                chars.next().is_some_and(is_name_start) && chars.all(is_name_char)
            }
        };
        if !valid(local) || (colon.is_some() && !valid(prefix)) {
            let shown = crate::error::excerpt(name);
            return Err(self.syntax(start, &format!("invalid name `{shown}`")));
        }
        Ok((prefix, local))
    }

    fn resolve(&self, prefix: &str, pos: usize) -> Result<Option<Rc<str>>, Error> {
        if prefix == "xml" {
            return Ok(Some(Rc::from(XML_NS)));
        }
        let found = if self.bindings.len() <= LINEAR {
            self.bindings.iter().rev().find(|b| b.prefix == prefix)
        } else {
            self.latest.get(prefix).map(|&i| &self.bindings[i])
        };
        match found {
            Some(b) if b.uri.is_empty() => Ok(None),
            Some(b) => Ok(Some(b.uri.clone())),
            None if prefix.is_empty() => Ok(None),
            None => Err(self.syntax(pos, &format!("unbound namespace prefix `{prefix}`"))),
        }
    }

    fn bind(&mut self, prefix: &'a str, uri: Rc<str>) {
        let shadowed = self.latest.insert(prefix, self.bindings.len());
        self.bindings.push(Binding { prefix, uri, shadowed });
    }

    fn unbind_to(&mut self, mark: usize) {
        while self.bindings.len() > mark {
            let b = self.bindings.pop().expect("len > mark");
            match b.shadowed {
                Some(i) => self.latest.insert(b.prefix, i),
                None => self.latest.remove(b.prefix),
            };
        }
    }

    /// Checks a namespace declaration (`xmlns` or `xmlns:p`) against the rules of
    /// Namespaces in XML 1.0.
    fn check_declaration(&self, prefix: &str, uri: &str, at: usize) -> Result<(), Error> {
        let bad = if prefix == "xmlns" {
            Some("the prefix `xmlns` cannot be declared")
        } else if prefix == "xml" && uri != XML_NS {
            Some("the prefix `xml` cannot be bound to another namespace")
        } else if prefix != "xml" && uri == XML_NS {
            Some("the XML namespace can only be bound to the prefix `xml`")
        } else if uri == XMLNS_NS {
            Some("the xmlns namespace cannot be declared")
        } else if !prefix.is_empty() && uri.is_empty() {
            Some("a prefix cannot be bound to the empty namespace name")
        } else {
            None
        };
        match bad {
            Some(m) => Err(self.syntax(at, m)),
            None => Ok(()),
        }
    }

    /// Reads a start tag; the position is at its `<`.
    fn start(&mut self) -> Result<Tag<'a>, Error> {
        let pos = self.pos;
        self.pos += 1;
        let (prefix, local) = self.name()?;
        let this = Some((pos, prefix, local));
        if self.open.len() >= self.opts.limits().0 {
            let kind = ErrorKind::TooDeep(self.opts.limits().0);
            return Err(self.error_in(pos, kind, this));
        }
        self.elements += 1;
        if self.elements > self.opts.limits().1 {
            let max = self.opts.limits().1;
            let kind = ErrorKind::LimitExceeded { limit: "elements", max };
            return Err(self.error_in(pos, kind, this));
        }
        // Open from here on, so errors inside the start tag name this element.
        let ns_mark = self.bindings.len();
        if let Some(parent) = self.open.last_mut() {
            parent.children = true;
        }
        let order_mark = self.order.len();
        self.open.push(Open { prefix, local, pos, ns_mark, children: false, order_mark });
        self.pending.clear();
        self.declares = false;
        let b = self.bytes();
        let empty = loop {
            let before = self.pos;
            self.skip_space();
            match b.get(self.pos) {
                None => return Err(self.syntax(pos, "unterminated start tag")),
                Some(b'>') => {
                    self.pos += 1;
                    break false;
                }
                Some(b'/') if b.get(self.pos + 1) == Some(&b'>') => {
                    self.pos += 2;
                    break true;
                }
                Some(_) if self.pos == before => {
                    return Err(
                        self.syntax(self.pos, "expected whitespace, `>` or `/>` in start tag")
                    )
                }
                Some(_) => {}
            }
            self.pending_attribute()?;
        };
        self.check_unique_names()?;
        self.bind_declarations()?;
        if prefix == "xmlns" {
            return Err(self.syntax(pos, "the prefix `xmlns` cannot name an element"));
        }
        let ns = self.resolve(prefix, pos)?;
        self.resolve_attributes()?;
        if empty {
            self.open.pop();
            self.unbind_to(ns_mark);
        }
        Ok(Tag { prefix, local, ns, pos, empty })
    }

    /// Reads one `name="value"` of a start tag into `pending` (names resolved later, once
    /// the tag's own namespace declarations are known).
    #[inline]
    fn pending_attribute(&mut self) -> Result<(), Error> {
        let b = self.bytes();
        let at = self.pos;
        let (ap, al) = self.name()?;
        self.skip_space();
        if b.get(self.pos) != Some(&b'=') {
            return Err(self.syntax(self.pos, "expected `=` after attribute name"));
        }
        self.pos += 1;
        self.skip_space();
        let quote = match b.get(self.pos) {
            Some(&q @ (b'"' | b'\'')) => q,
            _ => return Err(self.syntax(self.pos, "expected a quoted attribute value")),
        };
        let vstart = self.pos + 1;
        // One pass to the closing quote, noting whether the value needs decoding.
        let mut i = vstart;
        let mut plain = true;
        let end = loop {
            while let Some(&c) = b.get(i) {
                if CLASS[usize::from(c)] & (ATTR_STOP | ATTR_SPECIAL) != 0 {
                    break;
                }
                i += 1;
            }
            match b.get(i) {
                None => return Err(self.syntax(at, "unterminated attribute value")),
                Some(&c) if c == quote => break i,
                Some(b'<') => return Err(self.syntax(i, "`<` in an attribute value")),
                Some(b'"' | b'\'') => {}
                Some(_) => plain = false,
            }
            i += 1;
        };
        let value = &self.text[vstart..end];
        if self.pending.len() >= self.opts.limits().2 {
            let max = self.opts.limits().2;
            return Err(self.error_at(at, ErrorKind::LimitExceeded { limit: "attributes", max }));
        }
        self.pending.push((ap, al, value, at, plain));
        self.declares |= is_declaration(ap, al);
        self.pos = end + 1;
        Ok(())
    }

    /// Binds the namespace declarations among the pending attributes (`xmlns`, `xmlns:p`).
    #[inline]
    fn bind_declarations(&mut self) -> Result<(), Error> {
        if !self.declares {
            return Ok(());
        }
        for i in 0..self.pending.len() {
            let (p, l, v, at, _) = self.pending[i];
            let bound_prefix = match (p, l) {
                ("", "xmlns") => "",
                ("xmlns", l) => l,
                _ => continue,
            };
            let value = decode(v, true).map_err(|(j, m)| self.syntax(self.offset_of(v) + j, &m))?;
            self.check_declaration(bound_prefix, &value, at)?;
            self.bind(bound_prefix, Rc::from(value.as_ref()));
        }
        Ok(())
    }

    /// The pending attributes other than declarations, names resolved and values decoded,
    /// into `attrs`; expanded names must be unique.
    #[inline]
    fn resolve_attributes(&mut self) -> Result<(), Error> {
        self.attrs.clear();
        for i in 0..self.pending.len() {
            let (p, l, v, at, plain) = self.pending[i];
            if self.declares && is_declaration(p, l) {
                continue;
            }
            let ans = if p.is_empty() { None } else { self.resolve(p, at)? };
            let value = if plain {
                Cow::Borrowed(v)
            } else {
                decode(v, true).map_err(|(j, m)| self.syntax(self.offset_of(v) + j, &m))?
            };
            self.attrs.push(Attr { prefix: p, local: l, ns: ans, value });
        }
        self.check_unique_expanded()
    }

    /// Attribute names (as written, declarations included) are unique in a start tag.
    fn check_unique_names(&self) -> Result<(), Error> {
        let p = &self.pending;
        let dup = if p.len() <= LINEAR {
            (1..p.len()).find(|&i| p[..i].iter().any(|q| same(q.0, p[i].0) && same(q.1, p[i].1)))
        } else {
            let mut seen = HashSet::with_capacity(p.len());
            (0..p.len()).find(|&i| !seen.insert((p[i].0, p[i].1)))
        };
        match dup {
            Some(i) => {
                Err(self
                    .syntax(p[i].3, &format!("duplicate attribute `{}`", qname(p[i].0, p[i].1))))
            }
            None => Ok(()),
        }
    }

    /// No two attributes have the same namespace and local name (`a:x` and `b:x` with `a`
    /// and `b` bound to one namespace).
    fn check_unique_expanded(&self) -> Result<(), Error> {
        let a = &self.attrs;
        if a.iter().all(|x| x.ns.is_none()) {
            return Ok(()); // unprefixed names were checked as written
        }
        let dup = if a.len() <= LINEAR {
            (1..a.len())
                .find(|&i| a[..i].iter().any(|q| same(q.local, a[i].local) && q.ns == a[i].ns))
        } else {
            let mut seen = HashSet::with_capacity(a.len());
            (0..a.len()).find(|&i| !seen.insert((a[i].ns.clone(), a[i].local)))
        };
        match dup {
            Some(i) => {
                let at = self.pending.iter().find(|p| same(p.1, a[i].local)).map_or(0, |p| p.3);
                Err(self
                    .syntax(at, &format!("duplicate attribute `{}` (same namespace)", a[i].local)))
            }
            None => Ok(()),
        }
    }

    /// Byte offset in the document of `part`, a slice of it.
    fn offset_of(&self, part: &str) -> usize {
        (part.as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize)
    }

    /// Whether the start tag read last quotes its first attribute (or namespace
    /// declaration) with `"`; `None` when it has neither.
    pub fn double_quoted(&self) -> Option<bool> {
        let &(_, _, v, _, _) = self.pending.first()?;
        let q = self.offset_of(v).checked_sub(1)?;
        Some(self.text.as_bytes().get(q) == Some(&b'"'))
    }

    /// Attributes of the start tag read last.
    pub fn attrs(&self) -> &[Attr<'a>] {
        &self.attrs
    }

    /// Value of attribute `local` (in namespace `ns`) of the start tag read last.
    pub fn attr_value(&self, ns: Option<&str>, local: &str) -> Option<&str> {
        self.attrs.iter().find(|a| same(a.local, local) && a.ns() == ns).map(|a| a.value.as_ref())
    }

    /// [`Reader::next_child`] for an element that holds no text of its own: blank text in
    /// libvirt's layout (see [`Reader::blank_is_layout`]), which such an element drops, is
    /// passed over here rather than handed out.
    #[inline]
    pub fn next_element_child(&mut self, parent: &Tag<'a>) -> Result<Option<Child<'a>>, Error> {
        let b = self.bytes();
        let at = self.pos;
        if !parent.empty && b.get(at) == Some(&b'\n') {
            // Layout is one newline, then spaces: counted here rather than compared.
            let mut i = at + 1;
            while b.get(i) == Some(&b' ') {
                i += 1;
            }
            if b.get(i) == Some(&b'<') {
                self.pos = i;
                if self.layout_level() != Some((i - at - 1) / 2) || !(i - at - 1).is_multiple_of(2)
                {
                    self.pos = at;
                }
            }
        }
        self.next_child(parent)
    }

    /// The next child of the element `parent` (the innermost open one), or `None` at its end tag.
    pub fn next_child(&mut self, parent: &Tag<'a>) -> Result<Option<Child<'a>>, Error> {
        if parent.empty {
            return Ok(None);
        }
        let b = self.bytes();
        let at = self.pos;
        if at >= b.len() {
            return Err(self.syntax(at, &format!("unclosed element <{}>", parent.local)));
        }
        if b[at] != b'<' {
            // Indentation, the usual text: blank up to the next markup, nothing to decode.
            let mut i = at;
            while let Some(b' ' | b'\n' | b'\t') = b.get(i) {
                i += 1;
            }
            if b.get(i) == Some(&b'<') {
                self.pos = i;
                return Ok(Some(Child::Text(Cow::Borrowed(&self.text[at..i]))));
            }
            let end = memchr::memchr(b'<', &b[i..]).map_or(b.len(), |j| i + j);
            self.pos = end;
            let raw = &self.text[at..end];
            let t = decode(raw, false).map_err(|(i, m)| self.syntax(at + i, &m))?;
            return Ok(Some(Child::Text(t)));
        }
        match b.get(at + 1) {
            Some(b'/') => {
                self.pos = at + 2;
                // The usual end tag names the open element exactly: compared, not scanned
                // and checked again as a name.
                let expected = self.open.last().map(|o| (o.prefix, o.local));
                let (prefix, local) = match expected.filter(|&(p, l)| self.at_qname(p, l)) {
                    Some((p, l)) => {
                        self.pos += l.len() + if p.is_empty() { 0 } else { p.len() + 1 };
                        (p, l)
                    }
                    None => self.name()?,
                };
                self.skip_space();
                if b.get(self.pos) != Some(&b'>') {
                    return Err(self.syntax(self.pos, "expected `>` to close the end tag"));
                }
                self.pos += 1;
                let Some(open) = self.open.last() else {
                    return Err(self.syntax(at, "end tag without a start tag"));
                };
                if !same(open.prefix, prefix) || !same(open.local, local) {
                    let msg = format!(
                        "expected </{}>, found </{}>",
                        qname(open.prefix, open.local),
                        qname(prefix, local)
                    );
                    return Err(self.syntax(at, &msg));
                }
                let ns_mark = open.ns_mark;
                self.open.pop();
                self.unbind_to(ns_mark);
                Ok(None)
            }
            Some(b'!' | b'?') => self.other_markup(at),
            _ => Ok(Some(Child::Element(self.start()?))),
        }
    }

    /// A comment, CDATA section or processing instruction at `at`: rare in libvirt's XML,
    /// so read out of [`Reader::next_child`]'s usual path.
    #[cold]
    #[inline(never)]
    fn other_markup(&mut self, at: usize) -> Result<Option<Child<'a>>, Error> {
        match self.bytes().get(at + 1) {
            Some(b'!') if self.starts_with(b"<!--") => {
                let body = self.comment()?;
                self.mark_child();
                Ok(Some(Child::Comment(normalize_newlines(body))))
            }
            Some(b'!') if self.starts_with(b"<![CDATA[") => {
                self.pos += 9;
                let text = self.take_until(b"]]>", at, "CDATA section")?;
                check_chars(text).map_err(|(i, m)| self.syntax(at + 9 + i, &m))?;
                Ok(Some(Child::Text(normalize_newlines(text))))
            }
            Some(b'?') => {
                let (target, data) = self.pi()?;
                self.mark_child();
                Ok(Some(Child::ProcessingInstruction(target, normalize_newlines(data))))
            }
            _ => Err(self.syntax(at, "unexpected markup")),
        }
    }

    /// Takes the attributes of the start tag read last (the generated code notes their
    /// order while it reads them); [`Reader::put_attrs`] gives the buffer back.
    #[doc(hidden)]
    pub fn take_attrs(&mut self) -> Vec<Attr<'a>> {
        std::mem::take(&mut self.attrs)
    }

    /// Gives back the buffer of [`Reader::take_attrs`], so it is reused.
    #[doc(hidden)]
    pub fn put_attrs(&mut self, mut attrs: Vec<Attr<'a>>) {
        attrs.clear();
        self.attrs = attrs;
    }

    /// Where the slots of the element being read start on the order stack.
    #[doc(hidden)]
    pub fn order_mark(&self) -> usize {
        self.order.len()
    }

    /// Notes that the next attribute or child read fills slot `slot`.
    #[doc(hidden)]
    #[inline]
    pub fn order_push(&mut self, slot: u16) {
        self.order.push(slot);
    }

    /// Byte offset of the next unread byte: once an element is read to its end, just past
    /// its end tag.
    pub(crate) fn offset(&self) -> usize {
        self.pos
    }

    /// Counts `extra` bytes that reading adds to the document's own against the size
    /// limit; `at` is where they go.
    pub(crate) fn charge(&mut self, extra: usize, at: usize) -> Result<(), Error> {
        self.added = self.added.saturating_add(extra);
        let max = self.opts.limits().3;
        if self.text.len().saturating_add(self.added) > max {
            return Err(self.error_at(at, ErrorKind::LimitExceeded { limit: "bytes", max }));
        }
        Ok(())
    }

    /// How many namespace bindings are in scope.
    pub(crate) fn binding_count(&self) -> usize {
        self.bindings.len()
    }

    /// The index of the binding in scope for `prefix` ("" for the default namespace).
    pub(crate) fn binding_index(&self, prefix: &str) -> Option<usize> {
        if self.bindings.len() <= LINEAR {
            self.bindings.iter().rposition(|b| b.prefix == prefix)
        } else {
            self.latest.get(prefix).copied()
        }
    }

    /// The whole document being read.
    pub(crate) fn text(&self) -> &'a str {
        self.text
    }

    /// The prefixes the start tag read last declares ("" for a default namespace).
    pub(crate) fn declared_prefixes(&self) -> impl Iterator<Item = &'a str> + '_ {
        let pending = if self.declares { &self.pending[..] } else { &[] };
        pending.iter().filter_map(|&(p, l, _, _, _)| match (p, l) {
            ("", "xmlns") => Some(""),
            ("xmlns", l) => Some(l),
            _ => None,
        })
    }

    /// Whether the start tag read last declares a namespace.
    pub(crate) fn declares(&self) -> bool {
        self.declares
    }

    /// The namespace declarations of the start tag read last, in document order among
    /// its attributes: `None` for an attribute, `Some((prefix, uri))` for a declaration
    /// (prefix "" for the default namespace). `None` overall when it has no declaration.
    pub(crate) fn declarations(&self) -> Option<Vec<Option<(String, String)>>> {
        let decl = |p: &str, l: &'a str| match (p, l) {
            ("", "xmlns") => Some(""),
            ("xmlns", l) => Some(l),
            _ => None,
        };
        if !self.declares {
            return None;
        }
        let layout = self.pending.iter().map(|&(p, l, v, _, _)| {
            // Values were decoded once already, when the declaration was bound.
            decl(p, l).map(|prefix| {
                let uri = decode(v, true).map_or_else(|_| v.to_string(), |u| u.into_owned());
                (prefix.to_string(), uri)
            })
        });
        Some(layout.collect())
    }

    fn mark_child(&mut self) {
        if let Some(open) = self.open.last_mut() {
            open.children = true;
        }
    }

    /// Whether blank text `ws`, just read in the innermost open element, is the layout
    /// libvirt's formatting gives that place: a newline and two spaces a level before a
    /// child, or before the end tag after children. Other blanks are kept to be written
    /// back as they were.
    #[doc(hidden)]
    pub fn blank_is_layout(&self, ws: &str) -> bool {
        let Some(level) = self.layout_level() else {
            return false;
        };
        // A newline and two spaces a level, compared whole for the usual depths.
        const RUN: &str =
            concat!("\n", "                                ", "                                ");
        let b = ws.as_bytes();
        match RUN.as_bytes().get(..1 + 2 * level) {
            Some(layout) => b == layout,
            None => b.len() == 1 + 2 * level && b[0] == b'\n' && b[1..].iter().all(|&c| c == b' '),
        }
    }

    /// How many two-space indents libvirt's layout puts before what comes next (at the
    /// current position) in the innermost open element: a child, or the end tag after
    /// children; `None` where it puts no blank (an end tag after none, or no element).
    #[inline]
    fn layout_level(&self) -> Option<usize> {
        let open = self.open.last()?;
        let depth = self.open.len();
        if self.starts_with(b"</") {
            open.children.then(|| depth - 1)
        } else {
            Some(depth)
        }
    }

    /// Pops the slots noted since `mark`, whatever their order.
    pub(crate) fn order_pop(&mut self, mark: usize) -> Vec<u16> {
        self.order.split_off(mark)
    }

    /// Forgets the slot noted last (see [`Reader::order_last_own`]).
    #[doc(hidden)]
    pub fn order_pop_last(&mut self) {
        self.order.pop();
    }

    /// The slot noted last.
    #[doc(hidden)]
    pub fn order_last(&self) -> Option<u16> {
        self.order.last().copied()
    }

    /// The slot noted last while reading the innermost open element, not before it (a
    /// child that continues a repeated group notes nothing of its own, so the slot noted
    /// last may be its parent's).
    #[doc(hidden)]
    pub fn order_last_own(&self) -> Option<u16> {
        let mark = self.open.last().map_or(0, |o| o.order_mark);
        self.order.get(mark..)?.last().copied()
    }

    /// The slots noted since `mark` when they are out of the schema's order (so the
    /// order has to be kept), `None` when writing in slot order gives the same sequence.
    #[doc(hidden)]
    pub fn order_unsorted(&self, mark: usize) -> Option<&[u16]> {
        let seq = &self.order[mark..];
        // Codes for blank text sort after every slot but have to be kept all the same.
        let mut sorted = true;
        let mut prev = 0;
        for &s in seq {
            sorted &= prev <= s && !is_blank_code(s);
            prev = s;
        }
        (!sorted).then_some(seq)
    }

    /// Forgets the slots noted from `mark` on.
    #[doc(hidden)]
    pub fn order_truncate(&mut self, mark: usize) {
        self.order.truncate(mark);
    }

    /// Reports that element `tag` does not fit its type (`kind` says how): an error when
    /// reading strictly, else a diagnostic, and the caller reads on with a default.
    #[doc(hidden)]
    pub fn misfit(&mut self, tag: &Tag<'a>, kind: ErrorKind) -> Result<(), Error> {
        let e = self.error(tag, kind);
        if self.opts.is_strict() {
            return Err(e);
        }
        self.diagnostics.push(e);
        Ok(())
    }

    /// The diagnostics of lenient reading so far (see [`ReadOptions::strict`]).
    pub fn take_diagnostics(&mut self) -> Vec<Error> {
        std::mem::take(&mut self.diagnostics)
    }

    /// Reads and drops the rest of element `tag`.
    pub fn skip(&mut self, tag: &Tag<'a>) -> Result<(), Error> {
        while let Some(c) = self.next_child(tag)? {
            if let Child::Element(t) = c {
                deep(|| self.skip(&t))?;
            }
        }
        Ok(())
    }

    /// An error about element `tag` (its path is worked out here, on the error path only).
    pub fn error(&self, tag: &Tag<'a>, kind: ErrorKind) -> Error {
        let mut e = Error::at_offset(self.text, tag.pos, kind);
        if !self.paths {
            return e;
        }
        let mut chain: Vec<(usize, &str, &str)> = self
            .open
            .iter()
            .filter(|o| o.pos < tag.pos)
            .map(|o| (o.pos, o.prefix, o.local))
            .collect();
        chain.push((tag.pos, tag.prefix, tag.local));
        e.set_path(self.path_of(&chain));
        e
    }

    /// `/a/b[2]/c` for a chain of nested elements (start-tag offset, prefix, local name),
    /// outermost first. Positions among same-name siblings come from one streaming re-scan
    /// of the document up to the end of the outermost element (linear time, memory
    /// proportional to the depth); where the document breaks off, what was seen counts.
    fn path_of(&self, chain: &[(usize, &str, &str)]) -> String {
        let mut parts: Vec<String> = chain.iter().map(|c| qname(c.1, c.2)).collect();
        // The re-scan must reach the element that crossed a limit, so it gets one more
        // level and no count limits (it keeps no values: memory stays at the depth).
        let opts = ReadOptions {
            max_depth: self.opts.limits().0 + 1,
            max_elements: usize::MAX,
            max_attributes: usize::MAX,
            ..self.opts
        };
        let mut scan = Reader::with_options(self.text, opts);
        scan.paths = false;
        if let Ok(root) = scan.root() {
            if chain.first().is_some_and(|c| c.0 == root.pos) {
                let mut counts = Vec::with_capacity(chain.len());
                scan.count_siblings(&root, &chain[1..], &mut counts);
                for (part, (before, after)) in parts[1..].iter_mut().zip(counts) {
                    if before + after > 0 {
                        part.push_str(&format!("[{}]", before + 1));
                    }
                }
            }
        }
        format!("/{}", parts.join("/"))
    }

    /// For each element of `chain` below `parent`: how many same-name siblings come before
    /// and after it. Stops quietly at the first error.
    fn count_siblings(
        &mut self,
        parent: &Tag<'a>,
        chain: &[(usize, &str, &str)],
        counts: &mut Vec<(usize, usize)>,
    ) {
        let Some(&(target, prefix, local)) = chain.first() else {
            return;
        };
        let (mut before, mut after, mut seen) = (0, 0, false);
        let slot = counts.len();
        loop {
            match self.next_child(parent) {
                Ok(Some(Child::Element(t))) => {
                    if t.pos == target {
                        seen = true;
                        counts.push((before, 0));
                        deep(|| self.count_siblings(&t, &chain[1..], counts));
                        if counts.len() < slot + chain.len() {
                            break; // the document broke off inside
                        }
                        continue;
                    }
                    if same(t.prefix, prefix) && same(t.local, local) {
                        if seen {
                            after += 1;
                        } else {
                            before += 1;
                        }
                    }
                    if self.skip(&t).is_err() {
                        break;
                    }
                }
                Ok(Some(_)) => {}
                Ok(None) | Err(_) => break,
            }
        }
        if seen {
            counts[slot].1 = after;
        }
    }
}

/// String equality for the short names of XML, without a call into `memcmp` (which
/// dominated profiles: names are compared for every end tag and attribute).
#[inline]
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

fn qname(prefix: &str, local: &str) -> String {
    if prefix.is_empty() {
        local.to_string()
    } else {
        format!("{prefix}:{local}")
    }
}

fn check_chars(s: &str) -> Result<(), (usize, String)> {
    match forbidden_char(s.as_bytes()) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// `\r\n` and lone `\r` become `\n`, as XML requires.
fn normalize_newlines(s: &str) -> Cow<'_, str> {
    if !s.contains('\r') {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.replace("\r\n", "\n").replace('\r', "\n"))
}

/// Decodes references; in attribute values literal tabs and newlines become spaces.
/// Characters XML forbids, and `]]>` in text, are errors: (byte offset in `s`, message).
fn decode(s: &str, attr: bool) -> Result<Cow<'_, str>, (usize, String)> {
    let b = s.as_bytes();
    let mask = if attr { ATTR_SPECIAL } else { TEXT_SPECIAL };
    // The usual value has nothing to look at: one table lookup a byte.
    let Some(first) = b.iter().position(|&c| CLASS[c as usize] & mask != 0) else {
        return Ok(Cow::Borrowed(s));
    };
    let mut plain = true;
    for (i, &c) in b.iter().enumerate().skip(first) {
        match c {
            b'&' | b'\r' => plain = false,
            b'\n' | b'\t' => plain &= !attr,
            0..=0x1F | 0xEF => {
                if let Some((j, m)) = forbidden_char(&b[i..i + 3.min(b.len() - i)]) {
                    return Err((i + j, m));
                }
            }
            b'>' if !attr && i >= 2 && &b[i - 2..i] == b"]]" => {
                return Err((i - 2, "`]]>` is not allowed in text".into()))
            }
            _ => {}
        }
    }
    if plain {
        return Ok(Cow::Borrowed(s));
    }
    let special = |b: u8| b == b'&' || b == b'\r' || (attr && (b == b'\n' || b == b'\t'));
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.bytes().position(special) {
        out.push_str(&rest[..i]);
        let c = rest.as_bytes()[i];
        let offset = s.len() - rest.len() + i;
        rest = &rest[i + 1..];
        match c {
            b'&' => {
                let end = rest.find(';').ok_or((offset, "unterminated reference".to_string()))?;
                let name = &rest[..end];
                rest = &rest[end + 1..];
                let ch = match name {
                    "lt" => '<',
                    "gt" => '>',
                    "amp" => '&',
                    "apos" => '\'',
                    "quot" => '"',
                    _ => {
                        let shown = crate::error::excerpt(name);
                        let code = if let Some(hex) = name.strip_prefix("#x") {
                            u32::from_str_radix(hex, 16).ok()
                        } else if let Some(dec) = name.strip_prefix('#') {
                            dec.parse().ok()
                        } else {
                            return Err((offset, format!("unknown entity `&{shown};`")));
                        };
                        code.and_then(char::from_u32).filter(|&c| is_xml_char(c)).ok_or_else(
                            || (offset, format!("invalid character reference `&{shown};`")),
                        )?
                    }
                };
                out.push(ch);
            }
            b'\r' => {
                if rest.starts_with('\n') {
                    rest = &rest[1..];
                }
                out.push(if attr { ' ' } else { '\n' });
            }
            _ => out.push(' '),
        }
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}

/// Runs `f` on a fresh stack segment when little of the current one is left. A document's
/// root, each element of a type on a cycle of the schema (`<backingStore>` in
/// `<backingStore>`), each raw element, each element validated and each element skipped
/// go through here, so the deepest document [`MAX_DEPTH`](crate::MAX_DEPTH) allows fits any thread's stack,
/// whatever the frame sizes of the build profile: between two checks, elements nest only
/// as deep as the schema's acyclic part (`acyclic_nesting_fits_the_room_a_stack_check_leaves`
/// in `tests/hostile.rs` runs the deepest corpus domains just above the room left).
pub fn deep<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(256 * 1024, 1024 * 1024, f)
}

/// Blank text out of libvirt's layout that is a newline and `k` spaces (the usual shape:
/// indentation at another depth) is kept in the document order as `BLANK + k`, not as a
/// kept child: two bytes, where a text node costs a string and a list of children.
/// (Written back by `raw::write_children`.)
pub(crate) const BLANK: u16 = 0xF000;
/// The most spaces such a code stands for (codes stay below the slots of kept content and
/// of namespace declarations).
const BLANK_SPACES: usize = 0x0F00;

/// The code of blank text `t`, if it has the usual shape (see [`BLANK`]).
pub(crate) fn blank_code(t: &str) -> Option<u16> {
    let spaces = t.strip_prefix('\n')?;
    let all = spaces.len() <= BLANK_SPACES && spaces.bytes().all(|b| b == b' ');
    all.then(|| BLANK + spaces.len() as u16)
}

/// Whether `slot` is the code of blank text.
pub(crate) fn is_blank_code(slot: u16) -> bool {
    (BLANK..=BLANK + BLANK_SPACES as u16).contains(&slot)
}

/// Whether an attribute named `prefix:local` declares a namespace (`xmlns`, `xmlns:p`).
#[inline]
fn is_declaration(prefix: &str, local: &str) -> bool {
    prefix == "xmlns" || (prefix.is_empty() && local == "xmlns")
}

#[cfg(test)]
mod tests {
    use super::SharedStrings;

    #[test]
    fn a_document_shares_the_short_strings_it_repeats() {
        let mut t = SharedStrings::default();
        let first: Vec<_> = (0..SharedStrings::FIRST).map(|_| t.get("virtio-scsi")).collect();
        // A document's first strings are not looked up.
        assert_ne!(first[0].as_ptr(), first[1].as_ptr());
        let (a, b, c) = (t.get("virtio-scsi"), t.get("virtio-scsi"), t.get("qemu-xhci"));
        assert_eq!((a.as_str(), c.as_str()), ("virtio-scsi", "qemu-xhci"));
        assert_eq!(a.as_ptr(), b.as_ptr());
        assert_eq!(c.as_ptr(), t.get("qemu-xhci").as_ptr());
        assert!(t.get("").is_empty());
        // Held in its pointer, a short one is not looked up either.
        assert_eq!(t.get("usb"), "usb");
        let long = "x".repeat(SharedStrings::LONGEST + 1);
        assert_ne!(t.get(&long).as_ptr(), t.get(&long).as_ptr());
        // More strings than slots: each read gives back its own text.
        for i in 0..4 * SharedStrings::SLOTS {
            let s = format!("value-{i:x}");
            assert_eq!((t.get(&s), t.get(&s)), (s.clone().into(), s.into()));
        }
    }
}
