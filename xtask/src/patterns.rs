//! Stage 4b — patterns: the simplified grammars as one flat table of RELAX NG patterns,
//! which the runtime's validator matches documents against.
//!
//! An element pattern is one entry per class (equal name, origin and content, see the
//! model's classes), so every schema that includes `domaincommon.rng` shares its
//! elements, and the entry's index is the class id; other patterns are hash-consed.
//! Choices, groups and interleaves become balanced binary trees, so matching recursion
//! stays shallow. Plain data: emission (`emit_patterns`) is a function of it.

use std::collections::HashMap;

use crate::load::NameClass;
use crate::model::{ClassId, Model};
use crate::simplify::{NameClassKey, Pat, Simplified};

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Entry {
    Empty,
    NotAllowed,
    Text,
    /// Name class (index into [`Table::names`]), content.
    Element(u32, u32),
    Attribute(u32, u32),
    Choice(u32, u32),
    Group(u32, u32),
    Interleave(u32, u32),
    OneOrMore(u32),
    List(u32),
    Value {
        datatype: String,
        value: String,
    },
    Data {
        datatype: String,
        params: Vec<(String, String)>,
        except: Option<u32>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum NameEntry {
    Name { ns: String, local: String },
    AnyName { except: Option<u32> },
    NsName { ns: String, except: Option<u32> },
    Choice(u32, u32),
}

#[derive(Debug, Default)]
pub struct Table {
    /// Entries `0..classes` are the element classes, in class order.
    pub entries: Vec<Entry>,
    pub names: Vec<NameEntry>,
}

/// The grammars' patterns; element patterns are numbered by the model's classes.
pub fn table(grammars: &[Simplified], m: &Model) -> Table {
    let mut b = Builder {
        g: grammars,
        m,
        t: Table::default(),
        ids: HashMap::new(),
        name_ids: HashMap::new(),
        defines: HashMap::new(),
    };
    let classes = m.class_nodes.len();
    b.t.entries = vec![Entry::NotAllowed; classes];
    for c in 0..classes {
        let (gi, e) = m.class_nodes[c][0];
        let el = &grammars[gi].elements[e];
        let name = b.name_key(&el.name);
        let content = b.pat(gi, &el.content);
        b.t.entries[c] = Entry::Element(name, content);
    }
    b.t
}

struct Builder<'m> {
    g: &'m [Simplified],
    m: &'m Model,
    t: Table,
    ids: HashMap<Entry, u32>,
    name_ids: HashMap<NameEntry, u32>,
    defines: HashMap<(usize, usize), u32>,
}

impl Builder<'_> {
    fn add(&mut self, e: Entry) -> u32 {
        if let Some(&id) = self.ids.get(&e) {
            return id;
        }
        let id = self.t.entries.len() as u32;
        self.t.entries.push(e.clone());
        self.ids.insert(e, id);
        id
    }

    fn add_name(&mut self, n: NameEntry) -> u32 {
        if let Some(&id) = self.name_ids.get(&n) {
            return id;
        }
        let id = self.t.names.len() as u32;
        self.t.names.push(n.clone());
        self.name_ids.insert(n, id);
        id
    }

    fn name_key(&mut self, k: &NameClassKey) -> u32 {
        match k {
            NameClassKey::Name { ns, local } => {
                self.add_name(NameEntry::Name { ns: ns.clone(), local: local.clone() })
            }
            NameClassKey::Any(nc) => self.name_class(nc),
        }
    }

    fn name_class(&mut self, nc: &NameClass) -> u32 {
        match nc {
            NameClass::Name(q) => {
                self.add_name(NameEntry::Name { ns: q.ns.clone(), local: q.local.clone() })
            }
            NameClass::AnyName { except } => {
                let except = except.as_deref().map(|e| self.name_class(e));
                self.add_name(NameEntry::AnyName { except })
            }
            NameClass::NsName { ns, except } => {
                let except = except.as_deref().map(|e| self.name_class(e));
                self.add_name(NameEntry::NsName { ns: ns.clone(), except })
            }
            NameClass::Choice(v) => {
                let ids: Vec<u32> = v.iter().map(|c| self.name_class(c)).collect();
                self.balanced(&ids, &mut |b, x, y| b.add_name(NameEntry::Choice(x, y)))
            }
        }
    }

    /// `items` joined pairwise as a balanced tree by `join` (order kept).
    fn balanced(&mut self, items: &[u32], join: &mut dyn FnMut(&mut Self, u32, u32) -> u32) -> u32 {
        match items {
            [one] => *one,
            _ => {
                let (l, r) = items.split_at(items.len() / 2);
                let l = self.balanced(l, join);
                let r = self.balanced(r, join);
                join(self, l, r)
            }
        }
    }

    fn pat(&mut self, gi: usize, p: &Pat) -> u32 {
        match p {
            Pat::Empty => self.add(Entry::Empty),
            Pat::NotAllowed => self.add(Entry::NotAllowed),
            Pat::Text => self.add(Entry::Text),
            Pat::Element(e) => self.m.class_of[&(gi, *e)] as u32,
            Pat::Attribute { name, value } => {
                let n = self.name_key(name);
                let v = self.pat(gi, value);
                self.add(Entry::Attribute(n, v))
            }
            Pat::Group(v) | Pat::Interleave(v) | Pat::Choice(v) => {
                let ids: Vec<u32> = v.iter().map(|c| self.pat(gi, c)).collect();
                let kind = match p {
                    Pat::Group(_) => Entry::Group,
                    Pat::Interleave(_) => Entry::Interleave,
                    _ => Entry::Choice,
                };
                self.balanced(&ids, &mut |b, x, y| b.add(kind(x, y)))
            }
            Pat::OneOrMore(b) => {
                let b = self.pat(gi, b);
                self.add(Entry::OneOrMore(b))
            }
            Pat::List(b) => {
                let b = self.pat(gi, b);
                self.add(Entry::List(b))
            }
            Pat::Value { datatype, value } => {
                self.add(Entry::Value { datatype: datatype.clone(), value: value.clone() })
            }
            Pat::Data { datatype, params, except } => {
                let except = except.as_deref().map(|e| self.pat(gi, e));
                self.add(Entry::Data { datatype: datatype.clone(), params: params.clone(), except })
            }
            Pat::Ref(d) => {
                if let Some(&id) = self.defines.get(&(gi, *d)) {
                    return id;
                }
                // A define refers to itself only through an element, whose entry is
                // already numbered: no cycle reaches here.
                let g = self.g;
                let id = self.pat(gi, &g[gi].defines[*d].pat);
                self.defines.insert((gi, *d), id);
                id
            }
        }
    }
}

/// The entries of element classes `classes` (the patterns a type validates against).
pub fn element_entries<'a>(classes: impl IntoIterator<Item = &'a ClassId>) -> Vec<u32> {
    classes.into_iter().map(|&c| c as u32).collect()
}

/// The runtime's name of a datatype (`validate::Datatype`); types it does not know are
/// not checked.
pub fn datatype(name: &str) -> &'static str {
    match name {
        "string" => "String",
        "token" => "Token",
        "normalizedString" => "NormalizedString",
        "boolean" => "Boolean",
        "decimal" => "Decimal",
        "double" => "Double",
        "float" => "Float",
        "integer" => "Integer",
        "long" => "Long",
        "int" => "Int",
        "short" => "Short",
        "byte" => "Byte",
        "nonNegativeInteger" => "NonNegativeInteger",
        "positiveInteger" => "PositiveInteger",
        "nonPositiveInteger" => "NonPositiveInteger",
        "negativeInteger" => "NegativeInteger",
        "unsignedLong" => "UnsignedLong",
        "unsignedInt" => "UnsignedInt",
        "unsignedShort" => "UnsignedShort",
        "unsignedByte" => "UnsignedByte",
        "Name" => "Name",
        "NCName" => "NCName",
        "NMTOKEN" => "NmToken",
        "anyURI" => "AnyUri",
        "dateTime" => "DateTime",
        _ => "Unchecked",
    }
}

/// The runtime's name of a facet (`validate::Facet`).
pub fn facet(name: &str) -> &'static str {
    match name {
        "pattern" => "Pattern",
        "length" => "Length",
        "minLength" => "MinLength",
        "maxLength" => "MaxLength",
        "minInclusive" => "MinInclusive",
        "maxInclusive" => "MaxInclusive",
        "minExclusive" => "MinExclusive",
        "maxExclusive" => "MaxExclusive",
        _ => "Unchecked",
    }
}
