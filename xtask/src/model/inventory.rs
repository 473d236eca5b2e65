//! What the stages after the model need to know of the schemas themselves, read once from
//! the simplified grammars into plain data: each `<element>` pattern's place, the defines
//! whose body it is, its own attributes, and the `<data>` patterns by datatype. Naming keys
//! on these, and the coverage report compares them with the types.

use std::collections::{BTreeMap, BTreeSet};

use crate::load::Origin;
use crate::simplify::{NameClassKey, Pat, Simplified};

use super::XName;

/// One entry schema: a document family (`domain.rng`) or a test-only entry
/// (`test/device.rng`).
#[derive(Clone, Debug)]
pub struct Entry {
    /// Its file, relative to the schema folder.
    pub file: String,
}

/// One `<element>` pattern of an entry's grammar, without its content.
#[derive(Clone, Debug)]
pub struct ElementPattern {
    /// Its local name, or `*` for open content (`<element><anyName/>`).
    pub name: String,
    pub any_name: bool,
    pub origin: Origin,
    /// Attributes with one name in its own content (not inside child elements).
    pub attributes: Vec<XName>,
    /// Defines whose body is this element, maybe optional or repeated (`diskTarget`).
    pub body_of: Vec<String>,
    /// Where the element patterns directly inside it are written (file, line).
    pub child_origins: BTreeSet<(String, u32)>,
    /// The defines its own content refers to (not its child elements'): the names libvirt
    /// gave to what it holds (`audiopulseaudio`, `absFilePath`). Patterns of the same
    /// content written with other defines are other things, with types of their own.
    pub content_defines: BTreeSet<String>,
    /// Defines that are a choice of several element patterns, this one among them, with
    /// how many they hold (`diskSource`, any of the disk `<source>`s): the name of what a
    /// field holding any of them is.
    pub choice_defines: Vec<(String, usize)>,
}

fn written_defines(g: &Simplified, p: &Pat, out: &mut BTreeSet<String>) {
    match p {
        Pat::Ref(d) if out.insert(g.defines[*d].name.clone()) => {
            written_defines(g, &g.defines[*d].pat, out)
        }
        Pat::Attribute { value, .. } => written_defines(g, value, out),
        Pat::Group(v) | Pat::Interleave(v) | Pat::Choice(v) => {
            for q in v {
                written_defines(g, q, out);
            }
        }
        Pat::OneOrMore(q) | Pat::List(q) => written_defines(g, q, out),
        _ => {}
    }
}

/// `<data>` patterns counted by (datatype, its parameters and `except` as one text),
/// once per grammar that includes them.
pub type DataPatterns = BTreeMap<(String, String), usize>;

/// The element patterns of every grammar, indexed like the grammars' own elements.
pub fn element_patterns(grammars: &[Simplified]) -> Vec<Vec<ElementPattern>> {
    grammars
        .iter()
        .map(|g| {
            let mut body_of: Vec<Vec<String>> = vec![Vec::new(); g.elements.len()];
            let mut choice_defines: Vec<Vec<(String, usize)>> = vec![Vec::new(); g.elements.len()];
            for d in &g.defines {
                if let Some(e) = body_element(&d.pat) {
                    body_of[e].push(d.name.clone());
                }
                if let Pat::Choice(_) = d.pat {
                    let at: BTreeSet<usize> = elements_at(g, &d.pat).into_iter().collect();
                    if at.len() > 1 {
                        for &e in &at {
                            choice_defines[e].push((d.name.clone(), at.len()));
                        }
                    }
                }
            }
            g.elements
                .iter()
                .zip(body_of)
                .zip(choice_defines)
                .map(|((el, body_of), choice_defines)| {
                    let mut attributes = Vec::new();
                    attributes_of(g, &el.content, &mut attributes, &mut Vec::new());
                    let child_origins = elements_at(g, &el.content)
                        .into_iter()
                        .map(|c| (g.elements[c].origin.file.clone(), g.elements[c].origin.line))
                        .collect();
                    let mut content_defines = BTreeSet::new();
                    written_defines(g, &el.content, &mut content_defines);
                    ElementPattern {
                        name: super::name_text(&el.name),
                        any_name: matches!(el.name, NameClassKey::Any(_)),
                        origin: el.origin.clone(),
                        attributes,
                        body_of,
                        child_origins,
                        content_defines,
                        choice_defines,
                    }
                })
                .collect()
        })
        .collect()
}

/// The element a define's body is, seen through `optional` and `oneOrMore`.
fn body_element(mut p: &Pat) -> Option<usize> {
    loop {
        p = match p {
            Pat::Choice(v) if v.len() == 2 && v[1] == Pat::Empty => &v[0],
            Pat::OneOrMore(b) => b,
            Pat::Element(e) => return Some(*e),
            _ => return None,
        };
    }
}

fn attributes_of(g: &Simplified, p: &Pat, out: &mut Vec<XName>, stack: &mut Vec<usize>) {
    match p {
        Pat::Attribute { name: NameClassKey::Name { ns, local }, .. } => {
            let x = XName { ns: ns.clone(), local: local.clone() };
            if !out.contains(&x) {
                out.push(x);
            }
        }
        Pat::Group(v) | Pat::Interleave(v) | Pat::Choice(v) => {
            for c in v {
                attributes_of(g, c, out, stack);
            }
        }
        Pat::OneOrMore(b) => attributes_of(g, b, out, stack),
        Pat::Ref(d) if !stack.contains(d) => {
            stack.push(*d);
            attributes_of(g, &g.defines[*d].pat, out, stack);
            stack.pop();
        }
        _ => {}
    }
}

/// The element patterns `p` may be, or hold directly (through refs, groups and choices,
/// not inside other elements).
pub fn elements_at(g: &Simplified, p: &Pat) -> Vec<usize> {
    fn walk(g: &Simplified, p: &Pat, out: &mut Vec<usize>, refs: &mut BTreeSet<usize>) {
        match p {
            Pat::Element(e) => out.push(*e),
            Pat::Ref(d) if refs.insert(*d) => walk(g, &g.defines[*d].pat, out, refs),
            Pat::Group(v) | Pat::Interleave(v) | Pat::Choice(v) => {
                for q in v {
                    walk(g, q, out, refs);
                }
            }
            Pat::OneOrMore(q) => walk(g, q, out, refs),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(g, p, &mut out, &mut BTreeSet::new());
    out
}

/// Every `<data>` pattern of the grammars (`<list>` counted as a row of its own).
pub fn data_patterns(grammars: &[Simplified]) -> DataPatterns {
    fn walk(p: &Pat, seen: &mut DataPatterns) {
        match p {
            Pat::Data { datatype, params, except } => {
                let mut what: Vec<String> = params.iter().map(|(n, _)| format!("`{n}`")).collect();
                what.sort();
                what.dedup();
                if except.is_some() {
                    what.push("`except`".into());
                }
                *seen.entry((datatype.clone(), what.join(", "))).or_default() += 1;
            }
            Pat::Attribute { value, .. } => walk(value, seen),
            Pat::Group(v) | Pat::Interleave(v) | Pat::Choice(v) => {
                v.iter().for_each(|p| walk(p, seen))
            }
            Pat::OneOrMore(b) => walk(b, seen),
            Pat::List(b) => {
                *seen.entry(("(list)".into(), String::new())).or_default() += 1;
                walk(b, seen)
            }
            _ => {}
        }
    }
    let mut seen = BTreeMap::new();
    for g in grammars {
        g.defines.iter().for_each(|d| walk(&d.pat, &mut seen));
        g.elements.iter().for_each(|e| walk(&e.content, &mut seen));
        walk(&g.start, &mut seen);
    }
    seen
}
