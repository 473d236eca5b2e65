//! Stage 1 — load: read one RelaxNG entry schema (XML syntax) with roxmltree into a
//! [`Grammar`]: includes resolved, `combine`/override applied, nested `<grammar>`s scoped,
//! names qualified with their namespace. The result is still the full pattern algebra.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const RNG_NS: &str = "http://relaxng.org/ns/structure/1.0";

/// An XML name: namespace URI (empty for none) and local part.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QName {
    pub ns: String,
    pub local: String,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NameClass {
    Name(QName),
    AnyName {
        except: Option<Box<NameClass>>,
    },
    /// Any name in namespace `ns` (empty: no namespace), but the excepted ones.
    NsName {
        ns: String,
        except: Option<Box<NameClass>>,
    },
    Choice(Vec<NameClass>),
}

/// Where a pattern was written: file name (relative to the schema root) and line.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    pub file: String,
    pub line: u32,
    /// The `<define>` the pattern is written in (its name; stable across releases, so
    /// naming keys on it).
    pub define: Option<String>,
}

/// Index into [`Grammar::defines`].
pub type DefineId = usize;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Pattern {
    Element {
        name: NameClass,
        content: Box<Pattern>,
        origin: Origin,
    },
    Attribute {
        name: NameClass,
        value: Box<Pattern>,
    },
    Group(Vec<Pattern>),
    Interleave(Vec<Pattern>),
    Choice(Vec<Pattern>),
    Optional(Box<Pattern>),
    ZeroOrMore(Box<Pattern>),
    OneOrMore(Box<Pattern>),
    /// Whitespace-separated tokens of text, each matching the content in turn.
    List(Box<Pattern>),
    Empty,
    NotAllowed,
    Text,
    Value {
        datatype: String,
        value: String,
    },
    Data {
        datatype: String,
        params: Vec<(String, String)>,
        except: Option<Box<Pattern>>,
    },
    Ref(DefineId),
}

#[derive(Clone, Debug)]
pub struct Define {
    /// The name as written in the schema (nested grammars may reuse names).
    pub name: String,
    pub pattern: Pattern,
    /// The file it was (first) written in.
    pub file: String,
}

/// One entry schema with everything it includes.
#[derive(Clone, Debug)]
pub struct Grammar {
    /// Entry file name, relative to the schema root (e.g. `domain.rng`, `test/device.rng`).
    pub entry: String,
    pub start: Pattern,
    pub defines: Vec<Define>,
}

#[derive(Debug)]
pub struct LoadError(pub String);

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

type Result<T> = std::result::Result<T, LoadError>;

fn err<T>(msg: impl Into<String>) -> Result<T> {
    Err(LoadError(msg.into()))
}

/// Loads `entry` (relative to `root`) and everything it includes.
pub fn load_grammar(root: &Path, entry: &str) -> Result<Grammar> {
    let mut loader = Loader {
        root: root.to_path_buf(),
        inherited: Default::default(),
        defines: Vec::new(),
        scopes: Vec::new(),
    };
    let path = root.join(entry);
    let scope = loader.new_scope(None);
    let start = loader.load_grammar_file(&path, scope, false)?;
    let start = match start {
        Some(p) => p,
        None => return err(format!("{entry}: no <start>")),
    };
    let defines = loader
        .defines
        .into_iter()
        .map(|d| match d.pattern {
            Some(pattern) => Ok(Define { name: d.name, pattern, file: d.file }),
            None => err(format!("{entry}: define `{}` is referenced but never defined", d.name)),
        })
        .collect::<Result<Vec<_>>>()?;
    check_ref_cycles(&defines)?;
    Ok(Grammar { entry: entry.to_string(), start, defines })
}

/// Refuses a define that reaches itself without an `<element>` in between, which RELAX NG
/// forbids (section 4.19): such a pattern would be infinite.
fn check_ref_cycles(defines: &[Define]) -> Result<()> {
    fn refs(p: &Pattern, out: &mut Vec<DefineId>) {
        match p {
            Pattern::Ref(d) => out.push(*d),
            Pattern::Element { .. } => {}
            Pattern::Attribute { value, .. } => refs(value, out),
            Pattern::Group(v) | Pattern::Interleave(v) | Pattern::Choice(v) => {
                v.iter().for_each(|q| refs(q, out))
            }
            Pattern::Optional(q) | Pattern::ZeroOrMore(q) | Pattern::OneOrMore(q) => refs(q, out),
            Pattern::Data { except: Some(q), .. } => refs(q, out),
            _ => {}
        }
    }
    let direct: Vec<Vec<DefineId>> = defines
        .iter()
        .map(|d| {
            let mut out = Vec::new();
            refs(&d.pattern, &mut out);
            out
        })
        .collect();
    for (start, d) in defines.iter().enumerate() {
        let mut seen = vec![false; defines.len()];
        let mut stack = direct[start].clone();
        while let Some(x) = stack.pop() {
            if x == start {
                return err(format!(
                    "{}: define `{}` refers to itself without an <element> in between",
                    d.file, d.name
                ));
            }
            if !std::mem::replace(&mut seen[x], true) {
                stack.extend(direct[x].iter().copied());
            }
        }
    }
    Ok(())
}

struct PendingDefine {
    name: String,
    pattern: Option<Pattern>,
    combine: Option<String>,
    file: String,
}

struct Scope {
    parent: Option<usize>,
    names: BTreeMap<String, DefineId>,
    /// Files already included into this scope: libvirt includes some files along several paths.
    included: Vec<PathBuf>,
}

struct Loader {
    root: PathBuf,
    defines: Vec<PendingDefine>,
    scopes: Vec<Scope>,
    /// The `ns` an included file inherits from its `<include>` (when its own grammar has
    /// none), by file.
    inherited: std::collections::HashMap<String, String>,
}

/// A define body or start seen while reading one grammar file, before it is combined.
struct Component {
    name: Option<String>,
    combine: Option<String>,
    pattern: Pattern,
    file: String,
}

impl Loader {
    fn new_scope(&mut self, parent: Option<usize>) -> usize {
        self.scopes.push(Scope { parent, names: BTreeMap::new(), included: Vec::new() });
        self.scopes.len() - 1
    }

    fn define_id(&mut self, scope: usize, name: &str) -> DefineId {
        if let Some(&id) = self.scopes[scope].names.get(name) {
            return id;
        }
        self.defines.push(PendingDefine {
            name: name.to_string(),
            pattern: None,
            combine: None,
            file: String::new(),
        });
        let id = self.defines.len() - 1;
        self.scopes[scope].names.insert(name.to_string(), id);
        id
    }

    fn rel(&self, path: &Path) -> String {
        let p = path.strip_prefix(&self.root).unwrap_or(path);
        normalize(p)
    }

    /// Reads a grammar file into `scope`; returns its (combined) start pattern.
    /// A schema file's start. `any_pattern`: the file may hold any pattern rather than a
    /// grammar (an `externalRef` target), which is then its start.
    fn load_grammar_file(
        &mut self,
        path: &Path,
        scope: usize,
        any_pattern: bool,
    ) -> Result<Option<Pattern>> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| LoadError(format!("{}: {e}", path.display())))?;
        let doc = roxmltree::Document::parse(&text)
            .map_err(|e| LoadError(format!("{}: {e}", path.display())))?;
        let file = self.rel(path);
        let grammar = doc.root_element();
        if !is_rng(grammar, "grammar") {
            if any_pattern && grammar.tag_name().namespace() == Some(RNG_NS) {
                return self.pattern(grammar, &file, scope).map(Some);
            }
            return err(format!("{file}: root is not <grammar>"));
        }
        self.scopes[scope].included.push(PathBuf::from(&file));
        let start = self.grammar_content(grammar, path, &file, scope, &[])?;
        Ok(start)
    }

    /// Processes the children of a `<grammar>` (or `<include>`/`<div>`), registering
    /// defines in `scope`. `overridden` lists define names (and "" for start) that an
    /// enclosing `<include>` replaces.
    fn grammar_content(
        &mut self,
        node: roxmltree::Node,
        path: &Path,
        file: &str,
        scope: usize,
        overridden: &[String],
    ) -> Result<Option<Pattern>> {
        let mut components = Vec::new();
        self.collect_components(node, path, file, scope, overridden, &mut components)?;
        let mut start: Option<(Option<String>, Pattern)> = None;
        for c in components {
            match c.name {
                None => {
                    start = Some(match start.take() {
                        None => (c.combine, c.pattern),
                        Some((combine, prev)) => {
                            let how = check_combine("<start>", combine.as_deref(), &c)?;
                            (how.clone(), combine_patterns(how.as_deref(), prev, c.pattern))
                        }
                    })
                }
                Some(ref name) => {
                    let id = self.define_id(scope, name);
                    let d = &mut self.defines[id];
                    d.pattern = Some(match d.pattern.take() {
                        None => {
                            d.combine = c.combine;
                            d.file = c.file;
                            c.pattern
                        }
                        Some(prev) => {
                            let how = check_combine(name, d.combine.as_deref(), &c)?;
                            d.combine = how.clone();
                            combine_patterns(how.as_deref(), prev, c.pattern)
                        }
                    });
                }
            }
        }
        Ok(start.map(|s| s.1))
    }

    fn collect_components(
        &mut self,
        node: roxmltree::Node,
        path: &Path,
        file: &str,
        scope: usize,
        overridden: &[String],
        out: &mut Vec<Component>,
    ) -> Result<()> {
        for child in rng_children(node) {
            match child.tag_name().name() {
                "start" | "define" => {
                    let name = child.attribute("name").map(str::to_string);
                    let key = name.clone().unwrap_or_default();
                    if overridden.contains(&key) {
                        continue;
                    }
                    let pattern = self.group_of(child, file, scope)?;
                    let combine = child.attribute("combine").map(str::to_string);
                    out.push(Component { name, combine, pattern, file: file.to_string() });
                }
                "div" => self.collect_components(child, path, file, scope, overridden, out)?,
                "include" => {
                    let href = child.attribute("href").unwrap_or_default();
                    let target = path.parent().unwrap_or(Path::new(".")).join(href);
                    let target_rel = PathBuf::from(self.rel(&target));
                    // Defines and start given inside <include> replace the included ones.
                    let mut replaced: Vec<String> = overridden.to_vec();
                    for c in rng_children(child) {
                        match c.tag_name().name() {
                            "start" => replaced.push(String::new()),
                            "define" => {
                                replaced.push(c.attribute("name").unwrap_or_default().into())
                            }
                            _ => {}
                        }
                    }
                    if !self.scopes[scope].included.contains(&target_rel) {
                        let text = std::fs::read_to_string(&target)
                            .map_err(|e| LoadError(format!("{file}: include {href}: {e}")))?;
                        let doc = roxmltree::Document::parse(&text)
                            .map_err(|e| LoadError(format!("{}: {e}", target.display())))?;
                        let tfile = self.rel(&target);
                        // The included grammar inherits the `ns` in scope at <include>.
                        let ns = inherited_ns(child, self.default_ns(file));
                        if doc.root_element().attribute("ns").is_none() && !ns.is_empty() {
                            self.inherited.insert(tfile.clone(), ns);
                        }
                        self.scopes[scope].included.push(target_rel);
                        self.collect_components(
                            doc.root_element(),
                            &target,
                            &tfile,
                            scope,
                            &replaced,
                            out,
                        )?;
                    }
                    self.collect_components(child, path, file, scope, &[], out)?;
                }
                other => return err(format!("{file}: unexpected <{other}> in grammar")),
            }
        }
        Ok(())
    }

    /// The children of `node` as one pattern (an implicit group).
    fn group_of(&mut self, node: roxmltree::Node, file: &str, scope: usize) -> Result<Pattern> {
        let mut items = Vec::new();
        for c in rng_children(node) {
            items.push(self.pattern(c, file, scope)?);
        }
        Ok(match items.len() {
            0 => Pattern::Empty,
            1 => items.pop().unwrap(),
            _ => Pattern::Group(items),
        })
    }

    /// The `ns` a file's patterns fall back on when none of their ancestors sets one.
    fn default_ns(&self, file: &str) -> &str {
        self.inherited.get(file).map_or("", String::as_str)
    }

    fn pattern(&mut self, node: roxmltree::Node, file: &str, scope: usize) -> Result<Pattern> {
        let line = node.document().text_pos_at(node.range().start).row;
        let default_ns = self.default_ns(file).to_string();
        let b = |p: Pattern| Box::new(p);
        Ok(match node.tag_name().name() {
            "element" | "attribute" => {
                let is_attr = node.tag_name().name() == "attribute";
                let (name, rest): (NameClass, Vec<roxmltree::Node>) = match node.attribute("name") {
                    Some(n) => {
                        (qualify(node, n, is_attr, &default_ns)?, rng_children(node).collect())
                    }
                    None => {
                        let mut kids = rng_children(node);
                        let first = match kids.next() {
                            Some(f) => f,
                            None => return err(format!("{file}:{line}: name class missing")),
                        };
                        let class = name_class(first, is_attr, &default_ns)
                            .map_err(|e| LoadError(format!("{file}:{line}: {e}")))?;
                        (class, kids.collect())
                    }
                };
                let mut items = Vec::new();
                for c in rest {
                    items.push(self.pattern(c, file, scope)?);
                }
                let content = match items.len() {
                    0 if is_attr => Pattern::Text,
                    0 => Pattern::Empty,
                    1 => items.pop().unwrap(),
                    _ => Pattern::Group(items),
                };
                if is_attr {
                    Pattern::Attribute { name, value: b(content) }
                } else {
                    Pattern::Element {
                        name,
                        content: b(content),
                        origin: Origin {
                            file: file.to_string(),
                            line,
                            define: node
                                .ancestors()
                                .find(|a| is_rng(*a, "define"))
                                .and_then(|d| d.attribute("name"))
                                .map(str::to_string),
                        },
                    }
                }
            }
            "group" => self.group_of(node, file, scope)?,
            "interleave" => Pattern::Interleave(self.items(node, file, scope)?),
            "choice" => Pattern::Choice(self.items(node, file, scope)?),
            "optional" => Pattern::Optional(b(self.group_of(node, file, scope)?)),
            "zeroOrMore" => Pattern::ZeroOrMore(b(self.group_of(node, file, scope)?)),
            "oneOrMore" => Pattern::OneOrMore(b(self.group_of(node, file, scope)?)),
            "list" => Pattern::List(b(self.group_of(node, file, scope)?)),
            // RELAX NG's own simplification: text interleaved with the content.
            "mixed" => Pattern::Interleave(vec![Pattern::Text, self.group_of(node, file, scope)?]),
            "empty" => Pattern::Empty,
            "notAllowed" => Pattern::NotAllowed,
            "text" => Pattern::Text,
            "value" => Pattern::Value {
                datatype: node.attribute("type").unwrap_or("token").to_string(),
                value: node.text().unwrap_or_default().to_string(),
            },
            "data" => {
                check_datatypes(node, file, line)?;
                let mut params = Vec::new();
                let mut except = None;
                for c in rng_children(node) {
                    match c.tag_name().name() {
                        "param" => params.push((
                            c.attribute("name").unwrap_or_default().to_string(),
                            c.text().unwrap_or_default().to_string(),
                        )),
                        "except" => except = Some(b(Pattern::Choice(self.items(c, file, scope)?))),
                        other => {
                            return err(format!("{file}:{line}: unexpected <{other}> in <data>"))
                        }
                    }
                }
                Pattern::Data {
                    datatype: node.attribute("type").unwrap_or_default().to_string(),
                    params,
                    except,
                }
            }
            "ref" | "parentRef" => {
                let name = node.attribute("name").unwrap_or_default();
                let s = if node.tag_name().name() == "parentRef" {
                    match self.scopes[scope].parent {
                        Some(p) => p,
                        None => {
                            return err(format!(
                                "{file}:{line}: parentRef outside a nested grammar"
                            ))
                        }
                    }
                } else {
                    scope
                };
                Pattern::Ref(self.define_id(s, name))
            }
            "externalRef" => {
                let href = node.attribute("href").unwrap_or_default();
                let base = self.root.join(file);
                let target = base.parent().unwrap_or(Path::new(".")).join(href);
                let inner = self.new_scope(None);
                // The referenced file inherits the `ns` in scope here, as an include does.
                let ns = inherited_ns(node, self.default_ns(file));
                if !ns.is_empty() {
                    self.inherited.entry(self.rel(&target)).or_insert(ns);
                }
                match self.load_grammar_file(&target, inner, true)? {
                    Some(p) => p,
                    None => return err(format!("{file}:{line}: externalRef {href} has no start")),
                }
            }
            "grammar" => {
                let inner = self.new_scope(Some(scope));
                let path = self.root.join(file);
                match self.grammar_content(node, &path, file, inner, &[])? {
                    Some(p) => p,
                    None => return err(format!("{file}:{line}: nested grammar without start")),
                }
            }
            other => return err(format!("{file}:{line}: unknown pattern <{other}>")),
        })
    }

    fn items(&mut self, node: roxmltree::Node, file: &str, scope: usize) -> Result<Vec<Pattern>> {
        rng_children(node).map(|c| self.pattern(c, file, scope)).collect()
    }
}

/// How two definitions of one define (or start) combine: RELAX NG allows at most one
/// without `combine`, and one method for all of them.
fn check_combine(name: &str, before: Option<&str>, c: &Component) -> Result<Option<String>> {
    match (before, c.combine.as_deref()) {
        (None, None) => err(format!(
            "{}: `{name}` is defined again without `combine` (RELAX NG allows one such definition)",
            c.file
        )),
        (Some(a), Some(b)) if a != b => {
            err(format!("{}: `{name}` is combined both by `{a}` and by `{b}`", c.file))
        }
        (a, b) => Ok(b.or(a).map(str::to_string)),
    }
}

fn combine_patterns(how: Option<&str>, a: Pattern, b: Pattern) -> Pattern {
    match how {
        Some("interleave") => Pattern::Interleave(vec![a, b]),
        _ => Pattern::Choice(vec![a, b]),
    }
}

fn is_rng(node: roxmltree::Node, name: &str) -> bool {
    node.is_element()
        && node.tag_name().namespace() == Some(RNG_NS)
        && node.tag_name().name() == name
}

/// RelaxNG element children; foreign elements (annotations such as `v:since`) are skipped.
fn rng_children<'a, 'i>(
    node: roxmltree::Node<'a, 'i>,
) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> {
    node.children().filter(|c| c.is_element() && c.tag_name().namespace() == Some(RNG_NS))
}

/// The `ns` in force at `node` (inherited from ancestors).
/// The XML Schema datatypes, and RELAX NG's built-in `string` and `token`, are what the
/// model maps; any other library is refused.
fn check_datatypes(node: roxmltree::Node, file: &str, line: u32) -> Result<()> {
    const XSD: &str = "http://www.w3.org/2001/XMLSchema-datatypes";
    let library = node.ancestors().find_map(|a| a.attribute("datatypeLibrary")).unwrap_or_default();
    let ty = node.attribute("type").unwrap_or_default();
    match library {
        XSD => Ok(()),
        "" if matches!(ty, "string" | "token") => Ok(()),
        "" => err(format!(
            "{file}:{line}: `{ty}` is not a built-in datatype (no datatypeLibrary in scope)"
        )),
        other => err(format!(
            "{file}:{line}: datatype library `{other}` is not supported (only XML Schema datatypes)"
        )),
    }
}

/// The `ns` in scope at `node`: the nearest ancestor's, else what its file inherited.
fn inherited_ns(node: roxmltree::Node, default_ns: &str) -> String {
    node.ancestors().find_map(|a| a.attribute("ns")).unwrap_or(default_ns).to_string()
}

fn qualify(
    node: roxmltree::Node,
    name: &str,
    is_attr: bool,
    default_ns: &str,
) -> Result<NameClass> {
    let name = name.trim();
    Ok(NameClass::Name(match name.split_once(':') {
        Some((prefix, local)) => {
            let ns = node
                .lookup_namespace_uri(Some(prefix))
                .ok_or_else(|| LoadError(format!("unbound prefix `{prefix}`")))?;
            QName { ns: ns.to_string(), local: local.to_string() }
        }
        // Unprefixed attribute names have no namespace unless `ns` is set on the attribute itself.
        None if is_attr => QName {
            ns: node.attribute("ns").unwrap_or_default().to_string(),
            local: name.to_string(),
        },
        None => QName { ns: inherited_ns(node, default_ns), local: name.to_string() },
    }))
}

fn name_class(node: roxmltree::Node, is_attr: bool, default_ns: &str) -> Result<NameClass> {
    let except = |node: roxmltree::Node| -> Result<Option<Box<NameClass>>> {
        match rng_children(node).find(|c| c.tag_name().name() == "except") {
            None => Ok(None),
            Some(e) => {
                let items = rng_children(e)
                    .map(|c| name_class(c, is_attr, default_ns))
                    .collect::<Result<Vec<_>>>()?;
                Ok(Some(Box::new(NameClass::Choice(items))))
            }
        }
    };
    Ok(match node.tag_name().name() {
        "name" => qualify(node, node.text().unwrap_or_default(), is_attr, default_ns)?,
        "anyName" => NameClass::AnyName { except: except(node)? },
        "nsName" => NameClass::NsName { ns: inherited_ns(node, default_ns), except: except(node)? },
        "choice" => NameClass::Choice(
            rng_children(node)
                .map(|c| name_class(c, is_attr, default_ns))
                .collect::<Result<Vec<_>>>()?,
        ),
        other => return err(format!("unknown name class <{other}>")),
    })
}

/// `a/b/../c` → `a/c`, with `/` separators whatever the platform.
fn normalize(p: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::CurDir => {}
            other => parts.push(other.as_os_str().to_string_lossy().into_owned()),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Loads `body` as the grammar of a one-file schema; the error message on failure.
    fn load(body: &str) -> std::result::Result<Grammar, String> {
        let dir = std::env::temp_dir().join(format!(
            "xtask-load-{}-{:x}",
            std::process::id(),
            body.len() * 31 + body.bytes().map(usize::from).sum::<usize>()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let text = format!(
            "<grammar xmlns=\"http://relaxng.org/ns/structure/1.0\" \
             datatypeLibrary=\"http://www.w3.org/2001/XMLSchema-datatypes\">\n{body}\n</grammar>\n"
        );
        std::fs::write(dir.join("t.rng"), text).unwrap();
        let r = load_grammar(&dir, "t.rng").map_err(|e| e.to_string());
        let _ = std::fs::remove_dir_all(&dir);
        r
    }

    fn refused(body: &str, expected: &str) {
        match load(body) {
            Ok(_) => panic!("loaded, but should be refused: {body}"),
            Err(e) => assert!(e.contains(expected), "{e:?} lacks {expected:?}"),
        }
    }

    #[test]
    fn supported_constructs_load() {
        load("<start><element name='a'><interleave><optional><attribute name='x'><data type='int'/></attribute></optional>\
              <zeroOrMore><element name='b'><text/></element></zeroOrMore></interleave></element></start>")
            .unwrap();
        load("<start><element><anyName><except><name>x</name></except></anyName><empty/></element></start>")
            .unwrap();
        load("<start><element name='a'><list><oneOrMore><data type='int'/></oneOrMore></list></element></start>")
            .unwrap();
        load("<start><element><choice><name>a</name><name>b</name></choice><empty/></element></start>")
            .unwrap();
        load("<start><element><nsName ns='urn:x'/><empty/></element></start>").unwrap();
    }

    #[test]
    fn a_define_reaching_itself_outside_elements_is_refused() {
        refused(
            r#"<start><element name="a"><ref name="x"/></element></start>
               <define name="x"><choice><empty/><ref name="y"/></choice></define>
               <define name="y"><ref name="x"/></define>"#,
            "define `x` refers to itself without an <element> in between",
        );
        // Through an element it is recursion, which is fine.
        assert!(load(
            r#"<start><ref name="x"/></start>
               <define name="x"><element name="a"><optional><ref name="x"/></optional></element></define>"#
        )
        .is_ok());
    }

    #[test]
    fn unsupported_constructs_are_refused_with_file_and_line() {
        refused(
            "<start><element name='a'><data type='x' datatypeLibrary='urn:other'/></element></start>",
            "t.rng:2: datatype library `urn:other` is not supported",
        );
        refused(
            "<start><element name='a'><data type='int' datatypeLibrary=''/></element></start>",
            "`int` is not a built-in datatype",
        );
    }

    #[test]
    fn defines_combine_by_the_rules() {
        let start = "<start><element name='a'><ref name='d'/></element></start>";
        refused(
            &format!("{start}<define name='d'><empty/></define><define name='d'><text/></define>"),
            "`d` is defined again without `combine`",
        );
        refused(
            &format!(
                "{start}<define name='d' combine='choice'><empty/></define>\
                 <define name='d' combine='interleave'><text/></define>"
            ),
            "`d` is combined both by `choice` and by `interleave`",
        );
        load(&format!(
            "{start}<define name='d'><empty/></define><define name='d' combine='choice'><text/></define>"
        ))
        .unwrap();
    }
}
