//! Builds a KVM domain from scratch, prints its XML and validates it.
use libvirt_xml::domain::*;
use libvirt_xml::Unit;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let disk = Disk {
        r#type: DiskType::File(DiskFile {
            source: Some(Box::new(DiskFileSource {
                file: Some("/var/lib/libvirt/images/demo.qcow2".into()),
                ..Default::default()
            })),
            ..Default::default()
        }),
        device: Some(DiskDevice::Disk),
        driver: Some(Box::new(DiskDriver {
            name: Some("qemu".into()),
            r#type: Some(DiskDriverType::Qcow2),
            ..Default::default()
        })),
        target: DiskTarget {
            dev: "vda".into(),
            bus: Some(DiskTargetBus::Virtio),
            ..Default::default()
        },
        ..Default::default()
    };
    let nic = Interface {
        r#type: InterfaceType::Network(InterfaceNetwork {
            source: InterfaceNetworkSource {
                network: "default".into(),
                ..Default::default()
            },
            ..Default::default()
        }),
        model: Some(Box::new(InterfaceModel {
            r#type: "virtio".into(),
            ..Default::default()
        })),
        ..Default::default()
    };
    let vnc = Graphics {
        r#type: GraphicsType::Vnc(GraphicsVnc {
            autoport: Some(VirYesNo::Yes),
            ..Default::default()
        }),
        ..Default::default()
    };
    let domain = Domain {
        r#type: DomainType::Kvm,
        name: "demo".into(),
        memory: Some(Box::new(DomainMemory::new(2, Unit::GiB))),
        vcpu: Some(Box::new(2.into())),
        os: Some(Box::new(DomainOs {
            r#type: OsType {
                arch: Some(Arch::X86_64),
                machine: Some("q35".into()),
                value: OsTypeValue::Hvm,
                ..Default::default()
            },
            ..Default::default()
        })),
        devices: Some(Box::new(Devices {
            disks: vec![disk],
            interfaces: vec![nic],
            graphics: vec![vnc],
            serials: vec![Serial {
                r#type: ChardevType::Pty,
                ..Default::default()
            }],
            consoles: vec![Console {
                r#type: Some(ChardevType::Pty),
                ..Default::default()
            }],
            ..Default::default()
        })),
        ..Default::default()
    };

    print!("{}", domain.to_xml()?);
    // Every problem, with its element path; main then exits with status 1.
    domain.validate()?;
    Ok(())
}
