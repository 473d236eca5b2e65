//! A streaming XML reader: generated parsers pull elements and text from it and build
//! typed values directly, with no tree in between. It scans the bytes itself (with
//! `memchr` for the long runs), which is most of what makes typed parsing fast.
//!
//! It does what a conforming parser must for libvirt's documents: resolves namespaces,
//! decodes entity and character references, normalizes line ends and attribute
//! whitespace, checks that tags match and attributes are unique, and refuses DTDs (so no
//! entity expansion). Depth is bounded by [`crate::MAX_DEPTH`] so nesting cannot
//! exhaust the stack of the recursive generated parsers.

use std::borrow::Cow;
use std::rc::Rc;

use crate::error::{Error, ErrorKind};
use crate::raw::RawAttribute;
use crate::MAX_DEPTH;

const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

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

    /// The attribute as an owned [`RawAttribute`].
    pub fn to_raw(&self) -> RawAttribute {
        RawAttribute {
            namespace: self.ns.as_deref().map(str::to_string),
            prefix: (!self.prefix.is_empty()).then(|| self.prefix.to_string()),
            name: self.local.to_string(),
            value: self.value.clone().into_owned(),
        }
    }
}

/// What comes next inside an element.
#[derive(Debug)]
pub enum Child<'a> {
    /// A child element; read it (or skip it) before asking for the next child.
    Element(Tag<'a>),
    /// Character data (text or CDATA), decoded.
    Text(Cow<'a, str>),
}

struct Open<'a> {
    prefix: &'a str,
    local: &'a str,
    ns_mark: usize,
}

/// Pull parser over one document.
pub struct Reader<'a> {
    text: &'a str,
    /// Byte offset of the next unread byte.
    pos: usize,
    attrs: Vec<Attr<'a>>,
    pending: Vec<(&'a str, &'a str, &'a str, usize)>,
    /// Namespace bindings in scope: (prefix, URI); "" is the default namespace.
    bindings: Vec<(&'a str, Rc<str>)>,
    open: Vec<Open<'a>>,
}

impl<'a> Reader<'a> {
    /// A reader over `text`.
    pub fn new(text: &'a str) -> Reader<'a> {
        // A UTF-8 byte order mark is not content.
        let pos = if text.starts_with('\u{feff}') { 3 } else { 0 };
        Reader {
            text,
            pos,
            attrs: Vec::with_capacity(16),
            pending: Vec::with_capacity(16),
            bindings: Vec::new(),
            open: Vec::with_capacity(16),
        }
    }

    /// A syntax error at byte `pos`, inside the elements open there (path without
    /// sibling positions: the document cannot be re-read to count them).
    fn syntax(&self, pos: usize, msg: &str) -> Error {
        let mut e = Error::at_offset(self.text, pos, ErrorKind::Xml(msg.to_string()));
        if !self.open.is_empty() {
            let path: Vec<String> = self.open.iter().map(|o| qname(o.prefix, o.local)).collect();
            e.set_path(format!("/{}", path.join("/")));
        }
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

    /// Moves past the next `end` (e.g. `-->`), or fails with `what` at `from`.
    fn skip_past(&mut self, end: &[u8], from: usize, what: &str) -> Result<(), Error> {
        match memchr::memmem::find(&self.bytes()[self.pos..], end) {
            Some(i) => {
                self.pos += i + end.len();
                Ok(())
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

    /// Skips comments, processing instructions and blanks (outside the root element).
    /// Returns at a `<` that starts something else, or at the end.
    fn skip_misc(&mut self) -> Result<(), Error> {
        loop {
            self.skip_space();
            let at = self.pos;
            if self.starts_with(b"<!--") {
                self.pos += 4;
                self.skip_past(b"-->", at, "comment")?;
            } else if self.starts_with(b"<?") {
                self.pos += 2;
                self.skip_past(b"?>", at, "processing instruction")?;
            } else {
                return Ok(());
            }
        }
    }

    /// Reads up to and including the root start tag.
    pub fn root(&mut self) -> Result<Tag<'a>, Error> {
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

    /// Reads a name (`prefix:local` or `local`) at the current position.
    fn name(&mut self) -> Result<(&'a str, &'a str), Error> {
        let b = self.bytes();
        let start = self.pos;
        let mut colon = None;
        while self.pos < b.len() {
            match b[self.pos] {
                b' ' | b'\t' | b'\r' | b'\n' | b'/' | b'>' | b'=' | b'<' | b'"' | b'\'' | b'&' => {
                    break
                }
                b':' if colon.is_none() => colon = Some(self.pos),
                _ => {}
            }
            self.pos += 1;
        }
        let name = &self.text[start..self.pos];
        let bad_start = name.as_bytes().first().map_or(true, |c| {
            c.is_ascii_digit() || matches!(c, b'-' | b'.' | b':')
        });
        if bad_start || name.ends_with(':') {
            return Err(self.syntax(start, "invalid name"));
        }
        Ok(match colon {
            Some(c) => (&self.text[start..c], &self.text[c + 1..self.pos]),
            None => ("", name),
        })
    }

    fn resolve(&self, prefix: &str, pos: usize) -> Result<Option<Rc<str>>, Error> {
        if prefix == "xml" {
            return Ok(Some(Rc::from(XML_NS)));
        }
        match self.bindings.iter().rev().find(|(p, _)| *p == prefix) {
            Some((_, uri)) if uri.is_empty() => Ok(None),
            Some((_, uri)) => Ok(Some(uri.clone())),
            None if prefix.is_empty() => Ok(None),
            None => Err(self.syntax(pos, &format!("unbound namespace prefix `{prefix}`"))),
        }
    }

    /// Reads a start tag; the position is at its `<`.
    fn start(&mut self) -> Result<Tag<'a>, Error> {
        let pos = self.pos;
        self.pos += 1;
        let (prefix, local) = self.name()?;
        self.pending.clear();
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
            let Some(len) = memchr::memchr(quote, &b[vstart..]) else {
                return Err(self.syntax(at, "unterminated attribute value"));
            };
            let value = &self.text[vstart..vstart + len];
            if value.contains('<') {
                return Err(self.syntax(at, "`<` in an attribute value"));
            }
            self.pending.push((ap, al, value, at));
            self.pos = vstart + len + 1;
        };
        let ns_mark = self.bindings.len();
        for &(p, l, v, at) in &self.pending {
            let uri = if p.is_empty() && l == "xmlns" {
                ""
            } else if p == "xmlns" {
                l
            } else {
                continue;
            };
            let _ = uri;
            let value = decode(v, true).map_err(|m| self.syntax(at, &m))?;
            let bound_prefix = if p.is_empty() { "" } else { l };
            self.bindings.push((bound_prefix, Rc::from(value.as_ref())));
        }
        let ns = self.resolve(prefix, pos)?;
        self.attrs.clear();
        for i in 0..self.pending.len() {
            let (p, l, v, at) = self.pending[i];
            if (p.is_empty() && l == "xmlns") || p == "xmlns" {
                continue;
            }
            let ans = if p.is_empty() {
                None
            } else {
                self.resolve(p, at)?
            };
            if self.attrs.iter().any(|a| same(a.local, l) && a.ns == ans) {
                return Err(self.syntax(at, &format!("duplicate attribute `{l}`")));
            }
            let value = decode(v, true).map_err(|m| self.syntax(at, &m))?;
            self.attrs.push(Attr {
                prefix: p,
                local: l,
                ns: ans,
                value,
            });
        }
        if empty {
            self.bindings.truncate(ns_mark);
        } else {
            if self.open.len() >= MAX_DEPTH {
                return Err(Error::at_offset(
                    self.text,
                    pos,
                    ErrorKind::TooDeep(MAX_DEPTH),
                ));
            }
            self.open.push(Open {
                prefix,
                local,
                ns_mark,
            });
        }
        Ok(Tag {
            prefix,
            local,
            ns,
            pos,
            empty,
        })
    }

    /// Attributes of the start tag read last.
    pub fn attrs(&self) -> &[Attr<'a>] {
        &self.attrs
    }

    /// Value of attribute `local` (in namespace `ns`) of the start tag read last.
    pub fn attr_value(&self, ns: Option<&str>, local: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| same(a.local, local) && a.ns() == ns)
            .map(|a| a.value.as_ref())
    }

    /// The next child of the element `parent` (the innermost open one), or `None` at its end tag.
    pub fn next_child(&mut self, parent: &Tag<'a>) -> Result<Option<Child<'a>>, Error> {
        if parent.empty {
            return Ok(None);
        }
        let b = self.bytes();
        loop {
            let at = self.pos;
            if at >= b.len() {
                return Err(self.syntax(at, &format!("unclosed element <{}>", parent.local)));
            }
            if b[at] != b'<' {
                let end = memchr::memchr(b'<', &b[at..]).map_or(b.len(), |i| at + i);
                self.pos = end;
                let raw = &self.text[at..end];
                let t = decode(raw, false).map_err(|m| self.syntax(at, &m))?;
                return Ok(Some(Child::Text(t)));
            }
            match b.get(at + 1) {
                Some(b'/') => {
                    self.pos = at + 2;
                    let (prefix, local) = self.name()?;
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
                    self.bindings.truncate(ns_mark);
                    return Ok(None);
                }
                Some(b'!') if self.starts_with(b"<!--") => {
                    self.pos += 4;
                    self.skip_past(b"-->", at, "comment")?;
                }
                Some(b'!') if self.starts_with(b"<![CDATA[") => {
                    self.pos += 9;
                    let start = self.pos;
                    self.skip_past(b"]]>", at, "CDATA section")?;
                    let text = &self.text[start..self.pos - 3];
                    return Ok(Some(Child::Text(normalize_newlines(text))));
                }
                Some(b'?') => {
                    self.pos += 2;
                    self.skip_past(b"?>", at, "processing instruction")?;
                }
                Some(b'!') => return Err(self.syntax(at, "unexpected markup")),
                _ => return Ok(Some(Child::Element(self.start()?))),
            }
        }
    }

    /// Reads and drops the rest of element `tag`.
    pub fn skip(&mut self, tag: &Tag<'a>) -> Result<(), Error> {
        while let Some(c) = self.next_child(tag)? {
            if let Child::Element(t) = c {
                self.skip(&t)?;
            }
        }
        Ok(())
    }

    /// An error about element `tag` (path and position are worked out here, on the error path only).
    pub fn error(&self, tag: &Tag<'a>, kind: ErrorKind) -> Error {
        let mut e = Error::at_offset(self.text, tag.pos, kind);
        e.set_path(self.path_of(tag.pos));
        e
    }

    /// `/a/b[2]/c` of the element starting at byte `pos`, from a tree built only now.
    fn path_of(&self, pos: usize) -> String {
        let opts = roxmltree::ParsingOptions {
            allow_dtd: false,
            ..Default::default()
        };
        match roxmltree::Document::parse_with_options(self.text, opts) {
            Ok(doc) => doc
                .descendants()
                .find(|n| n.is_element() && n.range().start == pos)
                .map(crate::error::element_path)
                .unwrap_or_default(),
            Err(_) => String::new(),
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

/// `\r\n` and lone `\r` become `\n`, as XML requires.
fn normalize_newlines(s: &str) -> Cow<'_, str> {
    if !s.contains('\r') {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.replace("\r\n", "\n").replace('\r', "\n"))
}

/// Decodes references; in attribute values literal tabs and newlines become spaces.
fn decode(s: &str, attr: bool) -> Result<Cow<'_, str>, String> {
    let special = |b: u8| b == b'&' || b == b'\r' || (attr && (b == b'\n' || b == b'\t'));
    if !s.bytes().any(special) {
        return Ok(Cow::Borrowed(s));
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.bytes().position(special) {
        out.push_str(&rest[..i]);
        let c = rest.as_bytes()[i];
        rest = &rest[i + 1..];
        match c {
            b'&' => {
                let end = rest.find(';').ok_or("unterminated reference")?;
                let name = &rest[..end];
                rest = &rest[end + 1..];
                let ch = match name {
                    "lt" => '<',
                    "gt" => '>',
                    "amp" => '&',
                    "apos" => '\'',
                    "quot" => '"',
                    _ => {
                        let code = if let Some(hex) = name.strip_prefix("#x") {
                            u32::from_str_radix(hex, 16).ok()
                        } else if let Some(dec) = name.strip_prefix('#') {
                            dec.parse().ok()
                        } else {
                            return Err(format!("unknown entity `&{name};`"));
                        };
                        code.and_then(char::from_u32)
                            .ok_or_else(|| format!("invalid character reference `&{name};`"))?
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
