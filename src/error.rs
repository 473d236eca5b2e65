//! The one error type: what went wrong and where (element path, line and column).

use std::fmt;

/// What went wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input is not well-formed XML (or uses a DTD, which is refused).
    Xml(String),
    /// The root element is not the one asked for.
    WrongRoot {
        /// What the caller asked for.
        expected: String,
        /// The root element's name.
        found: String,
    },
    /// A required attribute is absent.
    MissingAttribute(String),
    /// A required child element is absent.
    MissingElement(String),
    /// An attribute or text does not parse as the type the schema gives it.
    InvalidValue {
        /// `@name` for an attribute, `text()` for element text.
        item: String,
        /// The offending value.
        value: String,
        /// The expected type.
        expected: &'static str,
    },
    /// Elements nest deeper than [`crate::MAX_DEPTH`].
    TooDeep(usize),
}

/// An error reading XML, with the element path and position it refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    path: String,
    line: u32,
    column: u32,
}

impl Error {
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// Element path such as `/domain/devices/disk[2]/target` (empty for malformed XML).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// 1-based line of the element (or of the syntax error).
    pub fn line(&self) -> u32 {
        self.line
    }

    /// 1-based column of the element (or of the syntax error).
    pub fn column(&self) -> u32 {
        self.column
    }

    pub(crate) fn set_path(&mut self, path: String) {
        self.path = path;
    }

    /// An error at byte `offset` of `text`, before any tree exists.
    pub(crate) fn at_offset(text: &str, offset: usize, kind: ErrorKind) -> Error {
        let before = &text[..offset];
        let line = before.bytes().filter(|&c| c == b'\n').count() as u32 + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
        Error {
            kind,
            path: String::new(),
            line,
            column,
        }
    }
}

/// `/a/b[2]/c`: the position among same-name siblings is given when there are several.
pub(crate) fn element_path(node: roxmltree::Node<'_, '_>) -> String {
    let mut parts = Vec::new();
    for n in node.ancestors().filter(|n| n.is_element()) {
        let name = n.tag_name().name();
        let same = |s: &roxmltree::Node| s.is_element() && s.tag_name() == n.tag_name();
        let before = n.prev_siblings().skip(1).filter(same).count();
        let after = n.next_siblings().skip(1).filter(same).count();
        if before + after > 0 {
            parts.push(format!("{name}[{}]", before + 1));
        } else {
            parts.push(name.to_string());
        }
    }
    parts.reverse();
    format!("/{}", parts.join("/"))
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::Xml(m) => write!(f, "malformed XML: {m}"),
            ErrorKind::WrongRoot { expected, found } => {
                write!(f, "expected root element {expected}, found <{found}>")
            }
            ErrorKind::MissingAttribute(a) => write!(f, "missing required attribute `{a}`"),
            ErrorKind::MissingElement(e) => write!(f, "missing required element <{e}>"),
            ErrorKind::InvalidValue {
                item,
                value,
                expected,
            } => {
                write!(f, "invalid value {value:?} for {item}: expected {expected}")
            }
            ErrorKind::TooDeep(n) => write!(f, "elements nest deeper than {n} levels"),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(
                f,
                "{} (line {}, column {})",
                self.kind, self.line, self.column
            )
        } else {
            write!(
                f,
                "{} at {} (line {}, column {})",
                self.kind, self.path, self.line, self.column
            )
        }
    }
}

impl std::error::Error for Error {}
