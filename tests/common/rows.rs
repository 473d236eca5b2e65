//! The corpus listing, `tests/corpus.tsv`: one row per document of libvirt's test suite
//! with its schema and xmllint's verdict.

use std::path::PathBuf;

pub struct Row {
    pub path: String,
    pub schema: String,
    /// xmllint's verdict: `valid`, `invalid` or `unparsable`.
    pub status: String,
}

pub fn rows() -> Vec<Row> {
    let tsv = std::fs::read_to_string(root().join("tests/corpus.tsv")).expect("tests/corpus.tsv");
    let rows: Vec<Row> = tsv
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Row { path: f[0].to_string(), schema: f[1].to_string(), status: f[2].to_string() }
        })
        .collect();
    assert!(rows.len() > 3000, "corpus.tsv lists only {} files", rows.len());
    rows
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The text of a row's document (not UTF-8 bytes replaced, as the corpus is UTF-8).
pub fn read(row: &Row) -> std::io::Result<String> {
    let b = std::fs::read(root().join("tests/corpus").join(&row.path))?;
    Ok(String::from_utf8_lossy(&b).into_owned())
}
