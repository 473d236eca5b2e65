//! Hostile input and hostile values: linear cost, limits a caller sets, well-formedness
//! as XML 1.0 and Namespaces in XML define it, a writer that cannot emit broken XML, and
//! error reports that say where. (Costs are shown by `cargo bench --bench scaling`; no
//! test here asserts a time.)

use libvirt_xml::domain::Domain;
use libvirt_xml::{Document, ErrorKind, RawAttribute, RawElement, RawNode, RawXml, ReadOptions};

fn syntax_error(xml: &str) -> libvirt_xml::Error {
    match Document::from_xml(xml) {
        Err(e) if matches!(e.kind(), ErrorKind::Xml(_)) => e,
        other => panic!("{xml:?}: expected a syntax error, got {other:?}"),
    }
}

fn domain_with(inner: &str) -> String {
    format!("<domain type='kvm'><name>x</name>{inner}</domain>")
}

#[test]
fn many_attributes_are_checked_in_linear_time_within_a_limit() {
    let attrs: String = (0..100_000).map(|i| format!(" a{i}='{i}'")).collect();
    let xml = format!("<domain type='kvm'{attrs}><name>x</name></domain>");
    // The default limit refuses the element, naming it.
    let e = Domain::from_xml(&xml).unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::LimitExceeded { limit: "attributes", max: 1000 });
    assert_eq!(e.path(), "/domain");
    // Raised, the 100,000 unknown attributes are read (hashed uniqueness check) and kept.
    let opts = ReadOptions::default().max_attributes(200_000);
    let d = Domain::from_xml_with(&xml, opts).unwrap();
    assert_eq!(d.preserved.attributes().len(), 100_000);
    // A duplicate among many is still found, and reported at the duplicate.
    let dup = format!("<domain type='kvm'{attrs} a77='again'><name>x</name></domain>");
    let e = Domain::from_xml_with(&dup, opts).unwrap_err();
    assert!(e.to_string().contains("duplicate attribute `a77`"), "{e}");
    assert_eq!(e.path(), "/domain");
    // Two prefixes bound to one namespace make one name too.
    let attrs: String = (0..20).map(|i| format!(" p:b{i}='{i}'")).collect();
    let xml = format!("<domain type='kvm' xmlns:p='urn:x' xmlns:q='urn:x'{attrs} q:b7='1'/>");
    let e = syntax_error(&xml);
    assert!(e.to_string().contains("duplicate attribute `b7`"), "{e}");
}

#[test]
fn many_namespace_declarations_resolve_by_scope() {
    // 32k declarations on the root; prefixes used deep inside, one of them shadowed.
    let decls: String = (0..32_000).map(|i| format!(" xmlns:p{i}='urn:{i}'")).collect();
    let xml = format!(
        "<domain type='kvm'{decls}><name>x</name><metadata>\
         <p0:a xmlns:p1='urn:shadow'><p1:b p31999:c='v'/></p0:a><p1:d/></metadata></domain>"
    );
    let opts = ReadOptions::default().max_attributes(40_000);
    let d = Domain::from_xml_with(&xml, opts).unwrap();
    let meta = d.metadata.as_ref().unwrap();
    // Each element's text declares the prefixes bound outside it that it uses.
    assert_eq!(
        meta.elements[0].as_str(),
        "<p0:a xmlns:p0=\"urn:0\" xmlns:p31999=\"urn:31999\" xmlns:p1='urn:shadow'>\
         <p1:b p31999:c='v'/></p0:a>"
    );
    let a = meta.elements[0].to_element().unwrap();
    assert_eq!(a.namespace.as_deref(), Some("urn:0"));
    let RawNode::Element(b) = &a.children[0] else { panic!() };
    assert_eq!(b.namespace.as_deref(), Some("urn:shadow"));
    assert_eq!(b.attributes[0].namespace.as_deref(), Some("urn:31999"));
    // Out of the inner scope, `p1` is `urn:1` again.
    let dd = &meta.elements[1];
    assert_eq!(dd.as_str(), "<p1:d xmlns:p1=\"urn:1\"/>");
    assert_eq!(dd.namespace().as_deref(), Some("urn:1"));
}

#[test]
fn element_count_and_size_are_bounded() {
    let many: String = "<a/>".repeat(2_000);
    let xml = domain_with(&format!("<metadata>{many}</metadata>"));
    let e = Domain::from_xml_with(&xml, ReadOptions::default().max_elements(1_000)).unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::LimitExceeded { limit: "elements", max: 1000 });
    assert!(e.path().starts_with("/domain/metadata/a["), "{e}");
    assert!(Domain::from_xml(&xml).is_ok());
    let e = Domain::from_xml_with(&xml, ReadOptions::default().max_bytes(100)).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::LimitExceeded { limit: "bytes", .. }), "{e}");
    let e = Domain::from_xml_with(&xml, ReadOptions::default().max_depth(2)).unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::TooDeep(2));
}

#[test]
fn error_at_the_end_of_a_large_document_has_its_path_and_a_short_excerpt() {
    let disks: String = (0..20_000)
        .map(|i| {
            format!("<disk type='file'><source file='/img/{i}'/><target dev='vd{i}'/></disk>\n")
        })
        .collect();
    let big = "9".repeat(1 << 20);
    let xml = domain_with(&format!(
        "<devices>{disks}<disk type='file'><target dev='x'/><address type='pci' bus='{big}x'/></disk></devices>"
    ));
    let e = Domain::from_xml_with(&xml, ReadOptions::default().strict(true)).unwrap_err();
    assert_eq!(e.path(), "/domain/devices/disk[20001]/address");
    assert_eq!(e.line(), 20_001);
    match e.kind() {
        ErrorKind::InvalidValue { value, .. } => {
            assert!(value.chars().count() <= 65 && value.ends_with('…'), "{value}")
        }
        other => panic!("{other:?}"),
    }
    assert!(e.to_string().len() < 300);
}

#[test]
fn characters_xml_forbids_are_refused() {
    for bad in [
        "<name>a&#0;b</name>",
        "<name>a&#x1;b</name>",
        "<name>a\u{1}b</name>",
        "<name>a\u{fffe}b</name>",
        "<name>a\u{ffff}b</name>",
        "<name>a&#xFFFE;</name>",
        "<name>a&#xD800;</name>",
        "<name>a]]>b</name>",
        "<name a='\u{1}'>x</name>",
        "<!-- \u{2} --><name>x</name>",
        "<name><![CDATA[\u{3}]]></name>",
        "<?pi \u{4}?><name>x</name>",
    ] {
        let xml = format!("<domain type='kvm'>{bad}</domain>");
        syntax_error(&xml);
    }
    // Allowed: tab, newline, carriage return, and characters just around the gaps.
    let d = Domain::from_xml(
        "<domain type='kvm'><name>a\tb&#xD7FF;&#xE000;&#x10FFFF;\u{fffd}</name></domain>",
    )
    .unwrap();
    assert!(d.name.value.ends_with('\u{fffd}'));
}

#[test]
fn namespaces_and_names_follow_the_specifications() {
    for bad in [
        // a declaration repeated on one element
        "<domain xmlns:a='urn:1' xmlns:a='urn:2' type='kvm'/>",
        "<domain xmlns='urn:1' xmlns='urn:1' type='kvm'/>",
        // undeclaring a prefix is XML 1.1 only
        "<domain type='kvm'><a:x xmlns:a='urn:1'><b xmlns:a=''/></a:x></domain>",
        // reserved prefixes and namespaces
        "<domain type='kvm' xmlns:xml='urn:other'/>",
        "<domain type='kvm' xmlns:x='http://www.w3.org/XML/1998/namespace'/>",
        "<domain type='kvm' xmlns:xmlns='urn:x'/>",
        "<domain type='kvm' xmlns:x='http://www.w3.org/2000/xmlns/'/>",
        "<xmlns:domain type='kvm'/>",
        // names
        "<domain type='kvm'><a:b:c/></domain>",
        "<domain type='kvm'><-a/></domain>",
        "<domain type='kvm'><a\u{d7}b/></domain>",
        "<domain type='kvm' 1a='x'/>",
        "<domain type='kvm'><:a/></domain>",
        // comments and processing instructions
        "<domain type='kvm'><!-- a -- b --></domain>",
        "<domain type='kvm'><!-- a ---></domain>",
        "<domain type='kvm'><?xml version='1.0'?></domain>",
        "<?xml version='1.0'?><?xml version='1.0'?><domain type='kvm'/>",
        " <?xml version='1.0'?><domain type='kvm'/>",
        "<!-- c --><?xml version='1.0'?><domain type='kvm'/>",
        "<domain type='kvm'><?XmL x?></domain>",
        "<?xml encoding='UTF-8'?><domain type='kvm'/>",
    ] {
        syntax_error(bad);
    }
    // The XML declaration first (after a byte order mark), `xml:` attributes, a default
    // namespace undeclared, and non-ASCII names are fine.
    let ok = "\u{feff}<?xml version='1.0'?><domain type='kvm' xml:lang='en'><name>x</name>\
              <metadata><m xmlns='urn:m'><n xmlns=''/><éléphant/></m></metadata></domain>";
    Domain::from_xml(ok).unwrap();
}

#[test]
fn a_value_round_trip_is_exact_for_spellings_text_and_namespaces() {
    let xml = "<domain type='kvm'><name>x</name><devices><hostdev mode='subsystem' type='pci'>\
               <source><address bus='0x03' type='pci' domain='0x0000' function='0x0' slot='0x00'/></source>\
               </hostdev></devices><metadata><m xmlns='urn:m'>a<!-- c -->b<![CDATA[c]]>d<x/>e</m></metadata>\
               <unknown>one<!-- split -->two<devices/>three</unknown></domain>";
    let a = Domain::from_xml(xml).unwrap();
    let b = Domain::from_xml(&a.to_xml().unwrap()).unwrap();
    assert_eq!(a, b);
    // The comment is kept in place; the CDATA section joins the text around it.
    let m = a.metadata.as_ref().unwrap().elements[0].to_element().unwrap();
    assert_eq!(m.children[0], RawNode::Text("a".into()));
    assert_eq!(m.children[1], RawNode::Comment(" c ".into()));
    assert_eq!(m.children[2], RawNode::Text("bcd".into()));
}

fn raw(name: &str) -> RawElement {
    RawElement { name: name.into(), ..Default::default() }
}

fn attr(ns: Option<&str>, prefix: Option<&str>, name: &str, value: &str) -> RawAttribute {
    RawAttribute {
        namespace: ns.map(Into::into),
        prefix: prefix.map(Into::into),
        name: name.into(),
        value: value.into(),
    }
}

/// A domain with `e` under `<metadata>`, written: the error (of making its XML text), or
/// the output after checking that it parses (roxmltree and this crate) to the same value.
fn write_with_metadata(e: RawElement) -> Result<String, libvirt_xml::Error> {
    let mut d = Domain::from_xml("<domain type='kvm'><name>x</name><metadata/></domain>").unwrap();
    d.metadata.as_mut().unwrap().elements.push(RawXml::try_from(&e)?);
    let out = d.to_xml()?;
    roxmltree::Document::parse(&out).unwrap_or_else(|err| panic!("{err}: {out}"));
    // What was written reads back and writes the same again (prefixes the writer made
    // up are then part of the value).
    let again = Domain::from_xml(&out).unwrap().to_xml().unwrap();
    assert_eq!(again, out);
    Ok(out)
}

#[test]
fn the_writer_refuses_what_xml_cannot_express() {
    // Markup injected through a name.
    let e = write_with_metadata(raw("x y=\"1\"><evil")).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Unwritable(_)), "{e}");
    assert!(e.to_string().contains("is not a valid element name"), "{e}");
    let mut t = raw("t");
    t.children.push(RawNode::Element(raw("u v")));
    assert_eq!(RawXml::try_from(t).unwrap_err().path(), "/t");
    // NUL in a typed value, and in raw text and attribute values.
    let mut d = Domain::from_xml("<domain type='kvm'><name>x</name></domain>").unwrap();
    d.name.value = "a\0b".into();
    let e = d.to_xml().unwrap_err();
    assert_eq!(e.path(), "/domain/name");
    assert!(e.to_string().contains("U+0000"), "{e}");
    let mut t = raw("t");
    t.children.push(RawNode::Text("\u{ffff}".into()));
    write_with_metadata(t).unwrap_err();
    let mut a = raw("t");
    a.attributes.push(attr(None, None, "v", "\u{1b}"));
    write_with_metadata(a).unwrap_err();
    // Invalid attribute names, `xmlns` posing as an attribute, duplicates.
    for bad in [
        attr(None, None, "a b", "1"),
        attr(None, None, "xmlns", "urn:x"),
        attr(Some("http://www.w3.org/2000/xmlns/"), Some("xmlns"), "p", "urn:x"),
    ] {
        let mut e = raw("t");
        e.attributes.push(bad);
        write_with_metadata(e).unwrap_err();
    }
    let mut e = raw("t");
    e.attributes.push(attr(None, None, "a", "1"));
    e.attributes.push(attr(None, None, "a", "2"));
    write_with_metadata(e).unwrap_err();
    // A raw attribute that repeats a typed one.
    let mut d = Domain::from_xml("<domain type='kvm'><name>x</name></domain>").unwrap();
    d.preserved.push_attribute(attr(None, None, "type", "xen"));
    let e = d.to_xml().unwrap_err();
    assert!(e.to_string().contains("duplicate attribute `type`"), "{e}");
}

#[test]
fn the_writer_keeps_namespaces_correct() {
    // Two namespaced attributes without prefixes get two distinct prefixes.
    let mut e = raw("t");
    e.attributes.push(attr(Some("urn:a"), None, "x", "1"));
    e.attributes.push(attr(Some("urn:b"), None, "y", "2"));
    write_with_metadata(e).unwrap();
    // An element and an attribute asking for one prefix in different namespaces.
    let mut e = raw("t");
    e.namespace = Some("urn:el".into());
    e.prefix = Some("p".into());
    e.attributes.push(attr(Some("urn:at"), Some("p"), "x", "1"));
    let out = write_with_metadata(e).unwrap();
    let doc = roxmltree::Document::parse(&out).unwrap();
    let t = doc.descendants().find(|n| n.has_tag_name("t")).unwrap();
    assert_eq!(t.tag_name().namespace(), Some("urn:el"));
    assert_eq!(t.attributes().next().unwrap().namespace(), Some("urn:at"));
    // Reserved prefixes are not reused for other namespaces.
    let mut e = raw("t");
    e.namespace = Some("urn:el".into());
    e.prefix = Some("xml".into());
    e.attributes.push(attr(Some("urn:at"), Some("xmlns"), "x", "1"));
    write_with_metadata(e).unwrap();
    // Found by fuzzing (roxmltree refuses both, XML and libvirt-xml's reader do not): an
    // element in the XML namespace is written `xml:`, undeclared; an attribute whose local
    // name is `xmlns` in a namespace is an attribute, not a declaration.
    let mut x = raw("a");
    x.namespace = Some("http://www.w3.org/XML/1998/namespace".into());
    let mut e = raw("t");
    e.children.push(RawNode::Element(x));
    e.attributes.push(attr(Some("urn:app"), None, "xmlns", "http://www.w3.org/XML/1998/namespace"));
    let mut d = Domain::from_xml("<domain type='kvm'><name>x</name><metadata/></domain>").unwrap();
    d.metadata.as_mut().unwrap().elements.push(RawXml::try_from(&e).unwrap());
    let out = d.to_xml().unwrap();
    assert!(
        out.contains("<xml:a/>") && out.contains(":xmlns='http://www.w3.org/XML/1998/namespace'"),
        "{out}"
    );
    let back = Domain::from_xml(&out).unwrap();
    let t = back.metadata.as_ref().unwrap().elements[0].to_element().unwrap();
    let RawNode::Element(a) = &t.children[0] else { panic!("{t:?}") };
    assert_eq!(
        (a.namespace.as_deref(), a.prefix.as_deref(), a.name.as_str()),
        (Some("http://www.w3.org/XML/1998/namespace"), Some("xml"), "a")
    );
    assert_eq!(t.attributes[0].namespace.as_deref(), Some("urn:app"));
    assert_eq!(t.attributes[0].name, "xmlns");
    // An unnamespaced child of a default-namespaced element undeclares the default.
    let mut outer = raw("outer");
    outer.namespace = Some("urn:d".into());
    outer.children.push(RawNode::Element(raw("inner")));
    write_with_metadata(outer).unwrap();
}

#[test]
fn deep_recursion_fits_a_default_thread_stack() {
    // 252 nested <backingStore> of the largest kind (network sources; with <domain>,
    // <devices>, <disk>, <source>, <host>: the 256-level limit) on a 2 MiB thread,
    // std::thread's default, in whatever profile the tests are built: parse, write,
    // compare, clone and drop.
    let depth = 252;
    let mut xml = String::from(
        "<domain type='kvm'><name>x</name><devices><disk type='file'><target dev='vda'/>",
    );
    for _ in 1..depth {
        xml.push_str(
            "<backingStore type='network'><format type='raw'/>\
             <source protocol='nbd' name='x'><host name='h' port='1'/></source>",
        );
    }
    xml.push_str("<backingStore/>");
    for _ in 1..depth {
        xml.push_str("</backingStore>");
    }
    xml.push_str("</disk></devices></domain>");
    let run = move || {
        let d = Domain::from_xml(&xml).unwrap();
        let out = d.to_xml().unwrap();
        let again = Domain::from_xml(&out).unwrap();
        assert_eq!(again, d);
        let c = d.clone();
        drop(d);
        // (`{:?}` of a value this deep needs up to 3 MiB of stack in a debug build.)
        c.devices.map_or(0, |d| d.disks.len())
    };
    let len = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(run)
        .unwrap()
        .join()
        .expect("no stack overflow");
    assert!(len > 0);
}

#[test]
fn error_reports_say_where() {
    // Errors inside a start tag name that element, not its parent.
    let e = syntax_error(
        "<domain type='kvm'><name>x</name><devices><disk type='file' type='x'/></devices></domain>",
    );
    assert_eq!(e.path(), "/domain/devices/disk");
    assert_eq!((e.line(), e.column()), (1, 61));
    let e = syntax_error(
        "<domain type='kvm'><name>x</name><devices><disk type='&bogus;'/></devices></domain>",
    );
    assert_eq!(e.path(), "/domain/devices/disk");
    // Too deep: the path of the element past the limit.
    let xml = domain_with(&format!("<metadata>{}", "<a>".repeat(300)));
    let e = Domain::from_xml(&xml).unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::TooDeep(256));
    assert_eq!(e.path().matches("/a").count(), 255, "{}", e.path());
    // Malformed documents keep the path of what is open.
    let e = syntax_error("<domain type='kvm'><name>x</name><devices><disk type='file'><target dev='a'></disk></devices></domain>");
    assert_eq!(e.path(), "/domain/devices/disk/target");
    // Lines end at CR LF, LF, or a lone CR; a byte order mark is not a column.
    let e = syntax_error("<domain type='kvm'>\r\r\n\r<name>x</nam></domain>");
    assert_eq!((e.line(), e.column()), (4, 8));
    let e = syntax_error("\u{feff}<domain type='kvm' type='x'/>");
    assert_eq!((e.line(), e.column()), (1, 20));
    // A root in the wrong namespace says so.
    let e = Domain::from_xml("<domain xmlns='urn:other' type='kvm'><name>x</name></domain>")
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "expected root element <domain>, found <{urn:other}domain> at /domain (line 1, column 1)"
    );
}

#[test]
fn acyclic_nesting_fits_the_room_a_stack_check_leaves() {
    // Stack is checked at a document's root and at elements of types on a cycle of the
    // schema; between two checks, elements nest as deep as the schema's acyclic part. Its
    // frames must fit the room a check leaves (256 KiB) in every build profile: the most
    // deeply nested valid corpus domains, read, written and validated on threads whose
    // stacks leave just over that room at the root, and a disk with a chain of backing
    // stores read as a document of its own.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let tsv = std::fs::read_to_string(root.join("corpus.tsv")).unwrap();
    let mut docs: Vec<(usize, String)> = tsv
        .lines()
        .skip(1)
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|f| f[1] == "domain.rng" && f[2] == "valid")
        .map(|f| {
            let xml = std::fs::read_to_string(root.join("corpus").join(f[0])).unwrap();
            let doc = roxmltree::Document::parse(&xml).unwrap();
            let depth = doc.descendants().map(|n| n.ancestors().count()).max().unwrap_or(0);
            (depth, xml)
        })
        .collect();
    docs.sort_by_key(|(depth, _)| std::cmp::Reverse(*depth));
    docs.truncate(4);
    assert!(docs[0].0 > 8, "the deepest corpus domain nests {} levels", docs[0].0);
    let mut disk = String::from("<disk type='file'><target dev='vda'/>");
    for _ in 0..200 {
        disk.push_str("<backingStore type='file'><format type='qcow2'/><source file='/b'/>");
    }
    disk.push_str(&"</backingStore>".repeat(200));
    disk.push_str("</disk>");
    for kib in (272..=768).step_by(64) {
        let (docs, disk) = (docs.clone(), disk.clone());
        let run = move || {
            for (_, xml) in &docs {
                let d = Document::from_xml(xml).unwrap();
                let out = d.to_xml().unwrap();
                assert_eq!(Document::from_xml(&out).unwrap(), d);
                d.validate().unwrap();
            }
            let d = libvirt_xml::domain::Disk::from_xml(&disk).unwrap();
            assert_eq!(libvirt_xml::domain::Disk::from_xml(&d.to_xml().unwrap()).unwrap(), d);
        };
        std::thread::Builder::new()
            .stack_size(kib << 10)
            .spawn(run)
            .unwrap()
            .join()
            .unwrap_or_else(|_| panic!("a failure on a {kib} KiB stack"));
    }
}
