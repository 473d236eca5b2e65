//! Validation agrees with `xmllint --relaxng`: over the whole corpus (whose `corpus.tsv`
//! holds xmllint's verdict for every file) no valid document is flagged and the invalid
//! ones are caught; values built in code are checked the same way.

#[path = "common/rows.rs"]
mod corpus_rows;

use libvirt_xml::domain::{Disk, Domain};
use libvirt_xml::{cpu::Cpu, device::DeviceRoot, Document, ErrorKind};

/// Validates a document with the entry point its row's schema calls for.
fn validate_xml(schema: &str, xml: &str) -> Result<(), libvirt_xml::Invalid> {
    match schema {
        "device.rng" => DeviceRoot::validate_xml(xml),
        "cpu-baseline.rng" => Cpu::validate_xml(xml),
        _ => Document::validate_xml(xml),
    }
}

/// Reads a document (leniently) and validates the value: `None` when it does not load.
fn validate_value(schema: &str, xml: &str) -> Option<Result<(), libvirt_xml::Invalid>> {
    Some(match schema {
        "device.rng" => DeviceRoot::from_xml(xml).ok()?.validate(),
        "cpu-baseline.rng" => Cpu::from_xml(xml).ok()?.validate(),
        _ => Document::from_xml(xml).ok()?.validate(),
    })
}

#[test]
fn validation_agrees_with_xmllint_on_the_corpus() {
    let started = std::time::Instant::now();
    let (mut valid, mut flagged) = (0, Vec::new());
    let (mut invalid, mut caught, mut missed) = (0, 0, Vec::new());
    let mut disagree = Vec::new();
    for row in corpus_rows::rows() {
        let xml = corpus_rows::read(&row).expect("corpus file");
        let verdict = validate_xml(&row.schema, &xml);
        // The value read from the document gets the same verdict (it writes back as read).
        if let Some(v) = validate_value(&row.schema, &xml) {
            if v.is_ok() != verdict.is_ok() {
                disagree.push(row.path.clone());
            }
        }
        match row.status.as_str() {
            "valid" => {
                valid += 1;
                if let Err(problems) = verdict {
                    flagged.push(format!("{}: {}", row.path, problems[0]));
                }
            }
            _ => {
                invalid += 1;
                match verdict {
                    Err(_) => caught += 1,
                    Ok(()) => missed.push(row.path.clone()),
                }
            }
        }
    }
    println!(
        "validation over the corpus in {:.1} s: valid {valid} files, {} flagged; \
         invalid or unparsable {invalid} files, {caught} caught ({:.1}%)",
        started.elapsed().as_secs_f64(),
        flagged.len(),
        100.0 * caught as f64 / invalid as f64
    );
    for f in &flagged {
        println!("FLAGGED {f}");
    }
    for m in &missed {
        println!("MISSED {m}");
    }
    assert!(flagged.is_empty(), "{} valid files flagged", flagged.len());
    assert!(disagree.is_empty(), "validating the value and the document disagree: {disagree:?}");
    assert!(caught * 100 >= invalid * 95, "only {caught} of {invalid} invalid files caught");
}

#[test]
fn every_violation_is_reported_with_its_path_and_position() {
    let xml = "<domain type='kvm'>
  <name>a</name>
  <name>b</name>
  <memory unit='parsecs'>1</memory>
  <disk type='file'/>
  <devices>
    <disk type='file' device='disk'>
      <source file='/x.img'/>
    </disk>
    <interface type='network'>
      <mac address='not-a-mac'/>
      <source network='default'/>
    </interface>
  </devices>
</domain>";
    let problems = Domain::validate_xml(xml).unwrap_err();
    let shown: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    let expect = [
        "element <name> is not allowed here",
        "at /domain/name[2] (line 3, column 3)",
        "invalid value \"parsecs\" for @unit",
        "at /domain/memory (line 4, column 3)",
        "element <disk> is not allowed here",
        "at /domain/disk (line 5, column 3)",
        "missing required element <target>",
        "at /domain/devices/disk (line 7, column 5)",
        "invalid value \"not-a-mac\" for @address",
        "at /domain/devices/interface/mac (line 11, column 7)",
    ];
    for e in expect {
        assert!(shown.iter().any(|s| s.contains(e)), "no problem shows {e:?}: {shown:#?}");
    }
    assert_eq!(problems.len(), 5, "{shown:#?}");
}

#[test]
fn defaults_built_in_code_are_flagged() {
    // `<domain type='…'><name></name></domain>` and `<disk type='file'><target dev=''/></disk>`:
    // xmllint rejects both, and so does validate().
    let domain = Domain::default().validate().unwrap_err();
    assert!(domain.iter().all(|p| p.line() == 0 && p.path().starts_with("/domain")), "{domain:?}");
    assert!(domain
        .iter()
        .any(|p| matches!(p.kind(), ErrorKind::InvalidValue { item, .. } if item == "text()")
            && p.path() == "/domain/name"));
    let disk = Disk::default().validate().unwrap_err();
    assert!(disk
        .iter()
        .any(|p| matches!(p.kind(), ErrorKind::InvalidValue { item, .. } if item == "@dev")
            && p.path() == "/disk/target"));
}

#[test]
fn values_read_from_valid_documents_validate() {
    let xml = std::fs::read_to_string(
        corpus_rows::root()
            .join("tests/corpus/tests/qemuxmlconfdata/disk-network-nbd.x86_64-latest.xml"),
    )
    .unwrap();
    let mut domain = Domain::from_xml(&xml).unwrap();
    assert_eq!(domain.validate(), Ok(()));
    // One edit that breaks the schema is found, with the path of what changed.
    let disk = &mut domain.devices.as_mut().unwrap().disks[0];
    disk.target.dev = "not a device".into();
    let problems = domain.validate().unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].path(), "/domain/devices/disk[1]/target");
}

#[test]
fn a_domain_built_in_code_validates() {
    use libvirt_xml::domain::{
        Devices, DiskFile, DiskFileSource, DiskTarget, DiskType, DomainMemory, DomainOs,
        DomainType, OsType,
    };
    let disk = Disk {
        r#type: DiskType::File(DiskFile {
            source: Some(Box::new(DiskFileSource {
                file: Some("/var/lib/libvirt/images/vm.qcow2".into()),
                ..Default::default()
            })),
            ..Default::default()
        }),
        target: DiskTarget { dev: "vda".into(), ..Default::default() },
        ..Default::default()
    };
    let domain = Domain {
        r#type: DomainType::Kvm,
        name: "vm".into(),
        memory: Some(DomainMemory::new(2, libvirt_xml::Unit::GiB)),
        os: Some(Box::new(DomainOs {
            r#type: OsType { value: libvirt_xml::domain::OsTypeValue::Hvm, ..Default::default() },
            ..Default::default()
        })),
        devices: Some(Box::new(Devices {
            disks: libvirt_xml::thin_vec![disk],
            ..Default::default()
        })),
        ..Default::default()
    };
    assert_eq!(domain.validate(), Ok(()), "{}", domain.to_xml().unwrap());
}

/// A value that fails a long pattern (an IPv6 address's is 1,480 characters) names the
/// pattern in part, so the message stays readable.
#[test]
fn long_patterns_are_shown_in_part() {
    let xml =
        "<network><name>n</name><ip family='ipv6' address='2001:db8::zz' prefix='64'/></network>";
    let problems = libvirt_xml::network::Network::validate_xml(xml).unwrap_err();
    let shown: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert!(shown.iter().any(|s| s.contains("invalid value \"2001:db8::zz\" for @address")));
    for s in &shown {
        assert!(s.len() < 600, "{s}");
    }
    assert!(shown.iter().any(|s| s.contains("(a pattern of 1")), "{shown:#?}");
}
