//! Stage 4 — naming: give every type, variant and field a Rust name.
//!
//! Names come from the schema: a define whose body is the element (`diskTarget` →
//! `DiskTarget`), else the parent type's name plus the element name (`Disk` + `source`),
//! value lists from their define (`virYesNo` → `VirYesNo`) or their use (`DiskDevice`).
//! Types are named in a fixed order (breadth first from the roots), and a name already
//! taken falls through to the next candidate, so the result is deterministic and unique.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::model::{Fields, Model, RuntimeValue, TypeId, ValueSite, ValueType};

/// Names of everything the emitter writes.
pub struct Names {
    /// Module names: first one per entry grammar (same index), then the modules of shared
    /// schema files (`basictypes`, `storagecommon`, …).
    pub modules: Vec<String>,
    /// Module of each type and of each value enum (indices into `modules`).
    pub type_module: Vec<usize>,
    pub enum_module: Vec<usize>,
    pub types: Vec<String>,
    pub enums: Vec<String>,
    /// Variant names of each value enum, in value order.
    pub enum_variants: Vec<Vec<String>>,
    /// Per element type: field names of its own fields.
    pub fields: Vec<FieldNames>,
    /// Per element type with a sum type: its names.
    pub sums: BTreeMap<TypeId, SumNames>,
    /// Per choice of whole element types: a variant name per case (see
    /// [`crate::model::Alternatives`]).
    pub alternatives: BTreeMap<TypeId, Vec<String>>,
    /// Per element type and choice between its elements (see [`Fields::choices`]).
    pub choices: BTreeMap<(TypeId, usize), ChoiceNames>,
    /// Per element type with drivers' extensions: the struct holding them.
    pub extensions: BTreeMap<TypeId, ExtensionsName>,
    /// Per entry module, the shared modules it uses, directly or not: it re-exports their
    /// types (`domain::VirYesNo` is `basictypes::VirYesNo`).
    pub reexports: BTreeMap<usize, BTreeSet<usize>>,
    /// Type names that fell back to a numeric suffix (should stay empty).
    pub fallbacks: Vec<String>,
}

#[derive(Clone, Debug, Default)]
pub struct FieldNames {
    pub attrs: Vec<String>,
    pub children: Vec<String>,
    pub text: String,
    pub any_elements: String,
    pub any_attributes: String,
    /// The field holding the sum type.
    pub variants: String,
    /// The field holding each choice between elements.
    pub choices: Vec<String>,
    /// The field holding the drivers' extensions (empty when there are none; see
    /// [`crate::model::Child::extension`]).
    pub extensions: String,
}

/// The struct holding an element's drivers' extensions (see
/// [`crate::model::Child::extension`]): elements whose extensions are the same children
/// share one (a snapshot's inactive `<domain>` and `<domain>`: `DomainExtensions`).
#[derive(Clone, Debug)]
pub struct ExtensionsName {
    pub name: String,
    /// The element type whose module defines it (the one nearest a root).
    pub owner: TypeId,
}

/// The enum of a choice between elements (see [`Fields::choices`]).
#[derive(Clone, Debug)]
pub struct ChoiceNames {
    pub enum_name: String,
    /// One per member, in the order of the element's children.
    pub variants: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct SumNames {
    pub enum_name: String,
    pub cases: Vec<CaseNames>,
}

/// Names of one case of a sum type.
#[derive(Clone, Debug)]
pub struct CaseNames {
    /// The struct holding the case's fields.
    pub struct_name: String,
    /// One enum variant per attribute value selecting the case.
    pub variants: Vec<String>,
    pub fields: FieldNames,
}

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Names the runtime or the crate root already use.
const RESERVED: &[&str] = &[
    "Error",
    "Document",
    "Preserved",
    "RawElement",
    "RawAttribute",
    "RawNode",
    "RawXml",
    "Writer",
    "Value",
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Default",
];

pub fn upper_camel(s: &str) -> String {
    let mut out = s.to_upper_camel_case();
    out.retain(|c| c.is_ascii_alphanumeric());
    if out.is_empty() {
        out = "Empty".into();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    out
}

pub fn snake(s: &str) -> String {
    let mut out = s.to_snake_case();
    out.retain(|c| c.is_ascii_alphanumeric() || c == '_');
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// Field names are raw identifiers where they are keywords (`r#type`).
pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

pub fn module_name(entry: &str) -> String {
    let stem = entry.rsplit('/').next().unwrap_or(entry).trim_end_matches(".rng");
    snake(stem)
}

/// The names given so far, and those only a number made unique (reported as fallbacks).
struct Taken {
    names: BTreeSet<String>,
    fallbacks: Vec<String>,
}

impl Taken {
    fn take(&mut self, candidates: &[String]) -> Option<String> {
        for c in candidates {
            if !c.is_empty() && !self.names.contains(c) {
                self.names.insert(c.clone());
                return Some(c.clone());
            }
        }
        None
    }

    fn take_or_number(&mut self, candidates: &[String]) -> String {
        if let Some(n) = self.take(candidates) {
            return n;
        }
        let base = candidates.first().cloned().unwrap_or_else(|| "Type".into());
        let mut i = 2;
        loop {
            let n = format!("{base}{i}");
            if !self.names.contains(&n) {
                self.names.insert(n.clone());
                self.fallbacks.push(n.clone());
                return n;
            }
            i += 1;
        }
    }
}

/// The names of sum types, their cases' structs and variants, in the order of their
/// element's place (like the types).
fn sum_names(
    model: &Model,
    types: &[Option<String>],
    places: &[Option<Place>],
    taken: &mut Taken,
) -> BTreeMap<TypeId, SumNames> {
    let mut by_place: Vec<TypeId> = (0..model.types.len()).collect();
    by_place.sort_by(|&a, &b| places[a].cmp(&places[b]).then(a.cmp(&b)));
    let mut sums: BTreeMap<TypeId, SumNames> = BTreeMap::new();
    for id in by_place {
        let t = &model.types[id];
        let owner = types[id].clone().unwrap_or_default();
        if let Some(v) = &t.fields.variants {
            let attr = upper_camel(&v.attr.local);
            let enum_name =
                taken.take_or_number(&[format!("{owner}{attr}"), format!("{owner}{attr}Kind")]);
            let mut cases = Vec::new();
            for c in &v.cases {
                // A case of two or three values is named for all of them
                // (`InterfaceMcastClient`), so no value reads as the only one; longer
                // lists keep the first.
                let first = match c.values.len() {
                    0 => "Default".into(),
                    2 | 3 => c.values.iter().map(|s| upper_camel(s)).collect(),
                    _ => upper_camel(&c.values[0]),
                };
                let sname = taken
                    .take_or_number(&[format!("{owner}{first}"), format!("{enum_name}{first}")]);
                let mut variant_names: Vec<String> =
                    c.values.iter().map(|v| upper_camel(v)).collect();
                if variant_names.is_empty() {
                    variant_names.push("Default".into());
                }
                cases.push(CaseNames {
                    struct_name: sname,
                    variants: variant_names,
                    fields: field_names(&c.fields, &t.name, &[]),
                });
            }
            dedupe_variants(&mut cases);
            sums.insert(id, SumNames { enum_name, cases });
        }
    }
    sums
}

/// The structs of drivers' extensions: one per set of extension children (the same
/// elements, types, holding and field names), named for the element nearest a root that
/// has it (`DomainExtensions`).
fn extensions_names(
    model: &Model,
    types: &[Option<String>],
    places: &[Option<Place>],
    fields: &[FieldNames],
    taken: &mut Taken,
) -> BTreeMap<TypeId, ExtensionsName> {
    let mut owners: Vec<TypeId> = (0..model.types.len())
        .filter(|&t| model.types[t].fields.children.iter().any(|c| c.extension))
        .collect();
    owners.sort_by(|&a, &b| places[a].cmp(&places[b]).then(a.cmp(&b)));
    let mut by_members: BTreeMap<BTreeSet<String>, ExtensionsName> = BTreeMap::new();
    let mut out = BTreeMap::new();
    for t in owners {
        let f = &model.types[t].fields;
        // As a set: the struct's fields are in the order of its first element's children.
        let members: BTreeSet<String> = (f.children.iter().zip(&fields[t].children))
            .filter(|(c, _)| c.extension)
            .map(|(c, n)| format!("{}:{}:{}:{}:{n}", c.name.ns, c.name.local, c.ty, c.boxed))
            .collect();
        let name = by_members
            .entry(members)
            .or_insert_with(|| {
                let owner = types[t].clone().unwrap_or_default();
                ExtensionsName {
                    name: taken.take_or_number(&[format!("{owner}Extensions")]),
                    owner: t,
                }
            })
            .clone();
        out.insert(t, name);
    }
    out
}

/// The enums of choices between elements: the owner's name and the field's
/// (`NwFilterRuleProtocol`), a variant per member element (`Tcp`).
fn choice_names(
    model: &Model,
    types: &[Option<String>],
    fields: &[FieldNames],
    taken: &mut Taken,
) -> BTreeMap<(TypeId, usize), ChoiceNames> {
    let mut out = BTreeMap::new();
    for (t, ty) in model.types.iter().enumerate() {
        let owner = types[t].clone().unwrap_or_default();
        for k in 0..ty.fields.choices {
            let word = upper_camel(&fields[t].choices[k]);
            let enum_name =
                taken.take_or_number(&[format!("{owner}{word}"), format!("{owner}{word}Choice")]);
            let mut variants: Vec<String> = Vec::new();
            for i in ty.fields.members(k) {
                let c = &ty.fields.children[i];
                let mut v = upper_camel(&qualified_local(&c.name));
                while variants.contains(&v) {
                    v.push('_');
                }
                variants.push(v);
            }
            out.insert((t, k), ChoiceNames { enum_name, variants });
        }
    }
    out
}

/// A value enum's variants: each value's name, `Other` and `Self` kept for the enum's
/// own use, clashes told apart by a trailing `_`.
fn enum_variant_names(values: &[String]) -> Vec<String> {
    let mut vs: Vec<String> = Vec::new();
    for v in values {
        let mut n = variant_name(v);
        if n == "Other" || n == "Self" {
            n.push_str("Value");
        }
        while vs.contains(&n) {
            n.push('_');
        }
        vs.push(n);
    }
    vs
}

pub fn name(model: &Model, target: &crate::hints::Target) -> Names {
    let root_overrides: BTreeMap<String, String> =
        target.root_names.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let root_overrides = &root_overrides;
    let modules: Vec<String> = model.entries.iter().map(|e| module_name(&e.file)).collect();
    let mut taken =
        Taken { names: RESERVED.iter().map(|s| s.to_string()).collect(), fallbacks: Vec::new() };
    // Names of the rename tables are kept for their keys: no rule gives them away first.
    taken
        .names
        .extend(target.type_names.iter().chain(target.enum_names).map(|(_, n)| n.to_string()));
    let mut given: BTreeSet<String> = BTreeSet::new();
    // Root element types first: they get the plain names.
    let mut types: Vec<Option<String>> = vec![None; model.types.len()];
    for r in &model.roots {
        // Test-only entries (`test/device.rng`) take their names in the general pass.
        if types[r.ty].is_some() || model.borrowing.contains(&r.entry) {
            continue;
        }
        let t = &model.types[r.ty];
        let local = upper_camel(&qualified_local(&t.name));
        let module = upper_camel(&modules[r.entry]);
        let mut cands = Vec::new();
        if let Some(o) =
            root_overrides.get(&format!("{}:{}", model.entries[r.entry].file, t.name.local))
        {
            cands.push(o.clone());
        }
        cands.push(local.clone());
        cands.push(format!("{module}{local}"));
        types[r.ty] = Some(taken.take_or_number(&cands));
    }
    let places = places(model);
    // Element types in the order of their place in documents (shallowest first, then by
    // path), which no traversal or entry order changes: a name two types could take goes
    // to the one nearer a root.
    let mut order: Vec<TypeId> =
        (0..model.types.len()).filter(|&t| types[t].is_none() && !model.types[t].group).collect();
    order.sort_by(|&a, &b| places[a].cmp(&places[b]).then(a.cmp(&b)));
    // A root's word is its Rust name (`DomainBackup`, not `domainbackup`).
    let root_words: BTreeMap<String, String> = model
        .roots
        .iter()
        .filter(|r| !model.borrowing.contains(&r.entry))
        .filter_map(|r| Some((qualified_local(&model.types[r.ty].name), types[r.ty].clone()?)))
        .collect();
    let hinted_names = hinted_names(model, target);
    for &id in &order {
        let hinted = hinted_names.get(&id).filter(|n| !given.contains(*n)).cloned();
        types[id] = Some(match hinted {
            Some(n) => {
                given.insert(n.clone());
                n
            }
            None => {
                let cands = type_candidates(model, &places, &root_words, id);
                taken.take_or_number(&cands)
            }
        });
    }
    // Repeated groups are named after the element holding them.
    for (id, ty) in model.types.iter().enumerate() {
        if ty.group {
            let parent = ty.parent.and_then(|p| types[p].clone());
            let local = upper_camel(&ty.name.local);
            let cands = [format!("{}{local}Group", parent.unwrap_or_default())];
            types[id] = Some(taken.take_or_number(&cands));
        }
    }
    let fields: Vec<FieldNames> =
        model.types.iter().map(|t| field_names(&t.fields, &t.name, target.choice_names)).collect();
    let sums = sum_names(model, &types, &places, &mut taken);
    let choices = choice_names(model, &types, &fields, &mut taken);
    let extensions = extensions_names(model, &types, &places, &fields, &mut taken);
    let types: Vec<String> = types.into_iter().map(Option::unwrap_or_default).collect();

    // Value enums.
    let mut enums = Vec::new();
    let mut enum_variants = Vec::new();
    let enum_uses = enum_uses(model);
    for (ei, e) in model.enums.iter().enumerate() {
        // Uses in the order of their owners' places, not of discovery; a use in a sum
        // type's case is named for the case (`GraphicsSpice` + `connected`).
        let mut uses: Vec<&(TypeId, Option<usize>, ValueSite)> = enum_uses[ei].iter().collect();
        uses.sort_by(|a, b| places[a.0].cmp(&places[b.0]).then(a.cmp(b)));
        let owner_word = |(t, case, _): &&(TypeId, Option<usize>, ValueSite)| match case {
            Some(c) => sums[t].cases[*c].struct_name.clone(),
            None => types[*t].clone(),
        };
        let hinted = e.define_names.iter().find_map(|d| {
            target.enum_names.iter().find(|(k, _)| k == d).map(|(_, n)| n.to_string())
        });
        if let Some(n) = hinted.filter(|n| !given.contains(n)) {
            given.insert(n.clone());
            enums.push(n);
        } else {
            let mut cands: Vec<String> = e.define_names.iter().map(|d| upper_camel(d)).collect();
            let field_word = |site: &ValueSite| match site {
                ValueSite::Attribute(a) => upper_camel(a),
                ValueSite::Text => String::new(),
            };
            for u in &uses {
                cands.push(format!("{}{}", owner_word(u), field_word(&u.2)));
            }
            // `…Value` after the owner and field (the text's field is `value`: once is enough).
            for u in &uses {
                cands.push(format!("{}{}Value", owner_word(u), field_word(&u.2)));
            }
            enums.push(taken.take_or_number(&cands));
        }
        enum_variants.push(enum_variant_names(&e.values));
    }
    let (modules, type_module, enum_module) = assign_modules(model, target, modules);
    let alternatives = alternative_names(model, &types);
    let mut names = Names {
        modules,
        type_module,
        enum_module,
        types,
        enums,
        enum_variants,
        fields,
        sums,
        alternatives,
        choices,
        extensions,
        reexports: BTreeMap::new(),
        fallbacks: taken.fallbacks,
    };
    names.reexports = reexports(model, &names);
    names
}

/// For each module, the other modules whose types it uses (its cargo feature needs theirs).
pub fn module_deps(m: &Model, n: &Names) -> BTreeMap<usize, BTreeSet<usize>> {
    let mut deps: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    let value_mod = |v: &ValueType| v.enum_id().map(|e| n.enum_module[e]);
    for (t, ty) in m.types.iter().enumerate() {
        let module = n.type_module[t];
        let entry = deps.entry(module).or_default();
        let mut visit = |f: &Fields| {
            entry.extend(f.children.iter().map(|c| n.type_module[c.ty]));
            entry.extend(f.attrs.iter().filter_map(|a| value_mod(&a.ty)));
            entry.extend(f.text.iter().filter_map(|x| value_mod(&x.ty)));
        };
        visit(&ty.fields);
        if let Some(v) = &ty.fields.variants {
            for c in &v.cases {
                visit(&c.fields);
            }
        }
        entry.remove(&module);
    }
    deps
}

/// The shared modules each entry module uses, directly or through other shared modules.
fn reexports(m: &Model, n: &Names) -> BTreeMap<usize, BTreeSet<usize>> {
    let deps = module_deps(m, n);
    let n_entries = m.entries.len();
    let mut out = BTreeMap::new();
    for gi in 0..n_entries {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<usize> = deps.get(&gi).into_iter().flatten().copied().collect();
        while let Some(d) = stack.pop() {
            if d >= n_entries && seen.insert(d) {
                stack.extend(deps.get(&d).into_iter().flatten().copied());
            }
        }
        out.insert(gi, seen);
    }
    out
}

/// A case of a choice of whole element types is named for its type, less the element's
/// own word where more remains (`Domain`, and `UuidOnly` for `DomainUuidOnly`).
fn alternative_names(model: &Model, types: &[String]) -> BTreeMap<TypeId, Vec<String>> {
    let mut out = BTreeMap::new();
    for (t, ty) in model.types.iter().enumerate() {
        if ty.alternatives.is_none() {
            continue;
        }
        let word = upper_camel(&ty.name.local);
        let full: Vec<&String> = ty.fields.children.iter().map(|c| &types[c.ty]).collect();
        let short: Vec<String> = full
            .iter()
            .map(|name| match name.strip_prefix(&word) {
                Some(rest) if rest.starts_with(|ch: char| ch.is_ascii_uppercase()) => {
                    rest.to_string()
                }
                _ => name.to_string(),
            })
            .collect();
        // Type names are distinct; short ones may not be.
        let distinct = short.iter().collect::<BTreeSet<_>>().len() == short.len();
        let names = match distinct {
            true => short,
            false => full.into_iter().cloned().collect(),
        };
        out.insert(t, names);
    }
    out
}

/// A type lives in the module of the schema file that defines its element (so types of
/// `basictypes.rng` are shared by every family instead of belonging to `domain`); a root
/// type lives in its entry's module; a value enum beside its first use.
fn assign_modules(
    model: &Model,
    target: &crate::hints::Target,
    mut modules: Vec<String>,
) -> (Vec<String>, Vec<usize>, Vec<usize>) {
    let index =
        |name: String, modules: &mut Vec<String>| match modules.iter().position(|m| *m == name) {
            Some(i) => i,
            None => {
                modules.push(name);
                modules.len() - 1
            }
        };
    let n_entries = model.entries.len();
    let mut type_module = vec![usize::MAX; model.types.len()];
    let file_module = |file: &str, modules: &mut Vec<String>| {
        let name = target
            .file_modules
            .iter()
            .find(|(f, _)| *f == file)
            .map(|(_, m)| m.to_string())
            .unwrap_or_else(|| module_name(file));
        index(name, modules)
    };
    let mut file_modules: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); model.types.len()];
    for (t, ty) in model.types.iter().enumerate() {
        if ty.group {
            // Groups have no element of their own: they live with their parent.
            type_module[t] = ty.parent.map_or(ty.entry, |p| type_module[p]);
            continue;
        }
        let mods: BTreeSet<usize> = ty
            .nodes
            .iter()
            .map(|&n| file_module(&model.element(n).origin.file, &mut modules))
            .collect();
        file_modules[t] = mods.clone();
        // The module of its schema file when that is shared (basictypes, …) or the family
        // that reached it first; otherwise (another family's file, or several files) the
        // family that reached it, which also owns everything it alone uses.
        type_module[t] = match (mods.len(), mods.iter().next()) {
            (1, Some(&m)) if m >= n_entries || m == ty.entry => m,
            _ => ty.entry,
        };
    }
    // A document root written in a shared file (`<cpu>` of cputypes.rng) or in its entry's
    // own file lives in its entry's module, so every document type is found under its
    // family, whichever family reached it first (one embedding the document whole).
    for r in model.roots.iter().filter(|r| !model.borrowing.contains(&r.entry)) {
        let own_file = file_modules[r.ty].iter().all(|&m| m == r.entry);
        if type_module[r.ty] >= n_entries || own_file {
            type_module[r.ty] = r.entry;
        }
    }
    let enum_module = model
        .enums
        .iter()
        .map(|e| match e.define_files.first() {
            // A named value list lives where its define is written (`virYesNo` in basictypes).
            Some(file) => {
                let name = target
                    .file_modules
                    .iter()
                    .find(|(f, _)| f == file)
                    .map(|(_, m)| m.to_string())
                    .unwrap_or_else(|| module_name(file));
                index(name, &mut modules)
            }
            // An anonymous one beside its use; one used by several modules goes to a shared
            // module (one of its users, else `basictypes`) so families do not depend on each other.
            None => {
                let mods: BTreeSet<usize> = e.uses.iter().map(|u| type_module[u.ty]).collect();
                match (mods.len(), mods.iter().copied().find(|m| *m >= n_entries)) {
                    (1, _) => *mods.iter().next().unwrap(),
                    (_, Some(shared)) => shared,
                    _ => index(target.shared_module.to_string(), &mut modules),
                }
            }
        })
        .collect();
    (modules, type_module, enum_module)
}

/// Where a type first sits in documents: the entry of its root (the first entry's
/// documents come first: `domain.rng` names `<address>` before nodedev does), its depth
/// and the element words of its path from the root (`["domain", "devices", "disk_file",
/// "source"]`: a sum case's value joins its element's word). Ordered in that order.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    entry: usize,
    depth: usize,
    words: Vec<String>,
}

/// Each type's place: the least over every way documents reach it (so it depends on the
/// schemas only, not on the order types were built in). Groups add no word.
fn places(model: &Model) -> Vec<Option<Place>> {
    let mut best: Vec<Option<Place>> = vec![None; model.types.len()];
    // Places are in the main documents: a borrowing entry's roots are its elements.
    for r in model.roots.iter().filter(|r| !model.borrowing.contains(&r.entry)) {
        let p = Place {
            entry: r.entry,
            depth: 0,
            words: vec![qualified_local(&model.types[r.ty].name)],
        };
        if !matches!(&best[r.ty], Some(b) if *b <= p) {
            best[r.ty] = Some(p);
        }
    }
    loop {
        let mut changed = false;
        for t in 0..model.types.len() {
            let Some(here) = best[t].clone() else {
                continue;
            };
            for (case, child) in child_edges(&model.types[t].fields) {
                let mut words = here.words.clone();
                if let (Some(v), Some(last)) = (case_word(model, t, case), words.last_mut()) {
                    *last = format!("{last}_{v}");
                }
                let cty = &model.types[child.ty];
                let depth = if cty.group || model.types[t].alternatives.is_some() {
                    here.depth
                } else {
                    words.push(qualified_local(&cty.name));
                    here.depth + 1
                };
                let p = Place { entry: here.entry, depth, words };
                if !matches!(&best[child.ty], Some(b) if *b <= p) {
                    best[child.ty] = Some(p);
                    changed = true;
                }
            }
        }
        if !changed {
            return best;
        }
    }
}

/// Where each value enum is used in the final model: (element type, sum-type case, site).
fn enum_uses(model: &Model) -> Vec<Vec<(TypeId, Option<usize>, ValueSite)>> {
    let mut out = vec![Vec::new(); model.enums.len()];
    let mut scan = |t: TypeId, case: Option<usize>, f: &Fields| {
        let attrs = f.attrs.iter().map(|a| (&a.ty, ValueSite::Attribute(a.name.local.clone())));
        let text = f.text.iter().map(|x| (&x.ty, ValueSite::Text));
        for (ty, field) in attrs.chain(text) {
            if let Some(e) = ty.enum_id() {
                out[e].push((t, case, field));
            }
        }
    };
    for (t, ty) in model.types.iter().enumerate() {
        scan(t, None, &ty.fields);
        if let Some(v) = &ty.fields.variants {
            for (i, c) in v.cases.iter().enumerate() {
                scan(t, Some(i), &c.fields);
            }
        }
    }
    out
}

/// Child fields of an element, with the sum-type case each belongs to.
fn child_edges(f: &Fields) -> Vec<(Option<usize>, &crate::model::Child)> {
    let mut out: Vec<(Option<usize>, &crate::model::Child)> =
        f.children.iter().map(|c| (None, c)).collect();
    if let Some(v) = &f.variants {
        for (i, c) in v.cases.iter().enumerate() {
            out.extend(c.fields.children.iter().map(|ch| (Some(i), ch)));
        }
    }
    out
}

/// The word a sum case adds to its element's (`file` of `<disk type='file'>`).
fn case_word(model: &Model, t: TypeId, case: Option<usize>) -> Option<String> {
    let v = model.types[t].fields.variants.as_ref()?;
    v.cases[case?].values.first().cloned()
}

/// The names the target's rename table gives element types, keyed by the define an
/// element is written in and the element's name (`qemucdevTgtDef/target` → `ChardevTarget`).
/// A key's pattern names the smallest type holding it (its own type, not a union it is also
/// part of), whichever of that type's patterns it is: a pattern a new release adds before
/// the keyed one renames nothing. A type with several keyed patterns takes the name of the
/// one written first.
fn hinted_names(model: &Model, target: &crate::hints::Target) -> BTreeMap<TypeId, String> {
    // key → (type size, type, where the keyed pattern is written)
    let mut best: BTreeMap<&str, (usize, TypeId, (&str, u32))> = BTreeMap::new();
    for (id, t) in model.types.iter().enumerate() {
        // A type of all the patterns of one choice define (`diskSource`) is keyed by it too.
        let whole_choice = model.whole_choice(id);
        let first = t
            .nodes
            .iter()
            .map(|&n| {
                let o = &model.element(n).origin;
                (o.file.as_str(), o.line)
            })
            .min()
            .unwrap_or_default();
        let keyed = t.nodes.iter().filter_map(|&n| {
            let o = &model.element(n).origin;
            Some((o.define.as_deref()?, (o.file.as_str(), o.line)))
        });
        let keyed = keyed.chain(whole_choice.map(|d| (d, first)));
        for (define, at) in keyed.collect::<Vec<_>>() {
            let key = format!("{define}/{}", t.name.local);
            let Some((k, _)) = target.type_names.iter().find(|(k, _)| *k == key) else {
                continue;
            };
            let cand = (t.nodes.len(), id, at);
            let slot = best.entry(k).or_insert(cand);
            if (cand.0, cand.1) < (slot.0, slot.1) {
                *slot = cand;
            }
        }
    }
    let mut chosen: BTreeMap<TypeId, ((&str, u32), String)> = BTreeMap::new();
    for (k, (_, id, at)) in best {
        let name = target.type_names.iter().find(|(key, _)| *key == k);
        let name = name.map_or(String::new(), |(_, n)| n.to_string());
        let slot = chosen.entry(id).or_insert((at, name.clone()));
        if at < slot.0 {
            *slot = (at, name);
        }
    }
    chosen.into_iter().map(|(id, (_, n))| (id, n)).collect()
}

/// Name candidates of an element type without a name in the rename table, best first:
/// 1. the define whose body is the element, when it names the element (`diskTarget`);
/// 2. the parent's words and the element's (`SerialTarget`, `DiskFileSource`): the parent
///    is the one named like the define the element is written in (the `<iotune>` of
///    `<define name="iotune">`, however many places use it), else the one of its place;
/// 3. more of the path, up to all of it.
fn type_candidates(
    model: &Model,
    places: &[Option<Place>],
    root_words: &BTreeMap<String, String>,
    id: TypeId,
) -> Vec<String> {
    let t = &model.types[id];
    let local = match t.group {
        true => t.name.local.clone(),
        false => qualified_local(&t.name),
    };
    let origins: BTreeSet<(&str, u32, Option<&str>)> = t
        .nodes
        .iter()
        .map(|&n| {
            let o = &model.element(n).origin;
            (o.file.as_str(), o.line, o.define.as_deref())
        })
        .collect();
    let mut cands = Vec::new();
    if origins.len() == 1 {
        let key = squash(&t.name.local);
        for n in &t.nodes {
            for d in &model.element(*n).body_of {
                // A define whose last words are the element's (`diskTarget` for a
                // `<target>`), or the element's stem (`graphic` for `<graphics>`): its words.
                // Lowercase run-together names (`osbootdev`, `guestcaps`) are no words.
                if ends_with_words(d, &key) {
                    cands.push(upper_camel(d));
                } else if key.starts_with(&squash(d)) {
                    cands.push(upper_camel(&local));
                }
            }
        }
    }
    let root_word = |w: &str| -> String {
        // The root's own word, maybe with a case's (`domainbackup_push`).
        let (root, case) = match root_words.get(w) {
            Some(_) => (w, ""),
            None => w.split_once('_').map_or((w, ""), |(r, _)| (r, &w[r.len()..])),
        };
        match root_words.get(root) {
            Some(n) => format!("{n}{case}"),
            None => w.to_string(),
        }
    };
    // The element pattern written first: for a type of several (alike `<path>`s of
    // `<blkiotune>` and, since libvirt 11, `<pstore>`), the one libvirt had first, as a rule.
    let first = origins.iter().map(|(f, l, _)| (*f, *l)).min();
    let defines: BTreeSet<String> = origins
        .iter()
        .filter(|(f, l, _)| Some((*f, *l)) == first)
        .filter_map(|(_, _, d)| d.map(squash))
        .collect();
    // The parents' words (with their place): the define-named parent first, then one
    // holding the first-written pattern.
    // Then the nearest; of one parent's sum-type cases, the one the schema lists first.
    let mut parents: Vec<(bool, bool, &Place, Option<usize>, String)> = Vec::new();
    for (p, pty) in model.types.iter().enumerate() {
        let Some(pp) = &places[p] else { continue };
        for (case, child) in child_edges(&pty.fields) {
            if child.ty != id {
                continue;
            }
            let mut word = pp.words.last().cloned().unwrap_or_default();
            if pp.words.len() == 1 {
                word = root_word(&word);
            }
            if let Some(v) = case_word(model, p, case) {
                word = format!("{word}_{v}");
            }
            let named = !defines.contains(&squash(pp.words.last().map_or("", |w| w)));
            let holds_first = origins.len() > 1
                && pty.nodes.iter().any(|&n| {
                    model
                        .element(n)
                        .child_origins
                        .iter()
                        .any(|(f, l)| Some((f.as_str(), *l)) == first)
                });
            parents.push((named, !holds_first, pp, case, word));
        }
    }
    parents.sort();
    // The first word is a root's: its Rust name.
    let words_of = |p: &Place| -> Vec<String> {
        let mut w = p.words.clone();
        if let Some(f) = w.first_mut() {
            *f = root_word(f);
        }
        w
    };
    if let Some((_, _, pp, _, pword)) = parents.first() {
        let mut words = words_of(pp);
        if pp.words.len() > 1 {
            if let Some(last) = words.last_mut() {
                *last = pword.clone();
            }
        }
        // An item of a list element (`<vcpus><vcpu>`, `<disks><disk>`) is named for itself,
        // else for the list's parent.
        let bare_parent = pp.words.last().map_or("", |w| w.as_str());
        if bare_parent == plural(&local) || bare_parent == format!("{local}s") {
            cands.push(upper_camel(&local));
            if words.len() >= 2 {
                cands.push(upper_camel(&format!("{}_{local}", words[words.len() - 2])));
            }
        }
        // In a namespace's element, its children's namespace word is not repeated
        // (`<qemu:commandline><qemu:arg>` → `QemuCommandlineArg`).
        let parent_word = &words[words.len() - 1];
        let own = match local.split_once('_') {
            Some((ns, rest))
                if !t.name.ns.is_empty() && parent_word.starts_with(&format!("{ns}_")) =>
            {
                rest.to_string()
            }
            _ => local.clone(),
        };
        cands.push(upper_camel(&format!("{parent_word}_{own}")));
        words.push(local.clone());
        for k in 3..=words.len() {
            cands.push(upper_camel(&words[words.len() - k..].join("_")));
        }
    }
    if let Some(p) = &places[id] {
        cands.push(upper_camel(&words_of(p).join("_")));
    }
    cands.push(upper_camel(&local));
    cands
}

fn dedupe_variants(cases: &mut [CaseNames]) {
    let mut seen: Vec<String> = vec!["Other".into()];
    for c in cases.iter_mut() {
        for v in c.variants.iter_mut() {
            while seen.contains(v) {
                v.push('_');
            }
            seen.push(v.clone());
        }
    }
}

/// The local name, prefixed for namespaced names (`qemu:commandline` → `qemu_commandline`)
/// so that the hypervisor extensions read apart.
fn qualified_local(n: &crate::model::XName) -> String {
    if n.ns.is_empty() {
        n.local.clone()
    } else {
        format!("{}_{}", ns_prefix(&n.ns), n.local)
    }
}

/// A value's variant name: upper camel case, except that an underscore between digits
/// stays (`x86_64` → `X86_64`, not `X8664`).
pub fn variant_name(v: &str) -> String {
    let mut out = String::new();
    let mut word = String::new();
    let mut prev: Option<char> = None;
    let mut chars = v.chars().peekable();
    // Words after the first are not prefixed (`V` only makes a leading digit an identifier).
    let camel = |w: &str| {
        let mut c = w.to_upper_camel_case();
        c.retain(|c| c.is_ascii_alphanumeric());
        c
    };
    while let Some(c) = chars.next() {
        if c.is_ascii_alphanumeric() {
            word.push(c);
        } else {
            let digits = prev.is_some_and(|p| p.is_ascii_digit())
                && chars.peek().is_some_and(|n| n.is_ascii_digit());
            out.push_str(&camel(&word));
            word.clear();
            if digits {
                out.push('_');
            }
        }
        prev = Some(c);
    }
    out.push_str(&camel(&word));
    if out.is_empty() {
        out.push_str("Empty");
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    out
}

/// Whether the define name `d` ends with `key` (a squashed element name) from the start
/// of one of its words: `diskIoTune` ends with `iotune`, `osbootdev` not with `boot`.
fn ends_with_words(d: &str, key: &str) -> bool {
    let words: Vec<String> = snake(d).split('_').map(squash).collect();
    (0..words.len()).any(|i| words[i..].concat() == key)
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase()
}

/// The English plural of a snake_case name's last word (`disk` → `disks`, `address` →
/// `addresses`, `entry` → `entries`); a word already plural (`features`) stays.
pub fn plural(name: &str) -> String {
    let (head, word) = match name.rfind('_') {
        Some(i) => name.split_at(i + 1),
        None => ("", name),
    };
    let consonant_y = word.len() > 1
        && word.ends_with('y')
        && !matches!(word.as_bytes()[word.len() - 2], b'a' | b'e' | b'i' | b'o' | b'u');
    let word = if consonant_y {
        format!("{}ies", &word[..word.len() - 1])
    } else if ["ss", "us", "is", "as", "x", "z", "ch", "sh"].iter().any(|e| word.ends_with(e)) {
        format!("{word}es")
    } else if word.ends_with('s') || word.is_empty() {
        word.to_string()
    } else {
        format!("{word}s")
    };
    format!("{head}{word}")
}

/// Field names of one struct (an element's own fields, or one case of its sum type).
/// Field names of an element of namespace `ns`: children and attributes of another
/// namespace carry its word (`qemu_commandline`), those of the element's own do not
/// (`<qemu:commandline>`'s `<qemu:arg>`s are `args`).
///
/// A choice between elements is named as `hints` say for the element and one of the
/// choice's members (`rule/mac` → `protocol`), else for its members (`miimon_or_arpmon`).
fn field_names(f: &Fields, owner: &crate::model::XName, hints: &[(&str, &str)]) -> FieldNames {
    let ns = owner.ns.as_str();
    let field_local = |n: &crate::model::XName| {
        if !ns.is_empty() && n.ns == ns {
            n.local.clone()
        } else {
            qualified_local(n)
        }
    };
    let mut used: Vec<String> = vec!["preserved".into()];
    let mut pick = |base: String, alt: &str| -> String {
        let mut n = base.clone();
        if used.contains(&n) {
            n = format!("{base}_{alt}");
        }
        while used.contains(&n) {
            n.push('_');
        }
        used.push(n.clone());
        n
    };
    // A list is named in the plural (`devices.disks`), unless another field has that name
    // (the host CPU's `<features>` beside its `<feature>`s).
    // A repeated group is named for its first element's local name (`keys` for `<key>`,
    // `<val>` pairs), whatever its namespace.
    let bases: Vec<String> = f
        .children
        .iter()
        .map(|c| match c.group {
            true => snake(&c.name.local),
            false => snake(&field_local(&c.name)),
        })
        .chain(f.attrs.iter().map(|a| snake(&field_local(&a.name))))
        .collect();
    let children: Vec<String> = f
        .children
        .iter()
        .zip(&bases)
        .map(|(c, n)| {
            let many = plural(n);
            pick(if c.repeated && !bases.contains(&many) { many } else { n.clone() }, "element")
        })
        .collect();
    let attrs: Vec<String> =
        f.attrs.iter().map(|a| pick(snake(&field_local(&a.name)), "attr")).collect();
    // Mixed content's pieces are its text; an element's one text value is its value.
    let text = match &f.text {
        Some(t) if t.mixed => pick("text".into(), "pieces"),
        _ => pick("value".into(), "text"),
    };
    let any_elements = pick("elements".into(), "any");
    let extensions = match f.children.iter().any(|c| c.extension) {
        true => pick("extensions".into(), "group"),
        false => String::new(),
    };
    let any_attributes = pick("attributes".into(), "any");
    let variants = match &f.variants {
        Some(v) => pick(snake(&v.attr.local), "kind"),
        None => String::new(),
    };
    let choices = (0..f.choices)
        .map(|k| {
            let members: Vec<&crate::model::Child> =
                f.members(k).into_iter().map(|i| &f.children[i]).collect();
            let keys: Vec<String> =
                members.iter().map(|c| format!("{}/{}", owner.local, c.name.local)).collect();
            let base = match hints.iter().find(|(h, _)| keys.iter().any(|k| k == h)) {
                Some((_, name)) => name.to_string(),
                None => {
                    let words: Vec<String> =
                        members.iter().map(|c| snake(&field_local(&c.name))).collect();
                    words.join("_or_")
                }
            };
            pick(base, "choice")
        })
        .collect();
    FieldNames {
        attrs,
        children,
        text,
        any_elements,
        any_attributes,
        variants,
        choices,
        extensions,
    }
}

/// Rust type of a value, for the emitter.
pub fn value_rust(ty: &ValueType, names: &Names) -> String {
    match ty {
        ValueType::String => "rt::Str".into(),
        ValueType::Float => "f64".into(),
        ValueType::Bool => "bool".into(),
        ValueType::Runtime(RuntimeValue::FileMode) => "rt::FileMode".into(),
        ValueType::Runtime(RuntimeValue::Unit) => "rt::Unit".into(),
        ValueType::Runtime(RuntimeValue::Uuid) => "rt::Uuid".into(),
        ValueType::Runtime(RuntimeValue::Ipv4) => "std::net::Ipv4Addr".into(),
        ValueType::Runtime(RuntimeValue::Ipv6) => "std::net::Ipv6Addr".into(),
        ValueType::Runtime(RuntimeValue::Ip) => "std::net::IpAddr".into(),
        ValueType::List(item) => format!("Vec<{}>", value_rust(item, names)),
        ValueType::Int(k) => k.rust().into(),
        ValueType::Enum(e) => names.enums[*e].clone(),
    }
}

/// Prefix used when writing elements of a namespace: `http://libvirt.org/schemas/domain/qemu/1.0`
/// → `qemu`, the prefix libvirt itself writes.
pub fn ns_prefix(ns: &str) -> String {
    let parts: Vec<&str> = ns.trim_end_matches('/').split('/').collect();
    let mut it = parts.iter().rev();
    let last = it.next().copied().unwrap_or("");
    let pick = if last.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        it.next().copied().unwrap_or("ns")
    } else {
        last
    };
    let p: String = pick.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    if p.is_empty()
        || p.starts_with(|c: char| c.is_ascii_digit())
        || p.to_ascii_lowercase().starts_with("xml")
    {
        "ns".into()
    } else {
        p
    }
}

#[cfg(test)]
mod tests {
    use super::plural;

    #[test]
    fn plurals() {
        for (one, many) in [
            ("disk", "disks"),
            ("address", "addresses"),
            ("alias", "aliases"),
            ("entry", "entries"),
            ("key", "keys"),
            ("features", "features"),
            ("hostdev", "hostdevs"),
            ("ip", "ips"),
            ("cpu_bus", "cpu_buses"),
            ("smartcard", "smartcards"),
            ("match", "matches"),
        ] {
            assert_eq!(plural(one), many);
        }
    }

    #[test]
    fn fields_of_a_namespace_element_do_not_repeat_its_word() {
        use crate::model::{Attr, Fields, ValueType, XName};
        let qemu = "http://libvirt.org/schemas/domain/qemu/1.0";
        let attr = |ns: &str, local: &str| Attr {
            hex_digits: None,
            name: XName { ns: ns.into(), local: local.into() },
            ty: ValueType::String,
            required: false,
        };
        let f = Fields {
            attrs: vec![attr(qemu, "value"), attr("", "name"), attr("urn:x/lxc", "share")],
            ..Fields::default()
        };
        // In `<qemu:…>`: its own namespace's word is dropped, another's kept.
        assert_eq!(
            super::field_names(&f, &XName { ns: qemu.into(), local: "x".into() }, &[]).attrs,
            ["value", "name", "lxc_share"]
        );
        // In an element of no namespace every namespaced name keeps its word.
        assert_eq!(
            super::field_names(&f, &XName { ns: String::new(), local: "x".into() }, &[]).attrs,
            ["qemu_value", "name", "lxc_share"]
        );
    }

    #[test]
    fn variant_names_keep_underscores_between_digits() {
        for (value, name) in [
            ("x86_64", "X86_64"),
            ("i686", "I686"),
            ("virtio-non-transitional", "VirtioNonTransitional"),
            ("pc-q35-8.2", "PcQ35_8_2"),
            ("", "Empty"),
            ("0x1", "V0x1"),
        ] {
            assert_eq!(super::variant_name(value), name);
        }
    }

    #[test]
    fn define_names_name_their_element_on_word_boundaries() {
        for (define, element, yes) in [
            ("diskTarget", "target", true),
            ("diskIoTune", "iotune", true),
            ("interface", "interface", true),
            ("osbootdev", "boot", false),
            ("usbaddress", "address", false),
            ("guestcaps", "guest", false),
        ] {
            assert_eq!(super::ends_with_words(define, element), yes, "{define}");
        }
    }

    /// Type names of a one-file schema (`body` inside `<grammar>`), by element path.
    fn names_of(body: &str, target: &crate::hints::Target) -> BTreeMap<String, String> {
        // One folder per call: tests run in parallel.
        static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("xtask-naming-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("t.rng"),
            format!(
                "<grammar xmlns=\"http://relaxng.org/ns/structure/1.0\">\n{body}\n</grammar>\n"
            ),
        )
        .unwrap();
        let g = crate::load::load_grammar(&dir, "t.rng").unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        let model = crate::model::build(
            &[crate::simplify::simplify(&g)],
            &BTreeSet::new(),
            Default::default(),
            &Default::default(),
        )
        .unwrap();
        let names = super::name(&model, target);
        let paths = crate::model::xml_paths(&model, 8);
        let mut out = BTreeMap::new();
        for (t, ps) in paths.iter().enumerate() {
            for p in ps {
                out.insert(p.clone(), names.types[t].clone());
            }
        }
        out
    }

    use std::collections::{BTreeMap, BTreeSet};

    const V1: &str = r#"<start><element name="vm">
  <element name="blkiotune"><element name="device">
    <element name="path"><text/></element>
  </element></element>
  <element name="devices"><element name="disk">
    <element name="target"><attribute name="dev"/></element>
  </element></element>
</element></start>"#;

    /// A later release adds an alike `<path>` nearer the root (written after the first):
    /// the type both share keeps its name, and nothing else is renamed.
    #[test]
    fn an_alike_element_added_elsewhere_renames_nothing() {
        let v2 = V1.replace(
            "<element name=\"devices\">",
            "<element name=\"pstore\"><element name=\"path\"><text/></element></element>\n  <element name=\"devices\">",
        );
        let (a, b) =
            (names_of(V1, &crate::hints::FIXTURES), names_of(&v2, &crate::hints::FIXTURES));
        assert_eq!(a["/vm/blkiotune/device/path"], "DevicePath");
        assert_eq!(b["/vm/pstore/path"], "DevicePath", "{b:?}");
        for (path, name) in &a {
            assert_eq!(&b[path], name, "{path}");
        }
    }

    /// Names come from the parent's word and the element's; a rename table keyed by define
    /// and element wins over the rules.
    #[test]
    fn names_follow_the_parent_and_the_rename_table() {
        let a = names_of(V1, &crate::hints::FIXTURES);
        assert_eq!(a["/vm/devices/disk/target"], "DiskTarget");
        assert_eq!(a["/vm/devices"], "VmDevices");
        let body = V1
            .replace(
                "<element name=\"target\"><attribute name=\"dev\"/></element>",
                "<ref name=\"t\"/>",
            )
            .replace(
                "<start>",
                "<define name=\"t\"><element name=\"target\"><attribute name=\"dev\"/></element></define><start>",
            );
        let target = crate::hints::Target {
            type_names: &[("t/target", "DiskTargetDevice")],
            ..crate::hints::FIXTURES
        };
        let b = names_of(&body, &target);
        assert_eq!(b["/vm/devices/disk/target"], "DiskTargetDevice", "{b:?}");
    }

    /// A field holding any element of a choice define (a `<mirror>`'s or `<nvram>`'s
    /// `<source>`: any disk source) is named by the table's key for that define.
    #[test]
    fn the_table_names_a_choice_of_elements_by_its_define() {
        let body = r#"<define name="file"><element name="source"><attribute name="file"/></element></define>
<define name="block"><element name="source"><attribute name="dev"/></element></define>
<define name="src"><choice><ref name="file"/><ref name="block"/></choice></define>
<start><element name="vm">
  <element name="nvram"><ref name="src"/></element>
  <element name="mirror"><ref name="src"/></element>
</element></start>"#;
        let plain = names_of(body, &crate::hints::FIXTURES);
        assert_eq!(plain["/vm/mirror/source"], "MirrorSource", "{plain:?}");
        let target = crate::hints::Target {
            type_names: &[("src/source", "DiskSource")],
            ..crate::hints::FIXTURES
        };
        let named = names_of(body, &target);
        assert_eq!(named["/vm/mirror/source"], "DiskSource", "{named:?}");
        assert_eq!(named["/vm/nvram/source"], "DiskSource", "{named:?}");
    }

    /// Two elements of one name and content, written with different defines, are two
    /// things: a release that adds the second (written first) renames nothing, and the
    /// rename table's key still names the type it keyed whichever of its patterns comes
    /// first.
    #[test]
    fn defines_keep_alike_elements_apart_and_the_table_keys_any_pattern() {
        let v1 = r#"<define name="pulse"><attribute name="latency"/></define>
<define name="conf"><element name="driver"><attribute name="x"/></element></define>
<start><element name="audio">
  <element name="pulse"><element name="input"><ref name="pulse"/></element></element>
  <element name="balloon"><ref name="conf"/></element>
</element></start>"#;
        // 11.x: pipewire (same content as pulse, its own define), written first, and a
        // second element using the keyed `conf` driver, written before the balloon's.
        let v2 = v1
            .replace(
                r#"<define name="pulse">"#,
                r#"<define name="pipe"><attribute name="latency"/></define>
<define name="pulse">"#,
            )
            .replace(
                r#"<element name="pulse">"#,
                r#"<element name="pipe"><element name="input"><ref name="pipe"/></element></element>
  <element name="sound"><element name="driver"><attribute name="x"/></element></element>
  <element name="pulse">"#,
            );
        let target = crate::hints::Target {
            type_names: &[("conf/driver", "VirtioDriver")],
            ..crate::hints::FIXTURES
        };
        let (a, b) = (names_of(v1, &target), names_of(&v2, &target));
        assert_eq!(a["/audio/pulse/input"], "PulseInput", "{a:?}");
        assert_eq!(b["/audio/pulse/input"], "PulseInput", "{b:?}");
        assert_eq!(b["/audio/pipe/input"], "PipeInput", "{b:?}");
        assert_eq!(a["/audio/balloon/driver"], "VirtioDriver", "{a:?}");
        assert_eq!(b["/audio/balloon/driver"], "VirtioDriver", "{b:?}");
        assert_eq!(b["/audio/sound/driver"], "VirtioDriver", "{b:?}");
    }
}
