//! What a caller may tune about reading: the limits that keep hostile input cheap.

/// Deepest element nesting accepted (libxml2's default, so libvirt's own limit), so hostile
/// input cannot exhaust the stack. [`ReadOptions::max_depth`] can lower it.
pub const MAX_DEPTH: usize = 256;

/// Options for reading a document (`from_xml_with`). The defaults suit every document
/// libvirt writes or accepts; raise a limit for larger inputs, lower one for input from
/// untrusted sources. Crossing a limit is an [`crate::Error`], never a panic or an
/// unbounded allocation.
///
/// ```
/// use libvirt_xml_runtime::ReadOptions;
///
/// let strict = ReadOptions::default().max_bytes(1 << 20).max_elements(10_000);
/// assert_eq!(strict.limits().1, 10_000);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReadOptions {
    pub(crate) max_depth: usize,
    pub(crate) max_elements: usize,
    pub(crate) max_attributes: usize,
    pub(crate) max_bytes: usize,
    pub(crate) strict: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            max_depth: MAX_DEPTH,
            max_elements: 2_000_000,
            max_attributes: 1_000,
            max_bytes: 128 << 20,
            strict: false,
        }
    }
}

impl ReadOptions {
    /// No limits but the depth, for text this crate checked when it was read or made.
    pub(crate) fn checked_text() -> ReadOptions {
        ReadOptions {
            max_elements: usize::MAX,
            max_attributes: usize::MAX,
            max_bytes: usize::MAX,
            ..ReadOptions::default()
        }
    }

    /// Deepest element nesting (default 256, libxml2's and so libvirt's own limit; at most
    /// [`MAX_DEPTH`], which the recursive parsers are built for).
    pub fn max_depth(mut self, n: usize) -> Self {
        self.max_depth = n.min(MAX_DEPTH);
        self
    }

    /// Most elements in the document (default 2,000,000).
    pub fn max_elements(mut self, n: usize) -> Self {
        self.max_elements = n;
        self
    }

    /// Most attributes on one element, namespace declarations included (default 1,000).
    pub fn max_attributes(mut self, n: usize) -> Self {
        self.max_attributes = n;
        self
    }

    /// Largest document in bytes (default 128 MiB; libvirt's own RPC messages are smaller).
    pub fn max_bytes(mut self, n: usize) -> Self {
        self.max_bytes = n;
        self
    }

    /// Whether a document that does not fit the schema's types is refused (default: no).
    ///
    /// By default reading is lenient, as libvirt is: a required attribute or element that
    /// is absent, a number out of its type's range or not a number, is read into the
    /// type's default value and reported as a diagnostic
    /// ([`crate::Element::from_xml_with_diagnostics`]), and the document is written back
    /// as it was read for as long as the value is left unchanged. Strict reading makes the
    /// first such place an [`crate::Error`] instead.
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Whether reading is strict (see [`ReadOptions::strict`]).
    pub fn is_strict(&self) -> bool {
        self.strict
    }

    /// The limits as (depth, elements, attributes per element, bytes).
    pub fn limits(&self) -> (usize, usize, usize, usize) {
        (self.max_depth, self.max_elements, self.max_attributes, self.max_bytes)
    }
}
