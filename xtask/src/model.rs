//! Stage 3 — model: turn the simplified grammars into a type graph.
//!
//! * Every `<element>` pattern of every entry grammar is a node; nodes whose content is the
//!   same (with nested elements compared the same way) form one *element class*, found by
//!   partition refinement, so the ~20 grammars that include `domaincommon.rng` share types.
//! * An element type is keyed by the set of classes it stands for: children of one parent
//!   that share a name share one field, and one type (the union of their contents), which
//!   keeps same-name siblings in document order and loses nothing.
//! * Content is flattened into fields (attributes, child elements, text, open content)
//!   with their occurrence; a choice whose branches are told apart by one attribute's
//!   values becomes a sum type ([`Variants`]).
//! * Attribute and text values get a [`ValueType`]: value enums, integers, floats, strings.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::simplify::{ElemId, NameClassKey, Pat, Simplified};

mod inventory;
mod libvirt_order;
pub use inventory::{DataPatterns, ElementPattern, Entry};

/// An XML name (namespace URI, empty for none; local name).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct XName {
    pub ns: String,
    pub local: String,
}

/// `local`, or `{namespace}local` for a name in a namespace (Clark notation).
impl std::fmt::Display for XName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.ns.is_empty() {
            f.write_str(&self.local)
        } else {
            write!(f, "{{{}}}{}", self.ns, self.local)
        }
    }
}

pub type ClassId = usize;
pub type TypeId = usize;
pub type EnumId = usize;

/// A node of the element graph: (entry index, element id in that entry's grammar).
pub type Node = (usize, ElemId);

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IntKind {
    U8,
    U16,
    U32,
    U64,
    I8,
    I16,
    I32,
    I64,
    /// Only for unions no 64-bit type holds (`unsignedLong | int`).
    I128,
}

impl IntKind {
    /// Smallest first, unsigned before signed of the same size.
    pub const ALL: [IntKind; 9] = [
        IntKind::U8,
        IntKind::I8,
        IntKind::U16,
        IntKind::I16,
        IntKind::U32,
        IntKind::I32,
        IntKind::U64,
        IntKind::I64,
        IntKind::I128,
    ];

    /// The Rust type.
    pub fn rust(&self) -> &'static str {
        match self {
            IntKind::U8 => "u8",
            IntKind::U16 => "u16",
            IntKind::U32 => "u32",
            IntKind::U64 => "u64",
            IntKind::I8 => "i8",
            IntKind::I16 => "i16",
            IntKind::I32 => "i32",
            IntKind::I64 => "i64",
            IntKind::I128 => "i128",
        }
    }

    /// Smallest and largest value.
    pub fn range(&self) -> (i128, i128) {
        match self {
            IntKind::U8 => (0, u8::MAX.into()),
            IntKind::U16 => (0, u16::MAX.into()),
            IntKind::U32 => (0, u32::MAX.into()),
            IntKind::U64 => (0, u64::MAX.into()),
            IntKind::I8 => (i8::MIN.into(), i8::MAX.into()),
            IntKind::I16 => (i16::MIN.into(), i16::MAX.into()),
            IntKind::I32 => (i32::MIN.into(), i32::MAX.into()),
            IntKind::I64 => (i64::MIN.into(), i64::MAX.into()),
            IntKind::I128 => (i128::MIN, i128::MAX),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ValueType {
    String,
    Int(IntKind),
    Float,
    Bool,
    /// A type of the runtime standing for a define's values (the target names the defines).
    Runtime(RuntimeValue),
    Enum(EnumId),
    /// `<list>`: whitespace-separated items of one type (`Vec<T>`).
    List(Box<ValueType>),
}

impl ValueType {
    /// The value enum it holds, itself or as a list's items.
    pub fn enum_id(&self) -> Option<EnumId> {
        match self {
            ValueType::Enum(e) => Some(*e),
            ValueType::List(item) => item.enum_id(),
            _ => None,
        }
    }
}

/// What the target says of some defines' values (its `runtime_values` and `hex_values`).
#[derive(Clone, Copy, Debug, Default)]
pub struct ValueHints<'a> {
    /// Defines whose values a runtime type holds ([`ValueType::Runtime`]).
    pub runtime: &'a [(&'a str, RuntimeValue)],
    /// Integer defines libvirt writes in hexadecimal, with their least digit count
    /// ([`Attr::hex_digits`]).
    pub hex: &'a [(&'a str, u8)],
}

/// Runtime value types for values whose schema type would read them wrongly or loosely.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuntimeValue {
    /// Permission bits the schema types as digits 0–7, which libvirt reads in octal
    /// (`rt::FileMode`).
    FileMode,
    /// A size unit the schema types as a pattern over letters, which libvirt reads
    /// case-insensitively (`rt::Unit`).
    Unit,
    /// A UUID the schema types as a pattern over hexadecimal digits (`rt::Uuid`).
    Uuid,
    /// IP addresses the schema types as patterns (`std::net::Ipv4Addr`, `Ipv6Addr`, and
    /// `IpAddr` for either): a value is one where every pattern it may match is a
    /// reference to one of their defines.
    Ipv4,
    Ipv6,
    Ip,
}

impl RuntimeValue {
    /// An IP address type.
    pub fn is_address(self) -> bool {
        matches!(self, RuntimeValue::Ipv4 | RuntimeValue::Ipv6 | RuntimeValue::Ip)
    }

    /// Whether the Rust type has a `Default` (`std::net`'s addresses have none: a struct
    /// holding one required gets its own `Default`, with `0.0.0.0` in it).
    pub fn has_default(self) -> bool {
        !self.is_address()
    }
}

/// A closed list of values (`<choice><value>…`), kept open at run time by an `Other` variant.
#[derive(Clone, Debug)]
pub struct ValueEnum {
    pub values: Vec<String>,
    /// Define names the value list came from (best names first), the files of those
    /// defines, and uses for context names.
    pub define_names: Vec<String>,
    pub define_files: Vec<String>,
    pub uses: Vec<EnumUse>,
}

/// An element type holding a value enum, and where in it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct EnumUse {
    pub ty: TypeId,
    pub site: ValueSite,
}

/// Where a value sits in an element.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ValueSite {
    /// An attribute, by local name.
    Attribute(String),
    Text,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Attr {
    pub name: XName,
    pub ty: ValueType,
    pub required: bool,
    /// An integer libvirt writes as `0x` and at least this many lowercase hexadecimal
    /// digits (a PCI address's `domain='0x0000'`): written so unless read otherwise.
    pub hex_digits: Option<u8>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Child {
    pub name: XName,
    pub ty: TypeId,
    pub required: bool,
    pub repeated: bool,
    /// Held in a `Box` (see [`decide_boxing`]).
    pub boxed: bool,
    /// A repeated group of sibling elements, named for its first element (its type is the
    /// group's, see [`ElementType::group`]).
    pub group: bool,
    /// One of a choice of elements: the choice (an index below [`Fields::choices`]), whose
    /// one field holds whichever member is present, and the member's place in the
    /// schema's choice (see [`Fields::members`]).
    pub choice: Option<(usize, usize)>,
    /// A driver's extension (see [`decide_extensions`]): held, with the element's other
    /// extensions, in one boxed struct rather than a field of its own.
    pub extension: bool,
}

#[derive(Clone, Debug)]
pub struct Text {
    pub ty: ValueType,
    pub required: bool,
    /// Mixed content: text in sequence with child elements (`<mixed>`, or text beside
    /// elements in a group or interleave). Each piece of text is kept, in its place among
    /// the children (`Vec<String>`, its order with theirs in the document-order record).
    pub mixed: bool,
}

/// The fields of one element type, or of one variant of a sum type.
#[derive(Clone, Debug, Default)]
pub struct Fields {
    pub attrs: Vec<Attr>,
    pub children: Vec<Child>,
    pub text: Option<Text>,
    /// Open content: the schema accepts elements of any name here (`<anyName/>`).
    pub any_element: bool,
    pub any_attribute: bool,
    /// A sum type inside this element (at most one per element).
    pub variants: Option<Variants>,
    /// How many of `children` come before the sum type's children in document order.
    pub variants_pos: usize,
    /// How many of `attrs` are written before the sum type's attribute (`<audio id='1'
    /// type='spice'>`).
    pub attrs_before_variants: usize,
    /// How many choices between single elements of distinct names this element holds
    /// (an nwfilter `<rule>`'s one protocol: `<tcp>`, `<udp>`, …). Each is one field, an
    /// enum of its members (the children whose [`Child::choice`] is its index).
    pub choices: usize,
}

impl Fields {
    /// The children that are choice `k`'s members, in the schema's order.
    pub fn members(&self, k: usize) -> Vec<usize> {
        let mut m: Vec<(usize, usize)> = (self.children.iter().enumerate())
            .filter_map(|(i, c)| c.choice.filter(|x| x.0 == k).map(|x| (x.1, i)))
            .collect();
        m.sort();
        m.into_iter().map(|(_, i)| i).collect()
    }

    /// The text an element is built from (`vcpu: 2.into()`): required text, and nothing
    /// else required. `text_only` when there is nothing else at all (the element is its
    /// value, in serialized data too).
    pub fn built_from_text(&self) -> Option<(&Text, bool)> {
        let text = self.text.as_ref().filter(|x| x.required)?;
        if self.attrs.iter().any(|a| a.required)
            || self.children.iter().any(|c| c.required)
            || self.variants.is_some()
        {
            return None;
        }
        let text_only = self.attrs.is_empty()
            && self.children.is_empty()
            && !self.any_element
            && !self.any_attribute;
        Some((text, text_only))
    }

    /// A scaled integer (libvirt's sizes): required integer text and an optional `unit`
    /// attribute of the size-unit type. Its integer kind and the `unit` attribute's index.
    pub fn scaled_integer(&self) -> Option<(IntKind, usize)> {
        let int = match self.text.as_ref() {
            Some(Text { ty: ValueType::Int(k), required: true, .. }) => k.clone(),
            _ => return None,
        };
        let unit = self.attrs.iter().position(|a| {
            a.name.local == "unit"
                && a.name.ns.is_empty()
                && !a.required
                && a.ty == ValueType::Runtime(RuntimeValue::Unit)
        })?;
        Some((int, unit))
    }
}

/// A choice the schema discriminates by the value of one attribute.
#[derive(Clone, Debug)]
pub struct Variants {
    pub attr: XName,
    /// Whether the element may omit the attribute (one variant is then the default).
    pub attr_optional: bool,
    pub cases: Vec<Case>,
}

#[derive(Clone, Debug)]
pub struct Case {
    /// Attribute values selecting this case; the first is written back by default.
    pub values: Vec<String>,
    /// Selected when the attribute is absent.
    pub default: bool,
    pub fields: Fields,
    /// Held in a `Box` (see [`decide_case_boxing`]).
    pub boxed: bool,
}

#[derive(Clone, Debug)]
pub struct ElementType {
    pub name: XName,
    pub classes: BTreeSet<ClassId>,
    pub fields: Fields,
    /// Nodes it stands for (for docs and naming).
    pub nodes: Vec<Node>,
    /// A repeated group's element (groups are named after it and live in its module).
    pub parent: Option<TypeId>,
    /// The first entry that reaches the type.
    pub entry: usize,
    /// A repeated group of sibling elements rather than an element, named for its first.
    pub group: bool,
    /// A choice between whole element types rather than one type (see [`Alternatives`]).
    pub alternatives: Option<Alternatives>,
    /// On a cycle of the schema (`<backingStore>` holds a `<backingStore>`): a document
    /// can nest it as deep as the reader allows, so its reader and writer check for stack
    /// room (see [`decide_recursion`]).
    pub recursive: bool,
}

/// Several element patterns of one name under one parent, one of them a document's root
/// element (the snapshot's `<domain>`: the domain document, or the `<uuid>`-only stub
/// older libvirt wrote): each keeps its own type, and the field holds one of them, told
/// apart by one attribute (`type`). The types are `fields.children`, one per case, in the
/// order of `cases`; they sit where the element does (they add no step to its path).
#[derive(Clone, Debug, PartialEq)]
pub struct Alternatives {
    pub attr: XName,
    pub cases: Vec<Alternative>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Alternative {
    /// Attribute values selecting this case (none: the case without the attribute).
    pub values: Vec<String>,
    /// Selected when the attribute is absent.
    pub default: bool,
}

/// How each choice point was mapped, for the coverage report.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChoiceMapping {
    ValueEnum,
    /// Alternative data types of one value (`<choice><data type="int"/><data type="string"><param…`):
    /// one field whose type covers them (an integer when all are numbers, else a string).
    DataUnion,
    SumType,
    /// Single elements of distinct names, at most one present: one field, an enum of them.
    ElementChoice,
    Merged(String),
}

#[derive(Clone, Debug)]
pub struct Root {
    pub entry: usize,
    pub ty: TypeId,
    /// The entry's own patterns for this root, which its documents validate against (a
    /// borrowing entry's root reads into the main entries' type but keeps its schema).
    pub classes: Vec<ClassId>,
}

/// The type graph and what naming, emit and the reports need to know of the schemas: plain
/// data, with no way back to the grammars it was built from.
pub struct Model {
    /// The entry schemas, in the target's order (a root's `entry` indexes them).
    pub entries: Vec<Entry>,
    /// Every `<element>` pattern of every entry, indexed by [`Node`] (see [`Model::element`]).
    pub elements: Vec<Vec<ElementPattern>>,
    /// The `<data>` patterns of the schemas, for the coverage report.
    pub data_patterns: DataPatterns,
    /// Element patterns of equal name, origin and content share a class (types and the
    /// validation table are per class).
    pub class_of: HashMap<Node, ClassId>,
    pub class_nodes: Vec<Vec<Node>>,
    pub types: Vec<ElementType>,
    pub enums: Vec<ValueEnum>,
    pub roots: Vec<Root>,
    /// Choice points (grammar, origin line) → mapping.
    pub choices: BTreeMap<(String, String), ChoiceMapping>,
    /// Entries whose documents read into the other entries' types (see [`build`]).
    pub borrowing: BTreeSet<usize>,
}

/// `borrowing`: entries (test schemas such as `test/device.rng`) whose elements read into
/// the types the other entries give the same schema `<element>`; where such an entry
/// relaxes an element (an optional disk `<target>`), its documents read leniently.
/// `values`: what the target says of some defines' values ([`ValueHints`]).
pub fn build(
    grammars: &[Simplified],
    borrowing: &BTreeSet<usize>,
    values: ValueHints<'_>,
    observed: &crate::observe::Observed,
) -> Result<Model, String> {
    let ValueHints { runtime: runtime_values, hex: hex_values } = values;
    let classes = classify(grammars);
    let groups = pattern_groups(grammars, &classes.nodes, borrowing);
    // Roots that are one schema `<element>` (not a choice of several, as interface.rng's
    // `<interface>` of each kind is): their type stands on its own.
    let root_groups = grammars
        .iter()
        .enumerate()
        .filter_map(|(gi, g)| {
            let of: BTreeSet<usize> = inventory::elements_at(g, &g.start)
                .into_iter()
                .map(|e| groups.of_class[classes.class_of[&(gi, e)]])
                .collect();
            (of.len() == 1).then(|| of.into_iter().next()).flatten()
        })
        .collect();
    let mut b = Builder {
        g: grammars,
        class_of: classes.class_of,
        class_nodes: classes.nodes,
        groups,
        types: Vec::new(),
        by_key: HashMap::new(),
        enums: Vec::new(),
        enum_by_values: HashMap::new(),
        queue: std::collections::VecDeque::new(),
        choices: BTreeMap::new(),
        context: String::new(),
        runtime_values,
        hex_values,
        refusals: Vec::new(),
        root_groups,
    };
    let mut roots = Vec::new();
    // Entry by entry, breadth first: a type belongs to the first entry that reaches it.
    for (gi, g) in grammars.iter().enumerate() {
        b.context = format!("{} <start>", g.entry);
        let mut fl = b.flatten(gi, &g.start, &mut Vec::new());
        if let Some(v) = fl.variants.take() {
            fl = fl.and(v.into_merged("the document root is a choice"));
        }
        for c in std::mem::take(&mut fl.children) {
            let ty = b.type_for(c.name.clone(), c.classes.clone(), gi);
            roots.push(Root { entry: gi, ty, classes: c.classes.into_iter().collect() });
        }
        while let Some(t) = b.queue.pop_front() {
            b.fill(t);
        }
    }
    let mut types = b.types;
    let mut enums = b.enums;
    let elements = inventory::element_patterns(grammars);
    merge_equal_types(&elements, &mut types, &mut roots, &mut enums);
    // Cases whose fields were of alike types are alike now: hoist again, and merge the
    // types that became alike by it.
    for t in &mut types {
        hoist_shared(&mut t.fields);
    }
    merge_equal_types(&elements, &mut types, &mut roots, &mut enums);
    let root_types: Vec<TypeId> = roots.iter().map(|r| r.ty).collect();
    libvirt_order::apply(grammars, &mut types, &root_types, observed);
    decide_extensions(&mut types);
    decide_boxing(&mut types);
    decide_case_boxing(&mut types);
    decide_recursion(&mut types);
    if !b.refusals.is_empty() {
        return Err(b.refusals.join("\n"));
    }
    let choices = b.choices;
    let class_of = b.class_of;
    let class_nodes = b.class_nodes;
    Ok(Model {
        class_of,
        class_nodes,
        entries: grammars.iter().map(|g| Entry { file: g.entry.clone() }).collect(),
        elements,
        data_patterns: inventory::data_patterns(grammars),
        types,
        enums,
        roots,
        choices,
        borrowing: borrowing.clone(),
    })
}

impl Model {
    pub fn element(&self, (entry, e): Node) -> &ElementPattern {
        &self.elements[entry][e]
    }

    /// The choice define whose element patterns are exactly type `t`'s (`diskSource` for
    /// the type of a field that holds any disk `<source>`), if there is one.
    pub fn whole_choice(&self, t: TypeId) -> Option<&str> {
        let nodes = &self.types[t].nodes;
        let patterns: BTreeSet<(&str, u32)> = nodes
            .iter()
            .map(|&n| {
                let o = &self.element(n).origin;
                (o.file.as_str(), o.line)
            })
            .collect();
        let first = self.element(*nodes.first()?);
        first
            .choice_defines
            .iter()
            .filter(|(d, count)| {
                *count == patterns.len()
                    && nodes.iter().all(|&m| {
                        let of = &self.element(m).choice_defines;
                        of.iter().any(|(e, _)| e == d)
                    })
            })
            .map(|(d, _)| d.as_str())
            .min()
    }
}

struct Classes {
    class_of: HashMap<Node, ClassId>,
    nodes: Vec<Vec<Node>>,
}

/// Element classes of one schema `<element>` (same name, file and line): one type stands
/// for all of them, whichever entry reaches it and whatever that entry overrides, so the
/// snapshot's and the domain's disk `<source>` are one type.
struct Groups {
    of_class: Vec<usize>,
    /// The classes a group's type stands for: those the main entries reach, or for an
    /// element only borrowing entries reach, their own.
    classes: Vec<BTreeSet<ClassId>>,
}

/// The element nodes some entry's start reaches.
fn reachable(grammars: &[Simplified]) -> BTreeSet<Node> {
    fn walk(
        g: &Simplified,
        gi: usize,
        p: &Pat,
        seen: &mut BTreeSet<Node>,
        refs: &mut BTreeSet<usize>,
    ) {
        match p {
            Pat::Element(e) if seen.insert((gi, *e)) => {
                walk(g, gi, &g.elements[*e].content, seen, refs)
            }
            Pat::Ref(d) if refs.insert(*d) => walk(g, gi, &g.defines[*d].pat, seen, refs),
            Pat::Attribute { value, .. } => walk(g, gi, value, seen, refs),
            Pat::Group(v) | Pat::Interleave(v) | Pat::Choice(v) => {
                for q in v {
                    walk(g, gi, q, seen, refs);
                }
            }
            Pat::OneOrMore(q) | Pat::List(q) => walk(g, gi, q, seen, refs),
            Pat::Data { except: Some(q), .. } => walk(g, gi, q, seen, refs),
            _ => {}
        }
    }
    let mut seen = BTreeSet::new();
    for (gi, g) in grammars.iter().enumerate() {
        walk(g, gi, &g.start, &mut seen, &mut BTreeSet::new());
    }
    seen
}

fn pattern_groups(
    grammars: &[Simplified],
    class_nodes: &[Vec<Node>],
    borrowing: &BTreeSet<usize>,
) -> Groups {
    let key = |c: ClassId| {
        let (gi, e) = class_nodes[c][0];
        let el = &grammars[gi].elements[e];
        format!("{:?}@{}:{}", el.name, el.origin.file, el.origin.line)
    };
    // A grammar's patterns no start reaches (domainbackup.rng includes all of
    // domaincommon.rng without the overrides that give `<disk>` its `<target>`) do not widen
    // the type.
    let reached = reachable(grammars);
    let secondary = |c: ClassId| {
        class_nodes[c].iter().all(|n| borrowing.contains(&n.0) || !reached.contains(n))
    };
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut classes: Vec<BTreeSet<ClassId>> = Vec::new();
    let mut of_class = vec![0; class_nodes.len()];
    // Main entries' reached classes first, so the others find their group.
    let order = (0..class_nodes.len())
        .filter(|&c| !secondary(c))
        .chain((0..class_nodes.len()).filter(|&c| secondary(c)));
    for c in order {
        let k = key(c);
        let g = *index.entry(k).or_insert_with(|| {
            classes.push(BTreeSet::new());
            classes.len() - 1
        });
        of_class[c] = g;
        if !secondary(c) || classes[g].iter().all(|&o| secondary(o)) {
            classes[g].insert(c);
        }
    }
    Groups { of_class, classes }
}

/// Partition refinement: nodes start grouped by (name, origin), then split by their
/// shallow content shape (nested elements written as their current class) until stable.
fn classify(grammars: &[Simplified]) -> Classes {
    let mut all: Vec<Node> = Vec::new();
    for (gi, g) in grammars.iter().enumerate() {
        for e in 0..g.elements.len() {
            all.push((gi, e));
        }
    }
    let mut class: HashMap<Node, usize> = HashMap::new();
    let mut intern: HashMap<String, usize> = HashMap::new();
    for &(gi, e) in &all {
        let el = &grammars[gi].elements[e];
        let key = format!("{:?}@{}:{}", el.name, el.origin.file, el.origin.line);
        let n = intern.len();
        class.insert((gi, e), *intern.entry(key).or_insert(n));
    }
    let mut count = intern.len();
    loop {
        let mut intern: HashMap<String, usize> = HashMap::new();
        let mut next: HashMap<Node, usize> = HashMap::new();
        for &(gi, e) in &all {
            let mut s = format!("{}|", class[&(gi, e)]);
            shape(grammars, gi, &grammars[gi].elements[e].content, &class, &mut s);
            let n = intern.len();
            next.insert((gi, e), *intern.entry(s).or_insert(n));
        }
        let done = intern.len() == count;
        count = intern.len();
        class = next;
        if done {
            break;
        }
    }
    // Renumber classes in a deterministic order (first node in grammar order).
    let mut renum: HashMap<usize, ClassId> = HashMap::new();
    let mut nodes: Vec<Vec<Node>> = Vec::new();
    let mut class_of = HashMap::new();
    for &n in &all {
        let c = class[&n];
        let id = *renum.entry(c).or_insert_with(|| {
            nodes.push(Vec::new());
            nodes.len() - 1
        });
        nodes[id].push(n);
        class_of.insert(n, id);
    }
    Classes { class_of, nodes }
}

fn shape(g: &[Simplified], gi: usize, p: &Pat, class: &HashMap<Node, usize>, out: &mut String) {
    use std::fmt::Write;
    match p {
        Pat::Element(e) => {
            let _ = write!(out, "E{}", class[&(gi, *e)]);
        }
        Pat::Ref(d) => shape(g, gi, &g[gi].defines[*d].pat, class, out),
        Pat::Attribute { name, value } => {
            let _ = write!(out, "A{name:?}(");
            shape(g, gi, value, class, out);
            out.push(')');
        }
        Pat::Group(v) | Pat::Interleave(v) | Pat::Choice(v) => {
            out.push(match p {
                Pat::Group(_) => 'G',
                Pat::Interleave(_) => 'I',
                _ => 'C',
            });
            out.push('(');
            for c in v {
                shape(g, gi, c, class, out);
                out.push(',');
            }
            out.push(')');
        }
        Pat::OneOrMore(b) => {
            out.push('+');
            out.push('(');
            shape(g, gi, b, class, out);
            out.push(')');
        }
        other => {
            let _ = write!(out, "{other:?}");
        }
    }
}

/// Content of one pattern while flattening, before types are assigned.
#[derive(Clone, Debug, Default)]
struct Flat {
    attrs: Vec<FAttr>,
    children: Vec<FChild>,
    text: Option<FText>,
    any_element: bool,
    any_attribute: bool,
    /// The pattern can never match (notAllowed).
    never: bool,
    variants: Option<FVariants>,
    variants_pos: usize,
    /// Holds elements in sequence (not only alternatives): repeating it needs a group.
    seq: bool,
    /// Sum types given up on the way, with the reason (reported in `Model::choices`).
    demoted: Vec<((String, String), String)>,
    /// Text in sequence with child elements (mixed content): kept as pieces of text, each
    /// in its place among the children ([`Text::mixed`]).
    mixed: bool,
    /// Choices between single elements among `children` (see [`Fields::choices`]).
    choices: Vec<FChoice>,
}

/// A choice between single elements of distinct names, while flattening: it stays one
/// while no other pattern may put two of its members in one element.
#[derive(Clone, Debug)]
struct FChoice {
    names: Vec<XName>,
    /// The choice this came from (key of `Model::choices`).
    origin: (String, String),
}

#[derive(Clone, Debug)]
struct FAttr {
    name: XName,
    values: Vec<ValueSource>,
    required: bool,
    /// The define whose body is this attribute (`startupPolicy`): a name for its values.
    define: Option<String>,
}

#[derive(Clone, Debug)]
struct FChild {
    name: XName,
    classes: BTreeSet<ClassId>,
    required: bool,
    repeated: bool,
    /// A repeated sequence of several elements (`zeroOrMore(group(a, b))`): its items are
    /// kept together so they can be written back in the order the schema requires.
    group: Option<Box<Flat>>,
}

impl FChild {
    /// Whether `o` is the same child: a repeated group and an element of one name differ.
    fn same(&self, o: &FChild) -> bool {
        self.name == o.name && self.group.is_some() == o.group.is_some()
    }
}

/// A pattern a value may match: one written in a grammar (its references resolve there),
/// or a token the model puts back itself (a merged case's discriminant value).
#[derive(Clone, Debug, PartialEq)]
enum ValueSource {
    Schema { grammar: usize, pat: Pat },
    Token(String),
}

impl ValueSource {
    fn schema(grammar: usize, pat: Pat) -> ValueSource {
        ValueSource::Schema { grammar, pat }
    }

    /// The pattern, whatever its source (a token is a `<value>`).
    fn pat(&self) -> std::borrow::Cow<'_, Pat> {
        match self {
            ValueSource::Schema { pat, .. } => std::borrow::Cow::Borrowed(pat),
            ValueSource::Token(v) => {
                std::borrow::Cow::Owned(Pat::Value { datatype: "token".into(), value: v.clone() })
            }
        }
    }
}

#[derive(Clone, Debug)]
struct FText {
    values: Vec<ValueSource>,
    required: bool,
}

#[derive(Clone, Debug)]
struct FVariants {
    attr: XName,
    attr_optional: bool,
    cases: Vec<(Vec<String>, bool, Flat)>,
    /// The choice this came from (key of `Model::choices`).
    origin: (String, String),
}

impl Flat {
    fn never() -> Flat {
        Flat { never: true, ..Flat::default() }
    }

    fn is_empty(&self) -> bool {
        self.attrs.is_empty()
            && self.children.is_empty()
            && self.text.is_none()
            && !self.any_element
            && !self.any_attribute
            && self.variants.is_none()
    }

    /// Both `self` and `o` occur (group, interleave).
    fn and(mut self, mut o: Flat) -> Flat {
        if self.never || o.never {
            return Flat::never();
        }
        // A member of a choice beside another element of its name: both may be present.
        let (mine, theirs) = (self.child_names(), o.child_names());
        self.dissolve_choices(
            |c| c.names.iter().any(|n| theirs.contains(n)),
            "a member also occurs beside the choice",
        );
        o.dissolve_choices(
            |c| c.names.iter().any(|n| mine.contains(n)),
            "a member also occurs beside the choice",
        );
        self.choices.append(&mut o.choices);
        self.mixed |= o.mixed
            || (self.text.is_some() && !o.children.is_empty())
            || (o.text.is_some() && !self.children.is_empty());
        // A discriminant also written outside its choice cannot select a case: merge.
        if let Some(v) = &self.variants {
            if o.attrs.iter().any(|a| a.name == v.attr)
                || o.variants.as_ref().is_some_and(|w| w.attr == v.attr)
            {
                let v = self.variants.take().unwrap();
                self = self.and(v.into_merged("its attribute also occurs outside the choice"));
            }
        }
        if let Some(v) = &o.variants {
            if self.attrs.iter().any(|a| a.name == v.attr) {
                let v = o.variants.take().unwrap();
                o = o.and(v.into_merged("its attribute also occurs outside the choice"));
            }
        }
        for a in o.attrs {
            match self.attrs.iter_mut().find(|x| x.name == a.name) {
                Some(x) => {
                    x.required |= a.required;
                    extend_unique(&mut x.values, a.values);
                }
                None => self.attrs.push(a),
            }
        }
        if self.variants.is_none() && o.variants.is_some() {
            self.variants_pos = self.children.len() + o.variants_pos;
        }
        self.seq |= o.seq || (!self.children.is_empty() && !o.children.is_empty());
        self.demoted.extend(std::mem::take(&mut o.demoted));
        for c in o.children {
            match self.children.iter_mut().find(|x| x.same(&c)) {
                Some(x) => {
                    x.required |= c.required;
                    x.repeated = true;
                    x.classes.extend(c.classes);
                }
                None => self.children.push(c),
            }
        }
        self.text = match (self.text.take(), o.text) {
            (None, t) | (t, None) => t,
            (Some(mut a), Some(b)) => {
                a.required |= b.required;
                extend_unique(&mut a.values, b.values);
                Some(a)
            }
        };
        self.any_element |= o.any_element;
        self.any_attribute |= o.any_attribute;
        self.variants = match (self.variants.take(), o.variants) {
            (None, v) | (v, None) => v,
            // Two sum types in one element: keep the first, merge the second back into fields.
            (Some(v), Some(w)) => {
                let merged =
                    w.into_merged("a second attribute-discriminated choice in the same element");
                self = self.and(merged);
                Some(v)
            }
        };
        self.check_variants()
    }

    /// A name both in the element's own fields and in a case would be read twice: merge.
    fn check_variants(mut self) -> Flat {
        let clash = match &self.variants {
            None => false,
            Some(v) => v.cases.iter().any(|(_, _, f)| {
                f.attrs.iter().any(|a| self.attrs.iter().any(|b| b.name == a.name))
                    || f.children.iter().any(|a| self.children.iter().any(|b| b.same(a)))
                    || (f.text.is_some() && self.text.is_some())
            }),
        };
        if clash {
            let v = self.variants.take().unwrap();
            self = self.and(v.into_merged("a case and the element's own fields share a name"));
        }
        self
    }

    /// Either `self` or `o` occurs (choice): fields stay required only where both require them.
    fn or(mut self, o: Flat) -> Flat {
        if self.never {
            return o;
        }
        if o.never {
            return self;
        }
        self.mixed |= o.mixed;
        let self_was_empty = self.is_empty();
        let o_was_empty = o.is_empty();
        self.seq |= o.seq;
        let mut o = o;
        // A choice stays one where the other alternative holds at most one of its members,
        // or the same choice.
        let exclusive = |c: &FChoice, other: &Flat| {
            other.choices.iter().any(|d| d.names == c.names)
                || other.children.iter().filter(|x| c.names.contains(&x.name)).count() <= 1
        };
        let reason = "another alternative holds two of its members";
        self.dissolve_choices(|c| !exclusive(c, &o), reason);
        o.dissolve_choices(|c| !exclusive(c, &self), reason);
        for c in std::mem::take(&mut o.choices) {
            if !self.choices.iter().any(|d| d.names == c.names) {
                self.choices.push(c);
            }
        }
        self.demoted.extend(std::mem::take(&mut o.demoted));
        let o_attr_names: Vec<XName> = o.attrs.iter().map(|a| a.name.clone()).collect();
        let o_child_names: Vec<XName> = o.children.iter().map(|a| a.name.clone()).collect();
        for a in &mut self.attrs {
            if !o_attr_names.contains(&a.name) {
                a.required = false;
            }
        }
        for c in &mut self.children {
            if !o_child_names.contains(&c.name) {
                c.required = false;
            }
        }
        for a in o.attrs {
            match self.attrs.iter_mut().find(|x| x.name == a.name) {
                Some(x) => {
                    x.required &= a.required;
                    extend_unique(&mut x.values, a.values);
                }
                None => self.attrs.push(FAttr { required: false, ..a }),
            }
        }
        // Merge the two child orders: a child only `o` has goes right after the child that
        // precedes it in `o`, so both branches' sequences stay valid.
        let mut insert_at = 0;
        for c in o.children {
            match self.children.iter().position(|x| x.same(&c)) {
                Some(i) => {
                    let x = &mut self.children[i];
                    x.required &= c.required;
                    x.repeated |= c.repeated;
                    x.classes.extend(c.classes);
                    insert_at = insert_at.max(i + 1);
                }
                None => {
                    if self.variants.is_some() && self.variants_pos >= insert_at {
                        self.variants_pos += 1;
                    }
                    self.children.insert(insert_at, FChild { required: false, ..c });
                    insert_at += 1;
                }
            }
        }
        self.text = match (self.text.take(), o.text) {
            (None, None) => None,
            (Some(t), None) | (None, Some(t)) => Some(FText { required: false, ..t }),
            (Some(mut a), Some(b)) => {
                a.required &= b.required;
                extend_unique(&mut a.values, b.values);
                Some(a)
            }
        };
        self.any_element |= o.any_element;
        self.any_attribute |= o.any_attribute;
        let (mine, theirs) = (self.variants.take(), o.variants);
        let o_empty = o_was_empty;
        let o_pos = o.variants_pos;
        self.variants = match (mine, theirs) {
            (None, None) => None,
            // `optional(sum)`: the attribute may be missing altogether.
            (Some(mut v), None) if o_empty => {
                v.attr_optional = true;
                Some(v)
            }
            (None, Some(mut v)) if self_was_empty => {
                v.attr_optional = true;
                self.variants_pos = o_pos;
                Some(v)
            }
            // Two sums over the same attribute: one sum with the union of the cases.
            (Some(mut v), Some(w)) if v.attr == w.attr => {
                v.attr_optional |= w.attr_optional;
                for case in w.cases {
                    v.add_case(case);
                }
                Some(v)
            }
            (Some(v), None) | (None, Some(v)) => {
                self = self
                    .or_fields(v.into_merged("one alternative is discriminated, the other is not"));
                None
            }
            (Some(v), Some(w)) => {
                self = self.or_fields(
                    v.into_merged("two alternatives discriminated by different attributes"),
                );
                self = self.or_fields(
                    w.into_merged("two alternatives discriminated by different attributes"),
                );
                None
            }
        };
        self.check_variants()
    }

    fn child_names(&self) -> Vec<XName> {
        self.children.iter().map(|c| c.name.clone()).collect()
    }

    /// Gives up the choices `which` selects: their members stay optional fields of their own.
    fn dissolve_choices(&mut self, which: impl Fn(&FChoice) -> bool, reason: &str) {
        let (gone, kept): (Vec<FChoice>, Vec<FChoice>) =
            std::mem::take(&mut self.choices).into_iter().partition(|c| which(c));
        self.choices = kept;
        self.demoted.extend(gone.into_iter().map(|c| (c.origin, reason.to_string())));
    }

    fn or_fields(self, o: Flat) -> Flat {
        // `self` has no variants here, so this cannot recurse further.
        self.or(o)
    }

    /// `oneOrMore` of a sequence: the children become one repeated group field.
    fn into_group(mut self) -> Flat {
        self.dissolve_choices(|_| true, "a repeated sequence holds it");
        if let Some(v) = self.variants.take() {
            self = self.and(v.into_merged("a repeated sequence holds it"));
        }
        let children = std::mem::take(&mut self.children);
        let required = children.iter().any(|c| c.required);
        let name = children[0].name.clone();
        let inner = Flat { children, ..Flat::default() };
        self.children.push(FChild {
            name,
            classes: BTreeSet::new(),
            required,
            repeated: true,
            group: Some(Box::new(inner)),
        });
        self.seq = false;
        self
    }

    fn repeated(mut self) -> Flat {
        self.dissolve_choices(|_| true, "it is repeated");
        for c in &mut self.children {
            c.repeated = true;
        }
        if let Some(v) = self.variants.take() {
            let m = v.into_merged("it is repeated");
            self = self.and(Flat {
                children: m.children.into_iter().map(|c| FChild { repeated: true, ..c }).collect(),
                ..m
            });
        }
        self
    }
}

impl FVariants {
    fn add_case(&mut self, (values, default, f): (Vec<String>, bool, Flat)) {
        match self.cases.iter_mut().find(|m| {
            m.0.iter().any(|v| values.contains(v)) || (values.is_empty() && m.0.is_empty())
        }) {
            Some(m) => {
                extend_unique(&mut m.0, values);
                m.1 |= default;
                let prev = std::mem::take(&mut m.2);
                m.2 = prev.or(f);
            }
            None => self.cases.push((values, default, f)),
        }
    }

    /// Gives up the sum type: all cases become one set of optional fields.
    fn into_merged(self, reason: &str) -> Flat {
        let mut acc: Option<Flat> = None;
        let origin = self.origin.clone();
        let attr = self.attr.clone();
        for (values, _, mut f) in self.cases {
            // Put the discriminant back as an ordinary attribute.
            if !values.is_empty() && !f.attrs.iter().any(|a| a.name == attr) {
                f.attrs.insert(
                    0,
                    FAttr {
                        name: attr.clone(),
                        values: values.iter().cloned().map(ValueSource::Token).collect(),
                        define: None,
                        required: false,
                    },
                );
            }
            acc = Some(match acc {
                None => f,
                Some(a) => a.or(f),
            });
        }
        let mut out = acc.unwrap_or_default();
        out.demoted.push((origin, reason.to_string()));
        out
    }
}

fn extend_unique<T: PartialEq>(v: &mut Vec<T>, more: Vec<T>) {
    for m in more {
        if !v.contains(&m) {
            v.push(m);
        }
    }
}

struct Builder<'a> {
    g: &'a [Simplified],
    class_of: HashMap<Node, ClassId>,
    class_nodes: Vec<Vec<Node>>,
    groups: Groups,
    types: Vec<ElementType>,
    /// Types by element name and the pattern groups they stand for.
    by_key: HashMap<(XName, BTreeSet<usize>), TypeId>,
    enums: Vec<ValueEnum>,
    /// Value enums by their values and what they are: the define that lists them, else
    /// where they sit (the attribute's name, or the text), so unrelated lists
    /// that happen to hold the same words stay apart.
    enum_by_values: HashMap<(Vec<String>, String), EnumId>,
    queue: std::collections::VecDeque<TypeId>,
    choices: BTreeMap<(String, String), ChoiceMapping>,
    /// The element whose content is being flattened, for the choice report.
    context: String,
    runtime_values: &'a [(&'a str, RuntimeValue)],
    hex_values: &'a [(&'a str, u8)],
    /// Constructs the model cannot map faithfully, each with its schema file and line.
    refusals: Vec<String>,
    /// Pattern groups that are a document's only root element (see [`Alternatives`]).
    root_groups: BTreeSet<usize>,
}

fn xname(k: &NameClassKey) -> Option<XName> {
    match k {
        NameClassKey::Name { ns, local } => Some(XName { ns: ns.clone(), local: local.clone() }),
        NameClassKey::Any(_) => None,
    }
}

impl Builder<'_> {
    fn type_for(&mut self, name: XName, classes: BTreeSet<ClassId>, entry: usize) -> TypeId {
        let groups: BTreeSet<usize> = classes.iter().map(|&c| self.groups.of_class[c]).collect();
        let key = (name.clone(), groups);
        if let Some(&t) = self.by_key.get(&key) {
            return t;
        }
        let classes: BTreeSet<ClassId> =
            key.1.iter().flat_map(|&g| self.groups.classes[g].iter().copied()).collect();
        let nodes = classes.iter().flat_map(|c| self.class_nodes[*c].iter().copied()).collect();
        self.types.push(ElementType {
            name,
            classes,
            fields: Fields::default(),
            nodes,
            parent: None,
            entry,
            group: false,
            alternatives: None,
            recursive: false,
        });
        let id = self.types.len() - 1;
        self.by_key.insert(key, id);
        self.queue.push_back(id);
        id
    }

    fn group_type(&mut self, name: XName, inner: Flat, parent: TypeId, entry: usize) -> TypeId {
        self.types.push(ElementType {
            name,
            classes: BTreeSet::new(),
            fields: Fields::default(),
            nodes: Vec::new(),
            parent: Some(parent),
            entry,
            group: true,
            alternatives: None,
            recursive: false,
        });
        let id = self.types.len() - 1;
        let mut inner = inner;
        for c in &mut inner.children {
            // Inside one item, only the repeated members repeat.
            c.required = false;
        }
        let fields = self.fields(inner, id, entry, false);
        self.types[id].fields = fields;
        id
    }

    /// Computes the fields of type `t` (and queues the child types it reaches).
    fn fill(&mut self, t: TypeId) {
        let classes: Vec<ClassId> = self.types[t].classes.iter().copied().collect();
        if let Some(&c) = classes.first() {
            let (gi, e) = self.class_nodes[c][0];
            let el = &self.g[gi].elements[e];
            self.context =
                format!("{}:{} <{}>", el.origin.file, el.origin.line, name_text(&el.name));
        }
        // One branch per schema `<element>`: its classes (the element as each entry's
        // overrides make it) are one content, every part of any of them kept.
        let mut branches: Vec<(usize, Flat)> = Vec::new();
        for c in &classes {
            let (gi, e) = self.class_nodes[*c][0];
            let f = self.flatten(gi, &self.g[gi].elements[e].content, &mut Vec::new());
            // Mixed content is pieces of text among the children; a sum type's cases
            // would split them, and typed text has no pieces.
            let typed_text = f
                .text
                .as_ref()
                .is_some_and(|x| x.values.iter().any(|v| !matches!(&*v.pat(), Pat::Text)));
            if f.mixed && (f.variants.is_some() || typed_text) {
                let el = &self.g[gi].elements[e];
                let refusal = format!(
                    "{}:{}: <{}> holds {} beside child elements, which the generator does \
                     not support (mixed content is plain text among elements)",
                    el.origin.file,
                    el.origin.line,
                    name_text(&el.name),
                    if typed_text { "typed text" } else { "text and attribute-selected shapes" }
                );
                if !self.refusals.contains(&refusal) {
                    self.refusals.push(refusal);
                }
            }
            let group = self.groups.of_class[*c];
            match branches.iter_mut().find(|(g, _)| *g == group) {
                Some((_, b)) => *b = std::mem::take(b).or(f),
                None => branches.push((group, f)),
            }
        }
        if let Some((alternatives, children)) = self.alternatives(t, &classes, &branches) {
            self.types[t].alternatives = Some(alternatives);
            self.types[t].fields.children = children;
            return;
        }
        let mut branches: Vec<Flat> = branches.into_iter().map(|(_, f)| f).collect();
        // Several element patterns of one name under one parent: a choice between them.
        let flat = if branches.len() == 1 {
            branches.pop().unwrap()
        } else {
            let (gi, e) = self.class_nodes[classes[0]][0];
            let o = &self.g[gi].elements[e].origin;
            let origin = (
                self.context.clone(),
                format!(
                    "{} patterns of <{}> under one parent ({}:{} …)",
                    branches.len(),
                    self.types[t].name.local,
                    o.file,
                    o.line
                ),
            );
            self.choose(branches, origin)
        };
        let entry = self.types[t].entry;
        let fields = self.fields(flat, t, entry, false);
        self.types[t].fields = fields;
    }

    /// A choice between whole element types, where one branch is a document's root element
    /// and one attribute tells the branches apart (see [`Alternatives`]).
    fn alternatives(
        &mut self,
        t: TypeId,
        classes: &[ClassId],
        branches: &[(usize, Flat)],
    ) -> Option<(Alternatives, Vec<Child>)> {
        if branches.len() < 2 || !branches.iter().any(|(g, _)| self.root_groups.contains(g)) {
            return None;
        }
        let flats: Vec<&Flat> = branches.iter().map(|(_, f)| f).collect();
        let (attr, cases) = discriminate_whole(&flats)?;
        let name = self.types[t].name.clone();
        let entry = self.types[t].entry;
        let mut children = Vec::new();
        for (g, _) in branches {
            let own: BTreeSet<ClassId> =
                classes.iter().copied().filter(|c| self.groups.of_class[*c] == *g).collect();
            children.push(Child {
                name: name.clone(),
                ty: self.type_for(name.clone(), own, entry),
                required: false,
                repeated: false,
                boxed: false,
                group: false,
                choice: None,
                extension: false,
            });
        }
        Some((Alternatives { attr, cases }, children))
    }

    /// The hexadecimal digits libvirt writes values of these defines with, if the target
    /// says.
    fn hex_digits(&self, values: &[ValueSource]) -> Option<u8> {
        values.iter().find_map(|v| match v {
            ValueSource::Schema { grammar, pat: Pat::Ref(d) } => {
                let name = &self.g[*grammar].defines[*d].name;
                self.hex_values.iter().find(|(n, _)| n == name).map(|&(_, digits)| digits)
            }
            _ => None,
        })
    }

    /// The fields of a type (`case`: of one case of its sum type, where choices between
    /// elements stay apart: a case's fields are read beside the element's).
    fn fields(&mut self, mut f: Flat, t: TypeId, entry: usize, case: bool) -> Fields {
        if case {
            f.dissolve_choices(|_| true, "a case of an attribute-discriminated choice holds it");
        }
        for (origin, reason) in std::mem::take(&mut f.demoted) {
            self.choices.insert(origin, ChoiceMapping::Merged(reason));
        }
        let attrs = f
            .attrs
            .into_iter()
            .map(|a| {
                let site = ValueSite::Attribute(a.name.local.clone());
                let ty = self.value_type(&a.values, t, &site, a.define.as_deref());
                let hex_digits = match ty {
                    ValueType::Int(_) => self.hex_digits(&a.values),
                    _ => None,
                };
                Attr { name: a.name, ty, required: a.required, hex_digits }
            })
            .collect();
        let children: Vec<Child> = f
            .children
            .into_iter()
            .map(|c| {
                let group = c.group.is_some();
                let ty = match c.group {
                    Some(inner) => self.group_type(c.name.clone(), *inner, t, entry),
                    None => self.type_for(c.name.clone(), c.classes, entry),
                };
                Child {
                    group,
                    name: c.name,
                    ty,
                    required: c.required,
                    repeated: c.repeated,
                    boxed: false,
                    choice: None,
                    extension: false,
                }
            })
            .collect();
        let mut children = children;
        let mut choices = 0;
        for ch in std::mem::take(&mut f.choices) {
            let members: Vec<usize> = ch
                .names
                .iter()
                .filter_map(|n| children.iter().position(|c| &c.name == n && !c.group))
                .collect();
            let whole = members.len() == ch.names.len()
                && members.iter().all(|&i| {
                    let c = &children[i];
                    !c.repeated && !c.required && c.choice.is_none()
                });
            if whole {
                for (rank, i) in members.into_iter().enumerate() {
                    children[i].choice = Some((choices, rank));
                }
                choices += 1;
            } else {
                let reason = "a member is repeated, required or in another choice".to_string();
                self.choices.insert(ch.origin, ChoiceMapping::Merged(reason));
            }
        }
        let mixed = f.mixed;
        let text = f.text.map(|x| Text {
            mixed,
            ty: self.value_type(&x.values, t, &ValueSite::Text, None),
            // Mixed content may hold no text at all.
            required: x.required && !mixed,
        });
        let variants = f.variants.map(|v| Variants {
            attr: v.attr,
            attr_optional: v.attr_optional,
            cases: v
                .cases
                .into_iter()
                .map(|(values, default, fl)| Case {
                    values,
                    default,
                    fields: self.fields(fl, t, entry, true),
                    boxed: false,
                })
                .collect(),
        });
        let variants_pos = f.variants_pos.min(children.len());
        let mut fields = Fields {
            attrs,
            children,
            text,
            any_element: f.any_element,
            any_attribute: f.any_attribute,
            variants,
            variants_pos,
            attrs_before_variants: 0,
            choices,
        };
        hoist_shared(&mut fields);
        fields
    }

    fn flatten(&mut self, gi: usize, p: &Pat, stack: &mut Vec<usize>) -> Flat {
        match p {
            Pat::Empty => Flat::default(),
            Pat::NotAllowed => Flat::never(),
            // `text` also matches nothing, so the value is always there (maybe empty).
            Pat::Text => Flat {
                text: Some(FText {
                    values: vec![ValueSource::schema(gi, Pat::Text)],
                    required: true,
                }),
                ..Flat::default()
            },
            Pat::Value { .. } | Pat::Data { .. } | Pat::List(_) => Flat {
                text: Some(FText {
                    values: vec![ValueSource::schema(gi, p.clone())],
                    required: true,
                }),
                ..Flat::default()
            },
            Pat::Element(e) => {
                let el = &self.g[gi].elements[*e];
                match xname(&el.name) {
                    Some(name) => {
                        let class = self.class_of[&(gi, *e)];
                        Flat {
                            children: vec![FChild {
                                name,
                                classes: [class].into(),
                                required: true,
                                repeated: false,
                                group: None,
                            }],
                            ..Flat::default()
                        }
                    }
                    None => Flat { any_element: true, ..Flat::default() },
                }
            }
            Pat::Attribute { name, value } => match xname(name) {
                Some(name) => Flat {
                    attrs: vec![FAttr {
                        name,
                        values: vec![ValueSource::schema(gi, (**value).clone())],
                        required: true,
                        define: None,
                    }],
                    ..Flat::default()
                },
                None => Flat { any_attribute: true, ..Flat::default() },
            },
            Pat::Group(v) | Pat::Interleave(v) => {
                let mut acc = Flat::default();
                for c in v {
                    let f = self.flatten(gi, c, stack);
                    acc = acc.and(f);
                }
                acc
            }
            Pat::Choice(v) => self.flatten_choice(gi, v, stack),
            Pat::OneOrMore(b) => {
                let f = self.flatten(gi, b, stack);
                if f.seq && f.children.len() >= 2 && f.children.iter().all(|c| c.group.is_none()) {
                    return f.into_group();
                }
                f.repeated()
            }
            Pat::Ref(d) => {
                if stack.contains(d) {
                    // A reference cycle outside any element is not a valid RelaxNG grammar.
                    return Flat::default();
                }
                stack.push(*d);
                let mut f = self.flatten(gi, &self.g[gi].defines[*d].pat, stack);
                stack.pop();
                // Text that is a define's list of values (`<ref name="offOptions"/>`) keeps
                // the define, which names the values' enum as it names an attribute's.
                let only_text = f.attrs.is_empty() && f.children.is_empty() && f.variants.is_none();
                if let (true, Some(t), Pat::Choice(v)) =
                    (only_text, &mut f.text, &self.g[gi].defines[*d].pat)
                {
                    if v.iter().all(|p| matches!(p, Pat::Value { .. })) {
                        t.values = vec![ValueSource::schema(gi, Pat::Ref(*d))];
                    }
                }
                // So does text that is a define of a runtime type (`octalMode`).
                if let (true, Some(t)) = (only_text, &mut f.text) {
                    let dname = self.g[gi].defines[*d].name.as_str();
                    if self.runtime_values.iter().any(|(n, _)| *n == dname) {
                        t.values = vec![ValueSource::schema(gi, Pat::Ref(*d))];
                    }
                }
                // A define that is just one attribute names that attribute's values, when its
                // name says what the attribute is (`startupPolicy`, not `hvs` for `@type`).
                if let Pat::Attribute { .. } = &self.g[gi].defines[*d].pat {
                    let dname = &self.g[gi].defines[*d].name;
                    let squash = |s: &str| {
                        s.chars()
                            .filter(char::is_ascii_alphanumeric)
                            .collect::<String>()
                            .to_ascii_lowercase()
                    };
                    if let Some(a) = f.attrs.first_mut() {
                        if squash(dname).contains(&squash(&a.name.local)) {
                            a.define.get_or_insert_with(|| dname.clone());
                        }
                    }
                }
                f
            }
        }
    }

    fn flatten_choice(&mut self, gi: usize, v: &[Pat], stack: &mut Vec<usize>) -> Flat {
        let branches: Vec<Flat> = v.iter().map(|c| self.flatten(gi, c, stack)).collect();
        let origin = (self.context.clone(), choice_origin(self.g, gi, v).1);
        self.choose(branches, origin)
    }

    /// One of `branches` occurs: a sum type if one attribute tells them apart, else merged.
    fn choose(&mut self, branches: Vec<Flat>, origin: (String, String)) -> Flat {
        // A choice of plain values is a value enum, handled by `value_type`.
        if branches.iter().all(|b| b.is_empty() && b.text.is_none() && !b.never)
            || branches
                .iter()
                .all(|b| b.attrs.is_empty() && b.children.is_empty() && b.variants.is_none())
        {
            // `optional` is lowered to a choice with `empty`; only real choices are reported.
            let real = branches.iter().filter(|b| !b.is_empty() || b.text.is_some()).count() >= 2;
            let all_values = branches.iter().all(|b| {
                b.text.as_ref().is_some_and(|t| {
                    t.values.iter().all(|v| matches!(*v.pat(), Pat::Value { .. } | Pat::Ref(_)))
                })
            });
            if real && all_values {
                self.choices.insert(origin, ChoiceMapping::ValueEnum);
            } else if real && branches.iter().all(|b| b.text.is_some()) {
                self.choices.insert(origin, ChoiceMapping::DataUnion);
            } else if real {
                self.choices.insert(
                    origin,
                    ChoiceMapping::Merged("alternatives of text or open content".into()),
                );
            }
            return branches.into_iter().fold(Flat::never(), Flat::or);
        }
        if let Some(names) = element_choice(&branches) {
            self.choices.insert(origin.clone(), ChoiceMapping::ElementChoice);
            let mut f = branches.into_iter().fold(Flat::never(), Flat::or);
            f.choices.push(FChoice { names, origin });
            return f;
        }
        match discriminate(&branches) {
            Ok(d) => {
                self.choices.entry(origin.clone()).or_insert(ChoiceMapping::SumType);
                let mut cases = Vec::new();
                for (b, (values, default)) in branches.into_iter().zip(d.cases) {
                    let mut b = b;
                    b.attrs.retain(|a| a.name != d.attr);
                    cases.push((values, default, b));
                }
                // Branches that share discriminant values are merged into one case.
                let mut v = FVariants {
                    attr: d.attr,
                    attr_optional: d.optional,
                    cases: Vec::new(),
                    origin: origin.clone(),
                };
                for case in cases {
                    v.add_case(case);
                }
                Flat { variants: Some(v), ..Flat::default() }
            }
            Err(reason) => {
                let real = branches.iter().filter(|b| !b.is_empty()).count() >= 2;
                if real {
                    self.choices.insert(origin, ChoiceMapping::Merged(reason));
                }
                branches.into_iter().fold(Flat::never(), Flat::or)
            }
        }
    }

    /// The address type of values that are each a reference to an address define (one
    /// kind, or `Ip` for a mix), or `None`.
    fn address(&self, values: &[ValueSource]) -> Option<RuntimeValue> {
        let mut kind = None;
        for v in values {
            let ValueSource::Schema { grammar, pat: Pat::Ref(d) } = v else { return None };
            let name = &self.g[*grammar].defines[*d].name;
            let (_, k) = self.runtime_values.iter().find(|(n, _)| n == name)?;
            if !k.is_address() {
                return None;
            }
            kind = match kind {
                None => Some(*k),
                Some(prev) if prev == *k => Some(prev),
                Some(_) => Some(RuntimeValue::Ip),
            };
        }
        kind
    }

    fn value_type(
        &mut self,
        values: &[ValueSource],
        owner: TypeId,
        site: &ValueSite,
        hint: Option<&str>,
    ) -> ValueType {
        let mut atoms = Vec::new();
        let (mut items, mut lists, mut lists_seen) = (Vec::new(), 0, 0);
        let mut define_names: Vec<String> = Vec::new();
        let mut define_files = Vec::new();
        for v in values {
            let (gi, p) = match v {
                ValueSource::Schema { grammar, pat } => (grammar, pat),
                ValueSource::Token(_) => {
                    atoms.push(v.pat().into_owned());
                    continue;
                }
            };
            if let Pat::Ref(d) = p {
                define_names.push(self.g[*gi].defines[*d].name.clone());
                define_files.push(self.g[*gi].defines[*d].file.clone());
            }
            collect_atoms(self.g, *gi, p, &mut atoms, &mut Vec::new());
            // A list's items, each with the grammar its references resolve in.
            for a in &atoms[lists_seen..] {
                if let Pat::List(inner) = a {
                    list_tokens(self.g, *gi, inner, &mut items, &mut Vec::new());
                    lists += 1;
                }
            }
            lists_seen = atoms.len();
        }
        if lists > 0 {
            // Lists and single values mixed: text.
            if lists < atoms.len() {
                return ValueType::String;
            }
            let item = self.value_type(&items, owner, site, hint);
            return ValueType::List(Box::new(item));
        }
        // The values' own define names first (`virYesNo`); else the attribute's define.
        if define_names.is_empty() {
            define_names.extend(hint.map(str::to_string));
        }
        if atoms.is_empty() {
            return ValueType::String;
        }
        if atoms.iter().all(|a| matches!(a, Pat::Value { .. })) {
            let mut vals: Vec<String> = Vec::new();
            for a in &atoms {
                if let Pat::Value { value, .. } = a {
                    if !vals.contains(value) {
                        vals.push(value.clone());
                    }
                }
            }
            let mut sorted = vals.clone();
            sorted.sort();
            let what = match define_names.first() {
                Some(d) => format!("define {d}"),
                None => format!("field {site:?}"),
            };
            let key = (sorted, what);
            let id = match self.enum_by_values.get(&key) {
                Some(&id) => id,
                None => {
                    self.enums.push(ValueEnum {
                        values: vals,
                        define_names: Vec::new(),
                        define_files: Vec::new(),
                        uses: Vec::new(),
                    });
                    let id = self.enums.len() - 1;
                    self.enum_by_values.insert(key, id);
                    id
                }
            };
            extend_unique(&mut self.enums[id].define_names, define_names);
            self.enums[id].define_files.extend(define_files);
            self.enums[id].uses.push(EnumUse { ty: owner, site: site.clone() });
            return ValueType::Enum(id);
        }
        // A define the target gives a runtime type (octal permission bits, size units):
        // integers for file modes, any data for the rest.
        let runtime = self.runtime_values.iter().find(|(n, _)| define_names.iter().any(|d| d == n));
        if let Some(rv) = runtime.and_then(|&(_, rv)| rv.is_address().then(|| self.address(values)))
        {
            if let Some(rv) = rv {
                return ValueType::Runtime(rv);
            }
        } else if let Some(&(_, rv)) = runtime {
            let fits = |a: &Pat| match (a, rv) {
                (Pat::Data { datatype, .. }, RuntimeValue::FileMode) => {
                    int_kind(datatype).is_some()
                }
                (Pat::Data { .. }, RuntimeValue::Unit | RuntimeValue::Uuid) => true,
                _ => false,
            };
            if atoms.iter().all(fits) {
                return ValueType::Runtime(rv);
            }
        }
        // `boolean` alone is a `bool` (its spelling, `1` or `true`, is kept).
        if atoms.iter().all(|a| matches!(a, Pat::Data { datatype, .. } if datatype == "boolean")) {
            return ValueType::Bool;
        }
        let mut kinds = Vec::new();
        for a in &atoms {
            match a {
                Pat::Data { datatype, params, .. } => match int_kind(datatype)
                    .map(|k| narrow(k, params))
                    .or_else(|| digits_pattern(datatype, params))
                {
                    Some(k) => kinds.push(Some(k)),
                    None if is_hex_pattern(datatype, params) => {}
                    None if matches!(datatype.as_str(), "double" | "float" | "decimal") => {
                        kinds.push(None)
                    }
                    None => return ValueType::String,
                },
                _ => return ValueType::String,
            }
        }
        if kinds.is_empty() {
            return ValueType::String;
        }
        if kinds.iter().any(|k| k.is_none()) {
            return ValueType::Float;
        }
        let kinds: Vec<IntKind> = kinds.into_iter().flatten().collect();
        ValueType::Int(widest(&kinds))
    }
}

/// Where a choice was written, for the report: the first element or define it sits in.
fn choice_origin(g: &[Simplified], gi: usize, v: &[Pat]) -> (String, String) {
    let mut s = String::new();
    for p in v.iter().take(3) {
        match p {
            Pat::Element(e) => {
                let el = &g[gi].elements[*e];
                s.push_str(&format!("<{}> ", name_text(&el.name)));
            }
            Pat::Ref(d) => s.push_str(&format!("{} ", g[gi].defines[*d].name)),
            Pat::Attribute { name, .. } => s.push_str(&format!("@{} ", name_text(name))),
            Pat::Value { value, .. } => s.push_str(&format!("\"{value}\" ")),
            Pat::Data { datatype, .. } => s.push_str(&format!("{datatype} ")),
            Pat::Text => s.push_str("text "),
            Pat::Empty => s.push_str("empty "),
            Pat::Group(items) | Pat::Interleave(items) => {
                let first = items.first().map(|i| match i {
                    Pat::Ref(d) => g[gi].defines[*d].name.clone(),
                    Pat::Attribute { name, .. } => format!("@{}", name_text(name)),
                    Pat::Element(e) => format!("<{}>", name_text(&g[gi].elements[*e].name)),
                    _ => "…".into(),
                });
                s.push_str(&format!("({}…) ", first.unwrap_or_default()));
            }
            _ => s.push_str("… "),
        }
    }
    if v.len() > 3 {
        s.push('…');
    }
    (g[gi].entry.clone(), format!("choice of {} [{}]", v.len(), s.trim()))
}

pub fn name_text(k: &NameClassKey) -> String {
    match k {
        NameClassKey::Name { local, .. } => local.clone(),
        NameClassKey::Any(_) => "*".into(),
    }
}

/// The attribute telling whole element contents apart: every branch but at most one
/// requires it, with values no other branch has (as its own attribute or as the one its
/// sum type is selected by); the one left (if any) has no such attribute at all.
fn discriminate_whole(branches: &[&Flat]) -> Option<(XName, Vec<Alternative>)> {
    let selector = |b: &Flat| -> Vec<(XName, Option<Vec<String>>, bool)> {
        let mut out: Vec<(XName, Option<Vec<String>>, bool)> = b
            .attrs
            .iter()
            .map(|a| (a.name.clone(), literal_values(&a.values), a.required))
            .collect();
        if let Some(v) = &b.variants {
            let values = v.cases.iter().flat_map(|c| c.0.iter().cloned()).collect();
            out.push((v.attr.clone(), Some(values), !v.attr_optional));
        }
        out
    };
    let candidates: BTreeSet<XName> =
        branches.iter().flat_map(|b| selector(b).into_iter().map(|(n, _, _)| n)).collect();
    'candidate: for name in candidates {
        let mut cases = Vec::new();
        let mut seen: BTreeSet<String> = BTreeSet::new();
        for b in branches {
            match selector(b).into_iter().find(|(n, _, _)| *n == name) {
                None if cases.iter().all(|c: &Alternative| !c.default) => {
                    cases.push(Alternative { values: Vec::new(), default: true })
                }
                Some((_, Some(values), true)) if values.iter().all(|v| !seen.contains(v)) => {
                    seen.extend(values.iter().cloned());
                    cases.push(Alternative { values, default: false });
                }
                _ => continue 'candidate,
            }
        }
        return Some((name, cases));
    }
    None
}

struct Discriminant {
    attr: XName,
    optional: bool,
    cases: Vec<(Vec<String>, bool)>,
}

/// Finds one attribute whose fixed values tell every branch apart.
fn discriminate(branches: &[Flat]) -> Result<Discriminant, String> {
    if branches.iter().any(|b| b.variants.is_some()) {
        return Err("a branch holds another attribute-discriminated choice".into());
    }
    let mut candidates: Vec<XName> = Vec::new();
    for a in &branches[0].attrs {
        candidates.push(a.name.clone());
    }
    let mut why = String::from("no attribute has fixed, distinct values in every branch");
    'cand: for name in candidates {
        let mut cases = Vec::new();
        let mut absent_ok = 0;
        let mut seen: Vec<String> = Vec::new();
        for b in branches {
            let a = match b.attrs.iter().find(|a| a.name == name) {
                Some(a) => a,
                None => {
                    // The branch lacks the attribute: usable only as the single default.
                    absent_ok += 1;
                    cases.push((Vec::new(), true));
                    continue;
                }
            };
            let vals = match literal_values(&a.values) {
                Some(v) => v,
                None => {
                    why = format!("`{}` is not a fixed value in every branch", name.local);
                    continue 'cand;
                }
            };
            if !a.required {
                absent_ok += 1;
            }
            for v in &vals {
                if seen.contains(v) {
                    // Overlapping values: cases get merged later, still a sum type.
                }
            }
            seen.extend(vals.iter().cloned());
            cases.push((vals, !a.required));
        }
        if absent_ok > 1 {
            why = format!("more than one branch may omit `{}`", name.local);
            continue;
        }
        let distinct: BTreeSet<&String> = seen.iter().collect();
        if distinct.len() < 2 {
            continue;
        }
        // Only the attribute itself differs (`optional(attribute x {a|b})`): a value enum.
        let content = |b: &Flat| {
            b.attrs.iter().any(|a| a.name != name)
                || !b.children.is_empty()
                || b.text.is_some()
                || b.any_element
        };
        if !branches.iter().any(content) {
            why = format!("only the values of `{}` differ", name.local);
            continue;
        }
        return Ok(Discriminant { attr: name, optional: absent_ok == 1, cases });
    }
    Err(why)
}

/// The literal values an attribute may take, if it is a closed list.
/// The distinct literal values (one schema `<element>` seen through several grammars
/// lists each of its values once per grammar).
fn literal_values(values: &[ValueSource]) -> Option<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |v: &String| {
        if !out.contains(v) {
            out.push(v.clone());
        }
    };
    for v in values {
        match &*v.pat() {
            Pat::Value { value, .. } => add(value),
            Pat::Choice(v) => {
                for c in v {
                    match c {
                        Pat::Value { value, .. } => add(value),
                        _ => return None,
                    }
                }
            }
            _ => return None,
        }
    }
    Some(out)
}

fn collect_atoms(g: &[Simplified], gi: usize, p: &Pat, out: &mut Vec<Pat>, stack: &mut Vec<usize>) {
    match p {
        Pat::Ref(d) => {
            if !stack.contains(d) {
                stack.push(*d);
                collect_atoms(g, gi, &g[gi].defines[*d].pat, out, stack);
                stack.pop();
            }
        }
        Pat::Choice(v) => {
            for c in v {
                collect_atoms(g, gi, c, out, stack);
            }
        }
        Pat::Empty => out.push(Pat::Value { datatype: "token".into(), value: String::new() }),
        other => out.push(other.clone()),
    }
}

/// The token patterns of a list's content (values and data, through groups, choices and
/// repetitions), which one item type covers.
fn list_tokens(
    g: &[Simplified],
    gi: usize,
    p: &Pat,
    out: &mut Vec<ValueSource>,
    stack: &mut Vec<usize>,
) {
    match p {
        Pat::Ref(d) if !stack.contains(d) => {
            stack.push(*d);
            list_tokens(g, gi, &g[gi].defines[*d].pat, out, stack);
            stack.pop();
        }
        Pat::Group(v) | Pat::Interleave(v) | Pat::Choice(v) => {
            for c in v {
                list_tokens(g, gi, c, out, stack);
            }
        }
        Pat::OneOrMore(c) => list_tokens(g, gi, c, out, stack),
        Pat::Value { .. } | Pat::Data { .. } => out.push(ValueSource::schema(gi, p.clone())),
        _ => {}
    }
}

/// Uses `minInclusive`/`maxInclusive` to pick the smallest fitting integer type
/// (`<data type="int"><param name="minInclusive">0</param>…255` is a `u8`).
fn narrow(kind: IntKind, params: &[(String, String)]) -> IntKind {
    let get = |n: &str| {
        params.iter().find(|(k, _)| k == n).and_then(|(_, v)| v.trim().parse::<i128>().ok())
    };
    let (min, max) = match (get("minInclusive"), get("maxInclusive")) {
        (Some(min), Some(max)) => (min, max),
        (Some(min), None) if min >= 0 => {
            return match kind {
                IntKind::I8 => IntKind::U8,
                IntKind::I16 => IntKind::U16,
                IntKind::I32 => IntKind::U32,
                IntKind::I64 => IntKind::U64,
                k => k,
            }
        }
        _ => return kind,
    };
    let fits = |lo: i128, hi: i128| min >= lo && max <= hi;
    let candidates = if min >= 0 {
        [
            (IntKind::U8, 0, u8::MAX as i128),
            (IntKind::U16, 0, u16::MAX as i128),
            (IntKind::U32, 0, u32::MAX as i128),
            (IntKind::U64, 0, u64::MAX as i128),
        ]
    } else {
        [
            (IntKind::I8, i8::MIN as i128, i8::MAX as i128),
            (IntKind::I16, i16::MIN as i128, i16::MAX as i128),
            (IntKind::I32, i32::MIN as i128, i32::MAX as i128),
            (IntKind::I64, i64::MIN as i128, i64::MAX as i128),
        ]
    };
    candidates.iter().find(|(_, lo, hi)| fits(*lo, *hi)).map_or(kind, |(k, _, _)| k.clone())
}

fn int_kind(datatype: &str) -> Option<IntKind> {
    Some(match datatype {
        "unsignedByte" => IntKind::U8,
        "unsignedShort" => IntKind::U16,
        "unsignedInt" => IntKind::U32,
        "unsignedLong" | "positiveInteger" | "nonNegativeInteger" => IntKind::U64,
        "byte" => IntKind::I8,
        "short" => IntKind::I16,
        "int" => IntKind::I32,
        "long" | "integer" | "negativeInteger" | "nonPositiveInteger" => IntKind::I64,
        _ => return None,
    })
}

/// libvirt writes many integers as `<choice><data type="unsignedInt"/><data type="string">
/// <param name="pattern">0x[0-9a-fA-F]+</param></data></choice>`: a hex spelling of the same number.
fn is_hex_pattern(datatype: &str, params: &[(String, String)]) -> bool {
    datatype == "string"
        && params.iter().any(|(n, v)| {
            n == "pattern"
                && (v.starts_with("(0x)?") || v.starts_with("0x"))
                && v.chars().all(|c| c.is_ascii_hexdigit() || "x[]-{}+,()?".contains(c))
        })
}

/// A string of at most N decimal digits (`[0-9]{1,2}`, a drive address's `controller`):
/// the smallest unsigned integer holding N nines. Leading zeros are a spelling, kept as
/// any other; without a bound (`[0-9]+`) it stays a string, as no integer holds it all.
fn digits_pattern(datatype: &str, params: &[(String, String)]) -> Option<IntKind> {
    let [(name, pattern)] = params else {
        return None;
    };
    if datatype != "string" || name != "pattern" {
        return None;
    }
    let bounds = pattern.strip_prefix("[0-9]{")?.strip_suffix('}')?;
    let max: u32 = match bounds.split_once(',') {
        Some((lo, hi)) => {
            lo.parse::<u32>().ok()?;
            hi.parse().ok()?
        }
        None => bounds.parse().ok()?,
    };
    let largest = 10i128.checked_pow(max)? - 1;
    IntKind::ALL.iter().find(|k| k.range().0 == 0 && largest <= k.range().1).cloned()
}

/// The smallest integer type holding every value of every kind: `unsignedByte | byte`
/// is `i16` (−128…255), `unsignedLong | int` is `i128`.
fn widest(kinds: &[IntKind]) -> IntKind {
    let lo = kinds.iter().map(|k| k.range().0).min().unwrap_or(0);
    let hi = kinds.iter().map(|k| k.range().1).max().unwrap_or(0);
    IntKind::ALL
        .iter()
        .find(|k| k.range().0 <= lo && hi <= k.range().1)
        .cloned()
        .unwrap_or(IntKind::I128)
}

/// Moves the attributes and children that every case of a sum type has alike (same name,
/// type and occurrence: an interface's `<mac>` and `<model>`, a pool's `<name>`) out of
/// the cases onto the element, so they are one field rather than one per variant. A child
/// that comes before all of the first case's other children goes before the cases in the
/// schema's order, the others after them.
fn hoist_shared(f: &mut Fields) {
    let Some(v) = &mut f.variants else { return };
    if v.cases.len() < 2 {
        return;
    }
    // Alike: the same name and type (an element's required in every case stays required).
    let same_attr =
        |a: &Attr, b: &Attr| a.name == b.name && a.ty == b.ty && a.hex_digits == b.hex_digits;
    let same_child =
        |a: &Child, b: &Child| a.name == b.name && a.ty == b.ty && a.repeated == b.repeated;
    let shared_attrs: Vec<Attr> = v.cases[0]
        .fields
        .attrs
        .iter()
        .filter(|a| {
            v.cases[1..].iter().all(|c| c.fields.attrs.iter().any(|b| same_attr(a, b)))
                && !f.attrs.iter().any(|o| o.name == a.name)
        })
        .map(|a| Attr {
            required: v
                .cases
                .iter()
                .all(|c| c.fields.attrs.iter().any(|b| same_attr(a, b) && b.required)),
            ..a.clone()
        })
        .collect();
    let shared_children: Vec<Child> = v.cases[0]
        .fields
        .children
        .iter()
        .filter(|ch| {
            v.cases[1..].iter().all(|c| c.fields.children.iter().any(|b| same_child(ch, b)))
                && !f.children.iter().any(|o| o.name == ch.name && o.group == ch.group)
        })
        .map(|ch| Child {
            required: v
                .cases
                .iter()
                .all(|c| c.fields.children.iter().any(|b| same_child(ch, b) && b.required)),
            ..ch.clone()
        })
        .collect();
    if shared_attrs.is_empty() && shared_children.is_empty() {
        return;
    }
    let first = &v.cases[0].fields.children;
    let leading =
        first.iter().take_while(|c| shared_children.iter().any(|s| same_child(s, c))).count();
    for c in &mut v.cases {
        c.fields.attrs.retain(|a| !shared_attrs.iter().any(|s| same_attr(s, a)));
        let pos = c.fields.variants_pos;
        let mut kept = Vec::new();
        let mut removed_before_pos = 0;
        for (i, ch) in std::mem::take(&mut c.fields.children).into_iter().enumerate() {
            if shared_children.iter().any(|s| same_child(s, &ch)) {
                if i < pos {
                    removed_before_pos += 1;
                }
            } else {
                kept.push(ch);
            }
        }
        c.fields.children = kept;
        c.fields.variants_pos = pos - removed_before_pos;
    }
    f.attrs.extend(shared_attrs);
    let (lead, trail) = shared_children.split_at(leading);
    let at = f.variants_pos;
    f.children.splice(at..at, lead.iter().cloned());
    f.variants_pos += lead.len();
    f.children.extend(trail.iter().cloned());
}

/// Makes one type of element types with the same name and the same content that one
/// document family reaches first (a dozen `<name>`, `<uuid>` and `<driver>` definitions
/// are alike):
/// partition refinement over (name, fields with child types as their current class),
/// then every use points at the first type of its class.
fn merge_equal_types(
    elements: &[Vec<ElementPattern>],
    types: &mut Vec<ElementType>,
    roots: &mut [Root],
    enums: &mut [ValueEnum],
) {
    let n = types.len();
    let class = alike(types, &|ty: &ElementType| {
        // Within one set of schema files: a type merged across them would move to
        // another module and tie cargo features together (a network-only build would
        // need the domain family).
        let files: BTreeSet<&str> =
            ty.nodes.iter().map(|&(gi, e)| elements[gi][e].origin.file.as_str()).collect();
        // Groups have no file of their own: they stay with their family.
        let family = ty.group.then_some(ty.entry);
        // Written with the same defines: libvirt's `audiopipewire` and `audiopulseaudio`,
        // or an `absFilePath` and a `deviceName`, are two things that hold the same today
        // (merged, a release that adds one would rename the other's type).
        let defines: BTreeSet<&BTreeSet<String>> =
            ty.nodes.iter().map(|&(gi, e)| &elements[gi][e].content_defines).collect();
        format!("{family:?}|{files:?}|{defines:?}")
    });
    // The representative of each class: its first type.
    let mut first: HashMap<usize, TypeId> = HashMap::new();
    let rep: Vec<TypeId> = (0..n).map(|t| *first.entry(class[t]).or_insert(t)).collect();
    if rep.iter().enumerate().all(|(t, &r)| t == r) {
        return;
    }
    // Merged types stand for all their element patterns.
    for t in 0..n {
        if rep[t] != t {
            let (classes, nodes) = (types[t].classes.clone(), types[t].nodes.clone());
            let r = &mut types[rep[t]];
            r.classes.extend(classes);
            for node in nodes {
                if !r.nodes.contains(&node) {
                    r.nodes.push(node);
                }
            }
        }
    }
    // New ids, in order, for the representatives.
    let mut new_id = vec![usize::MAX; n];
    let mut k = 0;
    for t in 0..n {
        if rep[t] == t {
            new_id[t] = k;
            k += 1;
        }
    }
    let map = |t: TypeId| new_id[rep[t]];
    let old = std::mem::take(types);
    for (t, mut ty) in old.into_iter().enumerate() {
        if rep[t] != t {
            continue;
        }
        remap_fields(&mut ty.fields, &map);
        ty.parent = ty.parent.map(map);
        types.push(ty);
    }
    for r in roots.iter_mut() {
        r.ty = map(r.ty);
    }
    for e in enums.iter_mut() {
        let mut uses = Vec::new();
        for u in std::mem::take(&mut e.uses) {
            let u = EnumUse { ty: map(u.ty), ..u };
            if !uses.contains(&u) {
                uses.push(u);
            }
        }
        e.uses = uses;
    }
}

/// Which child fields are held in a `Box`, by a rule no unrelated schema change flips:
/// every optional single child (an absent one then costs one pointer, so documents stay
/// near the size of their XML however many optional elements the schema allows) except a
/// small leaf (see [`small_leaf`]) outside a sum type's cases, which is held in place (one
/// allocation fewer; an absent one costs at most two words more than the pointer); and a
/// required one only where it reaches its parent again (the struct would be infinitely large). Lists are never
/// boxed; sum-type cases are boxed by size (see [`decide_case_boxing`]).
fn decide_boxing(types: &mut [ElementType]) {
    fn singles(f: &Fields) -> impl Iterator<Item = &Child> {
        f.children.iter().chain(
            f.variants.iter().flat_map(|v| v.cases.iter().flat_map(|c| c.fields.children.iter())),
        )
    }
    let adj: Vec<Vec<TypeId>> = types
        .iter()
        .map(|ty| singles(&ty.fields).filter(|c| !c.repeated).map(|c| c.ty).collect())
        .collect();
    let reaches = |from: TypeId, to: TypeId| reaches(&adj, from, to);
    let mut recursive = BTreeSet::new();
    for (t, children) in adj.iter().enumerate() {
        for &c in children {
            if reaches(c, t) {
                recursive.insert((t, c));
            }
        }
    }
    let small: Vec<bool> = types.iter().map(|ty| small_leaf(&ty.fields)).collect();
    // In a sum type's case, every optional child is boxed: the cases share one enum's
    // size, which the largest sets.
    fn mark(
        f: &mut Fields,
        t: TypeId,
        recursive: &BTreeSet<(TypeId, TypeId)>,
        small: &[bool],
        in_case: bool,
    ) {
        for c in &mut f.children {
            let in_place = small[c.ty] && !in_case;
            // A choice's members share its enum, which boxes them all (so it is two words);
            // drivers' extensions are in place in the box that holds them.
            c.boxed = c.choice.is_some()
                || (!c.repeated
                    && ((!c.required && !in_place && !c.extension)
                        || recursive.contains(&(t, c.ty))));
        }
        if let Some(v) = &mut f.variants {
            for case in &mut v.cases {
                mark(&mut case.fields, t, recursive, small, true);
            }
        }
    }
    for (t, ty) in types.iter_mut().enumerate() {
        mark(&mut ty.fields, t, &recursive, &small, false);
    }
}

/// Which types are on a cycle, through any child (single, listed, or a sum type's case).
/// Only their readers and writers check for stack room: elsewhere the schema bounds how
/// deep elements nest, and the frames between two checks (or the document's root and the
/// first one) fit the room the check leaves.
fn decide_recursion(types: &mut [ElementType]) {
    fn all(f: &Fields, out: &mut Vec<TypeId>) {
        out.extend(f.children.iter().map(|c| c.ty));
        for case in f.variants.iter().flat_map(|v| &v.cases) {
            all(&case.fields, out);
        }
    }
    let adj: Vec<Vec<TypeId>> = types
        .iter()
        .map(|ty| {
            let mut out = Vec::new();
            all(&ty.fields, &mut out);
            out
        })
        .collect();
    for (t, ty) in types.iter_mut().enumerate() {
        ty.recursive = adj[t].iter().any(|&c| reaches(&adj, c, t));
    }
}

/// Which children are drivers' extensions: the optional single children of an element in
/// other XML namespaces than the element's, where it has two or more (`<qemu:commandline>`,
/// `<lxc:namespace>` and six more in `<domain>`). libvirt lets each hypervisor driver add
/// such elements, and a document has few of them (`qemu:commandline` is unsupported and
/// taints the domain): held together in one boxed struct, they cost a document without
/// any one pointer, not one each, and stand apart from libvirt's own. A single one (a
/// network's `<dnsmasq:options>`) stays a field of its own, which costs the same.
fn decide_extensions(types: &mut [ElementType]) {
    for ty in types.iter_mut().filter(|t| !t.group && t.alternatives.is_none()) {
        let ns = ty.name.ns.clone();
        let is_extension = |c: &Child| {
            !c.name.ns.is_empty()
                && c.name.ns != ns
                && !c.repeated
                && !c.required
                && !c.group
                && c.choice.is_none()
        };
        let many = ty.fields.children.iter().filter(|c| is_extension(c)).count() >= 2;
        for c in &mut ty.fields.children {
            c.extension = many && is_extension(c);
        }
    }
}

/// The most a leaf element held in place may take (its `preserved` included): three words,
/// so an absent one costs two words more than a pointer would.
const SMALL_LEAF_BYTES: usize = 24;

/// A leaf element (values only: no children, no sum type, no open content) whose struct
/// is at most [`SMALL_LEAF_BYTES`] and has a niche (a string, value enum or `bool` field),
/// so that `Option` of it is no larger: `<on_poweroff>`, `<memory unit=…>`, `<title>`.
fn small_leaf(f: &Fields) -> bool {
    if !f.children.is_empty() || f.variants.is_some() || f.any_element {
        return false;
    }
    let values = || f.attrs.iter().map(|a| &a.ty).chain(f.text.iter().map(|t| &t.ty));
    if values().any(|v| matches!(v, ValueType::String)) {
        return false;
    }
    let niche = |v: &ValueType| {
        matches!(
            v,
            ValueType::String
                | ValueType::List(_)
                | ValueType::Bool
                | ValueType::Enum(_)
                | ValueType::Runtime(RuntimeValue::Unit)
        )
    };
    let has_niche = f.attrs.iter().map(|a| &a.ty).chain(f.text.iter().map(|t| &t.ty)).any(niche);
    if !has_niche {
        return false;
    }
    let mut fields: Vec<(usize, usize)> = vec![(8, 8)]; // `preserved`
    fields.extend(f.attrs.iter().map(|a| value_bytes(&a.ty, !a.required)));
    if let Some(t) = &f.text {
        fields.push(if t.mixed { (8, 8) } else { value_bytes(&t.ty, !t.required) });
    }
    if f.any_attribute {
        fields.push((8, 8));
    }
    let align = fields.iter().map(|&(_, a)| a).max().unwrap_or(1);
    let size = fields.iter().map(|&(s, _)| s).sum::<usize>().div_ceil(align) * align;
    size <= SMALL_LEAF_BYTES
}

/// (size, alignment) of a field holding a value, optional or not.
fn value_bytes(v: &ValueType, optional: bool) -> (usize, usize) {
    let (size, align, niche) = match v {
        ValueType::String => (8, 8, true),
        ValueType::List(_) => (24, 8, true),
        ValueType::Int(k) => {
            let n = match k {
                IntKind::U8 | IntKind::I8 => 1,
                IntKind::U16 | IntKind::I16 => 2,
                IntKind::U32 | IntKind::I32 => 4,
                IntKind::U64 | IntKind::I64 => 8,
                IntKind::I128 => 16,
            };
            (n, n, false)
        }
        ValueType::Float => (8, 8, false),
        ValueType::Bool | ValueType::Enum(_) => (1, 1, true),
        ValueType::Runtime(RuntimeValue::Unit) => (1, 1, true),
        ValueType::Runtime(RuntimeValue::FileMode) => (4, 4, false),
        ValueType::Runtime(RuntimeValue::Uuid) => (16, 1, false),
        ValueType::Runtime(RuntimeValue::Ipv4) => (4, 1, false),
        ValueType::Runtime(RuntimeValue::Ipv6) => (16, 1, false),
        ValueType::Runtime(RuntimeValue::Ip) => (17, 1, true),
    };
    if optional && !niche {
        (size + align, align)
    } else {
        (size, align)
    }
}

/// The most a sum type's case may take held in place: six words. A larger case is boxed,
/// so that the enum is as large as its small cases, not its largest (a network disk's
/// source would make every `<disk>` 200 bytes larger).
const CASE_IN_PLACE_BYTES: usize = 48;

/// Boxes the cases larger than [`CASE_IN_PLACE_BYTES`], as estimated from their fields
/// once [`decide_boxing`] has decided which children are boxed.
fn decide_case_boxing(types: &mut [ElementType]) {
    // A case holding another sum type is as large as that one's unboxed cases: decided
    // again until nothing changes, inner sum types settling first (nesting is shallow;
    // recursion goes through boxed children, which do not count).
    for _ in 0..16 {
        let boxed: Vec<Vec<bool>> = types
            .iter()
            .map(|ty| match &ty.fields.variants {
                Some(v) => v
                    .cases
                    .iter()
                    .map(|c| fields_bytes(&c.fields, types, 0) > CASE_IN_PLACE_BYTES)
                    .collect(),
                None => Vec::new(),
            })
            .collect();
        let mut changed = false;
        for (ty, boxed) in types.iter_mut().zip(boxed) {
            if let Some(v) = &mut ty.fields.variants {
                for (c, b) in v.cases.iter_mut().zip(boxed) {
                    changed |= c.boxed != b;
                    c.boxed = b;
                }
            }
        }
        if !changed {
            return;
        }
    }
}

/// Estimated size of the struct holding `f` (its `preserved` included): fields summed,
/// rounded up to the largest alignment. `depth` bounds the descent into children held in
/// place (they are finite: children that reach their parent are boxed).
fn fields_bytes(f: &Fields, types: &[ElementType], depth: usize) -> usize {
    let mut fields: Vec<(usize, usize)> = vec![(8, 8)]; // `preserved`
    fields.extend(f.attrs.iter().map(|a| value_bytes(&a.ty, !a.required)));
    if let Some(t) = &f.text {
        fields.push(if t.mixed { (8, 8) } else { value_bytes(&t.ty, !t.required) });
    }
    // A choice's enum: a tag and a box.
    fields.extend((0..f.choices).map(|_| (16, 8)));
    for c in f.children.iter().filter(|c| c.choice.is_none()) {
        fields.push(if c.repeated || c.boxed || depth > 8 {
            (8, 8)
        } else {
            (fields_bytes(&types[c.ty].fields, types, depth + 1), 8)
        });
    }
    if f.any_element {
        fields.push((8, 8));
    }
    if f.any_attribute {
        fields.push((8, 8));
    }
    if let Some(v) = &f.variants {
        // The enum: its largest case held in place, at least the `Other(Str)`, and a tag.
        let largest = v
            .cases
            .iter()
            .map(|c| if c.boxed { 8 } else { fields_bytes(&c.fields, types, depth + 1) })
            .max()
            .unwrap_or(0);
        fields.push((largest.max(8) + 8, 8));
    }
    let align = fields.iter().map(|&(_, a)| a).max().unwrap_or(1);
    fields.iter().map(|&(s, _)| s).sum::<usize>().div_ceil(align) * align
}

/// The members of a choice between single elements of distinct names (or nothing): at
/// least two alternatives, each one element that is not repeated, with no attribute,
/// text or sum of its own beside it.
fn element_choice(branches: &[Flat]) -> Option<Vec<XName>> {
    let mut names: Vec<XName> = Vec::new();
    for b in branches.iter().filter(|b| !b.never && !b.is_empty()) {
        let [c] = b.children.as_slice() else { return None };
        let single = b.attrs.is_empty()
            && b.text.is_none()
            && b.variants.is_none()
            && !b.any_element
            && !b.any_attribute
            && !b.mixed
            && b.choices.is_empty()
            && !c.repeated
            && c.group.is_none();
        if !single || names.contains(&c.name) {
            return None;
        }
        names.push(c.name.clone());
    }
    (names.len() >= 2).then_some(names)
}

/// Whether a path of `edges` (node → the nodes it leads to) leads from `from` to `to`.
fn reaches<'e, E>(edges: &'e [E], from: usize, to: usize) -> bool
where
    &'e E: IntoIterator<Item = &'e usize>,
{
    let mut seen = vec![false; edges.len()];
    let mut stack = vec![from];
    while let Some(x) = stack.pop() {
        if x == to {
            return true;
        }
        if !std::mem::replace(&mut seen[x], true) {
            stack.extend(edges[x].into_iter().copied());
        }
    }
    false
}

/// Classes of types with the same element name and content (children compared by
/// class), among those `apart` gives the same text: partition refinement.
pub fn alike(types: &[ElementType], apart: &dyn Fn(&ElementType) -> String) -> Vec<usize> {
    let n = types.len();
    let mut class: Vec<usize> = vec![0; n];
    let mut count = 0;
    loop {
        let mut intern: HashMap<String, usize> = HashMap::new();
        let mut next = vec![0; n];
        for (t, ty) in types.iter().enumerate() {
            let mut key = format!("{:?}|{}|{:?}|", ty.name, apart(ty), ty.alternatives);
            fields_key(&ty.fields, &class, &mut key);
            let k = intern.len();
            next[t] = *intern.entry(key).or_insert(k);
        }
        let done = intern.len() == count;
        count = intern.len();
        class = next;
        if done {
            return class;
        }
    }
}

fn fields_key(f: &Fields, class: &[usize], out: &mut String) {
    use std::fmt::Write;
    for a in &f.attrs {
        let _ = write!(out, "A{:?}{:?}{}{:?};", a.name, a.ty, a.required, a.hex_digits);
    }
    for c in &f.children {
        let _ = write!(out, "C{:?}{}{}{};", c.name, class[c.ty], c.required, c.repeated);
    }
    if let Some(t) = &f.text {
        let _ = write!(out, "T{:?}{}{};", t.ty, t.required, t.mixed);
    }
    let _ = write!(out, "{}{}{}|", f.any_element, f.any_attribute, f.variants_pos);
    if let Some(v) = &f.variants {
        let _ = write!(out, "V{:?}{}(", v.attr, v.attr_optional);
        for c in &v.cases {
            let _ = write!(out, "{:?}{}[", c.values, c.default);
            fields_key(&c.fields, class, out);
            out.push(']');
        }
        out.push(')');
    }
}

fn remap_fields(f: &mut Fields, map: &dyn Fn(TypeId) -> TypeId) {
    for c in &mut f.children {
        c.ty = map(c.ty);
    }
    if let Some(v) = &mut f.variants {
        for c in &mut v.cases {
            remap_fields(&mut c.fields, map);
        }
    }
}

/// Where each type occurs in documents: element paths from the roots (`/domain/devices/
/// serial/target`, with the discriminant a case needs: `disk[@type='file']/source`), at
/// most `limit` per type: root by root in entry order (libvirt's main
/// documents before the test schemas), shortest first; recursion is followed once.
pub fn xml_paths(m: &Model, limit: usize) -> Vec<Vec<String>> {
    let mut paths: Vec<Vec<String>> = vec![Vec::new(); m.types.len()];
    for r in &m.roots {
        paths_from(m, r.ty, limit, &mut paths);
    }
    paths
}

/// Breadth first from `root`, so shorter paths come first.
fn paths_from(m: &Model, root: TypeId, limit: usize, paths: &mut [Vec<String>]) {
    let mut queue: std::collections::VecDeque<(TypeId, String, Vec<TypeId>)> =
        std::collections::VecDeque::new();
    queue.push_back((root, format!("/{}", m.types[root].name.local), vec![root]));
    while let Some((t, path, stack)) = queue.pop_front() {
        if paths[t].len() >= limit || paths[t].contains(&path) {
            continue;
        }
        paths[t].push(path.clone());
        // A case's children are under the element as that case selects it
        // (`/domain/devices/disk[@type='file']/source`).
        let mut children: Vec<(&Child, String)> =
            m.types[t].fields.children.iter().map(|c| (c, String::new())).collect();
        if let Some(v) = &m.types[t].fields.variants {
            for c in &v.cases {
                let tests: Vec<String> =
                    c.values.iter().map(|x| format!("@{}='{x}'", v.attr.local)).collect();
                let predicate = if tests.is_empty() {
                    String::new()
                } else {
                    format!("[{}]", tests.join(" or "))
                };
                children.extend(c.fields.children.iter().map(|ch| (ch, predicate.clone())));
            }
        }
        for (c, predicate) in children {
            if stack.contains(&c.ty) {
                continue;
            }
            let mut st = stack.clone();
            st.push(c.ty);
            // A group holds siblings: its members sit where it does; so do the types a
            // choice of whole element types holds.
            let p = if m.types[c.ty].group || m.types[t].alternatives.is_some() {
                path.clone()
            } else {
                format!("{path}{predicate}/{}", c.name.local)
            };
            queue.push_back((c.ty, p, st));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The model of a one-file grammar, or why it is refused.
    fn model_of(body: &str) -> Result<Model, String> {
        model_seen(body, &[])
    }

    /// The model of a one-file grammar, its fields ordered as `docs` show.
    fn model_seen(body: &str, docs: &[&str]) -> Result<Model, String> {
        static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("xtask-model-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let schema = format!(
            "<grammar xmlns=\"http://relaxng.org/ns/structure/1.0\">\n{body}\n</grammar>\n"
        );
        std::fs::write(dir.join("t.rng"), schema).unwrap();
        let g = crate::load::load_grammar(&dir, "t.rng").unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        let mut observed = crate::observe::Observed::default();
        for d in docs {
            observed.add_document(d)?;
        }
        build(&[crate::simplify::simplify(&g)], &BTreeSet::new(), Default::default(), &observed)
    }

    #[test]
    fn bounded_digit_strings_are_unsigned_integers() {
        let p = |v: &str| vec![("pattern".to_string(), v.to_string())];
        assert_eq!(digits_pattern("string", &p("[0-9]{1,2}")), Some(IntKind::U8));
        assert_eq!(digits_pattern("string", &p("[0-9]{1,5}")), Some(IntKind::U32));
        assert_eq!(digits_pattern("string", &p("[0-9]{4}")), Some(IntKind::U16));
        assert_eq!(digits_pattern("string", &p("[0-9]{1,19}")), Some(IntKind::U64));
        // No unsigned integer holds twenty nines, nor any number of digits.
        assert_eq!(digits_pattern("string", &p("[0-9]{1,20}")), None);
        assert_eq!(digits_pattern("string", &p("[0-9]+")), None);
        assert_eq!(digits_pattern("token", &p("[0-9]{1,2}")), None);
    }

    /// A type reached through a case of a sum type has paths that name the discriminant
    /// the case needs; an element's own children do not.
    #[test]
    fn paths_through_a_case_name_its_discriminant() {
        let body = "<start><element name='dev'>\
            <interleave>\
              <choice>\
                <group><attribute name='type'><choice><value>a</value><value>b</value></choice></attribute><element name='src'><empty/></element></group>\
                <group><attribute name='type'><value>c</value></attribute><element name='path'><empty/></element></group>\
              </choice>\
              <optional><element name='alias'><empty/></element></optional>\
            </interleave>\
          </element></start>";
        let m = model_of(body).unwrap();
        let paths = xml_paths(&m, 8);
        let of = |name: &str| {
            let t = m.types.iter().position(|t| t.name.local == name).unwrap();
            paths[t].clone()
        };
        assert_eq!(of("dev"), ["/dev"]);
        assert_eq!(of("src"), ["/dev[@type='a' or @type='b']/src"]);
        assert_eq!(of("path"), ["/dev[@type='c']/path"]);
        assert_eq!(of("alias"), ["/dev/alias"]);
    }

    /// Where the schema leaves the order open, fields follow libvirt's documents (the
    /// sum type's attribute and children among them); a `<group>`'s order stands.
    #[test]
    fn fields_follow_the_order_libvirt_writes_where_the_schema_leaves_it_open() {
        let body = "<start><element name='dev'>\
            <attribute name='id'/>\
            <interleave>\
              <choice>\
                <group><attribute name='type'><value>a</value></attribute><element name='src'><empty/></element></group>\
                <group><attribute name='type'><value>b</value></attribute><element name='path'><empty/></element></group>\
              </choice>\
              <optional><element name='target'><empty/></element></optional>\
              <optional><element name='driver'><empty/></element></optional>\
            </interleave>\
            <optional><element name='alias'><empty/></element></optional>\
            <optional><element name='address'><empty/></element></optional>\
          </element></start>";
        let fields = |docs: &[&str]| {
            let m = model_seen(body, docs).unwrap();
            let t = m.types.iter().find(|t| t.name.local == "dev").unwrap();
            let f = &t.fields;
            let mut children: Vec<String> =
                f.children.iter().map(|c| c.name.local.clone()).collect();
            children.insert(f.variants_pos, "(type)".into());
            let attrs: Vec<String> = f.attrs.iter().map(|a| a.name.local.clone()).collect();
            (attrs, f.attrs_before_variants, children)
        };
        // Unseen: the schema's order, the sum type's attribute first.
        assert_eq!(
            fields(&[]),
            (
                vec!["id".into()],
                0,
                ["(type)", "target", "driver", "alias", "address"].map(String::from).to_vec()
            )
        );
        // Seen: `id` before `type`, `<driver>` before the source and `<target>`; `<address>`
        // before `<alias>` is refused, the schema's group orders them.
        let doc = "<dev id='1' type='a'><driver/><src/><target/><address/><alias/></dev>";
        assert_eq!(
            fields(&[doc, doc]),
            (
                vec!["id".into()],
                1,
                ["driver", "(type)", "target", "alias", "address"].map(String::from).to_vec()
            )
        );
    }

    #[test]
    fn text_beside_child_elements_is_mixed_content() {
        let text_of = |m: &Model| {
            let p = m.types.iter().find(|t| t.name.local == "p").unwrap();
            p.fields.text.clone().unwrap()
        };
        for content in [
            "<mixed><zeroOrMore><element name='b'><empty/></element></zeroOrMore></mixed>",
            "<interleave><text/><zeroOrMore><element name='b'><empty/></element></zeroOrMore></interleave>",
            "<group><element name='b'><empty/></element><text/></group>",
        ] {
            let body = format!("<start>\n<element name='p'>{content}</element></start>");
            let text = text_of(&model_of(&body).unwrap());
            assert!(text.mixed && !text.required, "{content}: {text:?}");
        }
        // Text or elements, as alternatives, is no mixed content.
        let m = model_of("<start><element name='p'><choice><text/><element name='b'><empty/></element></choice></element></start>")
            .unwrap();
        assert!(!text_of(&m).mixed);
        // Typed text has no pieces: refused with the file and line.
        let body = "<start>\n<element name='p'><interleave><data type='int' datatypeLibrary='http://www.w3.org/2001/XMLSchema-datatypes'/><element name='b'><empty/></element></interleave></element></start>";
        assert_eq!(
            model_of(body).err().unwrap(),
            "t.rng:3: <p> holds typed text beside child elements, which the generator does not \
             support (mixed content is plain text among elements)"
        );
    }

    #[test]
    fn integer_unions_widen_to_hold_every_value() {
        use IntKind::*;
        assert_eq!(widest(&[U8, U16]), U16);
        assert_eq!(widest(&[U8, I8]), I16);
        assert_eq!(widest(&[U32, I32]), I64);
        assert_eq!(widest(&[U64, I32]), I128);
        assert_eq!(widest(&[I64, U8]), I64);
    }

    #[test]
    fn facets_narrow_integer_types() {
        let p = |min: &str, max: &str| {
            vec![
                ("minInclusive".to_string(), min.to_string()),
                ("maxInclusive".to_string(), max.to_string()),
            ]
        };
        assert_eq!(narrow(IntKind::I32, &p("0", "100")), IntKind::U8);
        assert_eq!(narrow(IntKind::I64, &p("-1", "1000")), IntKind::I16);
        assert_eq!(narrow(IntKind::U64, &p("0", "70000")), IntKind::U32);
    }

    #[test]
    fn fields_every_case_has_alike_move_onto_the_element() {
        let name = |l: &str| XName { ns: String::new(), local: l.into() };
        let child = |l: &str, ty: TypeId| Child {
            name: name(l),
            ty,
            required: false,
            repeated: false,
            boxed: false,
            group: false,
            choice: None,
            extension: false,
        };
        let case = |children: Vec<Child>| Case {
            values: vec![],
            default: false,
            fields: Fields { children, ..Fields::default() },
            boxed: false,
        };
        let mut f = Fields {
            children: vec![child("alias", 9)],
            variants_pos: 0,
            variants: Some(Variants {
                attr: name("type"),
                attr_optional: false,
                cases: vec![
                    // <mac> first in the first case: it goes before the cases' children.
                    case(vec![child("mac", 1), child("source", 2), child("model", 3)]),
                    case(vec![child("source", 4), child("model", 3), child("mac", 1)]),
                    case(vec![child("mac", 1), child("model", 3)]),
                ],
            }),
            ..Fields::default()
        };
        hoist_shared(&mut f);
        let names: Vec<&str> = f.children.iter().map(|c| c.name.local.as_str()).collect();
        assert_eq!(names, ["mac", "alias", "model"]);
        assert_eq!(f.variants_pos, 1);
        let v = f.variants.unwrap();
        let left: Vec<usize> = v.cases.iter().map(|c| c.fields.children.len()).collect();
        // `<source>` differs in type between the cases that have it: it stays.
        assert_eq!(left, [1, 1, 0]);
    }
}
