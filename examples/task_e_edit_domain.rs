//! Edits a domain: more memory, a second disk, no USB controllers, a <metadata> entry.
//!
//! `virsh dumpxml VM | cargo run --example task_e_edit_domain`
//! CI input: < tests/corpus/tests/qemuxmlconfdata/x86_64-q35-headless.x86_64-latest.xml
use libvirt_xml::domain::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut domain = Domain::from_xml(&std::io::read_to_string(std::io::stdin())?)?;

    domain.memory.get_or_insert_default().set_bytes(8 << 30);
    let mut file = DiskFile::default();
    file.source.get_or_insert_default().file = Some("/var/lib/libvirt/images/data.qcow2".into());
    let mut disk = Disk { r#type: DiskType::File(file), ..Default::default() };
    disk.target.dev = "vdb".into();
    disk.target.bus = Some(DiskTargetBus::Virtio);

    let devices = domain.devices.get_or_insert_default();
    devices.disks.push(disk);
    devices.controllers.retain(|c| c.r#type != Some(ControllerType::Usb));
    let owner = "<app:owner xmlns:app='http://example.org/app/1.0'>alice</app:owner>";
    domain.metadata.get_or_insert_default().set_element(owner.parse()?);

    print!("{}", domain.to_xml()?);
    // Every problem, with its element path; main then exits with status 1.
    domain.validate()?;
    Ok(())
}
