//! Parsing and validating arbitrary bytes never panic; whatever parses writes and
//! validates without panicking, and what it writes parses again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use libvirt_xml::device::DeviceRoot;
use libvirt_xml::Document;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let _ = Document::validate_xml(s);
    if let Ok(doc) = Document::from_xml(s) {
        let _ = doc.validate();
        if let Ok(out) = doc.to_xml() {
            if let Err(e) = Document::from_xml(&out) {
                panic!("Document written does not parse again: {e}\ninput: {s:?}\noutput: {out:?}");
            }
        }
    }
    if let Ok(dev) = DeviceRoot::from_xml(s) {
        if let Ok(out) = dev.to_xml() {
            if let Err(e) = DeviceRoot::from_xml(&out) {
                panic!("DeviceRoot written does not parse again: {e}\ninput: {s:?}\noutput: {out:?}");
            }
        }
    }
});
