//! Prints a storage pool's and a storage volume's capacity and allocation in bytes.
use libvirt_xml::storagepool::StoragePool;
use libvirt_xml::storagevol::StorageVolume;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let pool_path = args
        .next()
        .unwrap_or_else(|| "tests/corpus/tests/storagepoolxml2xmlin/pool-logical.xml".into());
    let vol_path = args
        .next()
        .unwrap_or_else(|| "tests/corpus/tests/storagevolxml2xmlin/vol-file-backing.xml".into());
    let pool = StoragePool::from_xml(&std::fs::read_to_string(pool_path)?)?;
    let vol = StorageVolume::from_xml(&std::fs::read_to_string(vol_path)?)?;

    let capacity = pool.capacity.as_ref().and_then(|c| c.bytes()).unwrap_or(0);
    let allocation = pool
        .allocation
        .as_ref()
        .and_then(|a| a.bytes())
        .unwrap_or(0);
    println!("pool: capacity {capacity} bytes, allocation {allocation} bytes");
    let capacity = vol.capacity.as_ref().and_then(|c| c.bytes()).unwrap_or(0);
    let allocation = vol.allocation.as_ref().and_then(|a| a.bytes()).unwrap_or(0);
    println!("volume: capacity {capacity} bytes, allocation {allocation} bytes");
    Ok(())
}
