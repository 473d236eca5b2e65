//! The generator's RelaxNG fixtures, end to end: each schema of `xtask/fixtures/schemas/`
//! is generated into the `rng-fixtures` crate (a snapshot that `cargo xtask regen --check`
//! keeps current), and each document of `xtask/fixtures/docs/<schema>/` goes through it:
//!
//! * `NAME.xml` is valid (xmllint agrees) and round-trips: the value read back equals the
//!   value read, the written XML is infoset-equal to the input and still valid;
//! * `lenient-NAME.xml` is not valid, but the crate reads it (unknown values, unknown
//!   content) and round-trips it the same way;
//! * `invalid-NAME.xml` is refused with an error.

mod common;

use std::path::{Path, PathBuf};

use rng_fixtures::{Document, ReadOptions};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("xtask/fixtures")
}

fn xmllint_valid(schema: &Path, doc: &Path) -> bool {
    let out = std::process::Command::new("xmllint")
        .args(["--noout", "--relaxng"])
        .arg(schema)
        .arg(doc)
        .output()
        .expect("xmllint not found: install libxml2-utils (.ci/run does)");
    out.status.success()
}

#[test]
fn fixture_documents() {
    let mut counts = [0usize; 3];
    let mut failures = Vec::new();
    let mut dirs: Vec<PathBuf> =
        std::fs::read_dir(fixtures().join("docs")).unwrap().map(|e| e.unwrap().path()).collect();
    dirs.sort();
    for dir in dirs {
        let schema =
            fixtures().join("schemas").join(dir.file_name().unwrap()).with_extension("rng");
        assert!(schema.exists(), "{} has no schema", dir.display());
        let mut docs: Vec<PathBuf> =
            std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        docs.sort();
        for doc in docs {
            let name = doc.file_name().unwrap().to_string_lossy().into_owned();
            let shown = format!("{}/{name}", dir.file_name().unwrap().to_string_lossy());
            let xml = std::fs::read_to_string(&doc).unwrap();
            let kind = if name.starts_with("invalid-") {
                2
            } else if name.starts_with("lenient-") {
                1
            } else {
                0
            };
            counts[kind] += 1;
            if (kind == 0) != xmllint_valid(&schema, &doc) {
                failures.push(format!("{shown}: xmllint disagrees with the file's name"));
            }
            // Validation agrees with xmllint.
            if Document::validate_xml(&xml).is_ok() != (kind == 0) {
                failures.push(format!("{shown}: validate_xml disagrees with xmllint"));
            }
            // An invalid document is refused when reading strictly; leniently it loads
            // with diagnostics (unless it is no document of the schema at all).
            let strict = Document::from_xml_with(&xml, ReadOptions::default().strict(true));
            if kind == 2 && strict.is_ok() {
                failures.push(format!("{shown}: read strictly, but should be refused"));
                continue;
            }
            let value =
                match (Document::from_xml_with_diagnostics(&xml, ReadOptions::default()), kind) {
                    (Err(_), 2) => continue,
                    (Ok((_, diagnostics)), 2) if diagnostics.is_empty() => {
                        failures.push(format!("{shown}: read leniently without diagnostics"));
                        continue;
                    }
                    (Ok((_, diagnostics)), _) if kind != 2 && !diagnostics.is_empty() => {
                        failures.push(format!("{shown}: diagnostics {diagnostics:?}"));
                        continue;
                    }
                    (Err(e), _) => {
                        failures.push(format!("{shown}: {e}"));
                        continue;
                    }
                    (Ok((v, _)), _) => v,
                };
            let written = match value.to_xml() {
                Ok(w) => w,
                Err(e) => {
                    failures.push(format!("{shown}: cannot write: {e}"));
                    continue;
                }
            };
            if let Err(d) = common::infoset_diff(&xml, &written) {
                failures.push(format!("{shown}: infoset differs: {d}\n{written}"));
            }
            if let Err(d) = common::ordered_diff(&xml, &written) {
                failures.push(format!("{shown}: order differs: {d}\n{written}"));
            }
            match Document::from_xml(&written) {
                Ok(again) if again == value => {}
                Ok(_) => failures.push(format!("{shown}: the value read back differs")),
                Err(e) => failures.push(format!("{shown}: output does not parse: {e}")),
            }
            if kind == 0 {
                let out =
                    std::env::temp_dir().join(format!("fixture-{}-{name}", std::process::id()));
                std::fs::write(&out, &written).unwrap();
                if !xmllint_valid(&schema, &out) {
                    failures.push(format!("{shown}: written XML is not valid:\n{written}"));
                }
                let _ = std::fs::remove_file(out);
            }
        }
    }
    println!(
        "fixture documents: {} valid, {} lenient, {} invalid",
        counts[0], counts[1], counts[2]
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(counts.iter().all(|&c| c > 0), "{counts:?}");
}

/// Optional single elements of other namespaces (two or more) are one struct's fields, in
/// place there; a repeated one stays a list of the element.
#[test]
fn extensions_are_held_in_one_struct() {
    use rng_fixtures::children::{BagOtherHook, Children};
    let xml = std::fs::read_to_string(fixtures().join("docs/children/extensions.xml")).unwrap();
    let doc = Children::from_xml(&xml).unwrap();
    let bag = doc.bag.as_ref().unwrap();
    let ext = bag.extensions.as_ref().expect("the bag's extensions");
    assert_eq!(ext.tool_option.as_ref().unwrap().value, "fast");
    let hook: &BagOtherHook = ext.other_hook.as_ref().unwrap();
    assert_eq!(hook.run, "/bin/true");
    assert_eq!(bag.tool_flags.len(), 2);
    // Without any, nothing is held for them.
    let xml = std::fs::read_to_string(fixtures().join("docs/children/full.xml")).unwrap();
    let mut doc = Children::from_xml(&xml).unwrap();
    let bag = doc.bag.as_mut().unwrap();
    assert!(bag.extensions.is_none());
    // An empty one writes nothing.
    bag.extensions = Some(Default::default());
    let out = doc.to_xml().unwrap();
    assert_eq!(Children::from_xml(&out).unwrap(), Children::from_xml(&xml).unwrap());
}

/// `<list>` is a typed sequence: the items parsed, the spacing kept while the list is
/// unchanged, single spaces once the program changes it.
#[test]
fn lists_are_typed_sequences() {
    use rng_fixtures::lists::{Lists, ListsFlagsValue};
    let xml = std::fs::read_to_string(fixtures().join("docs/lists/full.xml")).unwrap();
    let mut doc = Lists::from_xml(&xml).unwrap();
    assert_eq!(doc.ports, Some(vec![80, 443, 8080]));
    let flags = &doc.flags.as_ref().unwrap().value;
    assert_eq!(flags, &[ListsFlagsValue::Read, ListsFlagsValue::Write]);
    assert_eq!(doc.points[1].value, [-3, 4]);
    assert!(doc.to_xml().unwrap().contains("ports='80  443"));
    doc.ports.as_mut().unwrap().push(9090);
    doc.points[1].value[0] = 3;
    let out = doc.to_xml().unwrap();
    assert!(out.contains("ports='80 443 8080 9090'"), "{out}");
    assert!(out.contains("<point>3 4</point>"), "{out}");
    // An item the schema does not list is kept with the list as read; one a program adds
    // has no text to write, which is an error rather than an empty token.
    let odd = xml.replace(">read write<", ">read fly<");
    assert_ne!(odd, xml, "the fixture's flags changed");
    let mut doc = Lists::from_xml(&odd).unwrap();
    assert_eq!(doc.flags.as_ref().unwrap().value[1], ListsFlagsValue::Other);
    assert!(doc.to_xml().unwrap().contains(">read fly<"));
    doc.flags.as_mut().unwrap().value.push(ListsFlagsValue::Other);
    let err = doc.to_xml().unwrap_err().to_string();
    assert!(err.contains("`Other` with no text"), "{err}");
}

/// A sum type's case larger than six words is held in a `Box`: the enum is as large as
/// its small cases, and a program builds the large one with `Box::new`.
#[test]
fn large_cases_are_boxed() {
    use rng_fixtures::shapes::{Shape, ShapePolygon, ShapeRect, ShapeType};
    use rng_fixtures::Element;
    assert!(std::mem::size_of::<ShapeType>() <= 32, "{}", std::mem::size_of::<ShapeType>());
    assert!(std::mem::size_of::<ShapePolygon>() > 48);
    let polygon =
        ShapePolygon { points: "0,0 1,1".into(), fill: "red".into(), ..Default::default() };
    let shape = Shape { r#type: ShapeType::Polygon(Box::new(polygon)), ..Default::default() };
    let out = shape.to_xml().unwrap();
    assert_eq!(out, "<shape type='polygon' points='0,0 1,1' fill='red' stroke=''/>\n");
    assert_eq!(Shape::from_xml(&out).unwrap(), shape);
    let rect = Shape {
        r#type: ShapeType::Rect(ShapeRect { width: 3, ..Default::default() }),
        ..Default::default()
    };
    assert!(rect.to_xml().unwrap().contains("width='3'"));
}

/// A type on a cycle of the schema through a list (`<tree>` holds `<tree>`s, never
/// boxed) checks for stack room itself: as deep as the reader allows, on a small thread.
#[test]
fn recursion_through_a_list_fits_a_small_stack() {
    use rng_fixtures::shapes::Shapes;
    let depth = 255;
    let xml =
        format!("<shapes>{}{}</shapes>", "<tree name='t'>".repeat(depth), "</tree>".repeat(depth));
    let run = move || {
        let shapes = Shapes::from_xml(&xml).unwrap();
        let out = shapes.to_xml().unwrap();
        let mut levels = 0;
        let mut tree = shapes.tree.as_deref();
        while let Some(t) = tree {
            levels += 1;
            tree = t.trees.first();
        }
        (levels, out.matches("<tree ").count())
    };
    let joined = std::thread::Builder::new().stack_size(128 << 10).spawn(run).unwrap().join();
    assert_eq!(joined.expect("no stack overflow"), (depth, depth));
}

/// A document embedded whole in another is its own document's type: the snapshot's
/// `<machine>` is `machine::Machine` or the older form, told apart by `kind`.
#[test]
fn an_embedded_document_keeps_its_own_type() {
    use rng_fixtures::embedded::{Snapshot, SnapshotMachine};
    use rng_fixtures::machine::Machine;
    let read = |name: &str| std::fs::read_to_string(fixtures().join("docs").join(name)).unwrap();
    let snapshot = Snapshot::from_xml(&read("embedded/full.xml")).unwrap();
    let embedded: &Machine = match snapshot.machine.as_deref() {
        Some(SnapshotMachine::Machine(m)) => m,
        other => panic!("not the machine document: {other:?}"),
    };
    assert_eq!(embedded.name.value, "vm1");
    // The same type as the machine document's root: it moves between the two as is.
    let mut standalone = Machine::from_xml(&read("machine/full.xml")).unwrap();
    standalone.name = embedded.name.clone();
    let mut snapshot = snapshot.clone();
    snapshot.machine = Some(Box::new(SnapshotMachine::Machine(Box::new(standalone))));
    let out = snapshot.to_xml().unwrap();
    assert!(out.contains("<machine kind='physical'>"), "{out}");
    assert!(out.contains("<name>vm1</name>"), "{out}");

    let older = Snapshot::from_xml(&read("embedded/older-form.xml")).unwrap();
    match older.machine.as_deref() {
        Some(SnapshotMachine::MachineMachine(m)) => assert_eq!(m.id.value, 7),
        other => panic!("not the older form: {other:?}"),
    }
}

/// Mixed content keeps each piece of text in its place among the child elements, and a
/// piece a program adds is written after the last one.
#[test]
fn mixed_content_keeps_text_in_place() {
    use rng_fixtures::mixed::Doc;
    let xml = std::fs::read_to_string(fixtures().join("docs/mixed/full.xml")).unwrap();
    let mut doc = Doc::from_xml(&xml).unwrap();
    let para = &doc.paras[0];
    assert_eq!(para.text, ["Plain ", " and ", ", then ", "."]);
    assert_eq!(para.bs.len(), 2);
    assert_eq!(para.links[0].value, "a link");
    // A comment splits a piece; an entity does not.
    assert_eq!(doc.paras[2].text, [" with markup", " and ends with text & an entity"]);
    // Blank text of mixed content is text, not layout.
    assert_eq!(doc.paras[3].text, ["  "]);
    let out = doc.to_xml().unwrap();
    assert!(
        out.contains("<para id='p1'>Plain <b>bold</b> and <link href='https://libvirt.org'>a link</link>, then <b>more</b>.</para>"),
        "{out}"
    );
    doc.paras[1].text.push(" More.".into());
    let out = doc.to_xml().unwrap();
    assert!(out.contains("<para>No markup at all. More.</para>"), "{out}");
}

/// A choice between single elements is one field, an enum of them: the schema allows at
/// most one, so the type does too. A second member in a document (invalid) is kept as
/// unknown content, in its place, and written back, as a repeated single child is.
#[test]
fn a_choice_between_elements_is_one_field() {
    use rng_fixtures::children::{Children, ChildrenCircle, ChildrenCircleOrSquareOrDot};
    let xml = std::fs::read_to_string(fixtures().join("docs/children/full.xml")).unwrap();
    let mut doc = Children::from_xml(&xml).unwrap();
    match &doc.circle_or_square_or_dot {
        Some(ChildrenCircleOrSquareOrDot::Square(s)) => assert_eq!(s.side, 4),
        other => panic!("{other:?}"),
    }
    // A repeated choice stays one list per element, in document order.
    assert_eq!((doc.reds.len(), doc.blues.len()), (2, 1));
    assert!(doc.to_xml().unwrap().contains("<square side='4'/>\n  <red/>\n  <blue/>\n  <red/>"));
    let held = doc.circle_or_square_or_dot.as_mut().unwrap();
    assert_eq!(held.name(), "square");
    assert!(held.as_circle().is_none());
    held.as_square_mut().unwrap().side = 5;
    assert!(doc.to_xml().unwrap().contains("<square side='5'/>"));
    doc.circle_or_square_or_dot =
        Some(Box::new(ChildrenCircle { r: 7, ..Default::default() }).into());
    let out = doc.to_xml().unwrap();
    assert!(out.contains("<circle r='7'/>") && !out.contains("<square"), "{out}");
    let again = Children::from_xml(&out).unwrap();
    assert_eq!(again.circle_or_square_or_dot, doc.circle_or_square_or_dot);

    let two = std::fs::read_to_string(fixtures().join("docs/children/lenient-two-of-a-choice.xml"))
        .unwrap();
    let doc = Children::from_xml(&two).unwrap();
    assert!(matches!(doc.circle_or_square_or_dot, Some(ChildrenCircleOrSquareOrDot::Circle(_))));
    let out = doc.to_xml().unwrap();
    // The second member is raw content, written as it was read.
    assert!(out.contains("<circle r='1'/>\n  <square side=\"4\"/>"), "{out}");
}
