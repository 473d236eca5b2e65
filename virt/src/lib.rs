//! libvirt-xml with the `virt` crate on libvirt's `test:///default` driver: nothing here;
//! the tests (`tests/virt.rs`) and the example (`examples/list_domains.rs`) are what this
//! package is for (see README.md).
