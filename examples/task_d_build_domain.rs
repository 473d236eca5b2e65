//! Builds a KVM domain from scratch, prints its XML and validates it.
//!
//! `cargo run --example task_d_build_domain`
//! CI input: none
use libvirt_xml::domain::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut domain = Domain { r#type: DomainType::Kvm, name: "demo".into(), ..Default::default() };
    domain.memory.get_or_insert_default().set_bytes(2 << 30);
    domain.vcpu = Some(Box::new(2.into()));
    let os = &mut domain.os.get_or_insert_default().r#type;
    os.arch = Some(Arch::X86_64);
    os.machine = Some("q35".into());
    os.value = OsTypeValue::Hvm;

    let mut file = DiskFile::default();
    file.source.get_or_insert_default().file = Some("/var/lib/libvirt/images/demo.qcow2".into());
    let mut disk = Disk { device: Some(DiskDevice::Disk), ..Default::default() };
    disk.r#type = DiskType::File(file);
    let driver = disk.driver.get_or_insert_default();
    driver.name = Some("qemu".into());
    driver.r#type = Some(DiskDriverType::Qcow2);
    disk.target.dev = "vda".into();
    disk.target.bus = Some(DiskTargetBus::Virtio);

    let mut network = InterfaceNetwork::default();
    network.source.network = "default".into();
    let mut nic =
        Interface { r#type: InterfaceType::Network(Box::new(network)), ..Default::default() };
    nic.model.get_or_insert_default().r#type = "virtio".into();
    let vnc = GraphicsVnc { autoport: Some(VirYesNo::Yes), ..Default::default() };

    let devices = domain.devices.get_or_insert_default();
    devices.disks.push(disk);
    devices.interfaces.push(nic);
    devices
        .graphics
        .push(Graphics { r#type: GraphicsType::Vnc(Box::new(vnc)), ..Default::default() });
    devices.serials.push(Serial { r#type: ChardevType::Pty, ..Default::default() });
    devices.consoles.push(Console { r#type: Some(ChardevType::Pty), ..Default::default() });

    print!("{}", domain.to_xml()?);
    // Every problem, with its element path; main then exits with status 1.
    domain.validate()?;
    Ok(())
}
