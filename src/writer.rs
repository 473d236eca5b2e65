//! A small XML writer: escapes, closes empty elements as `<x/>`, and declares namespace
//! prefixes where an element or attribute first needs them. Nothing is allocated per
//! element: callers pass the name again to [`Writer::end_prefixed`].

/// Builds an XML document into a `String`.
#[derive(Debug, Default)]
pub struct Writer {
    out: String,
    /// Per open element: how many bindings it declared.
    declared: Vec<u32>,
    /// In-scope namespace bindings: (prefix, uri); "" is the default namespace.
    bindings: Vec<(String, String)>,
    /// The last start tag is still open (`<x a="1"` without `>`).
    open: bool,
}

impl Writer {
    /// An empty writer.
    pub fn new() -> Writer {
        Writer {
            out: String::with_capacity(4096),
            ..Default::default()
        }
    }

    /// The document written so far, with a final newline.
    pub fn finish(mut self) -> String {
        self.close_start();
        self.out.push('\n');
        self.out
    }

    #[inline]
    fn close_start(&mut self) {
        if self.open {
            self.out.push('>');
            self.open = false;
        }
    }

    fn bound(&self, prefix: &str) -> Option<&str> {
        self.bindings
            .iter()
            .rev()
            .find(|(p, _)| p == prefix)
            .map(|(_, u)| u.as_str())
    }

    fn declare(&mut self, prefix: &str, ns: &str) {
        if prefix.is_empty() {
            self.out.push_str(" xmlns=\"");
        } else {
            self.out.push_str(" xmlns:");
            self.out.push_str(prefix);
            self.out.push_str("=\"");
        }
        escape_into(&mut self.out, ns, true);
        self.out.push('"');
        self.bindings.push((prefix.to_string(), ns.to_string()));
        if let Some(top) = self.declared.last_mut() {
            *top += 1;
        }
    }

    /// Starts element `local` in namespace `ns` ("" for none), using `prefix` for it.
    pub fn start_prefixed(&mut self, ns: &str, prefix: &str, local: &str) {
        self.close_start();
        let prefix = if ns.is_empty() { "" } else { prefix };
        self.out.push('<');
        if !prefix.is_empty() {
            self.out.push_str(prefix);
            self.out.push(':');
        }
        self.out.push_str(local);
        self.declared.push(0);
        self.open = true;
        // Fast path: no namespaces in play at all.
        if ns.is_empty() && self.bindings.is_empty() {
            return;
        }
        if self.bound(prefix).unwrap_or("") != ns {
            self.declare(prefix, ns);
        }
    }

    /// Starts element `local` with no namespace.
    pub fn start(&mut self, local: &str) {
        self.start_prefixed("", "", local);
    }

    /// Writes an attribute of the open start tag.
    pub fn attr(&mut self, ns: &str, local: &str, value: &str) {
        self.attr_name(ns, "", local);
        escape_into(&mut self.out, value, true);
        self.out.push('"');
    }

    /// Writes an attribute, declaring `prefix` for `ns` if needed.
    pub fn attr_prefixed(&mut self, ns: &str, prefix: &str, local: &str, value: &str) {
        self.attr_name(ns, prefix, local);
        escape_into(&mut self.out, value, true);
        self.out.push('"');
    }

    /// Writes ` name="` (the caller writes the escaped value and the closing quote).
    fn attr_name(&mut self, ns: &str, prefix: &str, local: &str) {
        debug_assert!(self.open, "attribute outside a start tag");
        self.out.push(' ');
        if !ns.is_empty() {
            let prefix = if ns == "http://www.w3.org/XML/1998/namespace" {
                "xml".to_string()
            } else {
                let p = if prefix.is_empty() {
                    self.bindings
                        .iter()
                        .rev()
                        .find(|(p, u)| u == ns && !p.is_empty())
                        .map(|(p, _)| p.clone())
                        .unwrap_or_else(|| "ns".into())
                } else {
                    prefix.to_string()
                };
                if self.bound(&p) != Some(ns) {
                    // Declarations go before this attribute's name.
                    self.out.pop();
                    self.declare(&p, ns);
                    self.out.push(' ');
                }
                p
            };
            self.out.push_str(&prefix);
            self.out.push(':');
        }
        self.out.push_str(local);
        self.out.push_str("=\"");
    }

    /// Writes a typed attribute value without an intermediate string.
    pub fn attr_value<T: crate::Value>(&mut self, ns: &str, local: &str, v: &T) {
        self.attr_name(ns, "", local);
        v.write_escaped(&mut self.out, true);
        self.out.push('"');
    }

    /// Writes character data inside the current element.
    pub fn text(&mut self, s: &str) {
        self.close_start();
        escape_into(&mut self.out, s, false);
    }

    /// Writes a typed value as character data.
    pub fn text_value<T: crate::Value>(&mut self, v: &T) {
        self.close_start();
        v.write_escaped(&mut self.out, false);
    }

    /// Ends the innermost open element, started with the same `ns`, `prefix` and `local`.
    pub fn end_prefixed(&mut self, ns: &str, prefix: &str, local: &str) {
        // An unbalanced end (a caller bug) still writes the end tag rather than panicking.
        let declared = self.declared.pop().unwrap_or(0) as usize;
        self.bindings.truncate(self.bindings.len() - declared);
        if self.open {
            self.out.push_str("/>");
            self.open = false;
            return;
        }
        self.out.push_str("</");
        if !ns.is_empty() && !prefix.is_empty() {
            self.out.push_str(prefix);
            self.out.push(':');
        }
        self.out.push_str(local);
        self.out.push('>');
    }

    /// Ends element `local` with no namespace.
    pub fn end(&mut self, local: &str) {
        self.end_prefixed("", "", local);
    }
}

/// Escapes markup characters; in attributes also quotes and the whitespace characters that
/// attribute-value normalisation would otherwise turn into spaces.
pub(crate) fn escape_into(out: &mut String, s: &str, attr: bool) {
    let needs = |b: u8| {
        matches!(b, b'<' | b'>' | b'&' | b'\r') || (attr && matches!(b, b'"' | b'\n' | b'\t'))
    };
    let bytes = s.as_bytes();
    let Some(first) = bytes.iter().position(|&b| needs(b)) else {
        out.push_str(s);
        return;
    };
    let mut last = 0;
    for (i, &b) in bytes.iter().enumerate().skip(first) {
        let rep = match b {
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'&' => "&amp;",
            b'"' if attr => "&quot;",
            b'\n' if attr => "&#10;",
            b'\t' if attr => "&#9;",
            b'\r' => "&#13;",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&s[last..]);
}
