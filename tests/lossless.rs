//! Nothing the user wrote is lost: unknown content, unknown values, original spellings.

mod common;

use libvirt_xml::domain::{Disk, DiskDevice, Domain, VirYesNo};
use libvirt_xml::{RawNode, Value};

fn round_trip(xml: &str) -> String {
    let out = Domain::from_xml(xml).unwrap().to_xml().unwrap();
    common::infoset_diff(xml, &out).unwrap_or_else(|d| panic!("{d}\n{out}"));
    out
}

#[test]
fn unknown_attributes_and_elements_are_kept() {
    let xml = r#"<domain type="kvm" future="1"><name>x</name><newthing a="b"><deep/>text</newthing>
        <devices><disk type="file" shiny="yes"><target dev="vda"/><sparkle/></disk></devices></domain>"#;
    let out = round_trip(xml);
    let d = Domain::from_xml(xml).unwrap();
    assert_eq!(d.preserved.attributes()[0].name, "future");
    assert!(matches!(&d.preserved.children()[0], RawNode::Element(e) if e.name == "newthing"));
    assert!(out.contains("<sparkle/>"), "{out}");
}

#[test]
fn unknown_enum_values_are_kept() {
    let xml = r#"<domain type="kvm"><name>x</name><features><acpi/></features>
        <devices><disk type="file" device="hologram"><target dev="vda" bus="quantum"/></disk></devices></domain>"#;
    round_trip(xml);
    let d = Domain::from_xml(xml).unwrap();
    let disk = &d.devices.as_ref().unwrap().disks[0];
    assert_eq!(disk.device, Some(DiskDevice::Other));
    assert_eq!(disk.preserved.spelling("@device"), Some("hologram"));
    assert_eq!(disk.target.preserved.spelling("@bus"), Some("quantum"));
    // A listed value set in its place is written; the kept text is not.
    let mut d = d;
    let disk = &mut d.devices.as_mut().unwrap().disks[0];
    disk.device = Some(DiskDevice::Cdrom);
    let out = d.to_xml().unwrap();
    assert!(out.contains("device='cdrom'") && out.contains("bus='quantum'"), "{out}");
    // A program writes an unlisted value by setting its text.
    let disk = &mut d.devices.as_mut().unwrap().disks[0];
    disk.device = Some(DiskDevice::Other);
    disk.preserved.set_spelling("@device", "crystal");
    assert!(d.to_xml().unwrap().contains("device='crystal'"));
    // A string names a listed value, or is an error: it never becomes a text-less `Other`.
    assert_eq!("cdrom".parse::<DiskDevice>().unwrap(), DiskDevice::Cdrom);
    let err = "crystal".parse::<DiskDevice>().unwrap_err().to_string();
    assert!(err.contains("crystal") && err.contains("`cdrom`"), "{err}");
    // Without one, writing says what is missing instead of dropping the attribute.
    let fresh = Disk { device: Some(DiskDevice::Other), ..Default::default() };
    let err = fresh.to_xml().unwrap_err().to_string();
    assert!(err.contains("`Other` with no text"), "{err}");
}

#[test]
fn unknown_discriminant_keeps_its_content() {
    // An interface type from the future: its children are kept although no variant knows them.
    let xml = r#"<domain type="kvm"><name>x</name><devices>
        <interface type="warpdrive"><source warp="9"/><model type="virtio"/></interface></devices></domain>"#;
    let out = round_trip(xml);
    assert!(out.contains("type='warpdrive'"), "{out}");
}

/// Hexadecimal numbers keep their format (digits, case) even when changed, as libvirt
/// writes addresses; other spellings are kept until the value changes, and then the value
/// is written as libvirt writes it (a PCI function `0x1`).
#[test]
fn numbers_keep_their_spelling_until_changed() {
    let xml = r#"<domain type="kvm"><name>x</name><devices><disk type="file"><target dev="vda"/>
        <address type="pci" domain="0x0000" bus="0x01" slot="0x1F" function="00"/></disk></devices></domain>"#;
    let out = round_trip(xml);
    assert!(out.contains("slot='0x1F'"), "{out}");
    let mut d = Domain::from_xml(xml).unwrap();
    let disk = &mut d.devices.as_mut().unwrap().disks[0];
    let addr = disk.address.as_mut().unwrap();
    match &mut addr.r#type {
        libvirt_xml::domain::AddressType::Pci(pci) => {
            assert_eq!(pci.slot, Some(0x1f));
            assert_eq!(pci.bus, Some(1));
            pci.slot = Some(0xa);
            pci.function = Some(1);
        }
        other => panic!("not a PCI address: {other:?}"),
    }
    let out = d.to_xml().unwrap();
    assert!(out.contains("slot='0x0A'"), "{out}");
    assert!(out.contains("bus='0x01'"), "{out}");
    assert!(out.contains("function='0x1'"), "{out}");
    let out = round_trip(xml);
    assert!(out.contains("function='00'"), "{out}");
}

/// PCI addresses in libvirt's own format keep no spelling (nothing is stored beside the
/// numbers), and numbers a program sets are written in that format.
#[test]
fn pci_addresses_are_written_as_libvirt_writes_them() {
    use libvirt_xml::domain::{Address, AddressPci, AddressType};
    use libvirt_xml::Element;
    let xml = r#"<domain type="kvm"><name>x</name><devices><disk type="file"><target dev="vda"/>
        <address type="pci" domain="0x0000" bus="0x00" slot="0x1f" function="0x7"/></disk></devices></domain>"#;
    let d = Domain::from_xml(xml).unwrap();
    let addr = d.devices.as_ref().unwrap().disks[0].address.as_ref().unwrap();
    let AddressType::Pci(pci) = &addr.r#type else {
        panic!("not a PCI address: {addr:?}");
    };
    assert!(pci.preserved.is_empty(), "{:?}", pci.preserved);
    assert!(round_trip(xml).contains("domain='0x0000' bus='0x00' slot='0x1f' function='0x7'"));
    let built = Address {
        r#type: AddressType::Pci(AddressPci {
            domain: Some(0),
            bus: Some(2),
            slot: Some(0x1f),
            function: Some(0),
            ..Default::default()
        }),
        ..Default::default()
    };
    let out = built.to_xml().unwrap();
    assert!(out.contains("domain='0x0000' bus='0x02' slot='0x1f' function='0x0'"), "{out}");
}

#[test]
fn implicit_default_case_is_not_made_explicit() {
    // `<disk>` without `type` is a file disk; writing it back must not add `type="file"`.
    let xml = r#"<domain type="kvm"><name>x</name><devices><disk><source file="/a"/><target dev="vda"/></disk></devices></domain>"#;
    let out = round_trip(xml);
    assert!(!out.contains("type='file'"), "{out}");
    let d = Domain::from_xml(xml).unwrap();
    assert!(matches!(d.devices.unwrap().disks[0].r#type, libvirt_xml::domain::DiskType::File(_)));
}

#[test]
fn hypervisor_namespaces_are_modelled() {
    let xml = r#"<domain type="kvm" xmlns:qemu="http://libvirt.org/schemas/domain/qemu/1.0"><name>x</name>
        <qemu:commandline><qemu:arg value="-newarg"/><qemu:env name="A" value="b"/></qemu:commandline></domain>"#;
    let out = round_trip(xml);
    let d = Domain::from_xml(xml).unwrap();
    let ext = d.extensions.as_ref().expect("the drivers' extensions");
    let cl = ext.qemu_commandline.as_ref().expect("typed qemu:commandline");
    assert_eq!(cl.args[0].value, "-newarg");
    assert!(out.contains("qemu:commandline"), "{out}");
    // None read, none held.
    let plain = Domain::from_xml(r#"<domain type="kvm"><name>x</name></domain>"#).unwrap();
    assert!(plain.extensions.is_none());
}

#[test]
fn extensions_keep_their_places_among_libvirts_elements() {
    // Two namespaces' elements apart, one before `<devices>`: each written back where it
    // was, though both are held in one struct.
    let xml = r#"<domain type="kvm" xmlns:qemu="http://libvirt.org/schemas/domain/qemu/1.0" xmlns:lxc="http://libvirt.org/schemas/domain/lxc/1.0"><name>x</name>
        <lxc:namespace><lxc:sharenet type="netns" value="red"/></lxc:namespace>
        <devices><emulator>/bin/q</emulator></devices>
        <qemu:capabilities><qemu:add capability="blockdev"/></qemu:capabilities></domain>"#;
    let out = round_trip(xml);
    let (lxc, dev, qemu) = (
        out.find("lxc:namespace").unwrap(),
        out.find("<devices").unwrap(),
        out.find("qemu:capabilities").unwrap(),
    );
    assert!(lxc < dev && dev < qemu, "{out}");
    let d = Domain::from_xml(xml).unwrap();
    let ext = d.extensions.as_ref().unwrap();
    assert!(ext.lxc_namespace.is_some() && ext.qemu_capabilities.is_some());
    assert!(ext.qemu_commandline.is_none());
    // Built in code, they are written where libvirt writes them: after `<devices>`.
    let mut built =
        Domain::from_xml(r#"<domain type="kvm"><name>x</name><devices/></domain>"#).unwrap();
    built.extensions.get_or_insert_default().lxc_namespace = ext.lxc_namespace.clone();
    let out = built.to_xml().unwrap();
    assert!(out.find("<devices").unwrap() < out.find("lxc:namespace").unwrap(), "{out}");
}

#[test]
fn metadata_is_open_content() {
    let xml = r#"<domain type="kvm"><name>x</name><metadata>
        <app:info xmlns:app="http://example.org/app" app:k="v">hello<app:nested/></app:info></metadata></domain>"#;
    round_trip(xml);
    let d = Domain::from_xml(xml).unwrap();
    let m = d.metadata.as_ref().unwrap();
    assert_eq!(m.elements[0].name(), "info");
    assert_eq!(m.elements[0].namespace().as_deref(), Some("http://example.org/app"));
    // Kept as written, and written back so.
    let info =
        r#"<app:info xmlns:app="http://example.org/app" app:k="v">hello<app:nested/></app:info>"#;
    assert_eq!(m.elements[0].as_str(), info);
    assert!(d.to_xml().unwrap().contains(info));
}

#[test]
fn open_content_is_one_element_kept_as_written() {
    use libvirt_xml::{ErrorKind, RawElement, RawXml};
    // Prefixes bound outside the element are declared on it, so its text stands alone;
    // the document is written back with the same meaning.
    let xml = "<domain type='kvm' xmlns:app='urn:app'><name>x</name><metadata>\
               <app:m app:k='1'><app:n>&lt;text&gt;</app:n><!-- c --><![CDATA[<raw>]]></app:m>\
               <plain xmlns='urn:p'/><q:e xmlns:q='urn:q' q:a='1' app:b='2'/></metadata></domain>";
    let d = Domain::from_xml(xml).unwrap();
    let m = &d.metadata.as_ref().unwrap().elements;
    assert_eq!(
        m[0].as_str(),
        "<app:m xmlns:app=\"urn:app\" app:k='1'><app:n>&lt;text&gt;</app:n><!-- c --><![CDATA[<raw>]]></app:m>"
    );
    assert_eq!((m[1].name(), m[1].namespace().as_deref()), ("plain", Some("urn:p")));
    assert_eq!(m[2].as_str(), "<q:e xmlns:app=\"urn:app\" xmlns:q='urn:q' q:a='1' app:b='2'/>");
    let out = d.to_xml().unwrap();
    assert_eq!(Domain::from_xml(&out).unwrap(), d, "{out}");
    // One element per namespace, as libvirt keeps them: found, replaced, taken out.
    let mut meta = *d.metadata.clone().unwrap();
    assert_eq!(meta.element("urn:p").map(RawXml::name), Some("plain"));
    let newer: RawXml = "<plain xmlns='urn:p' v='2'/>".parse().unwrap();
    meta.set_element(newer.clone());
    meta.set_element("<other xmlns='urn:other'/>".parse().unwrap());
    assert_eq!(meta.elements.len(), 4);
    assert_eq!(meta.elements[1], newer);
    assert_eq!(meta.remove_element("urn:p"), Some(newer));
    assert_eq!(meta.element("urn:p"), None);
    // Later elements of a namespace, which libvirt drops, go with the first.
    let twice: RawXml = "<plain xmlns='urn:p' v='3'/>".parse().unwrap();
    meta.elements.push(twice.clone());
    meta.elements.push(twice.clone());
    meta.set_element(twice.clone());
    assert_eq!(meta.elements.iter().filter(|e| **e == twice).count(), 1);
    meta.elements.push(twice.clone());
    assert_eq!(meta.remove_element("urn:p"), Some(twice));
    assert_eq!(meta.element("urn:p"), None);
    // What an element inside declares stays its own, empty or not; a prefix bound
    // outside is declared on the root for the elements that use it.
    let xml = "<domain type='kvm' xmlns:x='urn:o'><name>x</name><metadata>\
               <app:i xmlns:app='urn:app'><y xmlns='urn:y'/><plain/></app:i>\
               <r><x:y xmlns:x='urn:x'/><x:z/></r></metadata></domain>";
    let d = Domain::from_xml(xml).unwrap();
    let m = &d.metadata.as_ref().unwrap().elements;
    assert_eq!(m[0].as_str(), "<app:i xmlns:app='urn:app'><y xmlns='urn:y'/><plain/></app:i>");
    assert_eq!(m[1].as_str(), "<r xmlns:x=\"urn:o\"><x:y xmlns:x='urn:x'/><x:z/></r>");
    let r = m[1].to_element().unwrap();
    let ns: Vec<_> = r
        .children
        .iter()
        .map(|c| match c {
            RawNode::Element(e) => e.namespace.as_deref().unwrap_or(""),
            _ => "",
        })
        .collect();
    assert_eq!(ns, ["urn:x", "urn:o"]);
    // Declarations added count against the size limit: a long namespace name used by
    // many elements costs no more than `max_bytes` allows.
    let uri = "u".repeat(1000);
    let uses = "<a:x/>".repeat(100);
    let xml = format!(
        "<domain type='kvm' xmlns:a='{uri}'><name>x</name><metadata>{uses}</metadata></domain>"
    );
    let opts = libvirt_xml::ReadOptions::default().max_bytes(xml.len() + 50_000);
    let e = Domain::from_xml_with(&xml, opts).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::LimitExceeded { limit: "bytes", .. }), "{e}");
    assert_eq!(Domain::from_xml(&xml).unwrap().metadata.unwrap().elements.len(), 100);
    // Made from text: one element, an XML declaration and blanks around it at most.
    let a: RawXml = "<?xml version='1.0'?>\n<a b='1'/>\n".parse().unwrap();
    assert_eq!(a.as_str(), "<a b='1'/>");
    for bad in [
        "<a/><b/>",
        "<!-- c --><a/>",
        "<?xml-stylesheet href='x'?><a/>",
        "<a/>text",
        "<p:a/>",
        "<a>",
        "",
    ] {
        let e = bad.parse::<RawXml>().unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::Xml(_)), "{bad}: {e}");
    }
    // Made from a tree: a name XML cannot carry is refused where it is.
    let mut tree =
        RawElement { name: "t".into(), namespace: Some("urn:t".into()), ..Default::default() };
    tree.prefix = Some("p".into());
    assert_eq!(RawXml::try_from(&tree).unwrap().as_str(), "<p:t xmlns:p='urn:t'/>");
    tree.children.push(RawNode::Element(RawElement { name: "u v".into(), ..Default::default() }));
    let e = RawXml::try_from(&tree).unwrap_err();
    assert_eq!(
        (e.kind(), e.path()),
        (&ErrorKind::Unwritable("`u v` is not a valid element name".into()), "/p:t")
    );
}

#[test]
fn a_comment_inside_a_text_value_is_kept_after_the_text() {
    // A known limit of the model: an element's text is one value, so a comment or
    // processing instruction inside it is written after the whole text (not lost).
    let xml = "<domain type='kvm'><name>x</name><description>a <!-- c --> b</description></domain>";
    let d = Domain::from_xml(xml).unwrap();
    assert_eq!(d.description.as_ref().unwrap().value, "a  b");
    let out = d.to_xml().unwrap();
    assert!(out.contains("<description>a  b<!-- c --></description>"), "{out}");
    assert_eq!(Domain::from_xml(&out).unwrap(), d);
}

#[test]
fn same_name_siblings_keep_their_order() {
    let xml = r#"<domain type="kvm"><name>x</name><devices>
        <disk type="file"><target dev="vdc"/></disk><interface type="user"/>
        <disk type="block"><target dev="vda"/></disk><disk type="file"><target dev="vdb"/></disk>
        </devices></domain>"#;
    let d = Domain::from_xml(xml).unwrap();
    let devs: Vec<String> =
        d.devices.as_ref().unwrap().disks.iter().map(|d| d.target.dev.to_string()).collect();
    assert_eq!(devs, ["vdc", "vda", "vdb"]);
    round_trip(xml);
}

#[test]
fn values_are_typed() {
    let xml = r#"<domain type="kvm"><name>x</name><memory unit="KiB">0x400</memory>
        <features><acpi/><pae/></features><on_poweroff>destroy</on_poweroff>
        <devices><disk type="file"><target dev="vda"/><readonly/><shareable/></disk></devices></domain>"#;
    let d = Domain::from_xml(xml).unwrap();
    assert_eq!(d.memory.as_ref().unwrap().value, 1024u64);
    assert_eq!(VirYesNo::parse_value("yes"), Some(VirYesNo::Yes));
    round_trip(xml);
}

#[test]
fn the_infoset_comparison_sees_differences() {
    use common::infoset_diff;
    assert!(infoset_diff("<a x='1'/>", "<a x='1'></a>").is_ok());
    assert!(infoset_diff("<a><b/><c/></a>", "<a><c/><b/></a>").is_ok(), "different names may move");
    assert!(infoset_diff("<a x='1'/>", "<a x='2'/>").is_err());
    assert!(infoset_diff("<a x='1'/>", "<a/>").is_err());
    assert!(infoset_diff("<a><b n='1'/><b n='2'/></a>", "<a><b n='2'/><b n='1'/></a>").is_err());
    assert!(infoset_diff("<a>t</a>", "<a>u</a>").is_err());
    assert!(infoset_diff("<a><b/></a>", "<a/>").is_err());
    assert!(infoset_diff("<a xmlns='urn:x'/>", "<a/>").is_err());
}

#[test]
fn the_ordered_comparison_sees_differences() {
    use common::ordered_diff;
    assert!(ordered_diff("<a>\n  <b/>\n</a>", "<a><b/></a>").is_ok(), "layout is not content");
    assert!(ordered_diff("<a><b/><c/></a>", "<a><c/><b/></a>").is_err());
    assert!(ordered_diff("<a>x<b/></a>", "<a><b/>x</a>").is_err());
    assert!(ordered_diff("<a><!--c--><b/></a>", "<a><b/><!--c--></a>").is_err());
    assert!(ordered_diff("<a><?p d?></a>", "<a/>").is_err());
    assert!(ordered_diff("<a><b x='1'/></a>", "<a><b x='2'/></a>").is_err());
    assert!(ordered_diff("<a>t<![CDATA[u]]></a>", "<a>tu</a>").is_ok());
}

/// Permission bits are octal in libvirt: `<mode>0755</mode>` is 0o755, not 755.
#[test]
fn file_modes_are_read_and_written_in_octal() {
    use libvirt_xml::storagevol::StorageVolume;
    use libvirt_xml::FileMode;
    let xml = "<volume><name>v</name><capacity>1</capacity><target>\
               <permissions><mode>0750</mode></permissions></target></volume>";
    let mut vol = StorageVolume::from_xml(xml).unwrap();
    let perms = vol.target.permissions.as_mut().unwrap();
    let mode = perms.mode.as_mut().unwrap();
    assert_eq!(mode.value, FileMode(0o750));
    assert!(vol.to_xml().unwrap().contains("<mode>0750</mode>"));
    let perms = vol.target.permissions.as_mut().unwrap();
    perms.mode.as_mut().unwrap().value = FileMode(0o600);
    assert!(vol.to_xml().unwrap().contains("<mode>0600</mode>"));
    // A spelling without the leading zero stays as it was; 8 and 9 are not octal digits.
    assert_eq!(FileMode::parse_value("755"), Some(FileMode(0o755)));
    assert_eq!(FileMode::parse_value("0789"), None);

    let fs = "<domain type='kvm'><name>x</name><devices><filesystem type='mount' \
              fmode='644' dmode='0755'><source dir='/a'/><target dir='b'/></filesystem>\
              </devices></domain>";
    let out = round_trip(fs);
    assert!(out.contains("fmode='644' dmode='0755'"), "{out}");
    let d = Domain::from_xml(fs).unwrap();
    let f = &d.devices.as_ref().unwrap().filesystems[0];
    assert_eq!((f.fmode, f.dmode), (Some(FileMode(0o644)), Some(FileMode(0o755))));
}

#[test]
fn uuids_are_typed_and_keep_their_spelling_until_changed() {
    use libvirt_xml::Uuid;
    let dashed: Uuid = "C7A5FDBD-edaf-9455-926a-d65c16db1809".parse().unwrap();
    assert_eq!(dashed.to_string(), "c7a5fdbd-edaf-9455-926a-d65c16db1809");
    assert_eq!("c7a5fdbdedaf9455926ad65c16db1809".parse::<Uuid>(), Ok(dashed));
    for bad in
        ["c7a5fdbd", "g7a5fdbd-edaf-9455-926a-d65c16db1809", "c7a5fdbd-edaf-9455-926a+d65c16db1809"]
    {
        assert!(bad.parse::<Uuid>().is_err(), "{bad}");
    }
    // Another spelling is kept while the value is unchanged, then written as libvirt does.
    let xml =
        "<domain type='kvm'><name>vm</name><uuid>C7A5FDBDEDAF9455926AD65C16DB1809</uuid></domain>";
    assert!(round_trip(xml).contains("<uuid>C7A5FDBDEDAF9455926AD65C16DB1809</uuid>"));
    let mut d = Domain::from_xml(xml).unwrap();
    let uuid = d.uuid.as_mut().unwrap();
    assert_eq!(uuid.value, dashed);
    uuid.value.0[15] = 0x10;
    let out = d.to_xml().unwrap();
    assert!(out.contains("<uuid>c7a5fdbd-edaf-9455-926a-d65c16db1810</uuid>"), "{out}");
}

/// Blank text out of libvirt's layout is written back as it was read: kept as a code in
/// the document order where it is a newline and spaces, as a text node otherwise, and
/// joined to text a CDATA section splits from it.
#[test]
fn blank_text_out_of_layout_is_kept_in_place() {
    let odd = "<domain type='kvm'>\n     <name>x</name>\n <uuid>00000000-0000-0000-0000-000000000001</uuid>\n   </domain>\n";
    let d = Domain::from_xml(odd).unwrap();
    assert!(d.preserved.children().is_empty(), "{:?}", d.preserved.children());
    assert_eq!(d.to_xml().unwrap(), odd);
    let tabs = "<domain type='kvm'>\n\t<name>x</name>\n</domain>\n";
    let d = Domain::from_xml(tabs).unwrap();
    assert!(matches!(&d.preserved.children()[0], RawNode::Text(t) if t == "\n\t"));
    assert_eq!(d.to_xml().unwrap(), tabs);
    let split = "<domain type='kvm'><name>x</name>\n   <![CDATA[a]]>\n   </domain>";
    let d = Domain::from_xml(split).unwrap();
    assert!(matches!(&d.preserved.children()[0], RawNode::Text(t) if t == "\n   a\n   "));
    round_trip(split);
    let out = d.to_xml().unwrap();
    assert_eq!(Domain::from_xml(&out).unwrap(), d, "{out}");
}

/// Blank text kept as a code belongs to the element it was read in: a child that
/// continues a repeated group (a CPU model's `<blockers>`) notes nothing of its own, and
/// must not take its parent's code; text joined across a CDATA section that comes out
/// blank is a code too, as it reads back.
#[test]
fn blank_text_codes_stay_with_their_element() {
    use libvirt_xml::domaincaps::DomainCapabilities;
    let caps = "<domainCapabilities>\n  <path>/usr/bin/qemu</path>\n  <domain>kvm</domain>\n  \
        <cpu>\n    <mode name='custom' supported='yes'>\n      \
        <model usable='yes' vendor='x'>m</model>\n         \
        <blockers model='m'>abc<feature name='f'/></blockers>\n    </mode>\n  </cpu>\n\
        </domainCapabilities>\n";
    let d = DomainCapabilities::from_xml(caps).unwrap();
    let out = d.to_xml().unwrap();
    // The group's content as read; the blank between its members follows the group (a
    // group is written whole), in `<mode>`.
    assert!(
        out.contains("<blockers model='m'>abc<feature name='f'/></blockers>\n         </mode>"),
        "{out}"
    );
    assert_eq!(DomainCapabilities::from_xml(&out).unwrap(), d);
    for xml in [
        "<domain type='kvm'><name>x</name>\n   <![CDATA[  ]]></domain>",
        "<domain type='kvm'><name>x</name><![CDATA[]]>\n   </domain>",
        "<domain type='kvm'><name>x</name>\n   <![CDATA[]]></domain>",
    ] {
        let d = Domain::from_xml(xml).unwrap();
        assert!(d.preserved.children().is_empty(), "{xml}: {:?}", d.preserved.children());
        let out = round_trip(xml);
        assert_eq!(Domain::from_xml(&out).unwrap(), d, "{xml}\n{out}");
    }
}

/// An element added after reading goes where the schema puts it, before blank text kept
/// at the end, which stays on the end tag.
#[test]
fn added_elements_go_before_kept_trailing_blank_text() {
    let mut d = Domain::from_xml("<domain type='kvm'><name>x</name>\n    </domain>").unwrap();
    let value: libvirt_xml::Uuid = "00000000-0000-0000-0000-000000000001".parse().unwrap();
    d.uuid = Some(Box::new(value.into()));
    let out = d.to_xml().unwrap();
    assert!(out.ends_with("</uuid>\n    </domain>\n"), "{out}");
}

/// IP addresses are `std::net` types: written in the standard form, another spelling
/// kept until the value changes; text that is no address is kept and reported.
#[test]
fn ip_addresses_are_typed_and_keep_their_spelling() {
    use libvirt_xml::network::Network;
    use libvirt_xml::ReadOptions;
    use std::net::{IpAddr, Ipv4Addr};
    let xml = "<network><name>n</name><ip address='192.168.122.1' netmask='255.255.255.0'>\
        <dhcp><range start='FE80::0002' end='fe80::9'/></dhcp></ip></network>";
    let mut net = Network::from_xml(xml).unwrap();
    let ip = &mut net.ips[0];
    assert_eq!(ip.address, Some(IpAddr::V4(Ipv4Addr::new(192, 168, 122, 1))));
    assert_eq!(ip.netmask, Some(Ipv4Addr::new(255, 255, 255, 0)));
    let range = &mut ip.dhcp.as_mut().unwrap().ranges[0];
    assert_eq!(range.start, "fe80::2".parse::<IpAddr>().unwrap());
    let out = net.to_xml().unwrap();
    assert!(out.contains("start='FE80::0002' end='fe80::9'"), "{out}");
    common::infoset_diff(xml, &out).unwrap();
    let range = &mut net.ips[0].dhcp.as_mut().unwrap().ranges[0];
    range.start = "fe80::3".parse().unwrap();
    range.end = [10, 0, 0, 9].into();
    let out = net.to_xml().unwrap();
    assert!(out.contains("start='fe80::3' end='10.0.0.9'"), "{out}");

    let odd = xml.replace("fe80::9", "gateway.example");
    assert!(Network::from_xml_with(&odd, ReadOptions::default().strict(true)).is_err());
    let (net, diagnostics) =
        Network::from_xml_with_diagnostics(&odd, ReadOptions::default()).unwrap();
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert!(diagnostics[0].to_string().contains("IPv4 or IPv6"), "{}", diagnostics[0]);
    let range = &net.ips[0].dhcp.as_ref().unwrap().ranges[0];
    assert_eq!(range.end, IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    assert!(net.to_xml().unwrap().contains("end='gateway.example'"));
    // A struct holding a required address defaults it to 0.0.0.0.
    let range = libvirt_xml::network::DhcpRange::default();
    assert_eq!(range.start, IpAddr::V4(Ipv4Addr::UNSPECIFIED));
}

#[test]
fn values_a_document_repeats_share_one_string_and_keep_their_text() {
    use libvirt_xml::domaincaps::DomainCapabilities;
    // Longer than a `Str` holds in place.
    let names = ["virtio-scsi", "lsilogic-sas", "virtio-transitional", "qemu-xhci", "piix3-uhci"];
    let values = |n: usize| -> String {
        (0..n).map(|i| format!("<value>{}</value>", names[i % names.len()])).collect()
    };
    let xml = format!(
        "<domainCapabilities><path>/usr/bin/qemu</path><domain>kvm</domain>\
         <arch>x86_64</arch><devices><disk supported='yes'>\
         <enum name='bus'>{}</enum><enum name='model'>{}</enum>\
         </disk></devices></domainCapabilities>",
        values(100),
        values(100)
    );
    let caps = DomainCapabilities::from_xml(&xml).unwrap();
    let disk = caps.devices.as_ref().unwrap().disk.as_ref().unwrap();
    let (bus, model) = (&disk.enums[0].values, &disk.enums[1].values);
    for (i, v) in bus.iter().chain(model.iter()).enumerate() {
        assert_eq!(v.value, names[i % 100 % names.len()]);
    }
    // Past the document's first strings, a repeated value is the one read before (the
    // five names take five different slots of the reader's table: hashing is fixed).
    assert_eq!(model[0].value.as_ptr(), model[5].value.as_ptr());
    assert_eq!(model[99].value.as_ptr(), model[94].value.as_ptr());
    assert_eq!(DomainCapabilities::from_xml(&caps.to_xml().unwrap()).unwrap(), caps);
}
