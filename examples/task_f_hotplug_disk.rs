//! Reads a <disk> device snippet (as for `virsh attach-device`), points it at another
//! image file, and writes it back.
//!
//! `cargo run --example task_f_hotplug_disk < disk.xml`
//! CI input: < tests/corpus/tests/qemuhotplugtestdevices/qemuhotplug-disk-usb.xml
use libvirt_xml::domain::{Disk, DiskType};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut disk = Disk::from_xml(&std::io::read_to_string(std::io::stdin())?)?;

    let DiskType::File(file) = &mut disk.r#type else {
        return Err(format!("not a file disk: type={}", disk.r#type.as_str()).into());
    };
    file.source.get_or_insert_default().file = Some("/var/lib/libvirt/images/new.img".into());
    disk.readonly = None;

    print!("{}", disk.to_xml()?);
    Ok(())
}
