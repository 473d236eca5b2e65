//! Prints a storage pool's and a storage volume's capacity and allocation in bytes.
//!
//! `cargo run --example task_i_storage_sizes -- POOL.xml VOLUME.xml`
//! CI input: tests/corpus/tests/storagepoolxml2xmlin/pool-logical.xml tests/corpus/tests/storagevolxml2xmlin/vol-file-backing.xml
use libvirt_xml::{storagepool::StoragePool, storagevol::StorageVolume};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut files = std::env::args().skip(1).map(std::fs::read_to_string);
    let pool = StoragePool::from_xml(&files.next().ok_or("usage: POOL.xml VOLUME.xml")??)?;
    let vol = StorageVolume::from_xml(&files.next().ok_or("usage: POOL.xml VOLUME.xml")??)?;

    let capacity = pool.capacity.as_ref().and_then(|c| c.bytes()).unwrap_or(0);
    let allocation = pool.allocation.as_ref().and_then(|a| a.bytes()).unwrap_or(0);
    println!("pool: capacity {capacity} bytes, allocation {allocation} bytes");
    let capacity = vol.capacity.as_ref().and_then(|c| c.bytes()).unwrap_or(0);
    let allocation = vol.allocation.as_ref().and_then(|a| a.bytes()).unwrap_or(0);
    println!("volume: capacity {capacity} bytes, allocation {allocation} bytes");
    Ok(())
}
