//! Snapshots of what each stage makes of the fixture schemas (`xtask/fixtures/stages/`):
//! the loaded grammar, the simplified one, and the model, as indented trees. `regen` writes
//! them beside the fixtures' generated crate and `regen --check` compares them, so a change
//! to one stage shows up in that stage's own snapshot, not only in the generated code.

use crate::load::{Grammar, NameClass, Pattern};
use crate::model::{Fields, Model};
use crate::simplify::{NameClassKey, Pat, Simplified};

/// `p` and everything below it, one line each (`label`), children (`kids`) indented.
fn print_tree<'a, P>(
    p: &'a P,
    depth: usize,
    out: &mut String,
    label: &dyn Fn(&P) -> String,
    kids: &dyn Fn(&'a P) -> Vec<&'a P>,
) {
    out.push_str(&"  ".repeat(depth));
    out.push_str(&label(p));
    out.push('\n');
    for k in kids(p) {
        print_tree(k, depth + 1, out, label, kids);
    }
}

fn name_class(n: &NameClass) -> String {
    match n {
        NameClass::Name(q) if q.ns.is_empty() => q.local.clone(),
        NameClass::Name(q) => format!("{{{}}}{}", q.ns, q.local),
        NameClass::AnyName { except: None } => "*".into(),
        NameClass::AnyName { except: Some(e) } => format!("* - {}", name_class(e)),
        NameClass::NsName { ns, except: None } => format!("{{{ns}}}*"),
        NameClass::NsName { ns, except: Some(e) } => format!("{{{ns}}}* - {}", name_class(e)),
        NameClass::Choice(v) => {
            let names: Vec<String> = v.iter().map(name_class).collect();
            format!("({})", names.join(" | "))
        }
    }
}

/// `data int {minInclusive="1"} except` (the excepted pattern is the child).
fn data(datatype: &str, params: &[(String, String)], except: bool) -> String {
    let mut s = format!("data {datatype}");
    if !params.is_empty() {
        let params: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
        s.push_str(&format!(" {{{}}}", params.join(", ")));
    }
    if except {
        s.push_str(" except");
    }
    s
}

fn loaded_label(g: &Grammar, p: &Pattern) -> String {
    match p {
        Pattern::Element { name, origin, .. } => {
            format!("element {} ({}:{})", name_class(name), origin.file, origin.line)
        }
        Pattern::Attribute { name, .. } => format!("attribute {}", name_class(name)),
        Pattern::Group(_) => "group".into(),
        Pattern::Interleave(_) => "interleave".into(),
        Pattern::Choice(_) => "choice".into(),
        Pattern::Optional(_) => "optional".into(),
        Pattern::ZeroOrMore(_) => "zeroOrMore".into(),
        Pattern::OneOrMore(_) => "oneOrMore".into(),
        Pattern::List(_) => "list".into(),
        Pattern::Empty => "empty".into(),
        Pattern::NotAllowed => "notAllowed".into(),
        Pattern::Text => "text".into(),
        Pattern::Value { datatype, value } => format!("value {datatype} {value:?}"),
        Pattern::Data { datatype, params, except } => data(datatype, params, except.is_some()),
        Pattern::Ref(d) => format!("ref {} (#{d})", g.defines[*d].name),
    }
}

fn loaded_kids(p: &Pattern) -> Vec<&Pattern> {
    match p {
        Pattern::Element { content, .. } => vec![content],
        Pattern::Attribute { value, .. } => vec![value],
        Pattern::Group(v) | Pattern::Interleave(v) | Pattern::Choice(v) => v.iter().collect(),
        Pattern::Optional(x)
        | Pattern::ZeroOrMore(x)
        | Pattern::OneOrMore(x)
        | Pattern::List(x) => vec![x],
        Pattern::Data { except: Some(x), .. } => vec![x],
        _ => Vec::new(),
    }
}

/// The loaded grammar: its start, then each define (numbered as references give them).
pub fn loaded(g: &Grammar) -> String {
    let label = |p: &Pattern| loaded_label(g, p);
    let mut out = format!("# load: {}\nstart\n", g.entry);
    print_tree(&g.start, 1, &mut out, &label, &loaded_kids);
    for (i, d) in g.defines.iter().enumerate() {
        out.push_str(&format!("define {} (#{i}, {})\n", d.name, d.file));
        print_tree(&d.pattern, 1, &mut out, &label, &loaded_kids);
    }
    out
}

fn key(k: &NameClassKey) -> String {
    match k {
        NameClassKey::Name { ns, local } if ns.is_empty() => local.clone(),
        NameClassKey::Name { ns, local } => format!("{{{ns}}}{local}"),
        NameClassKey::Any(n) => name_class(n),
    }
}

fn simple_label(s: &Simplified, p: &Pat) -> String {
    match p {
        Pat::Element(e) => format!("element #{e} {}", key(&s.elements[*e].name)),
        Pat::Attribute { name, .. } => format!("attribute {}", key(name)),
        Pat::Group(_) => "group".into(),
        Pat::Interleave(_) => "interleave".into(),
        Pat::Choice(_) => "choice".into(),
        Pat::OneOrMore(_) => "oneOrMore".into(),
        Pat::List(_) => "list".into(),
        Pat::Empty => "empty".into(),
        Pat::NotAllowed => "notAllowed".into(),
        Pat::Text => "text".into(),
        Pat::Value { datatype, value } => format!("value {datatype} {value:?}"),
        Pat::Data { datatype, params, except } => data(datatype, params, except.is_some()),
        Pat::Ref(d) => format!("ref {} (#{d})", s.defines[*d].name),
    }
}

fn simple_kids(p: &Pat) -> Vec<&Pat> {
    match p {
        Pat::Attribute { value, .. } => vec![value],
        Pat::Group(v) | Pat::Interleave(v) | Pat::Choice(v) => v.iter().collect(),
        Pat::OneOrMore(x) | Pat::List(x) => vec![x],
        Pat::Data { except: Some(x), .. } => vec![x],
        _ => Vec::new(),
    }
}

/// The simplified grammar: start, the defines left, and every element with its content.
pub fn simplified(s: &Simplified) -> String {
    let label = |p: &Pat| simple_label(s, p);
    let mut out = format!("# simplify: {}\nstart\n", s.entry);
    print_tree(&s.start, 1, &mut out, &label, &simple_kids);
    for (i, d) in s.defines.iter().enumerate() {
        out.push_str(&format!("define {} (#{i}, {})\n", d.name, d.file));
        print_tree(&d.pat, 1, &mut out, &label, &simple_kids);
    }
    for (i, e) in s.elements.iter().enumerate() {
        let o = &e.origin;
        out.push_str(&format!("element #{i} {} ({}:{})\n", key(&e.name), o.file, o.line));
        print_tree(&e.content, 1, &mut out, &label, &simple_kids);
    }
    out
}

fn occurrence(required: bool, repeated: bool) -> &'static str {
    match (required, repeated) {
        (true, true) => "oneOrMore",
        (false, true) => "zeroOrMore",
        (true, false) => "required",
        (false, false) => "optional",
    }
}

fn fields(m: &Model, f: &Fields, depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    for a in &f.attrs {
        let name = &a.name;
        out.push_str(&format!("{pad}@{name}: {:?} {}\n", a.ty, occurrence(a.required, false)));
    }
    for (i, c) in f.children.iter().enumerate() {
        if i == f.variants_pos && f.variants.is_some() {
            out.push_str(&format!("{pad}(the variants' children come here)\n"));
        }
        let name = &c.name;
        let boxed = if c.boxed { ", boxed" } else { "" };
        let boxed = match c.choice {
            Some((k, rank)) => format!("{boxed}, member {rank} of choice {k}"),
            None => boxed.to_string(),
        };
        let what = if c.group { "group from " } else { "" };
        let to = &m.types[c.ty].name.local;
        let occ = occurrence(c.required, c.repeated);
        out.push_str(&format!("{pad}{what}<{name}>: type #{} <{to}> {occ}{boxed}\n", c.ty));
    }
    if let Some(t) = &f.text {
        out.push_str(&format!(
            "{pad}text: {:?} {}{}\n",
            t.ty,
            occurrence(t.required, t.mixed),
            if t.mixed { " (mixed: pieces among the children)" } else { "" }
        ));
    }
    if f.any_element {
        out.push_str(&format!("{pad}any element\n"));
    }
    if f.any_attribute {
        out.push_str(&format!("{pad}any attribute\n"));
    }
    if let Some(v) = &f.variants {
        let attr = &v.attr;
        let opt = if v.attr_optional { " (may be absent)" } else { "" };
        out.push_str(&format!("{pad}variants by @{attr}{opt}\n"));
        for c in &v.cases {
            let default = if c.default { " (default)" } else { "" };
            out.push_str(&format!("{pad}  case {:?}{default}\n", c.values));
            fields(m, &c.fields, depth + 2, out);
        }
    }
}

/// The model: every type with its fields (occurrence, boxing, value types), the value
/// enums, the roots, and how each choice point was mapped.
pub fn model(m: &Model) -> String {
    let mut out = String::from("# model\n");
    for (t, ty) in m.types.iter().enumerate() {
        let name = &ty.name;
        let places: Vec<String> = ty
            .nodes
            .iter()
            .map(|&n| {
                let o = &m.element(n).origin;
                format!("{}:{}", o.file, o.line)
            })
            .collect();
        match ty.parent.filter(|_| ty.group) {
            Some(p) => out.push_str(&format!("group #{t} <{name}>: repeated in type #{p}\n")),
            None => {
                let cycle = if ty.recursive { " (on a cycle: checks for stack room)" } else { "" };
                out.push_str(&format!("type #{t} <{name}> at {}{cycle}\n", places.join(", ")))
            }
        }
        match &ty.alternatives {
            Some(alt) => {
                for (case, c) in alt.cases.iter().zip(&ty.fields.children) {
                    let when = match case.default {
                        true => format!("without @{}", alt.attr),
                        false => format!("@{} in {:?}", alt.attr, case.values),
                    };
                    out.push_str(&format!("  one of: type #{} when {when}\n", c.ty));
                }
            }
            None => fields(m, &ty.fields, 1, &mut out),
        }
    }
    for (e, en) in m.enums.iter().enumerate() {
        out.push_str(&format!("enum #{e} {:?} from {:?}\n", en.values, en.define_names));
    }
    for r in &m.roots {
        let entry = &m.entries[r.entry].file;
        out.push_str(&format!("root of {entry}: type #{}\n", r.ty));
    }
    for ((file, line), how) in &m.choices {
        out.push_str(&format!("choice {file} {line}: {how:?}\n"));
    }
    out
}
