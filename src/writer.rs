//! A small XML writer: escapes, closes empty elements as `<x/>`, and declares namespace
//! prefixes where an element or attribute first needs them.

/// Builds an XML document into a `String`.
#[derive(Debug, Default)]
pub struct Writer {
    out: String,
    /// Open elements: (prefix, local name, bindings declared on it).
    stack: Vec<(String, String, usize)>,
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
        if let Some(top) = self.stack.last_mut() {
            top.2 += 1;
        }
    }

    /// Starts element `local` in namespace `ns` ("" for none), using `prefix` for it.
    pub fn start_prefixed(&mut self, ns: &str, prefix: &str, local: &str) {
        self.close_start();
        // An element in a namespace needs a prefix (or the default namespace) bound to it.
        let prefix = if ns.is_empty() { "" } else { prefix };
        self.out.push('<');
        if !prefix.is_empty() {
            self.out.push_str(prefix);
            self.out.push(':');
        }
        self.out.push_str(local);
        self.stack.push((prefix.to_string(), local.to_string(), 0));
        self.open = true;
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
        self.attr_prefixed(ns, "", local, value);
    }

    /// Writes an attribute, declaring `prefix` for `ns` if needed.
    pub fn attr_prefixed(&mut self, ns: &str, prefix: &str, local: &str, value: &str) {
        debug_assert!(self.open, "attribute outside a start tag");
        let mut prefix = prefix.to_string();
        if !ns.is_empty() {
            if ns == "http://www.w3.org/XML/1998/namespace" {
                prefix = "xml".into();
            } else {
                if prefix.is_empty() {
                    prefix = self
                        .bindings
                        .iter()
                        .rev()
                        .find(|(p, u)| u == ns && !p.is_empty())
                        .map(|(p, _)| p.clone())
                        .unwrap_or_else(|| "ns".into());
                }
                if self.bound(&prefix) != Some(ns) {
                    self.declare(&prefix, ns);
                }
            }
        }
        self.out.push(' ');
        if !prefix.is_empty() {
            self.out.push_str(&prefix);
            self.out.push(':');
        }
        self.out.push_str(local);
        self.out.push_str("=\"");
        escape_into(&mut self.out, value, true);
        self.out.push('"');
    }

    /// Writes character data inside the current element.
    pub fn text(&mut self, s: &str) {
        self.close_start();
        escape_into(&mut self.out, s, false);
    }

    /// Ends the innermost open element.
    pub fn end(&mut self) {
        let (prefix, local, declared) = self.stack.pop().expect("end without start");
        self.bindings.truncate(self.bindings.len() - declared);
        if self.open {
            self.out.push_str("/>");
            self.open = false;
            return;
        }
        self.out.push_str("</");
        if !prefix.is_empty() {
            self.out.push_str(&prefix);
            self.out.push(':');
        }
        self.out.push_str(&local);
        self.out.push('>');
    }
}

/// Escapes markup characters; in attributes also quotes and the whitespace characters that
/// attribute-value normalisation would otherwise turn into spaces.
fn escape_into(out: &mut String, s: &str, attr: bool) {
    let bytes = s.as_bytes();
    let mut last = 0;
    for (i, &b) in bytes.iter().enumerate() {
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
