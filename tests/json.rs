//! JSON (serde) as a person would write it: every valid corpus document goes XML → JSON →
//! XML and comes back infoset-equal, in its order; values are in their XML spelling, empty parts are
//! left out, and a hand-written document with only what it needs deserializes.

mod common;
#[path = "common/rows.rs"]
mod corpus_rows;

use libvirt_xml::domain::Domain;
use libvirt_xml::{cpu::Cpu, device::DeviceRoot, Document};

fn through_json<T>(xml: &str, parse: fn(&str) -> Result<T, libvirt_xml::Error>) -> Result<T, String>
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    let value = parse(xml).map_err(|e| e.to_string())?;
    let json = serde_json::to_string(&value).map_err(|e| e.to_string())?;
    serde_json::from_str(&json).map_err(|e| format!("{e}: {json}"))
}

#[test]
fn corpus_documents_survive_json() {
    let (mut files, mut equal, mut json_bytes, mut xml_bytes) = (0, 0, 0, 0);
    let mut failures = Vec::new();
    for row in corpus_rows::rows() {
        if row.status != "valid" {
            continue;
        }
        let xml = corpus_rows::read(&row).expect("corpus file");
        files += 1;
        xml_bytes += xml.len();
        let written = match row.schema.as_str() {
            "device.rng" => through_json(&xml, DeviceRoot::from_xml).and_then(|v| {
                json_bytes += serde_json::to_string(&v).unwrap().len();
                v.to_xml().map_err(|e| e.to_string())
            }),
            "cpu-baseline.rng" => through_json(&xml, Cpu::from_xml).and_then(|v| {
                json_bytes += serde_json::to_string(&v).unwrap().len();
                v.to_xml().map_err(|e| e.to_string())
            }),
            _ => through_json(&xml, Document::from_xml).and_then(|v| {
                json_bytes += serde_json::to_string(&v).unwrap().len();
                v.to_xml().map_err(|e| e.to_string())
            }),
        };
        // Document order survives too (JSON keeps it in `preserved` where it is not the
        // schema's).
        let compared = written
            .map(|w| common::infoset_diff(&xml, &w).and_then(|()| common::ordered_diff(&xml, &w)));
        match compared {
            Ok(Ok(())) => equal += 1,
            Ok(Err(d)) => failures.push(format!("{}: {d}", row.path)),
            Err(e) => failures.push(format!("{}: {e}", row.path)),
        }
    }
    println!(
        "XML -> JSON -> XML: {equal}/{files} valid corpus documents infoset- and order-equal; \
         JSON {json_bytes} bytes for {xml_bytes} bytes of XML ({:.2}x)",
        json_bytes as f64 / xml_bytes as f64
    );
    for f in failures.iter().take(20) {
        println!("FAIL {f}");
    }
    assert!(failures.is_empty(), "{} failures", failures.len());
}

#[test]
fn json_uses_xml_spellings_and_leaves_empty_parts_out() {
    let xml = "<domain type='kvm'><name>vm</name><memory unit='KiB'>1048576</memory>\
               <os><type arch='x86_64' machine='q35'>hvm</type></os>\
               <devices><disk type='file' device='disk'><source file='/vm.img'/>\
               <target dev='vda' bus='virtio'/></disk></devices></domain>";
    let d = Domain::from_xml(xml).unwrap();
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["type"], "kvm");
    assert_eq!(json["name"], "vm");
    assert_eq!(json["memory"]["unit"], "KiB");
    assert_eq!(json["os"]["type"]["arch"], "x86_64");
    assert_eq!(json["devices"]["disks"][0]["type"]["file"]["source"]["file"], "/vm.img");
    assert_eq!(json["devices"]["disks"][0]["target"]["bus"], "virtio");
    let text = json.to_string();
    assert!(!text.contains("null") && !text.contains("[]"), "{text}");
    // In libvirt's order, the document needs no bookkeeping at all.
    assert!(!text.contains("preserved"), "{text}");
    // Out of it (`<os>` before `<memory>`), the order read is kept, and only that.
    let swapped = xml.replace(
        "<memory unit='KiB'>1048576</memory><os><type arch='x86_64' machine='q35'>hvm</type></os>",
        "<os><type arch='x86_64' machine='q35'>hvm</type></os><memory unit='KiB'>1048576</memory>",
    );
    let json = serde_json::to_value(Domain::from_xml(&swapped).unwrap()).unwrap();
    let order = json["preserved"]["child_order"].as_array().unwrap();
    assert_eq!(order.len(), 4, "{json}");
    assert_eq!(json.to_string().matches("preserved").count(), 1, "{json}");
}

#[test]
fn json_of_a_libvirt_domain_is_about_its_xml_size() {
    let path = "tests/corpus/tests/qemuxmlconfdata/boot-order.x86_64-latest.xml";
    let xml = std::fs::read_to_string(corpus_rows::root().join(path)).unwrap();
    let json = serde_json::to_string(&Domain::from_xml(&xml).unwrap()).unwrap();
    println!("{path}: {} bytes of XML, {} bytes of JSON", xml.len(), json.len());
    assert!(json.len() < xml.len() * 2, "{json}");
}

#[test]
fn drivers_extensions_are_one_object() {
    let xml = r#"<domain type="kvm" xmlns:qemu="http://libvirt.org/schemas/domain/qemu/1.0"><name>vm</name>
        <qemu:commandline><qemu:arg value="-no-hpet"/></qemu:commandline></domain>"#;
    let json: serde_json::Value = serde_json::to_value(Domain::from_xml(xml).unwrap()).unwrap();
    assert_eq!(json["extensions"]["qemu_commandline"]["args"][0]["value"], "-no-hpet", "{json}");
    assert!(json.get("qemu_commandline").is_none(), "{json}");
    // Hand-written, and absent.
    let d: Domain = serde_json::from_str(
        r#"{"type":"kvm","name":"vm","extensions":{"qemu_commandline":{"args":[{"value":"-S"}]}}}"#,
    )
    .unwrap();
    assert!(d.to_xml().unwrap().contains("<qemu:arg value='-S'/>"));
    let d: Domain = serde_json::from_str(r#"{"type":"kvm","name":"vm"}"#).unwrap();
    assert!(d.extensions.is_none());
}

#[test]
fn hand_written_json_deserializes() {
    let d: Domain = serde_json::from_str(r#"{"type":"kvm","name":"vm"}"#).unwrap();
    assert_eq!(d.name.value, "vm");
    assert_eq!(d.to_xml().unwrap(), "<domain type='kvm'>\n  <name>vm</name>\n</domain>\n");
    // A value the schema does not list is `Other` (`""`), whose text a document read from
    // XML keeps in `preserved`, JSON or not; any other string is refused, not dropped.
    let err = serde_json::from_str::<Domain>(r#"{"type":"hypothetical","name":"vm"}"#)
        .unwrap_err()
        .to_string();
    assert!(err.contains("hypothetical") && err.contains("`kvm`"), "{err}");
    let d: Domain = serde_json::from_str(r#"{"type":"","name":"vm"}"#).unwrap();
    let err = d.to_xml().unwrap_err().to_string();
    assert!(err.contains("`Other` with no text") && err.contains("/domain"), "{err}");
    let read = Domain::from_xml("<domain type='hypothetical'><name>vm</name></domain>").unwrap();
    let json = serde_json::to_string(&read).unwrap();
    let back: Domain = serde_json::from_str(&json).unwrap();
    assert!(back.to_xml().unwrap().starts_with("<domain type='hypothetical'>"), "{json}");
}

#[test]
fn open_content_is_xml_text_in_json() {
    let xml = "<domain type='kvm'><name>vm</name><metadata>\
               <app:owner xmlns:app='urn:app' since='2026'>alice</app:owner></metadata></domain>";
    let d = Domain::from_xml(xml).unwrap();
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(
        json["metadata"]["elements"][0],
        "<app:owner xmlns:app='urn:app' since='2026'>alice</app:owner>"
    );
    let back: Domain = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(back, d);
    // Text that is not one well-formed element is refused, naming what is wrong.
    let mut bad = json;
    bad["metadata"]["elements"][0] = "<app:owner>alice</app:owner>".into();
    let err = serde_json::from_value::<Domain>(bad).unwrap_err().to_string();
    assert!(err.contains("unbound namespace prefix `app`"), "{err}");
}
