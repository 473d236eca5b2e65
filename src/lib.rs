//! Hand-written runtime of the generated `libvirt-xml` crate.
//!
//! The generated code is mostly tables of names; the work of reading attributes, checking
//! occurrence, keeping unknown content and writing escaped XML is done here, once, so the
//! generated crate stays small and compiles quickly. Consumers use it through the
//! re-exports of `libvirt-xml` ([`Error`], [`RawElement`], [`Preserved`], ...).

// Safe Rust throughout, but for `Str`'s text held in its pointer (`string.rs`, which
// allows it for itself alone): no safe type is one word wide and holds text in place.
#![deny(unsafe_code)]
#![warn(missing_docs)]

mod chars;
mod element;
mod error;
mod options;
mod raw;
mod reader;
#[cfg(feature = "serde")]
#[doc(hidden)]
pub mod serde_support;
mod string;
pub mod units;
#[doc(hidden)]
pub mod validate;
mod value;
mod writer;

pub use element::{check_root, wrong_root, Element, XmlDocument};
pub use error::{Error, ErrorKind, Invalid};
pub use options::{ReadOptions, MAX_DEPTH};
pub use raw::{Preserved, RawAttribute, RawElement, RawNode, RawXml};
pub use reader::{Attr, Child, Reader, Tag};
pub use string::Str;
pub use units::Unit;
pub use value::{FileMode, Uuid, Value};
pub use writer::{Escape, Style, Writer, NAMESPACE_DECLARATION};

/// The list type of repeated child elements: one pointer wide, with `Vec`'s methods, and
/// nothing allocated while empty (see [`thin_vec::ThinVec`]); build one with
/// `thin_vec![…]`, or `.into()` from a `Vec`.
pub use thin_vec::{thin_vec, ThinVec};

/// Helpers called by generated code; not a stable API.
#[doc(hidden)]
pub mod __private {
    pub use crate::element::{single_child, single_choice};
    pub use crate::raw::{
        at_least_one, cold, drop_layout, end_order, exact, keep_node, open_element, parse_attr,
        parse_hex_attr, parse_text, push, push_mixed_text, push_text, push_unknown_text,
        read_no_children, read_text_children, read_unknown, remove_open_element, required_attr,
        required_child, required_count, set_open_element, start, write_children, write_hex_attr,
        write_value_attr, write_value_text, Cold, RAW,
    };
    pub use crate::reader::{deep, SharedStrings};
    pub use crate::value::write_enum;
}
