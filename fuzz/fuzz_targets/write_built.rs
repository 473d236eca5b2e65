//! Writing values built in code: a parsed domain is changed from the fuzz bytes — raw
//! elements and attributes put into `preserved` of several elements and into
//! `<metadata>`, arbitrary strings in typed string fields and in `Other` enum values —
//! and written. `to_xml()` must either refuse the value (`Err`) or write XML that
//! roxmltree accepts (save its one limitation: an element named with the `xml` prefix)
//! and that `Document::from_xml` parses again. Never a panic.
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use libvirt_xml::basictypes::{Description, DiskDevice, Metadata, Title};
use libvirt_xml::domain::{DiskType, Domain};
use libvirt_xml::{Document, Preserved, RawAttribute, RawElement, RawNode};

/// Domains the changes start from.
const BASES: &[&str] = &[
    r#"<domain type="kvm"><name>vm</name><memory unit="KiB">1048576</memory>
  <devices><disk type="file" device="disk"><source file="/var/lib/libvirt/images/vm.qcow2"/><target dev="vda" bus="virtio"/></disk></devices>
</domain>"#,
    r#"<domain type="kvm" xmlns:qemu="http://libvirt.org/schemas/domain/qemu/1.0">
  <name>ns</name>
  <title>t</title>
  <description>d</description>
  <metadata><app:data xmlns:app="urn:app" app:attr="1"><app:item>x</app:item></app:data><plain/></metadata>
  <os><type arch="x86_64" machine="q35">hvm</type></os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type="file" device="cdrom"><source file="/tmp/a.iso"/><target dev="sda" bus="sata"/><readonly/></disk>
    <interface type="network"><source network="default"/><model type="virtio"/></interface>
  </devices>
  <qemu:commandline><qemu:arg value="-foo"/></qemu:commandline>
</domain>"#,
    r#"<domain type="qemu" xmlns="" future="1"><name>x</name><newthing a="b"><deep/>text</newthing>
  <devices><disk type="file" shiny="yes"><target dev="vda"/><sparkle/></disk></devices></domain>"#,
];

/// Pieces that strings are made of: markup, namespace names, characters XML treats
/// specially or forbids.
const PIECES: &[&str] = &[
    "", "a", "b", "x", "name", "disk", "domain", "metadata", "devices", "xml", "xmlns", ":", "a:b",
    "xmlns:a", "xml:lang", "-", ".", "_", "1", "é", "\u{10000}", "<", ">", "&", "&amp;", "\"",
    "'", "]]>", "<!--", "-->", "<?", "?>", "<![CDATA[", " ", "\t", "\n", "\r", "\r\n", "\u{0}",
    "\u{1}", "\u{1f}", "\u{7f}", "\u{85}", "\u{2028}", "\u{fffe}", "\u{ffff}", "\u{feff}",
    "\u{ef}", "http://www.w3.org/XML/1998/namespace", "http://www.w3.org/2000/xmlns/",
    "http://libvirt.org/schemas/domain/qemu/1.0", "urn:app", "urn:x", "ns1", "ns2", "qemu",
    "app",
];

fn string(u: &mut Unstructured) -> Result<String> {
    if u.ratio(1, 4)? {
        return u.arbitrary();
    }
    let n = u.int_in_range(0..=4)?;
    let mut s = String::new();
    for _ in 0..n {
        if u.ratio(1, 8)? {
            s.push(u.arbitrary::<char>()?);
        } else {
            s.push_str(u.choose(PIECES)?);
        }
    }
    Ok(s)
}

/// A name: mostly valid, sometimes not.
fn name(u: &mut Unstructured) -> Result<String> {
    const NAMES: &[&str] = &[
        "a", "b", "x", "item", "name", "disk", "source", "file", "type", "devices", "metadata",
        "lang", "space", "xml", "xmlns", "ns1", "qemu", "app", "_", "é", "a-b", "a.b",
    ];
    if u.ratio(1, 5)? {
        string(u)
    } else {
        Ok(u.choose(NAMES)?.to_string())
    }
}

fn namespace(u: &mut Unstructured) -> Result<Option<String>> {
    const NS: &[&str] = &[
        "",
        "urn:x",
        "urn:app",
        "http://libvirt.org/schemas/domain/qemu/1.0",
        "http://www.w3.org/XML/1998/namespace",
        "http://www.w3.org/2000/xmlns/",
    ];
    Ok(match u.int_in_range(0..=3)? {
        0 | 1 => None,
        2 => Some(u.choose(NS)?.to_string()),
        _ => Some(string(u)?),
    })
}

fn prefix(u: &mut Unstructured) -> Result<Option<String>> {
    const P: &[&str] = &["", "a", "b", "app", "qemu", "ns1", "ns2", "xml", "xmlns"];
    Ok(match u.int_in_range(0..=3)? {
        0 | 1 => None,
        2 => Some(u.choose(P)?.to_string()),
        _ => Some(name(u)?),
    })
}

fn attribute(u: &mut Unstructured) -> Result<RawAttribute> {
    Ok(RawAttribute {
        namespace: namespace(u)?,
        prefix: prefix(u)?,
        name: name(u)?,
        value: string(u)?,
    })
}

fn element(u: &mut Unstructured, depth: u32) -> Result<RawElement> {
    let mut e = RawElement {
        namespace: namespace(u)?,
        prefix: prefix(u)?,
        name: name(u)?,
        attributes: Vec::new(),
        children: Vec::new(),
    };
    for _ in 0..u.int_in_range(0..=3)? {
        e.attributes.push(attribute(u)?);
    }
    if depth < 8 {
        for _ in 0..u.int_in_range(0..=3)? {
            e.children.push(node(u, depth + 1)?);
        }
    }
    Ok(e)
}

fn node(u: &mut Unstructured, depth: u32) -> Result<RawNode> {
    Ok(if u.ratio(1, 3)? {
        RawNode::Text(string(u)?)
    } else {
        RawNode::Element(element(u, depth)?)
    })
}

/// One of the `preserved` of the domain and some elements inside it.
fn preserved<'d>(u: &mut Unstructured, d: &'d mut Domain) -> Result<&'d mut Preserved> {
    Ok(match u.int_in_range(0..=6)? {
        0 | 1 => &mut d.preserved,
        2 => &mut d.name.preserved,
        3 => &mut d.devices.get_or_insert_with(Default::default).preserved,
        4 => &mut d.metadata.get_or_insert_with(Default::default).preserved,
        5 => &mut d.title.get_or_insert_with(Default::default).preserved,
        _ => match d
            .devices
            .get_or_insert_with(Default::default)
            .disk
            .first_mut()
        {
            Some(disk) => &mut disk.preserved,
            None => &mut d.preserved,
        },
    })
}

fn change(u: &mut Unstructured, d: &mut Domain) -> Result<()> {
    match u.int_in_range(0..=11)? {
        0 => {
            let c = node(u, 0)?;
            preserved(u, d)?.push_child(c);
        }
        1 => {
            let a = attribute(u)?;
            preserved(u, d)?.push_attribute(a);
        }
        2 => {
            let e = element(u, 0)?;
            d.metadata
                .get_or_insert_with(|| Box::new(Metadata::default()))
                .elements
                .push(e);
        }
        3 => d.name.value = string(u)?,
        4 => {
            d.title = Some(Box::new(Title {
                value: string(u)?,
                ..Default::default()
            }))
        }
        5 => {
            d.description = Some(Box::new(Description {
                value: string(u)?,
                ..Default::default()
            }))
        }
        6 | 7 | 8 | 9 => {
            let which = u.int_in_range(0..=3)?;
            let s = string(u)?;
            let devices = d.devices.get_or_insert_with(Default::default);
            if devices.disk.is_empty() {
                devices.disk.push(Default::default());
            }
            let disk = &mut devices.disk[0];
            match which {
                0 => {
                    if !matches!(disk.r#type, DiskType::File(_)) {
                        disk.r#type = DiskType::File(Default::default());
                    }
                    if let DiskType::File(f) = &mut disk.r#type {
                        f.source.get_or_insert_with(Default::default).file = Some(s);
                    }
                }
                1 => disk.target.dev = s,
                2 => disk.device = Some(DiskDevice::Other(s)),
                _ => disk.r#type = DiskType::Other(s),
            }
        }
        10 => {
            let s = string(u)?;
            d.devices
                .get_or_insert_with(Default::default)
                .emulator
                .get_or_insert_with(Default::default)
                .value = s;
        }
        _ => {
            // Empty the metadata, or drop it.
            if u.arbitrary()? {
                d.metadata = None;
            } else {
                d.metadata = Some(Box::default());
            }
        }
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(base) = u.choose(BASES) else {
        return;
    };
    let mut d = Domain::from_xml(base).expect("base domain parses");
    for _ in 0..16 {
        if u.is_empty() || change(&mut u, &mut d).is_err() {
            break;
        }
    }
    let doc = Document::Domain(Box::new(d));
    let Ok(out) = doc.to_xml() else {
        return;
    };
    match roxmltree::Document::parse(&out) {
        Ok(_) => {}
        // roxmltree limitation, not a writer bug: the prefix `xml` is bound to
        // http://www.w3.org/XML/1998/namespace by definition (Namespaces in XML 1.0, §3),
        // without a declaration, and roxmltree honours that for attributes (`xml:lang`) but
        // not for element names: `<xml:a/>` fails with `UnknownNamespace("xml", _)`.
        // xmllint and libvirt-xml's reader accept it. roxmltree stops at that error, so
        // for such output only the `Document::from_xml` check below applies.
        Err(roxmltree::Error::UnknownNamespace(prefix, _)) if prefix == "xml" => {}
        Err(e) => {
            panic!("roxmltree rejects what was written: {e}\nvalue: {doc:#?}\noutput: {out:?}")
        }
    }
    if let Err(e) = Document::from_xml(&out) {
        panic!("what was written does not parse again: {e}\nvalue: {doc:#?}\noutput: {out:?}");
    }
});
