//! Fields in the order libvirt writes them. Where the schema fixes an order (a `<group>`)
//! it is kept; where it leaves it open (`<interleave>`, a `<choice>`), fields follow what
//! libvirt's own documents show ([`Observed`]), else the schema's order. Slots, and so the
//! writer's order and the order records the reader keeps, follow the fields: a document
//! in libvirt's order needs no record, and one a program builds is written as libvirt
//! writes it.

use std::collections::{BTreeSet, HashSet};

use super::inventory::elements_at;
use super::{reaches, ElementType, Fields, TypeId, XName};
use crate::observe::{no_parent, Observed};
use crate::simplify::{Pat, Simplified};

/// Reorders the fields of every element type (groups and alternatives keep theirs).
pub fn apply(
    grammars: &[Simplified],
    types: &mut [ElementType],
    roots: &[TypeId],
    observed: &Observed,
) {
    let parents = parents(types, roots);
    for (t, parents) in types.iter_mut().zip(parents) {
        if t.group || t.alternatives.is_some() {
            continue;
        }
        let mut fixed = HashSet::new();
        for &(gi, e) in &t.nodes {
            let g = &grammars[gi];
            fixed_pairs(g, &g.elements[e].content, &mut BTreeSet::new(), &mut fixed);
        }
        let seen =
            Seen { parents: parents.into_iter().collect(), elem: t.name.to_string(), observed };
        order_fields(&mut t.fields, &seen, &fixed);
    }
}

/// What libvirt's documents show of one element type: its name under each of its parents'.
struct Seen<'o> {
    parents: Vec<String>,
    elem: String,
    observed: &'o Observed,
}

impl Seen<'_> {
    fn lead(&self, attrs: bool, a: &XName, b: &XName) -> i64 {
        let (a, b) = (a.to_string(), b.to_string());
        self.parents.iter().map(|p| self.observed.lead(p, &self.elem, attrs, &a, &b)).sum()
    }
}

/// The names of the elements each type occurs in ([`no_parent`] for a root). Groups and
/// alternatives add no element: what they hold occurs where they do.
fn parents(types: &[ElementType], roots: &[TypeId]) -> Vec<BTreeSet<String>> {
    let mut out = vec![BTreeSet::new(); types.len()];
    for &r in roots {
        out[r].insert(no_parent());
    }
    let mut changed = true;
    while changed {
        changed = false;
        for (t, ty) in types.iter().enumerate() {
            let own = if ty.group || ty.alternatives.is_some() {
                out[t].clone()
            } else {
                [ty.name.to_string()].into()
            };
            let f = &ty.fields;
            let cases = f.variants.iter().flat_map(|v| v.cases.iter());
            for c in f.children.iter().chain(cases.flat_map(|c| c.fields.children.iter())) {
                for p in &own {
                    changed |= out[c.ty].insert(p.clone());
                }
            }
        }
    }
    out
}

fn order_fields(f: &mut Fields, seen: &Seen<'_>, fixed: &HashSet<(XName, XName)>) {
    order_attrs(f, seen);
    let cases_names: Vec<XName> = f
        .variants
        .iter()
        .flat_map(|v| v.cases.iter())
        .flat_map(|c| c.fields.children.iter().map(|ch| ch.name.clone()))
        .collect();
    for c in f.variants.iter_mut().flat_map(|v| v.cases.iter_mut()) {
        order_attrs(&mut c.fields, seen);
        if c.fields.children.iter().all(|ch| !ch.group) {
            let items: Vec<Vec<XName>> =
                c.fields.children.iter().map(|ch| vec![ch.name.clone()]).collect();
            let perm = order(&items, seen, false, fixed);
            permute(&mut c.fields.children, &perm);
        }
    }
    if f.children.iter().any(|ch| ch.group) {
        return;
    }
    // The sum type's children are one item, placed among the element's own.
    let pos = f.variants_pos.min(f.children.len());
    let mut items: Vec<Vec<XName>> = f.children.iter().map(|ch| vec![ch.name.clone()]).collect();
    let sum = f.variants.is_some().then_some(pos);
    if sum.is_some() {
        items.insert(pos, cases_names);
    }
    let perm = order(&items, seen, false, fixed);
    let mut children = Vec::with_capacity(f.children.len());
    let mut old: Vec<Option<_>> = std::mem::take(&mut f.children).into_iter().map(Some).collect();
    for (at, &i) in perm.iter().enumerate() {
        match sum {
            Some(s) if i == s => f.variants_pos = at,
            Some(s) if i > s => children.push(old[i - 1].take().unwrap()),
            _ => children.push(old[i].take().unwrap()),
        }
    }
    f.children = children;
}

/// Attributes have no order in XML; libvirt's is used where known, the sum type's
/// attribute among them.
fn order_attrs(f: &mut Fields, seen: &Seen<'_>) {
    let mut items: Vec<Vec<XName>> = f.attrs.iter().map(|a| vec![a.name.clone()]).collect();
    let sum = f.variants.as_ref().map(|v| {
        items.insert(0, vec![v.attr.clone()]);
        0
    });
    let perm = order(&items, seen, true, &HashSet::new());
    let perm: Vec<usize> = match sum {
        Some(s) => {
            f.attrs_before_variants = perm.iter().position(|&i| i == s).unwrap_or(0);
            perm.iter().filter(|&&i| i != s).map(|&i| i - 1).collect()
        }
        None => perm,
    };
    permute(&mut f.attrs, &perm);
}

fn permute<T>(v: &mut Vec<T>, perm: &[usize]) {
    let mut old: Vec<Option<T>> = std::mem::take(v).into_iter().map(Some).collect();
    v.extend(perm.iter().map(|&i| old[i].take().unwrap()));
}

/// An order of `items` (each one or more names, in the schema's order) that keeps every
/// pair `fixed` requires, and otherwise puts first what libvirt writes first: observed
/// precedences are taken strongest first, each unless it contradicts those already taken;
/// the rest keeps the schema's order.
fn order(
    items: &[Vec<XName>],
    seen: &Seen<'_>,
    attrs: bool,
    fixed: &HashSet<(XName, XName)>,
) -> Vec<usize> {
    let n = items.len();
    let mut after: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
    for i in 0..n {
        for j in 0..n {
            let fixed = |a: &XName, b: &XName| fixed.contains(&(a.clone(), b.clone()));
            let must =
                items[i].iter().any(|a| items[j].iter().any(|b| fixed(a, b) && !fixed(b, a)));
            if i != j && must {
                after[i].insert(j);
            }
        }
    }
    let mut leads: Vec<(i64, usize, usize)> = Vec::new();
    for i in 0..n {
        for j in 0..n {
            let lead: i64 = items[i]
                .iter()
                .flat_map(|a| items[j].iter().map(move |b| (a, b)))
                .map(|(a, b)| seen.lead(attrs, a, b))
                .sum();
            if i != j && lead > 0 {
                leads.push((-lead, i, j));
            }
        }
    }
    leads.sort();
    for (_, i, j) in leads {
        if !reaches(&after, j, i) {
            after[i].insert(j);
        }
    }
    // Kahn's algorithm, the earliest item in the schema first among those free to go.
    let mut preds = vec![0usize; n];
    for a in &after {
        for &j in a {
            preds[j] += 1;
        }
    }
    let mut free: BTreeSet<usize> = (0..n).filter(|&i| preds[i] == 0).collect();
    let mut out = Vec::with_capacity(n);
    while let Some(i) = free.pop_first() {
        out.push(i);
        for &j in &after[i] {
            preds[j] -= 1;
            if preds[j] == 0 {
                free.insert(j);
            }
        }
    }
    if out.len() < n {
        // Groups that order the same names both ways: the schema's order stands.
        return (0..n).collect();
    }
    out
}

/// Pairs of child element names a `<group>` in `p` puts in a fixed order (not looking
/// inside child elements). Each define is looked into once (`seen`): its pairs are the
/// same wherever it is used.
fn fixed_pairs(
    g: &Simplified,
    p: &Pat,
    seen: &mut BTreeSet<usize>,
    out: &mut HashSet<(XName, XName)>,
) {
    match p {
        Pat::Group(v) => {
            // The names of the child elements each item may hold.
            let names: Vec<BTreeSet<XName>> = v
                .iter()
                .map(|x| {
                    elements_at(g, x)
                        .into_iter()
                        .filter_map(|e| super::xname(&g.elements[e].name))
                        .collect()
                })
                .collect();
            for (i, a) in names.iter().enumerate() {
                for b in &names[i + 1..] {
                    for x in a {
                        for y in b {
                            if x != y {
                                out.insert((x.clone(), y.clone()));
                            }
                        }
                    }
                }
            }
            for x in v {
                fixed_pairs(g, x, seen, out);
            }
        }
        Pat::Interleave(v) | Pat::Choice(v) => {
            for x in v {
                fixed_pairs(g, x, seen, out);
            }
        }
        Pat::OneOrMore(b) => fixed_pairs(g, b, seen, out),
        Pat::Ref(d) if seen.insert(*d) => fixed_pairs(g, &g.defines[*d].pat, seen, out),
        _ => {}
    }
}
