//! Reads a <disk> device snippet (as for `virsh attach-device`), points it at another
//! image file, and writes it back.
use libvirt_xml::domain::{Disk, DiskType};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        "tests/corpus/tests/qemuhotplugtestdevices/qemuhotplug-disk-usb.xml".into()
    });
    let mut disk = Disk::from_xml(&std::fs::read_to_string(path)?)?;

    let DiskType::File(file) = &mut disk.r#type else {
        return Err(format!("not a file disk: type={}", disk.r#type.as_str()).into());
    };
    let source = file.source.get_or_insert_with(Default::default);
    source.file = Some("/var/lib/libvirt/images/new.img".into());
    disk.readonly = None;

    print!("{}", disk.to_xml()?);
    Ok(())
}
