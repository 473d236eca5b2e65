//! RELAX NG validation: a document matched against the schema's patterns with
//! derivatives (James Clark, "An algorithm for RELAX NG validation"), the way
//! `xmllint --relaxng` decides, but reporting every violation (element path,
//! line:column) and going on after each one.
//!
//! The generator writes the schemas' patterns as one flat table ([`Grammar`]); each
//! generated type knows the entries of its element. Derivatives are built in a per-run
//! arena where equal patterns share one id (hash-consing), which keeps them small.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::error::{Error, ErrorKind};
use crate::reader::{Attr, Child, Reader, Tag};

/// One pattern of the table: children are indices into the same table.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pattern {
    Empty,
    NotAllowed,
    Text,
    /// Name class (index into [`Grammar::names`]), content.
    Element(u32, u32),
    /// Name class, value.
    Attribute(u32, u32),
    Choice(u32, u32),
    Group(u32, u32),
    Interleave(u32, u32),
    OneOrMore(u32),
    /// Whitespace-separated tokens, matched in turn against the content.
    List(u32),
    Value(Datatype, &'static str),
    /// Datatype, parameters, excepted pattern ([`NONE`] for none).
    Data(Datatype, &'static [(Facet, &'static str)], u32),
}

/// "No pattern" in [`Pattern::Data`]'s except.
#[doc(hidden)]
pub const NONE: u32 = u32::MAX;

/// A name class.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameClass {
    /// Namespace URI, local name.
    Name(&'static str, &'static str),
    /// Any name but the excepted class ([`NONE`] for none).
    AnyName(u32),
    /// Any name in the namespace but the excepted class.
    NsName(&'static str, u32),
    Choice(u32, u32),
}

/// The datatypes libvirt's schemas use: RELAX NG's built-in two and XML Schema's.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Datatype {
    String,
    Token,
    NormalizedString,
    Boolean,
    Decimal,
    Double,
    Float,
    Integer,
    Long,
    Int,
    Short,
    Byte,
    NonNegativeInteger,
    PositiveInteger,
    NonPositiveInteger,
    NegativeInteger,
    UnsignedLong,
    UnsignedInt,
    UnsignedShort,
    UnsignedByte,
    Name,
    NCName,
    NmToken,
    AnyUri,
    DateTime,
    /// A type the validator does not check (any value passes).
    Unchecked,
}

/// XML Schema facets (`<param name=…>`).
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Facet {
    Pattern,
    Length,
    MinLength,
    MaxLength,
    MinInclusive,
    MaxInclusive,
    MinExclusive,
    MaxExclusive,
    /// A facet the validator does not check.
    Unchecked,
}

/// The patterns of all of a crate's schemas, as the generator wrote them.
#[doc(hidden)]
pub struct Grammar {
    patterns: &'static [Pattern],
    names: &'static [NameClass],
    regexes: OnceLock<HashMap<&'static str, Option<regex_lite::Regex>>>,
}

impl Grammar {
    /// A table (`const` so that the generated crate can hold it in a `static`).
    pub const fn new(patterns: &'static [Pattern], names: &'static [NameClass]) -> Grammar {
        Grammar { patterns, names, regexes: OnceLock::new() }
    }

    /// Whether `s` matches XML Schema pattern `re` (compiled once per grammar).
    fn matches(&self, re: &'static str, s: &str) -> bool {
        let all = self.regexes.get_or_init(|| {
            let mut m = HashMap::new();
            for p in self.patterns {
                if let Pattern::Data(_, params, _) = p {
                    for &(f, v) in *params {
                        if f == Facet::Pattern {
                            m.entry(v).or_insert_with(|| xsd_regex(v));
                        }
                    }
                }
            }
            m
        });
        // A pattern the translation cannot compile is not checked (it would otherwise
        // reject documents xmllint accepts).
        match all.get(re) {
            Some(Some(r)) => r.is_match(s),
            _ => true,
        }
    }
}

/// An XML Schema regular expression as a `regex-lite` one: anchored at both ends (XML
/// Schema patterns match the whole value and have no `^`/`$` anchors), `.` excluding line
/// ends, and `^`/`$` outside classes taken literally.
fn xsd_regex(p: &str) -> Option<regex_lite::Regex> {
    let mut out = String::with_capacity(p.len() + 8);
    out.push_str("^(?:");
    let mut in_class = false;
    let mut chars = p.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let n = chars.next()?;
                match n {
                    // XML Schema's name-character classes, approximated in ASCII.
                    'i' => out.push_str(if in_class { "A-Za-z_:" } else { "[A-Za-z_:]" }),
                    'c' => {
                        out.push_str(if in_class { "A-Za-z0-9._:\\-" } else { "[A-Za-z0-9._:\\-]" })
                    }
                    _ => {
                        out.push('\\');
                        out.push(n);
                    }
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    out.push(chars.next()?);
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            '[' => out.push_str("\\["),
            '.' if !in_class => out.push_str("[^\\n\\r]"),
            '^' | '$' if !in_class => {
                out.push('\\');
                out.push(c);
            }
            '&' | '~' if in_class => {
                // Set operators in `regex-lite` classes (`&&`, `~~`), plain in XSD.
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out.push_str(")$");
    regex_lite::Regex::new(&out).ok()
}

/// A pattern in the arena of one validation run.
type Id = u32;
const EMPTY: Id = 0;
const NOT_ALLOWED: Id = 1;
const TEXT: Id = 2;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Node {
    Empty,
    NotAllowed,
    Text,
    Choice(Id, Id),
    Group(Id, Id),
    Interleave(Id, Id),
    OneOrMore(Id),
    /// A `<list>`: a leaf of text whose tokens its content matches.
    List(Id),
    /// Matched the start of an element: its content (first), then what follows it.
    After(Id, Id),
    /// Leaves keep their table index: name class and content or value stay in the table.
    Element(u32),
    Attribute(u32),
    Data(u32),
}

struct Engine<'g> {
    g: &'g Grammar,
    nodes: Vec<Node>,
    nullable: Vec<bool>,
    ids: HashMap<Node, Id>,
    imported: HashMap<u32, Id>,
}

/// How the derivatives change a pattern that does not fit, to go on after a violation.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Strict,
    /// Required attributes that are absent (start tag) or content that is missing (end
    /// tag) are taken as present.
    Forgiving,
}

impl<'g> Engine<'g> {
    fn new(g: &'g Grammar) -> Engine<'g> {
        let mut e = Engine {
            g,
            nodes: Vec::new(),
            nullable: Vec::new(),
            ids: HashMap::new(),
            imported: HashMap::new(),
        };
        for n in [Node::Empty, Node::NotAllowed, Node::Text] {
            e.mk(n);
        }
        e
    }

    fn mk(&mut self, n: Node) -> Id {
        if let Some(&id) = self.ids.get(&n) {
            return id;
        }
        let nullable = match n {
            Node::Empty | Node::Text => true,
            Node::NotAllowed
            | Node::After(..)
            | Node::Element(_)
            | Node::Attribute(_)
            | Node::List(_)
            | Node::Data(_) => false,
            Node::Choice(a, b) => self.nullable[a as usize] || self.nullable[b as usize],
            Node::Group(a, b) | Node::Interleave(a, b) => {
                self.nullable[a as usize] && self.nullable[b as usize]
            }
            Node::OneOrMore(p) => self.nullable[p as usize],
        };
        let id = self.nodes.len() as Id;
        self.nodes.push(n);
        self.nullable.push(nullable);
        self.ids.insert(n, id);
        id
    }

    fn node(&self, id: Id) -> Node {
        self.nodes[id as usize]
    }

    fn choice(&mut self, a: Id, b: Id) -> Id {
        if a == NOT_ALLOWED || a == b {
            return b;
        }
        if b == NOT_ALLOWED {
            return a;
        }
        // Choice is commutative: one order, so equal choices share an id.
        let (a, b) = if a < b { (a, b) } else { (b, a) };
        self.mk(Node::Choice(a, b))
    }

    fn group(&mut self, a: Id, b: Id) -> Id {
        match (a, b) {
            (NOT_ALLOWED, _) | (_, NOT_ALLOWED) => NOT_ALLOWED,
            (EMPTY, x) | (x, EMPTY) => x,
            _ => self.mk(Node::Group(a, b)),
        }
    }

    fn interleave(&mut self, a: Id, b: Id) -> Id {
        match (a, b) {
            (NOT_ALLOWED, _) | (_, NOT_ALLOWED) => NOT_ALLOWED,
            (EMPTY, x) | (x, EMPTY) => x,
            _ => {
                let (a, b) = if a < b { (a, b) } else { (b, a) };
                self.mk(Node::Interleave(a, b))
            }
        }
    }

    fn after(&mut self, a: Id, b: Id) -> Id {
        if a == NOT_ALLOWED || b == NOT_ALLOWED {
            return NOT_ALLOWED;
        }
        self.mk(Node::After(a, b))
    }

    fn one_or_more(&mut self, p: Id) -> Id {
        match p {
            NOT_ALLOWED | EMPTY => p,
            _ => self.mk(Node::OneOrMore(p)),
        }
    }

    /// The arena id of table pattern `t`.
    fn import(&mut self, t: u32) -> Id {
        if let Some(&id) = self.imported.get(&t) {
            return id;
        }
        let id = match self.g.patterns[t as usize] {
            Pattern::Empty => EMPTY,
            Pattern::NotAllowed => NOT_ALLOWED,
            Pattern::Text => TEXT,
            Pattern::Element(..) => self.mk(Node::Element(t)),
            Pattern::Attribute(..) => self.mk(Node::Attribute(t)),
            Pattern::Value(..) | Pattern::Data(..) => self.mk(Node::Data(t)),
            Pattern::Choice(a, b) => {
                let (a, b) = (self.import(a), self.import(b));
                self.choice(a, b)
            }
            Pattern::Group(a, b) => {
                let (a, b) = (self.import(a), self.import(b));
                self.group(a, b)
            }
            Pattern::Interleave(a, b) => {
                let (a, b) = (self.import(a), self.import(b));
                self.interleave(a, b)
            }
            Pattern::OneOrMore(p) => {
                let p = self.import(p);
                self.one_or_more(p)
            }
            Pattern::List(p) => {
                let p = self.import(p);
                self.mk(Node::List(p))
            }
        };
        self.imported.insert(t, id);
        id
    }

    fn nullable(&self, p: Id) -> bool {
        self.nullable[p as usize]
    }

    fn name_matches(&self, nc: u32, ns: &str, local: &str) -> bool {
        match self.g.names[nc as usize] {
            NameClass::Name(n, l) => n == ns && l == local,
            NameClass::AnyName(except) => except == NONE || !self.name_matches(except, ns, local),
            NameClass::NsName(n, except) => {
                n == ns && (except == NONE || !self.name_matches(except, ns, local))
            }
            NameClass::Choice(a, b) => {
                self.name_matches(a, ns, local) || self.name_matches(b, ns, local)
            }
        }
    }

    /// `f` applied to the second part of every `After` in `p`.
    fn apply_after(&mut self, p: Id, f: &mut dyn FnMut(&mut Self, Id) -> Id) -> Id {
        match self.node(p) {
            Node::After(a, b) => {
                let b = f(self, b);
                self.after(a, b)
            }
            Node::Choice(a, b) => {
                let a = self.apply_after(a, f);
                let b = self.apply_after(b, f);
                self.choice(a, b)
            }
            _ => NOT_ALLOWED,
        }
    }

    fn start_tag_open(&mut self, p: Id, ns: &str, local: &str) -> Id {
        match self.node(p) {
            Node::Choice(a, b) => {
                let a = self.start_tag_open(a, ns, local);
                let b = self.start_tag_open(b, ns, local);
                self.choice(a, b)
            }
            Node::Element(t) => {
                let Pattern::Element(nc, content) = self.g.patterns[t as usize] else {
                    unreachable!("element nodes come from element patterns")
                };
                if self.name_matches(nc, ns, local) {
                    let c = self.import(content);
                    self.after(c, EMPTY)
                } else {
                    NOT_ALLOWED
                }
            }
            Node::Interleave(a, b) => {
                let da = self.start_tag_open(a, ns, local);
                let x = self.apply_after(da, &mut |e, x| e.interleave(x, b));
                let db = self.start_tag_open(b, ns, local);
                let y = self.apply_after(db, &mut |e, y| e.interleave(a, y));
                self.choice(x, y)
            }
            Node::OneOrMore(q) => {
                let d = self.start_tag_open(q, ns, local);
                let rest = self.choice(p, EMPTY);
                self.apply_after(d, &mut |e, x| e.group(x, rest))
            }
            Node::Group(a, b) => {
                let da = self.start_tag_open(a, ns, local);
                let x = self.apply_after(da, &mut |e, x| e.group(x, b));
                if self.nullable(a) {
                    let y = self.start_tag_open(b, ns, local);
                    self.choice(x, y)
                } else {
                    x
                }
            }
            Node::After(a, b) => {
                let d = self.start_tag_open(a, ns, local);
                self.apply_after(d, &mut |e, x| e.after(x, b))
            }
            _ => NOT_ALLOWED,
        }
    }

    /// The derivative by attribute `a`; with `names_only`, whether its name fits
    /// whatever its value.
    fn attribute(&mut self, p: Id, a: &Attr<'_>, names_only: bool) -> Id {
        match self.node(p) {
            Node::After(x, y) => {
                let x = self.attribute(x, a, names_only);
                self.after(x, y)
            }
            Node::Choice(x, y) => {
                let x = self.attribute(x, a, names_only);
                let y = self.attribute(y, a, names_only);
                self.choice(x, y)
            }
            Node::Group(x, y) => {
                let dx = self.attribute(x, a, names_only);
                let l = self.group(dx, y);
                let dy = self.attribute(y, a, names_only);
                let r = self.group(x, dy);
                self.choice(l, r)
            }
            Node::Interleave(x, y) => {
                let dx = self.attribute(x, a, names_only);
                let l = self.interleave(dx, y);
                let dy = self.attribute(y, a, names_only);
                let r = self.interleave(x, dy);
                self.choice(l, r)
            }
            Node::OneOrMore(x) => {
                let d = self.attribute(x, a, names_only);
                let rest = self.choice(p, EMPTY);
                self.group(d, rest)
            }
            Node::Attribute(t) => {
                let Pattern::Attribute(nc, value) = self.g.patterns[t as usize] else {
                    unreachable!("attribute nodes come from attribute patterns")
                };
                let fits = self.name_matches(nc, a.ns().unwrap_or(""), a.local)
                    && (names_only || {
                        let v = self.import(value);
                        self.value_matches(v, &a.value)
                    });
                if fits {
                    EMPTY
                } else {
                    NOT_ALLOWED
                }
            }
            _ => NOT_ALLOWED,
        }
    }

    fn value_matches(&mut self, p: Id, s: &str) -> bool {
        (self.nullable(p) && is_blank(s)) || {
            let d = self.text(p, s);
            self.nullable(d)
        }
    }

    fn start_tag_close(&mut self, p: Id, mode: Mode) -> Id {
        match self.node(p) {
            Node::After(a, b) => {
                let a = self.start_tag_close(a, mode);
                self.after(a, b)
            }
            Node::Choice(a, b) => {
                let a = self.start_tag_close(a, mode);
                let b = self.start_tag_close(b, mode);
                self.choice(a, b)
            }
            Node::Group(a, b) => {
                let a = self.start_tag_close(a, mode);
                let b = self.start_tag_close(b, mode);
                self.group(a, b)
            }
            Node::Interleave(a, b) => {
                let a = self.start_tag_close(a, mode);
                let b = self.start_tag_close(b, mode);
                self.interleave(a, b)
            }
            Node::OneOrMore(a) => {
                let a = self.start_tag_close(a, mode);
                self.one_or_more(a)
            }
            Node::Attribute(_) if mode == Mode::Forgiving => EMPTY,
            Node::Attribute(_) => NOT_ALLOWED,
            _ => p,
        }
    }

    fn text(&mut self, p: Id, s: &str) -> Id {
        match self.node(p) {
            Node::Choice(a, b) => {
                let a = self.text(a, s);
                let b = self.text(b, s);
                self.choice(a, b)
            }
            Node::Interleave(a, b) => {
                let da = self.text(a, s);
                let l = self.interleave(da, b);
                let db = self.text(b, s);
                let r = self.interleave(a, db);
                self.choice(l, r)
            }
            Node::Group(a, b) => {
                let da = self.text(a, s);
                let l = self.group(da, b);
                if self.nullable(a) {
                    let r = self.text(b, s);
                    self.choice(l, r)
                } else {
                    l
                }
            }
            Node::After(a, b) => {
                let a = self.text(a, s);
                self.after(a, b)
            }
            Node::OneOrMore(a) => {
                let d = self.text(a, s);
                let rest = self.choice(p, EMPTY);
                self.group(d, rest)
            }
            Node::Text => TEXT,
            Node::Data(t) => {
                if self.data_allows(t, s) {
                    EMPTY
                } else {
                    NOT_ALLOWED
                }
            }
            Node::List(c) => {
                // Each token in turn; the list fits when what is left may end there.
                let mut d = c;
                for token in s.split([' ', '\t', '\n', '\r']).filter(|t| !t.is_empty()) {
                    d = self.text(d, token);
                }
                if self.nullable(d) {
                    EMPTY
                } else {
                    NOT_ALLOWED
                }
            }
            _ => NOT_ALLOWED,
        }
    }

    fn data_allows(&mut self, t: u32, s: &str) -> bool {
        match self.g.patterns[t as usize] {
            Pattern::Value(dt, v) => value_equal(dt, v, s),
            Pattern::Data(dt, params, except) => {
                datatype_allows(self.g, dt, params, s)
                    && (except == NONE || {
                        let e = self.import(except);
                        !self.value_matches(e, s)
                    })
            }
            _ => false,
        }
    }

    fn end_tag(&mut self, p: Id, mode: Mode) -> Id {
        match self.node(p) {
            Node::Choice(a, b) => {
                let a = self.end_tag(a, mode);
                let b = self.end_tag(b, mode);
                self.choice(a, b)
            }
            Node::After(a, b) if mode == Mode::Forgiving || self.nullable(a) => b,
            _ => NOT_ALLOWED,
        }
    }

    /// What may come first in `p` (inside the content of the innermost `After`): element
    /// names, attribute names and values, for messages.
    fn expected(&self, p: Id, out: &mut Expected, seen: &mut Vec<Id>) {
        if seen.contains(&p) || seen.len() > 4096 {
            return;
        }
        seen.push(p);
        match self.node(p) {
            Node::Choice(a, b) | Node::Interleave(a, b) => {
                self.expected(a, out, seen);
                self.expected(b, out, seen);
            }
            Node::Group(a, b) => {
                self.expected(a, out, seen);
                if self.nullable(a) {
                    self.expected(b, out, seen);
                }
            }
            Node::After(a, _) | Node::OneOrMore(a) => self.expected(a, out, seen),
            Node::Element(t) => {
                if let Pattern::Element(nc, _) = self.g.patterns[t as usize] {
                    self.g.names_of(nc, &mut out.elements);
                }
            }
            Node::Attribute(t) => {
                if let Pattern::Attribute(nc, _) = self.g.patterns[t as usize] {
                    self.g.names_of(nc, &mut out.attributes);
                }
            }
            Node::Data(t) => out.values.push(describe(self.g.patterns[t as usize])),
            Node::List(c) => {
                let mut items = Expected::default();
                self.expected(c, &mut items, seen);
                let items = one_of(&items.values, "", "");
                out.values.push(format!("a list separated by spaces of {items}"));
            }
            Node::Text => out.values.push("text".into()),
            Node::Empty | Node::NotAllowed => {}
        }
    }
}

impl Grammar {
    fn names_of(&self, nc: u32, out: &mut Vec<String>) {
        let name = match self.names[nc as usize] {
            NameClass::Name(_, l) => l.to_string(),
            NameClass::AnyName(_) => "any name".to_string(),
            NameClass::NsName(ns, _) => format!("any name in namespace {ns}"),
            NameClass::Choice(a, b) => {
                self.names_of(a, out);
                self.names_of(b, out);
                return;
            }
        };
        if !out.contains(&name) {
            out.push(name);
        }
    }
}

#[derive(Default)]
struct Expected {
    elements: Vec<String>,
    attributes: Vec<String>,
    values: Vec<String>,
}

/// "`a`, `b` or `c`" (at most eight, then ", …").
fn one_of(items: &[String], open: &str, close: &str) -> String {
    let shown: Vec<String> = items.iter().take(8).map(|i| format!("{open}{i}{close}")).collect();
    match shown.len() {
        _ if items.len() > shown.len() => format!("{}, …", shown.join(", ")),
        0 => String::new(),
        1 => shown[0].clone(),
        n => format!("{} or {}", shown[..n - 1].join(", "), shown[n - 1]),
    }
}

/// What a value or data pattern accepts, for messages.
fn describe(p: Pattern) -> String {
    match p {
        Pattern::Value(_, v) => format!("`{v}`"),
        Pattern::Data(dt, params, _) => {
            let mut s = format!("{dt:?}").to_lowercase();
            for (f, v) in params {
                let f = match f {
                    Facet::Pattern => "matching",
                    Facet::Length => "of length",
                    Facet::MinLength => "of length at least",
                    Facet::MaxLength => "of length at most",
                    Facet::MinInclusive => ">=",
                    Facet::MaxInclusive => "<=",
                    Facet::MinExclusive => ">",
                    Facet::MaxExclusive => "<",
                    Facet::Unchecked => continue,
                };
                // A long pattern (an IPv6 address's is 1,480 characters) is shown in part.
                let shown = crate::error::excerpt(v);
                if shown.len() < v.len() {
                    let n = v.chars().count();
                    s.push_str(&format!(" {f} `{shown}` (a pattern of {n} characters)"));
                } else {
                    s.push_str(&format!(" {f} `{v}`"));
                }
            }
            s
        }
        _ => "text".into(),
    }
}

fn is_blank(s: &str) -> bool {
    s.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
}

/// Whitespace collapsed, as XML Schema compares every type but `string`.
fn collapse(s: &str) -> String {
    s.split([' ', '\t', '\n', '\r']).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

fn value_equal(dt: Datatype, v: &str, s: &str) -> bool {
    match dt {
        Datatype::String => v == s,
        _ if is_integer_type(dt) => match (integer(&collapse(v)), integer(&collapse(s))) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        },
        _ => collapse(v) == collapse(s),
    }
}

fn is_integer_type(dt: Datatype) -> bool {
    integer_range(dt).is_some()
}

/// The range of an integer type (None for the other types).
fn integer_range(dt: Datatype) -> Option<(i128, i128)> {
    use Datatype::*;
    Some(match dt {
        Integer => (i128::MIN, i128::MAX),
        Long => (i64::MIN as i128, i64::MAX as i128),
        Int => (i32::MIN as i128, i32::MAX as i128),
        Short => (i16::MIN as i128, i16::MAX as i128),
        Byte => (i8::MIN as i128, i8::MAX as i128),
        NonNegativeInteger => (0, i128::MAX),
        PositiveInteger => (1, i128::MAX),
        NonPositiveInteger => (i128::MIN, 0),
        NegativeInteger => (i128::MIN, -1),
        UnsignedLong => (0, u64::MAX as i128),
        UnsignedInt => (0, u32::MAX as i128),
        UnsignedShort => (0, u16::MAX as i128),
        UnsignedByte => (0, u8::MAX as i128),
        _ => return None,
    })
}

/// An XML Schema integer (`[+-]?[0-9]+`, no hexadecimal); None when not one or beyond
/// 128 bits.
fn integer(s: &str) -> Option<i128> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.strip_prefix('+').unwrap_or(s).parse().ok()
}

/// An XML Schema decimal or double as f64 (None when it is not one).
fn number(s: &str, exponent: bool) -> Option<f64> {
    if exponent && matches!(s, "INF" | "-INF" | "+INF" | "NaN") {
        return Some(if s == "NaN" { f64::NAN } else { s.replace('+', "").parse().ok()? });
    }
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(i) if exponent => (&s[..i], Some(&s[i + 1..])),
        _ => (s, None),
    };
    let m = mantissa.strip_prefix(['+', '-']).unwrap_or(mantissa);
    let (int, frac) = m.split_once('.').unwrap_or((m, ""));
    let digits = |d: &str| d.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
        return None;
    }
    if let Some(e) = exp {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        if e.is_empty() || !digits(e) {
            return None;
        }
    }
    s.parse().ok()
}

fn is_name(s: &str, colons: bool) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| {
        (crate::chars::is_name_start(c) && (colons || c != ':'))
            && chars.all(|c| crate::chars::is_name_char(c) && (colons || c != ':'))
    })
}

fn is_date_time(s: &str) -> bool {
    // -?YYYY-MM-DDThh:mm:ss(.s+)?(Z|(+|-)hh:mm)?
    let s = s.strip_prefix('-').unwrap_or(s);
    let b = s.as_bytes();
    let d = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let Some(t) = s.find('T') else { return false };
    let year_ok = t >= 4 + 6 && (0..t - 6).all(d);
    let date = &b[t - 6..t];
    let date_ok = date[0] == b'-' && date[3] == b'-' && [1, 2, 4, 5].iter().all(|&i| d(t - 6 + i));
    let time = &s[t + 1..];
    let tb = time.as_bytes();
    let td = |i: usize| tb.get(i).is_some_and(u8::is_ascii_digit);
    if !(year_ok && date_ok && tb.len() >= 8 && tb[2] == b':' && tb[5] == b':') {
        return false;
    }
    if ![0, 1, 3, 4, 6, 7].iter().all(|&i| td(i)) {
        return false;
    }
    let mut rest = &time[8..];
    if let Some(f) = rest.strip_prefix('.') {
        let n = f.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &f[n..];
    }
    match rest {
        "" | "Z" => true,
        z => {
            let zb = z.as_bytes();
            zb.len() == 6
                && matches!(zb[0], b'+' | b'-')
                && zb[3] == b':'
                && [1, 2, 4, 5].iter().all(|&i| zb[i].is_ascii_digit())
        }
    }
}

fn datatype_allows(g: &Grammar, dt: Datatype, params: &[(Facet, &'static str)], s: &str) -> bool {
    let collapsed;
    let v: &str = match dt {
        Datatype::String => s,
        Datatype::NormalizedString => {
            collapsed = s.replace(['\t', '\n', '\r'], " ");
            &collapsed
        }
        _ => {
            collapsed = collapse(s);
            &collapsed
        }
    };
    let numeric: Option<f64> = match dt {
        Datatype::String
        | Datatype::Token
        | Datatype::NormalizedString
        | Datatype::AnyUri
        | Datatype::Unchecked => None,
        Datatype::Boolean => {
            if !matches!(v, "true" | "false" | "1" | "0") {
                return false;
            }
            None
        }
        Datatype::Decimal => Some(match number(v, false) {
            Some(n) => n,
            None => return false,
        }),
        Datatype::Double | Datatype::Float => Some(match number(v, true) {
            Some(n) => n,
            None => return false,
        }),
        Datatype::Name | Datatype::NCName => {
            if !is_name(v, dt == Datatype::Name) {
                return false;
            }
            None
        }
        Datatype::NmToken => {
            if v.is_empty() || !v.chars().all(crate::chars::is_name_char) {
                return false;
            }
            None
        }
        Datatype::DateTime => {
            if !is_date_time(v) {
                return false;
            }
            None
        }
        _ => {
            let (lo, hi) = integer_range(dt).unwrap_or((i128::MIN, i128::MAX));
            match integer(v) {
                Some(n) if n >= lo && n <= hi => Some(n as f64),
                _ => return false,
            }
        }
    };
    let int_value = if is_integer_type(dt) { integer(v) } else { None };
    for &(facet, p) in params {
        let ok = match facet {
            Facet::Pattern => g.matches(p, v),
            Facet::Length | Facet::MinLength | Facet::MaxLength => {
                let n = v.chars().count();
                match p.trim().parse::<usize>() {
                    Ok(l) => match facet {
                        Facet::Length => n == l,
                        Facet::MinLength => n >= l,
                        _ => n <= l,
                    },
                    Err(_) => true,
                }
            }
            Facet::MinInclusive
            | Facet::MaxInclusive
            | Facet::MinExclusive
            | Facet::MaxExclusive => {
                // Integers compare exactly; other numbers as f64.
                let ord = match (int_value, integer(p.trim())) {
                    (Some(a), Some(b)) => Some(a.cmp(&b)),
                    _ => numeric.zip(number(p.trim(), true)).and_then(|(a, b)| a.partial_cmp(&b)),
                };
                match ord {
                    None => false,
                    Some(o) => match facet {
                        Facet::MinInclusive => o.is_ge(),
                        Facet::MaxInclusive => o.is_le(),
                        Facet::MinExclusive => o.is_gt(),
                        _ => o.is_lt(),
                    },
                }
            }
            Facet::Unchecked => true,
        };
        if !ok {
            return false;
        }
    }
    true
}

/// Walks one document against the patterns, collecting violations.
struct Run<'a, 'g> {
    e: Engine<'g>,
    r: Reader<'a>,
    problems: Vec<Error>,
}

impl<'a> Run<'a, '_> {
    /// Matches element `tag` (start tag just read) against `p`; the pattern after it.
    fn element(&mut self, p: Id, tag: &Tag<'a>) -> Result<Id, Error> {
        crate::reader::deep(|| self.element_inner(p, tag))
    }

    fn element_inner(&mut self, p: Id, tag: &Tag<'a>) -> Result<Id, Error> {
        let ns = tag.ns().unwrap_or("").to_string();
        let opened = self.e.start_tag_open(p, &ns, tag.local);
        if opened == NOT_ALLOWED {
            let mut exp = Expected::default();
            self.e.expected(p, &mut exp, &mut Vec::new());
            let kind = ErrorKind::UnexpectedElement {
                name: tag.local.to_string(),
                expected: one_of(&exp.elements, "<", ">"),
            };
            self.problems.push(self.r.error(tag, kind));
            self.r.skip(tag)?;
            return Ok(p);
        }
        let attrs = self.r.take_attrs();
        let mut q = opened;
        for a in &attrs {
            let d = self.e.attribute(q, a, false);
            if d != NOT_ALLOWED {
                q = d;
                continue;
            }
            let by_name = self.e.attribute(q, a, true);
            let kind = if by_name != NOT_ALLOWED {
                // Taken as present, so it is not also reported missing.
                let at = q;
                q = by_name;
                let mut exp = Expected::default();
                self.e.attribute_values(at, a, &mut exp);
                ErrorKind::InvalidValue {
                    item: format!("@{}", a.local),
                    value: crate::error::excerpt(&a.value),
                    expected: one_of(&exp.values, "", "").into(),
                }
            } else {
                ErrorKind::UnexpectedAttribute(a.local.to_string())
            };
            self.problems.push(self.r.error(tag, kind));
        }
        self.r.put_attrs(attrs);
        let mut c = self.e.start_tag_close(q, Mode::Strict);
        if c == NOT_ALLOWED {
            let mut exp = Expected::default();
            self.e.expected_attributes(q, &mut exp);
            let kind = ErrorKind::MissingAttribute(one_of(&exp.attributes, "", ""));
            self.problems.push(self.r.error(tag, kind));
            c = self.e.start_tag_close(q, Mode::Forgiving);
        }
        // Text between child elements is matched in one piece (comments split nothing).
        let mut text = String::new();
        let mut had_elements = false;
        while let Some(child) = self.r.next_child(tag)? {
            match child {
                Child::Text(t) => text.push_str(&t),
                Child::Element(t) => {
                    if !is_blank(&text) {
                        c = self.text(c, &text, tag);
                    }
                    text.clear();
                    had_elements = true;
                    c = self.element(c, &t)?;
                }
                Child::Comment(_) | Child::ProcessingInstruction(..) => {}
            }
        }
        if !had_elements {
            // The whole content is one (maybe empty) text: blank text may also be no text.
            let d = self.e.text(c, &text);
            if is_blank(&text) {
                c = self.e.choice(c, d);
            } else if d == NOT_ALLOWED {
                self.text_problem(c, &text, tag);
            } else {
                c = d;
            }
        } else if !is_blank(&text) {
            c = self.text(c, &text, tag);
        }
        let end = self.e.end_tag(c, Mode::Strict);
        if end != NOT_ALLOWED {
            return Ok(end);
        }
        let mut exp = Expected::default();
        self.e.expected(c, &mut exp, &mut Vec::new());
        let mut required = Vec::new();
        self.e.required_elements(c, &mut required);
        let kind = if !required.is_empty() {
            ErrorKind::MissingElement(one_of(&required, "<", ">"))
        } else if !had_elements && !exp.values.is_empty() {
            ErrorKind::InvalidValue {
                item: "text()".into(),
                value: crate::error::excerpt(&text),
                expected: one_of(&exp.values, "", "").into(),
            }
        } else {
            ErrorKind::MissingElement("content".into())
        };
        self.problems.push(self.r.error(tag, kind));
        Ok(self.e.end_tag(c, Mode::Forgiving))
    }

    /// Matches non-blank text beside child elements.
    fn text(&mut self, c: Id, text: &str, tag: &Tag<'a>) -> Id {
        let d = self.e.text(c, text);
        if d == NOT_ALLOWED {
            self.text_problem(c, text, tag);
            c
        } else {
            d
        }
    }

    fn text_problem(&mut self, c: Id, text: &str, tag: &Tag<'a>) {
        let mut exp = Expected::default();
        self.e.expected(c, &mut exp, &mut Vec::new());
        let kind = if exp.values.is_empty() {
            ErrorKind::UnexpectedText(crate::error::excerpt(text.trim()))
        } else {
            ErrorKind::InvalidValue {
                item: "text()".into(),
                value: crate::error::excerpt(text),
                expected: one_of(&exp.values, "", "").into(),
            }
        };
        self.problems.push(self.r.error(tag, kind));
    }
}

impl Engine<'_> {
    /// The values the attribute patterns of `a`'s name accept, for messages.
    fn attribute_values(&self, p: Id, a: &Attr<'_>, out: &mut Expected) {
        let mut attrs = Vec::new();
        self.attribute_patterns(p, &mut attrs, &mut Vec::new());
        for t in attrs {
            if let Pattern::Attribute(nc, value) = self.g.patterns[t as usize] {
                if self.name_matches(nc, a.ns().unwrap_or(""), a.local) {
                    self.g.values_of(value, &mut out.values, 0);
                }
            }
        }
    }

    /// Names of the attributes `p` still requires, for messages.
    fn expected_attributes(&self, p: Id, out: &mut Expected) {
        let mut attrs = Vec::new();
        self.required_attributes(p, &mut attrs);
        for t in attrs {
            if let Pattern::Attribute(nc, _) = self.g.patterns[t as usize] {
                self.g.names_of(nc, &mut out.attributes);
            }
        }
    }

    /// Names of the elements `p` still requires before it can end (of a choice, the
    /// alternatives), for messages.
    fn required_elements(&self, p: Id, out: &mut Vec<String>) {
        if self.nullable(p) {
            return;
        }
        match self.node(p) {
            Node::Group(a, b) | Node::Interleave(a, b) | Node::Choice(a, b) => {
                self.required_elements(a, out);
                self.required_elements(b, out);
            }
            Node::After(a, _) | Node::OneOrMore(a) => self.required_elements(a, out),
            Node::Element(t) => {
                if let Pattern::Element(nc, _) = self.g.patterns[t as usize] {
                    self.g.names_of(nc, out);
                }
            }
            _ => {}
        }
    }

    fn attribute_patterns(&self, p: Id, out: &mut Vec<u32>, seen: &mut Vec<Id>) {
        if seen.contains(&p) {
            return;
        }
        seen.push(p);
        match self.node(p) {
            Node::Choice(a, b) | Node::Group(a, b) | Node::Interleave(a, b) => {
                self.attribute_patterns(a, out, seen);
                self.attribute_patterns(b, out, seen);
            }
            Node::After(a, _) | Node::OneOrMore(a) => self.attribute_patterns(a, out, seen),
            Node::Attribute(t) => out.push(t),
            _ => {}
        }
    }

    /// Attributes without which `p` cannot close its start tag: of a choice, the
    /// branches' (the first branch that needs some names them).
    fn required_attributes(&self, p: Id, out: &mut Vec<u32>) {
        match self.node(p) {
            Node::Group(a, b) | Node::Interleave(a, b) => {
                self.required_attributes(a, out);
                self.required_attributes(b, out);
            }
            Node::Choice(a, b) => {
                let mut x = Vec::new();
                self.required_attributes(a, &mut x);
                let mut y = Vec::new();
                self.required_attributes(b, &mut y);
                // Only an alternative that needs nothing makes the choice need nothing.
                if !x.is_empty() && !y.is_empty() {
                    out.extend(x);
                    out.extend(y);
                }
            }
            Node::After(a, _) | Node::OneOrMore(a) => self.required_attributes(a, out),
            Node::Attribute(t) => out.push(t),
            _ => {}
        }
    }
}

impl Grammar {
    /// Descriptions of the tokens a list's content `t` accepts.
    fn list_items(&self, t: u32, out: &mut Vec<String>, depth: usize) {
        if depth > 64 {
            return;
        }
        match self.patterns[t as usize] {
            Pattern::Choice(a, b) | Pattern::Group(a, b) | Pattern::Interleave(a, b) => {
                self.list_items(a, out, depth + 1);
                self.list_items(b, out, depth + 1);
            }
            Pattern::OneOrMore(a) => self.list_items(a, out, depth + 1),
            p @ (Pattern::Value(..) | Pattern::Data(..)) => out.push(describe(p)),
            _ => {}
        }
    }

    /// Descriptions of the values table pattern `t` accepts.
    fn values_of(&self, t: u32, out: &mut Vec<String>, depth: usize) {
        if depth > 64 {
            return;
        }
        match self.patterns[t as usize] {
            Pattern::Choice(a, b) => {
                self.values_of(a, out, depth + 1);
                self.values_of(b, out, depth + 1);
            }
            p @ (Pattern::Value(..) | Pattern::Data(..)) => out.push(describe(p)),
            Pattern::List(c) => {
                let mut items = Vec::new();
                self.list_items(c, &mut items, depth + 1);
                out.push(format!("a list separated by spaces of {}", one_of(&items, "", "")));
            }
            Pattern::Text => out.push("text".into()),
            _ => {}
        }
    }
}

/// Validates `xml` against the table entries `elements` (the root may match any of them):
/// every violation found, or the error that stopped reading (malformed XML).
#[doc(hidden)]
pub fn validate_document(g: &Grammar, elements: &[u32], xml: &str) -> Result<Vec<Error>, Error> {
    let mut e = Engine::new(g);
    let mut start = NOT_ALLOWED;
    for &t in elements {
        let id = e.import(t);
        start = e.choice(start, id);
    }
    let r = Reader::new(xml);
    let mut run = Run { e, r, problems: Vec::new() };
    let root = run.r.root()?;
    let after = run.element(start, &root)?;
    run.r.finish()?;
    debug_assert!(after != NOT_ALLOWED || !run.problems.is_empty());
    Ok(run.problems)
}

/// Validates `xml` against the table entries `elements`, as [`crate::Element::validate_xml`]
/// reports it.
#[doc(hidden)]
pub fn validate_xml(g: &Grammar, elements: &[u32], xml: &str) -> Result<(), crate::error::Invalid> {
    match validate_document(g, elements, xml) {
        Ok(problems) if problems.is_empty() => Ok(()),
        Ok(problems) => Err(crate::error::Invalid(problems)),
        Err(e) => Err(crate::error::Invalid(vec![e])),
    }
}

/// Validates a value by writing it (compactly) and validating that: the problems' paths
/// are paths in the value; positions in that text would mean nothing, so none is given.
#[doc(hidden)]
pub fn validate_value(
    g: &Grammar,
    elements: &[u32],
    xml: Result<String, Error>,
) -> Result<(), crate::error::Invalid> {
    let xml = xml.map_err(|e| crate::error::Invalid(vec![e]))?;
    match validate_document(g, elements, &xml) {
        Ok(v) if v.is_empty() => Ok(()),
        Ok(v) => Err(crate::error::Invalid(v.into_iter().map(Error::without_position).collect())),
        Err(e) => Err(crate::error::Invalid(vec![e.without_position()])),
    }
}
