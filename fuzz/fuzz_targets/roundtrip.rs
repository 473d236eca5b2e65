//! A round trip keeps the value: for every input that parses,
//! `from_xml(to_xml(from_xml(s)))` equals `from_xml(s)`, for `Document` and `DeviceRoot`.
#![no_main]

use std::fmt::Debug;

use libfuzzer_sys::fuzz_target;
use libvirt_xml::device::DeviceRoot;
use libvirt_xml::{Document, Error};

fn check<T: PartialEq + Debug>(
    what: &str,
    s: &str,
    from_xml: fn(&str) -> Result<T, Error>,
    to_xml: fn(&T) -> Result<String, Error>,
) {
    let Ok(first) = from_xml(s) else {
        return;
    };
    // Writing may refuse a value (the `parse` target checks it does so without panicking).
    let Ok(out) = to_xml(&first) else {
        return;
    };
    let second = match from_xml(&out) {
        Ok(v) => v,
        Err(e) => panic!("{what} written does not parse again: {e}\ninput: {s:?}\noutput: {out:?}"),
    };
    if first != second {
        panic!(
            "{what} changed in a round trip\ninput: {s:?}\noutput: {out:?}\nfirst: {first:#?}\nsecond: {second:#?}"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    check("Document", s, Document::from_xml, Document::to_xml);
    check("DeviceRoot", s, DeviceRoot::from_xml, DeviceRoot::to_xml);
});
