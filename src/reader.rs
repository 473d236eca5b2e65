//! A streaming XML reader on top of the `xmlparser` tokenizer: generated parsers pull
//! elements and text from it and build typed values directly, with no tree in between.
//!
//! It does what a conforming parser must for libvirt's documents: resolves namespaces,
//! decodes entity and character references, normalizes line ends and attribute
//! whitespace, checks that tags match and attributes are unique, and refuses DTDs (so no
//! entity expansion). Depth is bounded by [`crate::MAX_DEPTH`] so nesting cannot
//! exhaust the stack of the recursive generated parsers.

use std::borrow::Cow;
use std::rc::Rc;

use xmlparser::{ElementEnd, Token, Tokenizer};

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
    tokens: Tokenizer<'a>,
    attrs: Vec<Attr<'a>>,
    pending: Vec<(&'a str, &'a str, &'a str, usize)>,
    /// Namespace bindings in scope: (prefix, URI); "" is the default namespace.
    bindings: Vec<(&'a str, Rc<str>)>,
    open: Vec<Open<'a>>,
}

impl<'a> Reader<'a> {
    /// A reader over `text`.
    pub fn new(text: &'a str) -> Reader<'a> {
        Reader {
            text,
            tokens: Tokenizer::from(text),
            attrs: Vec::with_capacity(16),
            pending: Vec::with_capacity(16),
            bindings: Vec::new(),
            open: Vec::with_capacity(16),
        }
    }

    #[inline(always)]
    fn next_token(&mut self) -> Result<Option<Token<'a>>, Error> {
        match self.tokens.next() {
            None => Ok(None),
            Some(Ok(t)) => Ok(Some(t)),
            Some(Err(e)) => {
                let p = e.pos();
                Err(Error::new(
                    ErrorKind::Xml(e.to_string()),
                    String::new(),
                    p.row,
                    p.col,
                ))
            }
        }
    }

    fn syntax(&self, pos: usize, msg: &str) -> Error {
        Error::at_offset(self.text, pos, ErrorKind::Xml(msg.to_string()))
    }

    /// Reads up to and including the root start tag.
    pub fn root(&mut self) -> Result<Tag<'a>, Error> {
        loop {
            match self.next_token()? {
                None => return Err(self.syntax(self.text.len(), "no root element")),
                Some(Token::ElementStart {
                    prefix,
                    local,
                    span,
                }) => return self.start(prefix.as_str(), local.as_str(), span.start()),
                Some(Token::DtdStart { span, .. }) | Some(Token::EmptyDtd { span, .. }) => {
                    return Err(self.syntax(span.start(), "DTDs are not allowed"))
                }
                Some(_) => {}
            }
        }
    }

    /// After the root element: only comments, processing instructions and blanks may follow.
    pub fn finish(&mut self) -> Result<(), Error> {
        while let Some(t) = self.next_token()? {
            match t {
                Token::Comment { .. } | Token::ProcessingInstruction { .. } => {}
                Token::Text { text } if text.as_str().trim().is_empty() => {}
                other => {
                    return Err(self.syntax(other.span().start(), "content after the root element"))
                }
            }
        }
        Ok(())
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

    /// Reads the rest of a start tag whose name was just tokenized.
    fn start(&mut self, prefix: &'a str, local: &'a str, pos: usize) -> Result<Tag<'a>, Error> {
        self.pending.clear();
        let empty = loop {
            match self.next_token()? {
                Some(Token::Attribute {
                    prefix,
                    local,
                    value,
                    span,
                }) => self.pending.push((
                    prefix.as_str(),
                    local.as_str(),
                    value.as_str(),
                    span.start(),
                )),
                Some(Token::ElementEnd {
                    end: ElementEnd::Open,
                    ..
                }) => break false,
                Some(Token::ElementEnd {
                    end: ElementEnd::Empty,
                    ..
                }) => break true,
                _ => return Err(self.syntax(pos, "malformed start tag")),
            }
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
            if self.attrs.iter().any(|a| a.local == l && a.ns == ans) {
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
            .find(|a| a.local == local && a.ns() == ns)
            .map(|a| a.value.as_ref())
    }

    /// The next child of the element `parent` (the innermost open one), or `None` at its end tag.
    pub fn next_child(&mut self, parent: &Tag<'a>) -> Result<Option<Child<'a>>, Error> {
        if parent.empty {
            return Ok(None);
        }
        loop {
            match self.next_token()? {
                None => {
                    return Err(self.syntax(
                        self.text.len(),
                        &format!("unclosed element <{}>", parent.local),
                    ))
                }
                Some(Token::Text { text }) => {
                    let t =
                        decode(text.as_str(), false).map_err(|m| self.syntax(text.start(), &m))?;
                    return Ok(Some(Child::Text(t)));
                }
                Some(Token::Cdata { text, .. }) => {
                    return Ok(Some(Child::Text(normalize_newlines(text.as_str()))))
                }
                Some(Token::ElementStart {
                    prefix,
                    local,
                    span,
                }) => {
                    let tag = self.start(prefix.as_str(), local.as_str(), span.start())?;
                    return Ok(Some(Child::Element(tag)));
                }
                Some(Token::ElementEnd {
                    end: ElementEnd::Close(prefix, local),
                    span,
                }) => {
                    let open = self.open.pop().expect("an element is open");
                    if open.prefix != prefix.as_str() || open.local != local.as_str() {
                        return Err(self.syntax(
                            span.start(),
                            &format!(
                                "expected </{}>, found </{}>",
                                qname(open.prefix, open.local),
                                qname(&prefix, &local)
                            ),
                        ));
                    }
                    self.bindings.truncate(open.ns_mark);
                    return Ok(None);
                }
                Some(Token::Comment { .. }) | Some(Token::ProcessingInstruction { .. }) => {}
                Some(other) => return Err(self.syntax(other.span().start(), "unexpected markup")),
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
