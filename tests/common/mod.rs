//! Helpers shared by the integration tests.

use std::collections::BTreeMap;

/// Compares two documents by infoset: elements by namespace and local name, attributes as
/// a map with exact values, whitespace-only text ignored and other text trimmed, children
/// of the same name in order (children of different names may be reordered).
/// Returns the first difference, with its element path.
pub fn infoset_diff(a: &str, b: &str) -> Result<(), String> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let da = roxmltree::Document::parse_with_options(a, opts).map_err(|e| format!("input: {e}"))?;
    let db = roxmltree::Document::parse_with_options(b, opts)
        .map_err(|e| format!("output does not parse: {e}"))?;
    element_diff(da.root_element(), db.root_element(), &mut String::new())
}

fn key(n: roxmltree::Node) -> (String, String) {
    (
        n.tag_name().namespace().unwrap_or("").to_string(),
        n.tag_name().name().to_string(),
    )
}

fn element_diff(a: roxmltree::Node, b: roxmltree::Node, path: &mut String) -> Result<(), String> {
    let len = path.len();
    path.push('/');
    path.push_str(a.tag_name().name());
    if key(a) != key(b) {
        return Err(format!("{path}: element {:?} became {:?}", key(a), key(b)));
    }
    let attrs = |n: roxmltree::Node| -> BTreeMap<(String, String), String> {
        n.attributes()
            .map(|x| {
                (
                    (
                        x.namespace().unwrap_or("").to_string(),
                        x.name().to_string(),
                    ),
                    x.value().to_string(),
                )
            })
            .collect()
    };
    let (aa, ab) = (attrs(a), attrs(b));
    if aa != ab {
        return Err(format!("{path}: attributes {aa:?} became {ab:?}"));
    }
    let texts = |n: roxmltree::Node| -> Vec<String> {
        n.children()
            .filter(|c| c.is_text())
            .filter_map(|c| c.text())
            .filter(|t| !t.trim().is_empty())
            .map(|t| t.trim().to_string())
            .collect()
    };
    let (ta, tb) = (texts(a), texts(b));
    if ta != tb {
        return Err(format!("{path}: text {ta:?} became {tb:?}"));
    }
    let (ga, gb) = (groups(a), groups(b));
    let names_a: Vec<_> = ga.keys().collect();
    let names_b: Vec<_> = gb.keys().collect();
    if names_a != names_b {
        return Err(format!(
            "{path}: child names {names_a:?} became {names_b:?}"
        ));
    }
    for (k, ca) in &ga {
        let cb = &gb[k];
        if ca.len() != cb.len() {
            return Err(format!(
                "{path}: {} <{}> children became {}",
                ca.len(),
                k.1,
                cb.len()
            ));
        }
        for (x, y) in ca.iter().zip(cb) {
            element_diff(*x, *y, path)?;
        }
    }
    path.truncate(len);
    Ok(())
}

fn groups<'a, 'i>(
    n: roxmltree::Node<'a, 'i>,
) -> BTreeMap<(String, String), Vec<roxmltree::Node<'a, 'i>>> {
    let mut g: BTreeMap<(String, String), Vec<roxmltree::Node<'a, 'i>>> = BTreeMap::new();
    for c in n.children().filter(|c| c.is_element()) {
        g.entry(key(c)).or_default().push(c);
    }
    g
}
