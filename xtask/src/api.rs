//! `generated/API.txt`: the public API as one line per item (types, fields, variants), so
//! that a schema update shows its API changes as a plain diff, and `regen` can report them.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Child, Fields, Model, ValueType};
use crate::naming::{value_rust, FieldNames, Names};

/// The Rust type of a child's field: exact, `Box` included (boxing is API).
fn child_type(n: &Names, c: &Child) -> String {
    let ty = &n.types[c.ty];
    let ty = if c.boxed { format!("Box<{ty}>") } else { ty.clone() };
    if c.repeated {
        format!("ThinVec<{ty}>")
    } else if c.required {
        ty
    } else {
        format!("Option<{ty}>")
    }
}

/// Field lines of one struct. `extensions`: the struct holding its drivers' extensions,
/// whose one field stands where the first of them would.
fn field_lines(
    out: &mut Vec<String>,
    owner: &str,
    n: &Names,
    f: &Fields,
    fnames: &FieldNames,
    extensions: Option<&crate::naming::ExtensionsName>,
) {
    let value = |v: &ValueType| value_rust(v, n);
    for (i, a) in f.attrs.iter().enumerate() {
        let ty = value(&a.ty);
        let ty = if a.required { ty } else { format!("Option<{ty}>") };
        out.push(format!("{owner}.{}: {ty}", fnames.attrs[i]));
    }
    for (i, c) in f.children.iter().enumerate().filter(|(_, c)| c.choice.is_none()) {
        match extensions {
            Some(g) if c.extension => {
                if f.children[..i].iter().all(|o| !o.extension) {
                    out.push(format!("{owner}.{}: Option<Box<{}>>", fnames.extensions, g.name));
                }
            }
            _ => out.push(format!("{owner}.{}: {}", fnames.children[i], child_type(n, c))),
        }
    }
    if let Some(t) = &f.text {
        let ty = value(&t.ty);
        let ty = if t.mixed {
            format!("ThinVec<{ty}>")
        } else if t.required {
            ty
        } else {
            format!("Option<{ty}>")
        };
        out.push(format!("{owner}.{}: {ty}", fnames.text));
    }
    if f.any_element {
        out.push(format!("{owner}.{}: ThinVec<RawXml>", fnames.any_elements));
    }
    if f.any_attribute {
        out.push(format!("{owner}.{}: ThinVec<RawAttribute>", fnames.any_attributes));
    }
}

/// The API listing, sorted. `scaled`: whether scaled integers get `bytes()` (the target
/// says what their units mean).
pub fn listing(m: &Model, n: &Names, scaled: bool) -> String {
    let mut out = Vec::new();
    // A type's other path: a move into a module re-exported here breaks no code.
    for (gi, shared) in &n.reexports {
        for d in shared {
            out.push(format!("mod {}: pub use {}::*", n.modules[*gi], n.modules[*d]));
        }
    }
    for (t, ty) in m.types.iter().enumerate() {
        let path = format!("{}::{}", n.modules[n.type_module[t]], n.types[t]);
        // The element it is, so a rename shows as one (same element, same fields).
        if ty.alternatives.is_some() {
            out.push(format!("enum {path} <{}>", ty.name.local));
            for (c, vn) in ty.fields.children.iter().zip(&n.alternatives[&t]) {
                out.push(format!("{path}::{vn}(Box<{}>)", n.types[c.ty]));
            }
            continue;
        }
        if ty.group {
            out.push(format!("struct {path}"));
        } else {
            out.push(format!("struct {path} <{}>", ty.name.local));
        }
        field_lines(&mut out, &path, n, &ty.fields, &n.fields[t], n.extensions.get(&t));
        if let Some(g) = n.extensions.get(&t).filter(|g| g.owner == t) {
            let gpath = format!("{}::{}", n.modules[n.type_module[t]], g.name);
            out.push(format!("struct {gpath}"));
            for (i, c) in ty.fields.children.iter().enumerate().filter(|(_, c)| c.extension) {
                out.push(format!("{gpath}.{}: {}", n.fields[t].children[i], child_type(n, c)));
            }
        }
        if ty.fields.any_element {
            out.push(format!("fn {path}::element(&self, namespace: &str) -> Option<&RawXml>"));
            out.push(format!("fn {path}::set_element(&mut self, element: RawXml)"));
            out.push(format!(
                "fn {path}::remove_element(&mut self, namespace: &str) -> Option<RawXml>"
            ));
        }
        for k in 0..ty.fields.choices {
            let names = &n.choices[&(t, k)];
            let epath = format!("{}::{}", n.modules[n.type_module[t]], names.enum_name);
            out.push(format!("{path}.{}: Option<{}>", n.fields[t].choices[k], names.enum_name));
            out.push(format!("enum {epath}"));
            out.push(format!("fn {epath}::name(&self) -> &'static str"));
            let members = ty.fields.members(k);
            let tys: BTreeSet<usize> = members.iter().map(|&i| ty.fields.children[i].ty).collect();
            for (i, vn) in members.iter().copied().zip(&names.variants) {
                let c = &ty.fields.children[i];
                let t = &n.types[c.ty];
                out.push(format!("{epath}::{vn}(Box<{t}>)"));
                let word = crate::naming::snake(&c.name.local);
                out.push(format!("fn {epath}::as_{word}(&self) -> Option<&{t}>"));
                out.push(format!("fn {epath}::as_{word}_mut(&mut self) -> Option<&mut {t}>"));
                if tys.len() == members.len() {
                    out.push(format!("impl From<{t}> for {epath}"));
                    out.push(format!("impl From<Box<{t}>> for {epath}"));
                }
            }
        }
        // The helpers emit adds beside the fields.
        if let Some((text, _)) = ty.fields.built_from_text() {
            let vty = value_rust(&text.ty, n);
            out.push(format!("impl From<{vty}> for {path}"));
            if matches!(text.ty, ValueType::String | ValueType::Enum(_)) {
                out.push(format!("impl From<&str> for {path}"));
            }
            if matches!(text.ty, ValueType::String) {
                out.push(format!("impl From<String> for {path}"));
            }
        }
        match ty.fields.scaled_integer() {
            Some((kind, _)) if scaled => {
                let vty = value_rust(&ty.fields.text.as_ref().expect("scaled").ty, n);
                out.push(format!(
                    "fn {path}::new({}: {vty}, unit: rt::Unit) -> Self",
                    n.fields[t].text
                ));
                out.push(format!("fn {path}::bytes(&self) -> Option<u64>"));
                if kind == crate::model::IntKind::U64 {
                    out.push(format!("fn {path}::set_bytes(&mut self, bytes: u64)"));
                }
            }
            _ => {}
        }
        if let Some(v) = &ty.fields.variants {
            let sums = &n.sums[&t];
            let epath = format!("{}::{}", n.modules[n.type_module[t]], sums.enum_name);
            out.push(format!("{path}.{}: {}", n.fields[t].variants, sums.enum_name));
            out.push(format!("enum {epath}"));
            for (ci, c) in v.cases.iter().enumerate() {
                let crate::naming::CaseNames {
                    struct_name: sname,
                    variants: vnames,
                    fields: fnames,
                } = &sums.cases[ci];
                let spath = format!("{}::{sname}", n.modules[n.type_module[t]]);
                let held = if c.boxed { format!("Box<{sname}>") } else { sname.clone() };
                for vn in vnames {
                    out.push(format!("{epath}::{vn}({held})"));
                }
                out.push(format!("struct {spath}"));
                field_lines(&mut out, &spath, n, &c.fields, fnames, None);
            }
        }
    }
    for (e, en) in m.enums.iter().enumerate() {
        let path = format!("{}::{}", n.modules[n.enum_module[e]], n.enums[e]);
        out.push(format!("enum {path}"));
        for (v, vn) in en.values.iter().zip(&n.enum_variants[e]) {
            out.push(format!("{path}::{vn} = {v:?}"));
        }
    }
    let set: BTreeSet<String> = out.into_iter().collect();
    let mut text =
        String::from("# @generated by `cargo xtask regen` — the public API, one item a line.\n");
    for l in set {
        text.push_str(&l);
        text.push('\n');
    }
    text
}

/// What a regeneration changes in the public API, by what it does to users' code.
#[derive(Debug, Default, PartialEq)]
pub struct Changes {
    /// Items gone (or a type's element changed): code using them breaks.
    pub removed: Vec<String>,
    /// Fields whose type changed, `old → new`: code using them breaks.
    pub changed: Vec<String>,
    /// Types renamed, `old → new` (same element, same members): code naming them breaks.
    pub renamed: Vec<String>,
    /// Types moved to a module the old one re-exports, `old → new`: the old path still
    /// names them, nothing breaks.
    pub moved: Vec<String>,
    /// Fields new in structs that existed: struct literals without `..Default::default()`
    /// and patterns without `..` break.
    pub grown: Vec<String>,
    /// New types, and new variants of enums (all `#[non_exhaustive]`): nothing breaks.
    pub added: Vec<String>,
}

impl Changes {
    pub fn is_breaking(&self) -> bool {
        !self.removed.is_empty()
            || !self.changed.is_empty()
            || !self.renamed.is_empty()
            || !self.grown.is_empty()
    }

    /// A CHANGELOG entry for the generated crate: every change, grouped by what it does to
    /// users' code, under a heading naming the schemas it was generated from.
    pub fn changelog_entry(&self, schemas: &str) -> String {
        let kind = if self.is_breaking() { "breaking" } else { "additive" };
        let mut out = format!("### Generated API: regenerated from {schemas} ({kind})\n");
        for (title, lines) in [
            ("Renamed (code naming them breaks)", &self.renamed),
            ("Moved to a shared module (the old path still names them)", &self.moved),
            ("Removed (code using them breaks)", &self.removed),
            ("Changed type (code using them breaks)", &self.changed),
            (
                "Fields added to existing structs (struct literals need `..Default::default()`)",
                &self.grown,
            ),
            ("Added (new types and methods, variants of `#[non_exhaustive]` enums)", &self.added),
        ] {
            if !lines.is_empty() {
                out.push_str(&format!("\n{title}:\n"));
                for l in lines {
                    out.push_str(&format!("- `{l}`\n"));
                }
            }
        }
        out
    }
}

/// The line of CHANGELOG.md under which `regen` adds its entries, newest first.
pub const CHANGELOG_MARKER: &str =
    "<!-- `cargo xtask regen` adds the generated crate's API changes below this line. -->";

/// `changelog` with `entry` added just under [`CHANGELOG_MARKER`].
pub fn add_to_changelog(changelog: &str, entry: &str) -> Result<String, String> {
    let at = changelog
        .find(CHANGELOG_MARKER)
        .map(|i| i + CHANGELOG_MARKER.len())
        .ok_or_else(|| format!("CHANGELOG.md has no line `{CHANGELOG_MARKER}`"))?;
    let (head, tail) = changelog.split_at(at);
    Ok(format!("{head}\n\n{}{tail}", entry.trim_end()))
}

/// A type's header (`struct m::T <e>`, `enum m::E`) split into its kind and element and
/// its path; `None` for member lines.
fn header(l: &str) -> Option<(String, &str)> {
    let (kind, rest) = l.split_once(' ')?;
    if kind != "struct" && kind != "enum" {
        return None;
    }
    let (path, element) = rest.split_once(' ').unwrap_or((rest, ""));
    Some((format!("{kind} {element}"), path))
}

/// The member lines of type `path` (`m::T.f: …`, `m::E::V …`, `fn m::T::f…`,
/// `impl From<u32> for m::T`), each with
/// the path taken out, so two types' members compare whatever their names.
fn members<'a>(lines: &'a BTreeSet<String>, path: &str) -> BTreeMap<String, &'a String> {
    let (field, item, method) = (format!("{path}."), format!("{path}::"), format!("fn {path}::"));
    let imp = format!(" for {path}");
    lines
        .iter()
        .filter_map(|l| {
            let rest = l
                .strip_prefix(&field)
                .map(|r| format!(".{r}"))
                .or_else(|| l.strip_prefix(&item).map(|r| format!("::{r}")))
                .or_else(|| l.strip_prefix(&method).map(|r| format!("fn ::{r}")))
                .or_else(|| {
                    let r = l.strip_prefix("impl ")?.strip_suffix(&imp)?;
                    Some(format!("impl {r}"))
                })?;
            Some((rest, l))
        })
        .collect()
}

/// Takes the types that only changed name out of `removed` and `added` (with their
/// members, and the fields whose type changed only by that name), as `(old, new)` paths.
fn renames(removed: &mut BTreeSet<String>, added: &mut BTreeSet<String>) -> Vec<(String, String)> {
    let gone: Vec<(String, String)> =
        removed.iter().filter_map(|l| header(l).map(|(k, p)| (k, p.to_string()))).collect();
    let short = |p: &str| p.rsplit("::").next().unwrap_or(p).to_string();
    let mut pairs: Vec<(String, String)> = Vec::new();
    // Rounds until none finds more: a type whose members name a type renamed in an earlier
    // round (`NvramSource.type: NvramSourceType`) is compared with those names swapped.
    let mut gone = gone;
    loop {
        let found = pairs.len();
        gone.retain(|(_, old)| !pairs.iter().any(|(o, _)| o == old));
        for (kind, old) in &gone {
            if let Some(new) = renamed_to(removed, added, kind, old, &pairs, &short) {
                let old = old.clone();
                let drop_old: Vec<String> = members(removed, &old).into_values().cloned().collect();
                let drop_new: Vec<String> = members(added, &new).into_values().cloned().collect();
                for l in drop_old {
                    removed.remove(&l);
                }
                for l in drop_new {
                    added.remove(&l);
                }
                removed.retain(|l| header(l).is_none_or(|(_, p)| p != old));
                added.retain(|l| header(l).is_none_or(|(_, p)| p != new));
                pairs.push((old, new));
            }
        }
        if pairs.len() == found {
            break;
        }
    }
    // Fields that changed only by a renamed type's name are covered by the rename.
    for (old, new) in &pairs {
        let (o, n) = (short(old), short(new));
        let moved: Vec<String> = removed
            .iter()
            .filter(|l| {
                let swapped = swap_word(l, &o, &n);
                swapped != **l && added.contains(&swapped)
            })
            .cloned()
            .collect();
        for l in moved {
            added.remove(&swap_word(&l, &o, &n));
            removed.remove(&l);
        }
    }
    pairs
}

/// The new type that removed type `old` became, if one added type of its kind has its
/// members (with the types of `pairs` renamed).
fn renamed_to(
    removed: &BTreeSet<String>,
    added: &BTreeSet<String>,
    kind: &str,
    old: &str,
    pairs: &[(String, String)],
    short: &dyn Fn(&str) -> String,
) -> Option<String> {
    let mut old_members: Vec<String> = members(removed, old)
        .into_keys()
        .map(|m| pairs.iter().fold(m, |m, (o, n)| swap_word(&m, &short(o), &short(n))))
        .collect();
    old_members.sort();
    // A type without members says nothing about which new type it became.
    if old_members.is_empty() {
        return None;
    }
    added.iter().find_map(|l| {
        let (k, p) = header(l)?;
        let same = k == kind && members(added, p).into_keys().collect::<Vec<_>>() == old_members;
        same.then(|| p.to_string())
    })
}

/// `s` with the type name `from` (a whole identifier after `: `) replaced by `to`.
fn swap_word(s: &str, from: &str, to: &str) -> String {
    match s.split_once(": ") {
        Some((field, ty)) => {
            let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
            let mut out = String::new();
            let mut word = String::new();
            for ch in ty.chars().chain(std::iter::once(' ')) {
                if is_ident(ch) {
                    word.push(ch);
                } else {
                    out.push_str(if word == from { to } else { &word });
                    word.clear();
                    out.push(ch);
                }
            }
            out.pop();
            format!("{field}: {out}")
        }
        None => s.to_string(),
    }
}

/// The changes between two listings (`API.txt` before and after).
pub fn changes(old: &str, new: &str) -> Changes {
    let items = |s: &str| -> BTreeSet<String> {
        s.lines().filter(|l| !l.starts_with('#')).map(str::to_string).collect()
    };
    // `struct m::T <e>` / `enum m::E` → `m::T`.
    let types = |set: &BTreeSet<String>| -> BTreeSet<String> {
        set.iter()
            .filter_map(|l| l.strip_prefix("struct ").or_else(|| l.strip_prefix("enum ")))
            .map(|rest| rest.split(' ').next().unwrap_or(rest).to_string())
            .collect()
    };
    let (o, n) = (items(old), items(new));
    let old_types = types(&o);
    let mut removed: BTreeSet<String> = o.difference(&n).cloned().collect();
    let mut added: BTreeSet<String> = n.difference(&o).cloned().collect();
    // `domain::Title` → `basictypes::Title` where `domain` re-exports `basictypes`.
    let reexported = |from: &str, to: &str| n.contains(&format!("mod {from}: pub use {to}::*"));
    let (moved, renamed) = renames(&mut removed, &mut added).into_iter().partition(|(old, new)| {
        match (old.rsplit_once("::"), new.rsplit_once("::")) {
            (Some((om, ot)), Some((nm, nt))) => ot == nt && reexported(om, nm),
            _ => false,
        }
    });
    let arrows = |pairs: Vec<(String, String)>| -> Vec<String> {
        pairs.into_iter().map(|(o, n)| format!("{o} → {n}")).collect()
    };
    let mut c = Changes {
        removed: removed.into_iter().collect(),
        renamed: arrows(renamed),
        moved: arrows(moved),
        ..Changes::default()
    };
    for l in &added {
        // A field line (`m::T.field: …`) belongs to the struct before its `.`; variant
        // lines (`m::E::V = …`, `m::E::V(…)`) only add.
        let owner = if l.starts_with("struct ") || l.starts_with("enum ") {
            None
        } else {
            let head =
                l.split_once([' ', '(']).map_or(l.as_str(), |(h, _)| h).trim_end_matches(':');
            head.rsplit_once('.').map(|(t, _)| t.to_string())
        };
        match owner {
            Some(t) if old_types.contains(&t) => c.grown.push(l.clone()),
            _ => c.added.push(l.clone()),
        }
    }
    // A field in both lists (`m::T.f: u32` gone, `m::T.f: FileMode` new) changed type.
    let field = |l: &str| l.split_once(": ").map(|(f, _)| f.to_string());
    let mut grown = Vec::new();
    for l in std::mem::take(&mut c.grown) {
        let old = field(&l).and_then(|f| {
            c.removed
                .iter()
                .position(|r| !r.starts_with("struct ") && field(r).as_deref() == Some(f.as_str()))
        });
        match old {
            Some(i) => {
                let r = c.removed.remove(i);
                c.changed.push(format!("{r} → {}", l.split_once(": ").map_or("", |x| x.1)));
            }
            None => grown.push(l),
        }
    }
    c.grown = grown;
    c
}

/// `generated/PATHS.md`: which Rust type an element path is (`/domain/devices/serial/target`
/// → `domain::…`), every path from the document roots, sorted.
pub fn path_index(m: &Model, n: &Names) -> String {
    let paths = crate::model::xml_paths(m, crate::emit::PATHS_PER_TYPE);
    let mut rows: BTreeSet<(String, String)> = BTreeSet::new();
    for (t, ps) in paths.iter().enumerate() {
        if m.types[t].group {
            continue;
        }
        let ty = format!("{}::{}", n.modules[n.type_module[t]], n.types[t]);
        for p in ps {
            rows.insert((p.clone(), ty.clone()));
        }
    }
    let mut text = String::from(
        "<!-- @generated by `cargo xtask regen` — do not edit. -->\n\n\
         # Element paths and their Rust types\n\n\
         Every element path from a document root (recursion followed once; at most \
         the first 24 paths of a type) and the type that holds it.\n\n\
         | XML path | Rust type |\n|---|---|\n",
    );
    for (p, ty) in rows {
        text.push_str(&format!("| `{p}` | `{ty}` |\n"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_told_apart_by_what_they_break() {
        let old = "\
enum m::Bus
m::Bus::Ide = \"ide\"
m::Disk.bus: Option<Bus>
m::Disk.dev: String
struct m::Disk <disk>
";
        let new = "\
enum m::Bus
m::Bus::Ide = \"ide\"
m::Bus::Sata = \"sata\"
m::Disk.bus: Option<Bus>
m::Disk.dev: Option<String>
m::Disk.wwn: Option<Box<Wwn>>
m::Wwn.value: String
struct m::Disk <disk>
struct m::Wwn <wwn>
";
        let c = changes(old, new);
        assert!(c.removed.is_empty(), "{:?}", c.removed);
        assert_eq!(c.changed, ["m::Disk.dev: String → Option<String>"]);
        assert_eq!(c.grown, ["m::Disk.wwn: Option<Box<Wwn>>"]);
        assert_eq!(
            c.added,
            ["m::Bus::Sata = \"sata\"", "m::Wwn.value: String", "struct m::Wwn <wwn>"]
        );
        assert!(c.is_breaking());
        assert!(!changes(old, old).is_breaking());

        let entry = c.changelog_entry("libvirt 11.4.0 schemas");
        assert!(entry.starts_with(
            "### Generated API: regenerated from libvirt 11.4.0 schemas (breaking)\n"
        ));
        assert!(entry.contains(
            "\nChanged type (code using them breaks):\n- `m::Disk.dev: String → Option<String>`\n"
        ));
        assert!(entry.contains("- `struct m::Wwn <wwn>`\n"));
        // A type that only changed name is one rename, not a removal and a new type.
        let renamed = changes(
            "m::A.size: Small\nm::Small.value: u64\nstruct m::A <a>\nstruct m::Small <size>\n",
            "m::A.size: Size\nm::Size.value: u64\nstruct m::A <a>\nstruct m::Size <size>\n",
        );
        assert_eq!(renamed.renamed, ["m::Small → m::Size"]);
        assert!(renamed.removed.is_empty() && renamed.changed.is_empty(), "{renamed:?}");
        assert!(renamed.added.is_empty() && renamed.grown.is_empty(), "{renamed:?}");
        // A struct whose field's enum was renamed with it is one rename too.
        let both = changes(
            "enum m::NvramKind\nm::NvramKind::File = \"file\"\nm::NvramSource.kind: NvramKind\nm::Os.nvram: NvramSource\nstruct m::NvramSource <source>\nstruct m::Os <os>\n",
            "enum m::DiskKind\nm::DiskKind::File = \"file\"\nm::DiskSource.kind: DiskKind\nm::Os.nvram: DiskSource\nstruct m::DiskSource <source>\nstruct m::Os <os>\n",
        );
        assert_eq!(both.renamed, ["m::NvramKind → m::DiskKind", "m::NvramSource → m::DiskSource"]);
        assert!(both.removed.is_empty() && both.changed.is_empty(), "{both:?}");
        assert!(both.added.is_empty() && both.grown.is_empty(), "{both:?}");
        // Moved into a module the old one re-exports: the old path still names it.
        let moved = changes(
            "impl From<&str> for d::Title\nd::Title.value: String\nstruct d::Title <title>\n",
            "impl From<&str> for b::Title\nb::Title.value: String\nmod d: pub use b::*\nstruct b::Title <title>\n",
        );
        assert_eq!(moved.moved, ["d::Title → b::Title"]);
        assert!(moved.renamed.is_empty() && moved.removed.is_empty(), "{moved:?}");
        assert!(!moved.is_breaking(), "{moved:?}");
        // Without the re-export, the same move is a rename.
        let renamed = changes(
            "d::Title.value: String\nstruct d::Title <title>\n",
            "b::Title.value: String\nstruct b::Title <title>\n",
        );
        assert_eq!(renamed.renamed, ["d::Title → b::Title"]);
        let log = format!("# Changelog\n\n## Unreleased\n\n{CHANGELOG_MARKER}\n\n### Older\n");
        let log = add_to_changelog(&log, &entry).unwrap();
        assert!(log.contains(&format!("{CHANGELOG_MARKER}\n\n{entry}\n### Older\n")), "{log}");
        assert!(add_to_changelog("# Changelog\n", &entry).is_err());
    }
}
