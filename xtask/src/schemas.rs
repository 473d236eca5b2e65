//! The vendored schemas: `cargo xtask sync-schemas` copies them from a libvirt tree and
//! writes `schemas/MANIFEST.tsv`; `verify` checks every file against it.
//!
//! Public schemas (`src/conf/schemas/*.rng` upstream) are copied byte for byte. libvirt's
//! test schemas (`tests/schemas/*.rng.in`) are configured the way libvirt's build does it,
//! with `@SCHEMADIR@` set to `..` (they land in `schemas/test/`).

use std::fmt::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

pub const MANIFEST: &str = "MANIFEST.tsv";
const TEST_SCHEMAS: &[&str] = &["device.rng", "cpu-baseline.rng", "privatedata.rng"];

fn sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// `sync-schemas <tree> [--version V] [--tarball-sha256 HEX]`.
pub fn sync(root: &Path, args: &[String]) -> Result<(), String> {
    let mut tree = None;
    let mut version = None;
    let mut tarball = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--version" => version = it.next().cloned(),
            "--tarball-sha256" => tarball = it.next().cloned(),
            other => tree = Some(PathBuf::from(other)),
        }
    }
    let tree = tree.ok_or("sync-schemas: give the libvirt source tree")?;
    // A libvirt source tree, or an unpacked folder with schemas/ and test-schemas/.
    let (public_dir, test_dir, test_suffix) = if tree.join("src/conf/schemas").is_dir() {
        (tree.join("src/conf/schemas"), tree.join("tests/schemas"), ".rng.in")
    } else if tree.join("schemas").is_dir() {
        (tree.join("schemas"), tree.join("test-schemas"), ".rng")
    } else {
        return Err(format!("{}: no src/conf/schemas or schemas folder", tree.display()));
    };
    let version = match version.or_else(|| detect_version(&tree)) {
        Some(v) => v,
        None => return Err("sync-schemas: cannot tell the libvirt version; pass --version".into()),
    };
    let out = root.join("schemas");
    // Clear old files so schemas removed upstream disappear.
    for dir in [out.clone(), out.join("test")] {
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for e in entries.flatten() {
                if e.file_name().to_string_lossy().ends_with(".rng") {
                    std::fs::remove_file(e.path()).map_err(|err| err.to_string())?;
                }
            }
        }
    }
    std::fs::create_dir_all(out.join("test")).map_err(|e| e.to_string())?;
    let mut names: Vec<String> = std::fs::read_dir(&public_dir)
        .map_err(|e| format!("{}: {e}", public_dir.display()))?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".rng"))
        .collect();
    names.sort();
    for n in &names {
        std::fs::copy(public_dir.join(n), out.join(n)).map_err(|e| format!("{n}: {e}"))?;
    }
    for n in TEST_SCHEMAS {
        let src = test_dir.join(n.replace(".rng", test_suffix));
        let Ok(text) = std::fs::read_to_string(&src) else {
            eprintln!("note: {} not found; skipped", src.display());
            continue;
        };
        let text = text.replace("@SCHEMADIR@", "..").replace("\"../schemas/", "\"../");
        std::fs::write(out.join("test").join(n), text).map_err(|e| e.to_string())?;
    }
    for lic in ["COPYING.LESSER", "COPYING.LIB"] {
        if tree.join(lic).exists() {
            std::fs::copy(tree.join(lic), out.join("COPYING.LESSER")).map_err(|e| e.to_string())?;
            break;
        }
    }
    let manifest = render_manifest(&out, &version, tarball.as_deref())?;
    std::fs::write(out.join(MANIFEST), manifest).map_err(|e| e.to_string())?;
    eprintln!("schemas/ now holds libvirt {version}; run `cargo xtask regen`");
    Ok(())
}

fn detect_version(tree: &Path) -> Option<String> {
    let meson = std::fs::read_to_string(tree.join("meson.build")).ok()?;
    let line = meson.lines().find(|l| l.trim_start().starts_with("version:"))?;
    Some(line.split('\'').nth(1)?.to_string())
}

/// Every vendored `.rng`, relative to `schemas/`, sorted.
fn vendored(dir: &Path) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for (sub, prefix) in [(dir.to_path_buf(), ""), (dir.join("test"), "test/")] {
        let Ok(entries) = std::fs::read_dir(&sub) else {
            continue;
        };
        for e in entries.flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            if n.ends_with(".rng") {
                out.push(format!("{prefix}{n}"));
            }
        }
    }
    out.sort();
    if out.is_empty() {
        return Err(format!("{}: no schemas", dir.display()));
    }
    Ok(out)
}

fn render_manifest(dir: &Path, version: &str, tarball: Option<&str>) -> Result<String, String> {
    let mut m = String::new();
    m.push_str("# libvirt schemas vendored by `cargo xtask sync-schemas`; checked by `cargo xtask verify-schemas`.\n");
    m.push_str(
        "# test/*.rng are libvirt's tests/schemas/*.rng.in configured with @SCHEMADIR@ = `..`.\n",
    );
    let _ = writeln!(m, "version\t{version}");
    let _ = writeln!(m, "tarball\tlibvirt-{version}.tar.xz\t{}", tarball.unwrap_or("unknown"));
    for f in vendored(dir)? {
        let bytes = std::fs::read(dir.join(&f)).map_err(|e| format!("{f}: {e}"))?;
        let _ = writeln!(m, "file\t{f}\t{}", sha256(&bytes));
    }
    Ok(m)
}

/// Checks `schemas/` against its manifest: same files, same hashes.
pub fn verify(dir: &Path) -> Result<(), String> {
    let manifest = std::fs::read_to_string(dir.join(MANIFEST)).map_err(|e| {
        format!("{}: {e} (run `cargo xtask sync-schemas`)", dir.join(MANIFEST).display())
    })?;
    let mut listed = Vec::new();
    let mut problems = Vec::new();
    for line in manifest.lines().filter(|l| l.starts_with("file\t")) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != 3 {
            problems.push(format!("bad manifest line: {line}"));
            continue;
        }
        listed.push(f[1].to_string());
        match std::fs::read(dir.join(f[1])) {
            Ok(bytes) if sha256(&bytes) == f[2] => {}
            Ok(_) => problems.push(format!("schemas/{} differs from the manifest", f[1])),
            Err(e) => problems.push(format!("schemas/{}: {e}", f[1])),
        }
    }
    for f in vendored(dir)? {
        if !listed.contains(&f) {
            problems.push(format!("schemas/{f} is not in the manifest"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schemas() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas")
    }

    #[test]
    fn vendored_schemas_match_manifest() {
        verify(&schemas()).unwrap();
    }

    #[test]
    fn a_changed_schema_is_reported() {
        let tmp = std::env::temp_dir().join(format!("libvirt-xml-verify-{}", std::process::id()));
        std::fs::create_dir_all(tmp.join("test")).unwrap();
        for f in vendored(&schemas()).unwrap() {
            std::fs::copy(schemas().join(&f), tmp.join(&f)).unwrap();
        }
        std::fs::copy(schemas().join(MANIFEST), tmp.join(MANIFEST)).unwrap();
        verify(&tmp).unwrap();
        let mut text = std::fs::read_to_string(tmp.join("secret.rng")).unwrap();
        text.push('\n');
        std::fs::write(tmp.join("secret.rng"), text).unwrap();
        let err = verify(&tmp).unwrap_err();
        assert!(err.contains("secret.rng differs"), "{err}");
        std::fs::remove_dir_all(&tmp).unwrap();
    }

    /// `sync-schemas` on a libvirt source tree (schemas in `src/conf/schemas`, test
    /// schemas as `tests/schemas/*.rng.in` with `@SCHEMADIR@`) reproduces `schemas/`
    /// byte for byte, manifest included.
    #[test]
    fn sync_from_a_libvirt_source_tree_reproduces_schemas() {
        let tmp = std::env::temp_dir().join(format!("libvirt-xml-sync-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        let tree = tmp.join("libvirt-11.3.0");
        std::fs::create_dir_all(tree.join("src/conf/schemas")).unwrap();
        std::fs::create_dir_all(tree.join("tests/schemas")).unwrap();
        for f in vendored(&schemas()).unwrap() {
            let text = std::fs::read_to_string(schemas().join(&f)).unwrap();
            match f.strip_prefix("test/") {
                // Undo the configuration libvirt's build (and sync) applies.
                Some(name) => std::fs::write(
                    tree.join("tests/schemas").join(format!("{name}.in")),
                    text.replace("href=\"../", "href=\"@SCHEMADIR@/"),
                )
                .unwrap(),
                None => std::fs::write(tree.join("src/conf/schemas").join(&f), text).unwrap(),
            }
        }
        std::fs::copy(schemas().join("COPYING.LESSER"), tree.join("COPYING.LESSER")).unwrap();
        std::fs::write(
            tree.join("meson.build"),
            "project(\n  'libvirt', 'c',\n  version: '11.3.0',\n)\n",
        )
        .unwrap();
        let root = tmp.join("checkout");
        std::fs::create_dir_all(&root).unwrap();
        let manifest = std::fs::read_to_string(schemas().join(MANIFEST)).unwrap();
        let tarball = manifest
            .lines()
            .find(|l| l.starts_with("tarball\t"))
            .unwrap()
            .split('\t')
            .nth(2)
            .unwrap();
        sync(&root, &[tree.display().to_string(), "--tarball-sha256".into(), tarball.into()])
            .unwrap();
        for f in vendored(&schemas())
            .unwrap()
            .into_iter()
            .chain([MANIFEST.to_string(), "COPYING.LESSER".into()])
        {
            let want = std::fs::read(schemas().join(&f)).unwrap();
            let got = std::fs::read(root.join("schemas").join(&f)).unwrap_or_default();
            assert!(want == got, "{f} differs after sync-schemas");
        }
        verify(&root.join("schemas")).unwrap();
        std::fs::remove_dir_all(&tmp).unwrap();
    }
}
