//! Edits a domain: more memory, a second disk, no USB controllers, a <metadata> entry.
use libvirt_xml::domain::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        "tests/corpus/tests/qemuxmlconfdata/x86_64-q35-headless.x86_64-latest.xml".into()
    });
    let mut domain = Domain::from_xml(&std::fs::read_to_string(path)?)?;

    domain
        .memory
        .get_or_insert_with(Default::default)
        .set_bytes(8 << 30);
    let devices = domain.devices.get_or_insert_with(Default::default);
    devices.disks.push(Disk {
        r#type: DiskType::File(DiskFile {
            source: Some(Box::new(DiskFileSource {
                file: Some("/var/lib/libvirt/images/data.qcow2".into()),
                ..Default::default()
            })),
            ..Default::default()
        }),
        target: DiskTarget {
            dev: "vdb".into(),
            bus: Some(DiskTargetBus::Virtio),
            ..Default::default()
        },
        ..Default::default()
    });
    devices
        .controllers
        .retain(|c| c.r#type != Some(ControllerType::Usb));
    let metadata = domain.metadata.get_or_insert_with(Default::default);
    metadata
        .elements
        .push("<app:owner xmlns:app='http://example.org/app/1.0'>alice</app:owner>".parse()?);

    print!("{}", domain.to_xml()?);
    // Every problem, with its element path; main then exits with status 1.
    domain.validate()?;
    Ok(())
}
