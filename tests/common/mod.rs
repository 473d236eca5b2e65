//! Helpers shared by the integration tests.

use std::collections::BTreeMap;

/// Compares two documents by infoset: elements by namespace and local name, attributes as
/// a map with exact values, whitespace-only text ignored and other text trimmed, children
/// of the same name in order (children of different names may be reordered).
/// Returns the first difference, with its element path.
pub fn infoset_diff(a: &str, b: &str) -> Result<(), String> {
    let opts = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    let da = roxmltree::Document::parse_with_options(a, opts).map_err(|e| format!("input: {e}"))?;
    let db = roxmltree::Document::parse_with_options(b, opts)
        .map_err(|e| format!("output does not parse: {e}"))?;
    element_diff(da.root_element(), db.root_element(), &mut String::new())
}

fn key(n: roxmltree::Node) -> (String, String) {
    (n.tag_name().namespace().unwrap_or("").to_string(), n.tag_name().name().to_string())
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
                    (x.namespace().unwrap_or("").to_string(), x.name().to_string()),
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
        return Err(format!("{path}: child names {names_a:?} became {names_b:?}"));
    }
    for (k, ca) in &ga {
        let cb = &gb[k];
        if ca.len() != cb.len() {
            return Err(format!("{path}: {} <{}> children became {}", ca.len(), k.1, cb.len()));
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

/// Compares two documents in document order: elements by namespace and local name,
/// attributes as a map with exact values, and the children of each element as one
/// sequence of elements, comments, processing instructions and text (blank text is
/// layout and ignored, other text trimmed). Returns the first difference, with its path.
pub fn ordered_diff(a: &str, b: &str) -> Result<(), String> {
    let opts = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    let da = roxmltree::Document::parse_with_options(a, opts).map_err(|e| format!("input: {e}"))?;
    let db = roxmltree::Document::parse_with_options(b, opts)
        .map_err(|e| format!("output does not parse: {e}"))?;
    ordered_element_diff(da.root_element(), db.root_element(), &mut String::new())
}

/// One child as the ordered comparison sees it.
#[derive(Debug, PartialEq)]
enum Item {
    Element(String, String),
    Text(String),
    Comment(String),
    Pi(String, String),
}

fn items<'a, 'i>(n: roxmltree::Node<'a, 'i>) -> Vec<(Item, Option<roxmltree::Node<'a, 'i>>)> {
    let mut v = Vec::new();
    for c in n.children() {
        let item = match c.node_type() {
            roxmltree::NodeType::Element => {
                let (ns, name) = key(c);
                v.push((Item::Element(ns, name), Some(c)));
                continue;
            }
            roxmltree::NodeType::Text => {
                let t = c.text().unwrap_or("");
                if t.trim().is_empty() {
                    continue;
                }
                Item::Text(t.trim().to_string())
            }
            roxmltree::NodeType::Comment => Item::Comment(c.text().unwrap_or("").to_string()),
            roxmltree::NodeType::PI => {
                let pi = c.pi().unwrap();
                Item::Pi(pi.target.to_string(), pi.value.unwrap_or("").to_string())
            }
            roxmltree::NodeType::Root => continue,
        };
        // Text split by a CDATA section reads back as one text node.
        if let (Item::Text(t), Some((Item::Text(prev), None))) = (&item, v.last_mut()) {
            prev.push_str(t);
            continue;
        }
        v.push((item, None));
    }
    v
}

fn ordered_element_diff(
    a: roxmltree::Node,
    b: roxmltree::Node,
    path: &mut String,
) -> Result<(), String> {
    let len = path.len();
    path.push('/');
    path.push_str(a.tag_name().name());
    if key(a) != key(b) {
        return Err(format!("{path}: element {:?} became {:?}", key(a), key(b)));
    }
    let attrs = |n: roxmltree::Node| -> BTreeMap<(String, String), String> {
        n.attributes()
            .map(|x| {
                let k = (x.namespace().unwrap_or("").to_string(), x.name().to_string());
                (k, x.value().to_string())
            })
            .collect()
    };
    if attrs(a) != attrs(b) {
        return Err(format!("{path}: attributes {:?} became {:?}", attrs(a), attrs(b)));
    }
    let (ia, ib) = (items(a), items(b));
    let seq = |v: &[(Item, Option<roxmltree::Node>)]| {
        v.iter().map(|x| format!("{:?}", x.0)).collect::<Vec<_>>()
    };
    if ia.len() != ib.len() || ia.iter().zip(&ib).any(|(x, y)| x.0 != y.0) {
        return Err(format!("{path}: children {:?} became {:?}", seq(&ia), seq(&ib)));
    }
    for (x, y) in ia.iter().zip(&ib) {
        if let (Some(ca), Some(cb)) = (x.1, y.1) {
            ordered_element_diff(ca, cb, path)?;
        }
    }
    path.truncate(len);
    Ok(())
}
