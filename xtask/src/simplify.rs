//! Stage 2 — simplify: reduce a loaded [`Grammar`] to a small pattern algebra.
//!
//! `optional` and `zeroOrMore` become choice/oneOrMore (`list` and `mixed` are refused by
//! the loader); groups,
//! interleaves and choices are flattened; `empty` and `notAllowed` are propagated (so a
//! define overridden to `notAllowed`, as libvirt's no-op storage hooks are, disappears);
//! every `<element>` is lifted into a table so later stages can refer to it by id.
//! References to defines stay, because define names are the best type names.

use crate::load::{DefineId, Grammar, NameClass, Origin, Pattern};

pub type ElemId = usize;

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Pat {
    Empty,
    NotAllowed,
    Text,
    Element(ElemId),
    Attribute { name: NameClassKey, value: Box<Pat> },
    Group(Vec<Pat>),
    Interleave(Vec<Pat>),
    Choice(Vec<Pat>),
    OneOrMore(Box<Pat>),
    List(Box<Pat>),
    Value { datatype: String, value: String },
    Data { datatype: String, params: Vec<(String, String)>, except: Option<Box<Pat>> },
    Ref(DefineId),
}

/// A name class reduced to what the model needs: one name, or "any" (open content).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NameClassKey {
    Name {
        ns: String,
        local: String,
    },
    /// `anyName` (with its exceptions, which validation needs): names the schema does
    /// not list.
    Any(NameClass),
}

#[derive(Clone, Debug)]
pub struct Elem {
    pub name: NameClassKey,
    pub content: Pat,
    pub origin: Origin,
}

#[derive(Clone, Debug)]
pub struct SDefine {
    pub name: String,
    pub pat: Pat,
    /// The schema file it is written in.
    pub file: String,
}

#[derive(Clone, Debug)]
pub struct Simplified {
    pub entry: String,
    pub start: Pat,
    pub defines: Vec<SDefine>,
    pub elements: Vec<Elem>,
}

pub fn simplify(g: &Grammar) -> Simplified {
    let mut s = Simplified {
        entry: g.entry.clone(),
        start: Pat::Empty,
        defines: Vec::new(),
        elements: Vec::new(),
    };
    let mut defines = Vec::new();
    for d in &g.defines {
        let pat = lower(&d.pattern, &mut s.elements);
        defines.push(SDefine { file: d.file.clone(), name: d.name.clone(), pat });
    }
    s.start = lower(&g.start, &mut s.elements);
    s.defines = defines;
    // Propagate defines that reduce to empty/notAllowed into their references until stable.
    loop {
        let trivial: Vec<Option<Pat>> = s
            .defines
            .iter()
            .map(|d| match d.pat {
                Pat::Empty | Pat::NotAllowed => Some(d.pat.clone()),
                _ => None,
            })
            .collect();
        // An element whose content can never match cannot occur either.
        let dead: Vec<bool> = s.elements.iter().map(|e| e.content == Pat::NotAllowed).collect();
        let mut changed = false;
        let mut fix = |p: &mut Pat| {
            let before = p.clone();
            *p = normalize(inline_trivial(std::mem::replace(p, Pat::Empty), &trivial, &dead));
            changed |= *p != before;
        };
        for d in &mut s.defines {
            fix(&mut d.pat);
        }
        for e in &mut s.elements {
            fix(&mut e.content);
        }
        fix(&mut s.start);
        if !changed {
            break;
        }
    }
    s
}

fn inline_trivial(p: Pat, trivial: &[Option<Pat>], dead: &[bool]) -> Pat {
    let rec = |v: Vec<Pat>| v.into_iter().map(|p| inline_trivial(p, trivial, dead)).collect();
    match p {
        Pat::Ref(id) => trivial[id].clone().unwrap_or(Pat::Ref(id)),
        Pat::Element(id) if dead[id] => Pat::NotAllowed,
        Pat::Group(v) => Pat::Group(rec(v)),
        Pat::Interleave(v) => Pat::Interleave(rec(v)),
        Pat::Choice(v) => Pat::Choice(rec(v)),
        Pat::OneOrMore(b) => Pat::OneOrMore(Box::new(inline_trivial(*b, trivial, dead))),
        Pat::Attribute { name, value } => {
            Pat::Attribute { name, value: Box::new(inline_trivial(*value, trivial, dead)) }
        }
        other => other,
    }
}

fn key(n: &NameClass) -> NameClassKey {
    match n {
        NameClass::Name(q) => NameClassKey::Name { ns: q.ns.clone(), local: q.local.clone() },
        // Open classes (`anyName`, `nsName`, choices holding them): raw content.
        other => NameClassKey::Any(other.clone()),
    }
}

/// The names of a choice of plain names (`<choice><name>a</name><name>b</name>`), through
/// nested choices; `None` when it holds an open class (`anyName`, `nsName`).
fn plain_names(n: &NameClass) -> Option<Vec<NameClass>> {
    match n {
        NameClass::Name(_) => Some(vec![n.clone()]),
        NameClass::Choice(v) => {
            let mut out = Vec::new();
            for c in v {
                out.extend(plain_names(c)?);
            }
            Some(out)
        }
        _ => None,
    }
}

fn lower(p: &Pattern, elements: &mut Vec<Elem>) -> Pat {
    let all = |v: &[Pattern], elements: &mut Vec<Elem>| {
        v.iter().map(|p| lower(p, elements)).collect::<Vec<_>>()
    };
    // `element (a | b) { p }` is `element a { p } | element b { p }`, and so for
    // attributes: each name its own element, typed, keeping which name the document used.
    let named = match p {
        Pattern::Element { name, content, .. } => Some((name, content)),
        Pattern::Attribute { name, value } => Some((name, value)),
        _ => None,
    };
    if let Some((name @ NameClass::Choice(_), content)) = named {
        if let Some(names) = plain_names(name) {
            let one = |n: NameClass| match p {
                Pattern::Element { origin, .. } => {
                    Pattern::Element { name: n, content: content.clone(), origin: origin.clone() }
                }
                _ => Pattern::Attribute { name: n, value: content.clone() },
            };
            let choice = Pattern::Choice(names.into_iter().map(one).collect());
            return lower(&choice, elements);
        }
    }
    let out = match p {
        Pattern::Element { name, content, origin } => {
            let id = elements.len();
            elements.push(Elem { name: key(name), content: Pat::Empty, origin: origin.clone() });
            let c = lower(content, elements);
            elements[id].content = c;
            Pat::Element(id)
        }
        Pattern::Attribute { name, value } => {
            Pat::Attribute { name: key(name), value: Box::new(lower(value, elements)) }
        }
        Pattern::Group(v) => Pat::Group(all(v, elements)),
        Pattern::Interleave(v) => Pat::Interleave(all(v, elements)),
        Pattern::Choice(v) => Pat::Choice(all(v, elements)),
        Pattern::Optional(b) => Pat::Choice(vec![lower(b, elements), Pat::Empty]),
        Pattern::ZeroOrMore(b) => {
            Pat::Choice(vec![Pat::OneOrMore(Box::new(lower(b, elements))), Pat::Empty])
        }
        Pattern::OneOrMore(b) => Pat::OneOrMore(Box::new(lower(b, elements))),
        Pattern::List(b) => Pat::List(Box::new(lower(b, elements))),
        Pattern::Empty => Pat::Empty,
        Pattern::NotAllowed => Pat::NotAllowed,
        Pattern::Text => Pat::Text,
        Pattern::Value { datatype, value } => {
            Pat::Value { datatype: datatype.clone(), value: value.clone() }
        }
        Pattern::Data { datatype, params, except } => Pat::Data {
            datatype: datatype.clone(),
            params: params.clone(),
            except: except.as_ref().map(|e| Box::new(lower(e, elements))),
        },
        Pattern::Ref(id) => Pat::Ref(*id),
    };
    normalize(out)
}

/// One level of normalisation (children are already normal).
fn normalize(p: Pat) -> Pat {
    match p {
        Pat::Group(v) | Pat::Interleave(v) if v.is_empty() => Pat::Empty,
        Pat::Group(v) => seq(v, false),
        Pat::Interleave(v) => seq(v, true),
        Pat::Choice(v) => {
            let mut out: Vec<Pat> = Vec::new();
            for c in v {
                let c = normalize(c);
                let items = match c {
                    Pat::Choice(inner) => inner,
                    Pat::NotAllowed => continue,
                    other => vec![other],
                };
                for i in items {
                    if !out.contains(&i) {
                        out.push(i);
                    }
                }
            }
            match out.len() {
                0 => Pat::NotAllowed,
                1 => out.pop().unwrap(),
                _ => Pat::Choice(out),
            }
        }
        Pat::OneOrMore(b) => match normalize(*b) {
            Pat::NotAllowed => Pat::NotAllowed,
            Pat::Empty => Pat::Empty,
            // (p+)+ = p+
            Pat::OneOrMore(inner) => Pat::OneOrMore(inner),
            other => Pat::OneOrMore(Box::new(other)),
        },
        Pat::Attribute { name, value } => match normalize(*value) {
            Pat::NotAllowed => Pat::NotAllowed,
            v => Pat::Attribute { name, value: Box::new(v) },
        },
        other => other,
    }
}

fn seq(v: Vec<Pat>, interleave: bool) -> Pat {
    let mut out = Vec::new();
    for c in v {
        let c = normalize(c);
        match c {
            Pat::Empty => {}
            Pat::NotAllowed => return Pat::NotAllowed,
            Pat::Group(inner) if !interleave => out.extend(inner),
            Pat::Interleave(inner) if interleave => out.extend(inner),
            other => out.push(other),
        }
    }
    match out.len() {
        0 => Pat::Empty,
        1 => out.pop().unwrap(),
        _ if interleave => Pat::Interleave(out),
        _ => Pat::Group(out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::QName;

    fn name(local: &str) -> NameClass {
        NameClass::Name(QName { ns: String::new(), local: local.into() })
    }

    fn element(name: NameClass) -> Pattern {
        Pattern::Element {
            name,
            content: Box::new(Pattern::Text),
            origin: Origin { file: "t.rng".into(), line: 1, define: None },
        }
    }

    #[test]
    fn a_choice_of_names_is_a_choice_of_elements() {
        // Nested, as the specification allows (xmllint crashes on it, so no fixture does).
        let nested =
            NameClass::Choice(vec![name("a"), NameClass::Choice(vec![name("b"), name("c")])]);
        let mut elements = Vec::new();
        let p = lower(&element(nested), &mut elements);
        let names: Vec<String> =
            elements.iter().map(|e| crate::model::name_text(&e.name)).collect();
        assert_eq!(names, ["a", "b", "c"]);
        assert!(matches!(&p, Pat::Choice(v) if v.len() == 3), "{p:?}");
        // A choice holding an open class stays one element of open content.
        let open = NameClass::Choice(vec![name("a"), NameClass::AnyName { except: None }]);
        let mut elements = Vec::new();
        lower(&element(open), &mut elements);
        assert_eq!(elements.len(), 1);
        assert!(matches!(elements[0].name, NameClassKey::Any(_)));
    }
}
