//! `cargo xtask`: the generator of the `libvirt-xml` crate.
//!
//! load → simplify → model → naming → emit → write, one module each, plain data between.

mod api;
mod coverage;
mod emit;
mod hints;
mod load;
mod model;
mod naming;
mod observe;
mod order;
mod patterns;
mod schemas;
mod simplify;
mod stages;
mod write;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use hints::Target;

const USAGE: &str = "usage:
  cargo xtask regen [--check]        generate generated/ from schemas/ (--check: only compare)
  cargo xtask sync-schemas <libvirt source tree or unpacked shared folder> [--tarball-sha256 HEX] [--version V]
                                     copy libvirt's schemas into schemas/ and rewrite the manifest
  cargo xtask verify-schemas         check schemas/ against its manifest
  cargo xtask generate-into <schema dir> <out dir>
                                     generate a crate from other schemas (e.g. another libvirt
                                     release's /usr/share/libvirt/schemas) into <out dir>
  cargo xtask api-diff <old API.txt> <new API.txt>
                                     the API change report between two listings";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    let result = match args.first().map(String::as_str) {
        Some("regen") => regen(&root, args.iter().any(|a| a == "--check")),
        Some("sync-schemas") => schemas::sync(&root, &args[1..]),
        Some("verify-schemas") => schemas::verify(&root.join("schemas")),
        Some("api-diff") if args.len() == 3 => api_diff(Path::new(&args[1]), Path::new(&args[2])),
        Some("generate-into") if args.len() == 3 => {
            generate_into(&root, Path::new(&args[1]), Path::new(&args[2]))
        }
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// The entry schemas, in the order that decides type ownership: the target's first entry
/// (domain.rng: most types live there), then the other schemas with a `<start>` by name,
/// then the target's extra (test) entries.
pub fn entries(schema_dir: &Path, target: &Target) -> Result<Vec<String>, String> {
    let mut names: Vec<String> = std::fs::read_dir(schema_dir)
        .map_err(|e| format!("{}: {e}", schema_dir.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".rng") && !target.not_entries.contains(&n.as_str()))
        .filter(|n| {
            let text = std::fs::read_to_string(schema_dir.join(n)).unwrap_or_default();
            roxmltree::Document::parse(&text).is_ok_and(|d| {
                d.root_element()
                    .children()
                    .any(|c| c.is_element() && c.tag_name().name() == "start")
            })
        })
        .collect();
    names.sort_by_key(|n| (n != target.first_entry, n.clone()));
    for extra in target.extra_entries {
        if schema_dir.join(extra).exists() {
            names.push(extra.to_string());
        }
    }
    Ok(names)
}

/// Everything `regen` writes, computed in memory: path relative to the workspace → text.
/// Both crates: `generated/` from `schemas/`, and the fixtures' crate from theirs.
pub fn generate(root: &Path) -> Result<BTreeMap<String, String>, String> {
    let mut files = generate_from(root, &root.join("schemas"), &hints::LIBVIRT)?;
    files.extend(generate_from(root, &root.join("xtask/fixtures/schemas"), &hints::FIXTURES)?);
    Ok(files)
}

/// Everything the crate of `target` is made of, from the schemas in `schema_dir`.
pub fn generate_from(
    root: &Path,
    schema_dir: &Path,
    target: &Target,
) -> Result<BTreeMap<String, String>, String> {
    let schema_dir = schema_dir.to_path_buf();
    let entries = entries(&schema_dir, target)?;
    let mut grammars = Vec::new();
    let mut files = BTreeMap::new();
    for e in &entries {
        let g = load::load_grammar(&schema_dir, e).map_err(|err| err.to_string())?;
        let s = simplify::simplify(&g);
        if let Some(dir) = target.stage_snapshots {
            let stem = e.trim_end_matches(".rng");
            files.insert(format!("{dir}/load/{stem}.txt"), stages::loaded(&g));
            files.insert(format!("{dir}/simplify/{stem}.txt"), stages::simplified(&s));
        }
        grammars.push(s);
    }
    let public: Vec<usize> =
        entries.iter().enumerate().filter(|(_, e)| !e.contains('/')).map(|(i, _)| i).collect();
    let borrowing = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| target.extra_entries.contains(&e.as_str()))
        .map(|(i, _)| i)
        .collect();
    let values = model::ValueHints { runtime: target.runtime_values, hex: target.hex_values };
    let observed = match target.written_order {
        Some((list, dir)) => observe::corpus(&root.join(list), &root.join(dir))?,
        None => observe::Observed::default(),
    };
    let model = model::build(&grammars, &borrowing, values, &observed)?;
    let table = patterns::table(&grammars, &model);
    let names = naming::name(&model, target);
    if let Some(dir) = target.stage_snapshots {
        files.insert(format!("{dir}/model.txt"), stages::model(&model));
    }
    let out = target.out_dir;
    for (name, text) in emit::emit(&model, &table, &names, target, &public) {
        match name.strip_prefix("../") {
            Some(outside) => files.insert(format!("{out}/{outside}"), text),
            None => files.insert(format!("{out}/src/{name}"), text),
        };
    }
    files.insert(format!("{out}/COVERAGE.md"), coverage::report(&model, &names));
    files.insert(
        format!("{out}/API.txt"),
        api::listing(&model, &names, target.scaled_units.is_some()),
    );
    files.insert(format!("{out}/PATHS.md"), api::path_index(&model, &names));
    let readme = match target.readme {
        // The crate's front page is the project README (its examples run as doctests).
        Some(file) => {
            std::fs::read_to_string(root.join(file)).map_err(|e| format!("{file}: {e}"))?
        }
        None => format!(
            "# {}\n\n{}.\n\n@generated by `cargo xtask regen` — do not edit.\n",
            target.crate_name, target.description
        ),
    };
    files.insert(format!("{out}/README.md"), readme);
    if let Some(p) = &target.publish {
        let text = std::fs::read_to_string(root.join(p.licence_file))
            .map_err(|e| format!("{}: {e}", p.licence_file))?;
        let name = Path::new(p.licence_file).file_name().unwrap().to_string_lossy();
        files.insert(format!("{out}/{name}"), text);
    }
    Ok(files)
}

/// Prints what a regeneration changes in the public API (after `sync-schemas`, this is the
/// release's API change report; `git diff generated/API.txt` shows the same), and adds it
/// to CHANGELOG.md.
fn report_api_changes(root: &Path, files: &BTreeMap<String, String>) -> Result<(), String> {
    let api = format!("{}/API.txt", hints::LIBVIRT.out_dir);
    let old = std::fs::read_to_string(root.join(&api)).unwrap_or_default();
    let new = &files[&api];
    if old.is_empty() || old == *new {
        return Ok(());
    }
    let c = api::changes(&old, new);
    let manifest = std::fs::read_to_string(root.join("schemas/MANIFEST.tsv")).unwrap_or_default();
    let version = manifest.lines().find_map(|l| l.strip_prefix("version\t")).unwrap_or("unknown");
    let changelog = root.join("CHANGELOG.md");
    let log = std::fs::read_to_string(&changelog).map_err(|e| format!("CHANGELOG.md: {e}"))?;
    let log =
        api::add_to_changelog(&log, &c.changelog_entry(&format!("libvirt {version} schemas")))?;
    std::fs::write(&changelog, log).map_err(|e| format!("CHANGELOG.md: {e}"))?;
    print_changes(&c, 20);
    eprintln!("  (all of them added to CHANGELOG.md)");
    Ok(())
}

/// The API report: counts, then up to `limit` lines of each kind.
fn print_changes(c: &api::Changes, limit: usize) {
    eprintln!(
        "API changes ({}): {} types renamed, {} moved (old path still valid), {} items removed, {} changed, {} fields added to existing structs, {} new types, methods and variants",
        if c.is_breaking() { "breaking" } else { "additive" },
        c.renamed.len(),
        c.moved.len(),
        c.removed.len(),
        c.changed.len(),
        c.grown.len(),
        c.added.len()
    );
    for (sign, lines) in [
        (">", &c.renamed),
        ("=", &c.moved),
        ("-", &c.removed),
        ("*", &c.changed),
        ("~", &c.grown),
        ("+", &c.added),
    ] {
        for l in lines.iter().take(limit) {
            eprintln!("  {sign} {l}");
        }
        if lines.len() > limit {
            eprintln!("  {sign} … {} more (see `git diff generated/API.txt`)", lines.len() - limit);
        }
    }
}

/// `api-diff OLD NEW`: the report `regen` gives, between any two API listings (say, of
/// crates generated from two libvirt releases with `generate-into`).
fn api_diff(old: &Path, new: &Path) -> Result<(), String> {
    let read = |p: &Path| std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()));
    print_changes(&api::changes(&read(old)?, &read(new)?), usize::MAX);
    Ok(())
}

/// Generates a standalone copy of the crate from `schema_dir` into `out` (which is cleared),
/// depending on this workspace's runtime: the way to try another libvirt release.
fn generate_into(root: &Path, schema_dir: &Path, out: &Path) -> Result<(), String> {
    let files = generate_from(root, schema_dir, &hints::LIBVIRT)?;
    let _ = std::fs::remove_dir_all(out);
    let runtime = root.canonicalize().map_err(|e| e.to_string())?;
    for (path, text) in &files {
        let rel = path
            .strip_prefix(hints::LIBVIRT.out_dir)
            .map_or(path.as_str(), |p| p.trim_start_matches('/'));
        let text = if rel == "Cargo.toml" {
            // Standalone: the runtime by absolute path, a workspace of its own.
            text.replace("path = \"..\"", &format!("path = {:?}", runtime.display().to_string()))
                + "\n[workspace]\n"
        } else {
            text.clone()
        };
        write::ensure_file_contents(&out.join(rel), &text, false)?;
    }
    eprintln!("generated {} files into {}", files.len(), out.display());
    Ok(())
}

fn regen(root: &Path, check: bool) -> Result<(), String> {
    schemas::verify(&root.join("schemas"))?;
    let files = generate(root)?;
    if !check {
        // Before anything is written: compare with the API.txt on disk.
        report_api_changes(root, &files)?;
    }
    // Each crate's `src/` is written whole, so files no longer generated disappear.
    let mut src: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut problems = Vec::new();
    for (path, text) in &files {
        match path.split_once("/src/") {
            Some((krate, rel)) => {
                src.entry(krate.to_string()).or_default().insert(rel.to_string(), text.clone());
            }
            None => {
                if let Err(e) = write::ensure_file_contents(&root.join(path), text, check) {
                    problems.push(e);
                }
            }
        }
    }
    for (krate, files) in &src {
        problems.extend(write::write_dir(&root.join(krate).join("src"), files, check));
    }
    if problems.is_empty() {
        if !check {
            eprintln!("generated {} files", files.len());
        }
        Ok(())
    } else if check {
        Err(format!("{}\ngenerated/ is out of date: run `cargo xtask regen`", problems.join("\n")))
    } else {
        Err(problems.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The checked-in `generated/` is what the generator makes (CI also runs `regen --check`).
    #[test]
    fn generated_is_fresh_and_deterministic() {
        let root = workspace_root();
        let first = generate(&root).unwrap();
        let second = generate(&root).unwrap();
        assert!(first == second, "two generator runs differ");
        let mut stale = Vec::new();
        for (path, text) in &first {
            if write::ensure_file_contents(&root.join(path), text, true).is_err() {
                stale.push(path.clone());
            }
        }
        assert!(stale.is_empty(), "stale: {stale:?}; run `cargo xtask regen`");
        // Families stay apart: a network-only or storage-only build needs no domain types
        // (merging alike types across families once tied them together).
        let manifest = &first["generated/Cargo.toml"];
        for line in manifest.lines().filter(|l| {
            ["network =", "storagevol =", "basictypes =", "nodedev ="]
                .iter()
                .any(|f| l.starts_with(f))
        }) {
            assert!(!line.contains("\"domain\""), "{line}");
        }
        // The path index answers "which type is this element?".
        let index = &first["generated/PATHS.md"];
        for row in [
            "| `/domain/devices/disk` | `domain::Disk` |",
            "| `/domain/devices/disk/target` | `domain::DiskTarget` |",
            "| `/network/ip/dhcp/host` | `network::DhcpHost` |",
        ] {
            assert!(index.contains(row), "PATHS.md lacks {row}");
        }
    }
}
