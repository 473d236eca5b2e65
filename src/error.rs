//! The one error type: what went wrong and where (element path, line and column).

use std::borrow::Cow;
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
        /// The root element's name (with its namespace in `{…}` when it has one).
        found: String,
    },
    /// A required attribute is absent.
    MissingAttribute(String),
    /// A required child element is absent: its name, or (from validation) the
    /// alternatives the schema allows there (`<source> or <target>`).
    MissingElement(String),
    /// An attribute or text does not parse as the type the schema gives it.
    InvalidValue {
        /// `@name` for an attribute, `text()` for element text.
        item: String,
        /// The offending value: at most [`Error::EXCERPT`] characters of it, with `…` when cut.
        value: String,
        /// What the schema accepts there.
        expected: Cow<'static, str>,
    },
    /// An element the schema does not allow where it is (found by validation).
    UnexpectedElement {
        /// Its name.
        name: String,
        /// The elements allowed there (`<a>, <b> or <c>`; empty when none is).
        expected: String,
    },
    /// An attribute the schema does not allow on its element (found by validation).
    UnexpectedAttribute(String),
    /// Text where the schema allows none (found by validation): at most
    /// [`Error::EXCERPT`] characters of it.
    UnexpectedText(String),
    /// Elements nest deeper than the limit (see [`crate::ReadOptions`]).
    TooDeep(usize),
    /// The document crosses one of the limits of [`crate::ReadOptions`] other than depth.
    LimitExceeded {
        /// Which limit: `bytes`, `elements` or `attributes`.
        limit: &'static str,
        /// Its value.
        max: usize,
    },
    /// A value cannot be written as well-formed, namespace-correct XML (a character XML
    /// forbids, an invalid name, a duplicate attribute, a reserved prefix or namespace).
    Unwritable(String),
}

/// An error reading or writing XML, with the element path and position it refers to.
///
/// One pointer wide: every reader returns `Result<_, Error>`, and a wide error would be
/// copied through each `?` and widen every result on the success path too.
#[derive(Clone, PartialEq, Eq)]
pub struct Error(Box<ErrorData>);

#[derive(Clone, PartialEq, Eq)]
struct ErrorData {
    kind: ErrorKind,
    path: String,
    line: u32,
    column: u32,
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Error");
        d.field("kind", &self.0.kind).field("path", &self.0.path);
        // Line 0: no position (an error in writing, or in validating a value).
        if self.0.line != 0 {
            d.field("line", &self.0.line).field("column", &self.0.column);
        }
        d.finish()
    }
}

impl Error {
    /// How many characters of an offending value an error quotes.
    pub const EXCERPT: usize = 64;

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0.kind
    }

    /// Element path such as `/domain/devices/disk[2]/target` (empty when no element is
    /// open, as for a syntax error before the root). When writing, the path in the value.
    pub fn path(&self) -> &str {
        &self.0.path
    }

    /// 1-based line of the element (or of the syntax error); 0 for errors in writing.
    pub fn line(&self) -> u32 {
        self.0.line
    }

    /// 1-based column (in characters) of the element (or of the syntax error); 0 for
    /// errors in writing.
    pub fn column(&self) -> u32 {
        self.0.column
    }

    /// The same error without line and column (for problems found in a value, whose
    /// positions in the text written to check it mean nothing to the caller).
    pub(crate) fn without_position(mut self) -> Error {
        self.0.line = 0;
        self.0.column = 0;
        self
    }

    pub(crate) fn set_path(&mut self, path: String) {
        self.0.path = path;
    }

    /// An error found while writing, at element `path` of the value.
    /// A string that is none of a value enum's listed values (`str::parse`), with no position.
    #[doc(hidden)]
    pub fn unlisted_value(value: &str, expected: &'static str) -> Error {
        let kind = ErrorKind::InvalidValue {
            item: "value".into(),
            value: excerpt(value),
            expected: expected.into(),
        };
        Error(Box::new(ErrorData { kind, path: String::new(), line: 0, column: 0 }))
    }

    pub(crate) fn unwritable(path: String, what: String) -> Error {
        Error(Box::new(ErrorData { kind: ErrorKind::Unwritable(what), path, line: 0, column: 0 }))
    }

    /// An error at byte `offset` of `text`, before any path is known. Lines end at
    /// `\n`, `\r\n` or a lone `\r`, as XML defines; a byte order mark is not a column.
    pub(crate) fn at_offset(text: &str, offset: usize, kind: ErrorKind) -> Error {
        let before = &text.as_bytes()[..offset.min(text.len())];
        let mut line = 1u32;
        let mut line_start = 0;
        for i in memchr::memchr2_iter(b'\n', b'\r', before) {
            // `\r\n` is one line end: count it at its `\n`.
            if before[i] == b'\r' && text.as_bytes().get(i + 1) == Some(&b'\n') {
                continue;
            }
            line += 1;
            line_start = i + 1;
        }
        let mut col_text = &text[line_start..offset.min(text.len())];
        if line_start == 0 {
            col_text = col_text.strip_prefix('\u{feff}').unwrap_or(col_text);
        }
        Error(Box::new(ErrorData {
            kind,
            path: String::new(),
            line,
            column: col_text.chars().count() as u32 + 1,
        }))
    }
}

/// At most [`Error::EXCERPT`] characters of `s`, marked with `…` when cut.
pub(crate) fn excerpt(s: &str) -> String {
    match s.char_indices().nth(Error::EXCERPT) {
        None => s.to_string(),
        Some((i, _)) => format!("{}…", &s[..i]),
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::Xml(m) => write!(f, "malformed XML: {m}"),
            ErrorKind::WrongRoot { expected, found } => {
                write!(f, "expected root element {expected}, found <{found}>")
            }
            ErrorKind::MissingAttribute(a) => write!(f, "missing required attribute `{a}`"),
            ErrorKind::MissingElement(e) if e.starts_with('<') => {
                write!(f, "missing required element {e}")
            }
            ErrorKind::MissingElement(e) if e == "content" => write!(f, "missing required content"),
            ErrorKind::MissingElement(e) => write!(f, "missing required element <{e}>"),
            ErrorKind::UnexpectedElement { name, expected } if expected.is_empty() => {
                write!(f, "element <{name}> is not allowed here")
            }
            ErrorKind::UnexpectedElement { name, expected } => {
                write!(f, "element <{name}> is not allowed here (expected {expected})")
            }
            ErrorKind::UnexpectedAttribute(a) => write!(f, "attribute `{a}` is not allowed here"),
            ErrorKind::UnexpectedText(t) => write!(f, "text {t:?} is not allowed here"),
            ErrorKind::InvalidValue { item, value, expected } => {
                write!(f, "invalid value {value:?} for {item}: expected {expected}")
            }
            ErrorKind::TooDeep(n) => write!(f, "elements nest deeper than {n} levels"),
            ErrorKind::LimitExceeded { limit, max } => match *limit {
                "bytes" => write!(f, "the document is larger than {max} bytes"),
                "attributes" => write!(f, "an element has more than {max} attributes"),
                other => write!(f, "the document has more than {max} {other}"),
            },
            ErrorKind::Unwritable(m) => write!(f, "cannot write as XML: {m}"),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = &self.0;
        match (e.path.is_empty(), e.line) {
            (true, 0) => write!(f, "{}", e.kind),
            (false, 0) => write!(f, "{} at {}", e.kind, e.path),
            (true, _) => write!(f, "{} (line {}, column {})", e.kind, e.line, e.column),
            (false, _) => {
                write!(f, "{} at {} (line {}, column {})", e.kind, e.path, e.line, e.column)
            }
        }
    }
}

impl std::error::Error for Error {}

/// Every violation validation found (at least one), each an [`Error`] with its element
/// path. A slice of them (`problems[0]`, `problems.iter()`), and an error in its own
/// right, so `value.validate()?` works in a function returning `Box<dyn Error>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid(pub Vec<Error>);

impl std::ops::Deref for Invalid {
    type Target = [Error];

    fn deref(&self) -> &[Error] {
        &self.0
    }
}

impl<'a> IntoIterator for &'a Invalid {
    type Item = &'a Error;
    type IntoIter = std::slice::Iter<'a, Error>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl IntoIterator for Invalid {
    type Item = Error;
    type IntoIter = std::vec::IntoIter<Error>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.as_slice() {
            [one] => write!(f, "{one}"),
            all => {
                write!(f, "{} problems:", all.len())?;
                for e in all {
                    write!(f, "\n  {e}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Invalid {}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every reader returns `Result<_, Error>`: a wide error would be copied through each
    /// `?` and widen every result.
    #[test]
    fn an_error_is_one_pointer_wide() {
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
        let e = Error::unwritable("/domain".into(), "a NUL character".into());
        assert_eq!(e.path(), "/domain");
        assert_eq!(
            format!("{e:?}"),
            "Error { kind: Unwritable(\"a NUL character\"), path: \"/domain\" }"
        );
        // With a position, it is shown.
        let e = Error::at_offset("<a>\n <b", 6, ErrorKind::Xml("unclosed".into()));
        assert!(format!("{e:?}").ends_with("line: 2, column: 3 }"), "{e:?}");
    }
}
