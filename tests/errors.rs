//! Bad and hostile input: always an `Error` saying what and where, never a panic.

use libvirt_xml::domain::Domain;
use libvirt_xml::{Document, Error, ErrorKind, ReadOptions};

/// Reads strictly: where the document does not fit the types is an error.
fn strict(xml: &str) -> Result<Domain, Error> {
    Domain::from_xml_with(xml, ReadOptions::default().strict(true))
}

#[test]
fn malformed_xml_reports_line_and_column() {
    let e = Domain::from_xml("<domain type='kvm'>\n  <name>x</nam>\n</domain>").unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Xml(_)), "{e}");
    assert_eq!((e.line(), e.column()), (2, 10), "{e}");
    assert_eq!(e.path(), "/domain/name", "{e}");
    assert!(e.to_string().contains("expected </name>, found </nam>"), "{e}");
}

/// End tags that start like the open element's name but are not it.
#[test]
fn end_tags_must_name_the_open_element_whole() {
    for (bad, found) in [
        ("<name>x</namex>", "</namex>"),
        ("<name>x</name:x>", "</name:x>"),
        ("<name>x</q:name>", "</q:name>"),
    ] {
        let xml = format!("<domain type='kvm' xmlns:q='urn:q'>{bad}</domain>");
        let e = Domain::from_xml(&xml).unwrap_err();
        assert!(e.to_string().contains(&format!("expected </name>, found {found}")), "{e}");
    }
    let d = Domain::from_xml("<domain type='kvm'><name>x</name  ></domain\n>").unwrap();
    assert_eq!(d.name.value, "x");
}

/// Attribute values are scanned once to their quote: the other quote is text, references
/// and tabs or newlines are decoded, `<` and a missing quote are errors where they are.
#[test]
fn attribute_values_end_at_their_own_quote() {
    let d =
        Domain::from_xml("<domain type='kvm' a=\"it's &amp; &#60;x&gt;\" b='say \"hi\"\tnow\n'/>")
            .unwrap();
    let values: Vec<&str> = d.preserved.attributes().iter().map(|a| a.value.as_str()).collect();
    assert_eq!(values, ["it's & <x>", "say \"hi\" now "]);
    let e = Domain::from_xml("<domain type='kvm' a='x<y'/>").unwrap_err();
    assert!(e.to_string().contains("`<` in an attribute value"), "{e}");
    assert_eq!((e.line(), e.column()), (1, 24), "{e}");
    let e = Domain::from_xml("<domain type='kvm' a='xy\"/>").unwrap_err();
    assert!(e.to_string().contains("unterminated attribute value"), "{e}");
}

#[test]
fn wrong_root_is_named() {
    let e = Domain::from_xml("<network><name>n</name></network>").unwrap_err();
    assert_eq!(
        e.kind(),
        &ErrorKind::WrongRoot { expected: "<domain>".into(), found: "network".into() }
    );
    assert_eq!(e.path(), "/network");
    let e = Document::from_xml("<notlibvirt/>").unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::WrongRoot { .. }), "{e}");
}

#[test]
fn missing_required_attribute_has_path_and_position() {
    // `<domain>` requires `type`.
    let e = strict("<domain>\n<name>x</name>\n</domain>").unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::MissingAttribute("type".into()));
    assert_eq!((e.path(), e.line(), e.column()), ("/domain", 1, 1));
    let shown = e.to_string();
    assert!(
        shown.contains("missing required attribute `type` at /domain (line 1, column 1)"),
        "{shown}"
    );
}

#[test]
fn missing_required_element_is_reported() {
    // `<domain>` requires `<name>`.
    let e = strict("<domain type='kvm'><uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid></domain>")
        .unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::MissingElement("name".into()));
}

#[test]
fn non_numeric_number_is_reported_at_its_element() {
    let xml = "<domain type='kvm'>\n  <name>x</name>\n  <devices>\n    <disk type='file'>\n      \
               <target dev='vda'/>\n      <address type='pci' domain='0x0000' bus='zero'/>\n    </disk>\n  \
               </devices>\n</domain>";
    let e = strict(xml).unwrap_err();
    match e.kind() {
        ErrorKind::InvalidValue { item, value, .. } => {
            assert_eq!(item, "@bus");
            assert_eq!(value, "zero");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(e.path(), "/domain/devices/disk/address");
    assert_eq!((e.line(), e.column()), (6, 7));
}

#[test]
fn same_name_siblings_are_numbered_in_paths() {
    let xml = "<domain type='kvm'><name>x</name><devices>\
               <disk type='file'><target dev='vda'/></disk>\
               <disk type='file'><target dev='vdb'/><address type='pci' slot='x'/></disk>\
               </devices></domain>";
    let e = strict(xml).unwrap_err();
    assert_eq!(e.path(), "/domain/devices/disk[2]/address");
}

/// By default reading is lenient, as libvirt's is: the misfits above load, each one
/// reported as a diagnostic equal to the strict error, and write back as they were read.
#[test]
fn lenient_reading_loads_misfits_and_reports_them() {
    let docs = [
        "<domain>\n<name>x</name>\n</domain>",
        "<domain type='kvm'><uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid></domain>",
        "<domain type='kvm'><name>x</name><devices><disk type='file'><target dev='vda'/>\
         <address type='pci' domain='0x0000' bus='zero'/></disk></devices></domain>",
        "<domain type='kvm'><name>x</name><os><type>hvm</type><bootmenu enable='yes' timeout='65536'/></os></domain>",
        "<domain type='kvm'><name>x</name><devices><disk type='file' device='cdrom'>\
         <driver name='qemu'/></disk></devices></domain>",
    ];
    for xml in docs {
        let e = strict(xml).unwrap_err();
        let (d, diagnostics) =
            Domain::from_xml_with_diagnostics(xml, ReadOptions::default()).unwrap();
        assert_eq!(diagnostics, vec![e], "{xml}");
        let out = d.to_xml_with(libvirt_xml::Style::Compact).unwrap();
        assert_eq!(out.replace('"', "'").replace('\n', ""), xml.replace('\n', ""), "{xml}");
        assert_eq!(Domain::from_xml(&out).unwrap(), d);
    }
    // A value set in code replaces the default that stood in, and is written.
    let mut d = Domain::from_xml(docs[3]).unwrap();
    d.os.as_mut().unwrap().bootmenu.as_mut().unwrap().timeout = Some(5000);
    assert!(d.to_xml().unwrap().contains("timeout='5000'"));
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let depth = 100_000;
    let mut xml = String::with_capacity(depth * 20);
    xml.push_str("<domain type='kvm'><name>x</name><metadata>");
    for _ in 0..depth {
        xml.push_str("<a>");
    }
    for _ in 0..depth {
        xml.push_str("</a>");
    }
    xml.push_str("</metadata></domain>");
    let e = Domain::from_xml(&xml).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::TooDeep(_) | ErrorKind::Xml(_)), "{e}");
}

#[test]
fn entity_bomb_is_refused() {
    let xml = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<domain type='kvm'><name>&lol3;</name></domain>"#;
    let e = Domain::from_xml(xml).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Xml(_)), "{e}");
}

#[test]
fn huge_values_parse_and_round_trip() {
    let big = "x".repeat(64 * 1024 * 1024);
    let xml = format!("<domain type='kvm'><name>n</name><description>{big}</description></domain>");
    let d = Domain::from_xml(&xml).unwrap();
    assert_eq!(d.description.as_ref().map(|x| x.value.len()), Some(big.len()));
    let compact = d.to_xml_with(libvirt_xml::Style::Compact).unwrap();
    assert_eq!(compact.len(), xml.len() + 1);
}

#[test]
fn garbage_never_panics() {
    // Truncations of a real document at every 7th byte: each is an error or a document.
    let xml = include_str!("corpus/tests/qemuxmlconfdata/disk-network-nbd.xml");
    for end in (0..xml.len()).step_by(7) {
        if !xml.is_char_boundary(end) {
            continue;
        }
        let r =
            std::panic::catch_unwind(|| Document::from_xml(&xml[..end]).and_then(|d| d.to_xml()));
        assert!(r.is_ok(), "panic on prefix of {end} bytes");
    }
}

#[test]
fn malformed_markup_is_rejected() {
    let bad = [
        "<domain type='kvm'><name>x</name><!-- open comment </domain>",
        "<domain type=kvm><name>x</name></domain>",
        "<domain type='kvm'><name>x</name></domian>",
        "<domain type='k<vm'><name>x</name></domain>",
        "<domain type='kvm'id='1'><name>x</name></domain>",
        "<domain type='kvm'><name>&nbsp;</name></domain>",
        "<domain type='kvm' type='xen'><name>x</name></domain>",
        "<domain type='kvm'><q:name>x</q:name></domain>",
        "<domain type='kvm'><name>x</name></domain>trailing",
        "<domain type='kvm'><name>x</name>",
        "<domain type='kvm'><name>x</name><![CDATA[ open",
        "no markup at all",
        "",
        "<1domain/>",
    ];
    for xml in bad {
        match Document::from_xml(xml) {
            Err(e) if matches!(e.kind(), ErrorKind::Xml(_)) => {}
            other => panic!("{xml:?}: expected a syntax error, got {other:?}"),
        }
    }
}

#[test]
fn well_formed_variants_are_accepted() {
    let good = [
        "\u{feff}<?xml version='1.0' encoding='UTF-8'?>\n<!-- c --><domain type='kvm'><name>x</name></domain>\n<!-- after -->",
        "<domain type = \"kvm\" ><name>x</name ></domain >",
        "<domain type='kvm'><name><![CDATA[a<b]]></name><?pi data?><!-- c --></domain>",
        "<domain type='kvm'><name>a&amp;b&#x41;&#66;</name></domain>",
        "<d:domain xmlns:d='urn:unknown' type='kvm'/>",
    ];
    let names = ["x", "x", "a<b", "a&bAB"];
    for (i, xml) in good.iter().enumerate() {
        match (Domain::from_xml(xml), names.get(i)) {
            (Ok(d), Some(n)) => assert_eq!(d.name.value, *n, "{xml:?}"),
            (Ok(_), None) => panic!("{xml:?}: a root in another namespace is not <domain>"),
            (Err(e), None) => assert!(matches!(e.kind(), ErrorKind::WrongRoot { .. }), "{e}"),
            (Err(e), Some(_)) => panic!("{xml:?}: {e}"),
        }
    }
}

/// Mutated documents from the corpus (bytes flipped, deleted, duplicated; a fixed
/// pseudo-random sequence, so the test is repeatable): each is an error or a document,
/// never a panic, and a document that parses writes XML that parses again.
#[test]
fn mutated_documents_never_panic() {
    let tsv = include_str!("corpus.tsv");
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let (mut parsed, mut errors) = (0, 0);
    for line in tsv.lines().skip(1).step_by(3) {
        let path = line.split('\t').next().unwrap();
        let Ok(original) =
            std::fs::read(format!("{}/tests/corpus/{path}", env!("CARGO_MANIFEST_DIR")))
        else {
            continue;
        };
        for _ in 0..12 {
            let mut bytes = original.clone();
            for _ in 0..(1 + next() % 4) {
                if bytes.is_empty() {
                    break;
                }
                let i = (next() as usize) % bytes.len();
                match next() % 4 {
                    0 => bytes[i] = b"<>/='\"&;x "[(next() % 10) as usize],
                    1 => {
                        bytes.remove(i);
                    }
                    2 => {
                        let end = (i + 1 + (next() as usize) % 16).min(bytes.len());
                        let piece = bytes[i..end].to_vec();
                        bytes.splice(i..i, piece);
                    }
                    _ => bytes.truncate(i),
                }
            }
            let Ok(text) = String::from_utf8(bytes) else {
                continue;
            };
            let result = std::panic::catch_unwind(|| {
                Document::from_xml(&text).map(|d| {
                    let out = d.to_xml().unwrap();
                    Document::from_xml(&out).map(|_| ())
                })
            });
            match result {
                Err(_) => panic!("panic on a mutation of {path}:\n{text}"),
                Ok(Ok(reparsed)) => {
                    reparsed.unwrap_or_else(|e| panic!("{path}: our output does not parse: {e}"));
                    parsed += 1;
                }
                Ok(Err(_)) => errors += 1,
            }
        }
    }
    println!("mutations: {parsed} parsed and written back, {errors} rejected with an error");
    assert!(parsed + errors > 10_000, "too few mutations ran: {}", parsed + errors);
}

/// Documents libvirt writes or accepts although its schemas reject them: each loads, says
/// where it did not fit, is flagged by validation, and is written back as read.
#[test]
fn documents_libvirt_accepts_but_its_schemas_reject_load() {
    let docs = [
        // libvirt 9.0's formatter drops `associativity` of a NUMA cell's cache.
        "<domain type='kvm'><name>x</name><cpu><numa><cell id='0' cpus='0' memory='1024'>\
         <cache level='1' policy='writeback'><size value='10' unit='KiB'/>\
         <line value='8' unit='B'/></cache></cell></numa></cpu></domain>",
        // `virsh nodedev-create` takes a vHBA without `<host>`.
        "<device><parent>scsi_host5</parent><capability type='scsi_host'>\
         <capability type='fc_host'><wwnn>20000000c9831b4b</wwnn>\
         <wwpn>10000000c9831b4b</wwpn></capability></capability></device>",
    ];
    for xml in docs {
        let (doc, diagnostics) =
            Document::from_xml_with_diagnostics(xml, ReadOptions::default()).unwrap();
        assert!(!diagnostics.is_empty(), "{xml}");
        assert!(Document::validate_xml(xml).is_err(), "{xml}");
        let out = doc.to_xml_with(libvirt_xml::Style::Compact).unwrap();
        assert_eq!(out.replace('"', "'").trim_end(), xml, "{diagnostics:?}");
        assert!(
            Document::from_xml_with(xml, ReadOptions::default().strict(true)).is_err(),
            "{xml}"
        );
    }
}
