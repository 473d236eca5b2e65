//! What libvirt writes: the order of attributes and child elements in libvirt's own test
//! documents (the vendored corpus, which its formatters wrote). Where the schema leaves
//! the order open (`<interleave>`, as for everything in a `<domain>`), the model writes
//! fields in this order, so a document libvirt wrote keeps no order record, and a document
//! a program builds comes out laid out as libvirt lays it out.

use std::collections::HashMap;
use std::path::Path;

/// An element or attribute name in Clark notation (`local`, `{namespace}local`), as the
/// model's names print.
pub type Name = String;

/// For each element name under each parent element name, how often one name came before
/// another among its attributes and among its children (first occurrences), over every
/// valid corpus document. A `<devices>` in a domain and one in domain capabilities are
/// kept apart by their parents.
#[derive(Debug, Default)]
pub struct Observed {
    children: Counts,
    attributes: Counts,
}

/// Per (parent, element) name: how many times one name came before another.
#[derive(Debug, Default)]
struct Counts {
    pairs: HashMap<(Name, Name), HashMap<(Name, Name), u32>>,
}

/// The parent of a root element.
pub fn no_parent() -> Name {
    String::new()
}

impl Counts {
    fn add(&mut self, elem: (Name, Name), seq: &[Name]) {
        let pairs = self.pairs.entry(elem).or_default();
        for (i, a) in seq.iter().enumerate() {
            for b in &seq[i + 1..] {
                *pairs.entry((a.clone(), b.clone())).or_default() += 1;
            }
        }
    }
}

impl Observed {
    /// How many more times `<elem>` in `<parent>` ([`no_parent`] for a root) had `a`
    /// before `b` than `b` before `a` (attributes if `attrs`, else child elements):
    /// positive where libvirt writes `a` first.
    pub fn lead(&self, parent: &Name, elem: &Name, attrs: bool, a: &Name, b: &Name) -> i64 {
        let Some(pairs) = self.counts(attrs).pairs.get(&(parent.clone(), elem.clone())) else {
            return 0;
        };
        let n = |x: &Name, y: &Name| {
            i64::from(pairs.get(&(x.clone(), y.clone())).copied().unwrap_or_default())
        };
        n(a, b) - n(b, a)
    }

    fn counts(&self, attrs: bool) -> &Counts {
        if attrs {
            &self.attributes
        } else {
            &self.children
        }
    }

    /// Counts the orders in one document.
    pub fn add_document(&mut self, xml: &str) -> Result<(), String> {
        let opts = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
        let doc = roxmltree::Document::parse_with_options(xml, opts).map_err(|e| e.to_string())?;
        for e in doc.descendants().filter(|n| n.is_element()) {
            let name = xname(e.tag_name());
            let parent = e.parent_element().map_or_else(no_parent, |p| xname(p.tag_name()));
            let attrs = first_occurrences(e.attributes().map(|a| clark(a.namespace(), a.name())));
            let children = first_occurrences(
                e.children().filter(|c| c.is_element()).map(|c| xname(c.tag_name())),
            );
            self.attributes.add((parent.clone(), name.clone()), &attrs);
            self.children.add((parent, name), &children);
        }
        Ok(())
    }
}

fn clark(ns: Option<&str>, local: &str) -> Name {
    match ns {
        Some(ns) if !ns.is_empty() => format!("{{{ns}}}{local}"),
        _ => local.to_string(),
    }
}

fn xname(t: roxmltree::ExpandedName<'_, '_>) -> Name {
    clark(t.namespace(), t.name())
}

fn first_occurrences(names: impl Iterator<Item = Name>) -> Vec<Name> {
    let mut out: Vec<Name> = Vec::new();
    for n in names {
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

/// Every valid document listed in `tsv` (path, schema, verdict per line; paths relative
/// to `dir`).
pub fn corpus(tsv: &Path, dir: &Path) -> Result<Observed, String> {
    let list = std::fs::read_to_string(tsv).map_err(|e| format!("{}: {e}", tsv.display()))?;
    let mut o = Observed::default();
    for line in list.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 3 || f[2] != "valid" {
            continue;
        }
        let path = dir.join(f[0]);
        let xml = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        o.add_document(&xml).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(o)
}
