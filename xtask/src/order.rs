//! Document order: every attribute and child of an element type gets a slot number, its
//! place in the order the writer uses when nothing else is known (the schema's). The
//! generated reader notes slots in the order it meets them and keeps that sequence where
//! it differs; the generated writer writes slot by slot, or in the kept sequence. Reader
//! and writer take their numbers from here, so they cannot disagree.
//!
//! An element with a sum type: its attributes are those of its own written before the
//! discriminant, the discriminant, the case's attributes, then the rest of its own; its children are its own with the case's inserted where the
//! schema has them. Every case numbers from the same start, as only one is ever present.

use crate::model::Fields;

/// Slots of one set of fields: an element's own, or one case of its sum type.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldSlots {
    pub attrs: Vec<u16>,
    pub any_attribute: u16,
    pub children: Vec<u16>,
    pub text: u16,
    pub any_element: u16,
    /// A case's own kept children (its `preserved`, filled only by programs).
    pub case_kept: u16,
}

/// Slots of one element type.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ElementSlots {
    /// The slot of the sum type's attribute (after the own attributes written before it).
    pub discriminant: u16,
    pub own: FieldSlots,
    pub cases: Vec<FieldSlots>,
    /// How many child slots there are (the kept children come after them all).
    pub child_slots: usize,
    /// The child slots the cases share: first, and how many.
    pub case_children: (usize, usize),
}

impl FieldSlots {
    /// Slots of the child items in field order: children, text, open content.
    pub fn items(&self, f: &Fields) -> Vec<u16> {
        let mut v = self.children.clone();
        if f.text.is_some() {
            v.push(self.text);
        }
        if f.any_element {
            v.push(self.any_element);
        }
        v
    }
}

/// Child items of one set of fields: children, text, open content.
fn items(f: &Fields) -> usize {
    f.children.len() + usize::from(f.text.is_some()) + usize::from(f.any_element)
}

/// `attr_slot`: the slot of attribute `i`.
fn slots(
    f: &Fields,
    attr_slot: impl Fn(usize) -> usize,
    item_slot: impl Fn(usize) -> usize,
) -> FieldSlots {
    let n = f.children.len();
    let text = n;
    let any = n + usize::from(f.text.is_some());
    let slot = |s: usize| {
        assert!(s < MAX_SLOT, "{s} slots in one element: the runtime's codes start at {MAX_SLOT}");
        s as u16
    };
    FieldSlots {
        attrs: (0..f.attrs.len()).map(|i| slot(attr_slot(i))).collect(),
        any_attribute: slot(attr_slot(f.attrs.len())),
        children: (0..n).map(|i| slot(item_slot(i))).collect(),
        text: slot(item_slot(text)),
        any_element: slot(item_slot(any)),
        case_kept: slot(item_slot(items(f))),
    }
}

/// Slot numbers stay below the codes the runtime keeps in document orders beside them
/// (blank text from `0xF000`, namespace declarations and kept content at the top).
const MAX_SLOT: usize = 0xF000;

pub fn element_slots(f: &Fields) -> ElementSlots {
    let cases: Vec<&Fields> =
        f.variants.iter().flat_map(|v| v.cases.iter().map(|c| &c.fields)).collect();
    // Each case's items and its kept children; attributes after the discriminant.
    let width = cases.iter().map(|c| items(c) + 1).max().unwrap_or(0);
    let attr_width = if f.variants.is_some() {
        1 + cases.iter().map(|c| c.attrs.len() + usize::from(c.any_attribute)).max().unwrap_or(0)
    } else {
        0
    };
    let pos = f.variants_pos.min(items(f));
    // Own attributes written before the discriminant come first.
    let before = f.attrs_before_variants.min(f.attrs.len());
    let own_attr = |i: usize| if i < before { i } else { attr_width + i };
    let own = slots(f, own_attr, |k| if k >= pos { k + width } else { k });
    let cases = cases.iter().map(|c| slots(c, |i| before + 1 + i, |k| pos + k)).collect();
    ElementSlots {
        discriminant: before as u16,
        own,
        cases,
        child_slots: items(f) + width,
        case_children: (pos, width),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Attr, Case, Child, Fields, ValueType, Variants, XName};

    fn name(n: &str) -> XName {
        XName { ns: String::new(), local: n.to_string() }
    }

    fn attr(n: &str) -> Attr {
        Attr { name: name(n), ty: ValueType::String, required: false, hex_digits: None }
    }

    fn child(n: &str) -> Child {
        Child {
            name: name(n),
            ty: 0,
            required: false,
            repeated: false,
            boxed: false,
            group: false,
            choice: None,
            extension: false,
        }
    }

    /// `<disk type=…>`: own `device` and `<driver>`, `<target>`; cases with a `<source>`
    /// (and one with an attribute) placed between the two children.
    #[test]
    fn cases_share_slots_between_own_children() {
        let case = |attrs: Vec<Attr>, children: Vec<Child>| Case {
            values: vec![],
            default: false,
            fields: Fields { attrs, children, ..Fields::default() },
            boxed: false,
        };
        let f = Fields {
            attrs: vec![attr("device")],
            children: vec![child("driver"), child("target")],
            variants: Some(Variants {
                attr: name("type"),
                attr_optional: false,
                cases: vec![
                    case(vec![], vec![child("source")]),
                    case(vec![attr("mode")], vec![child("source"), child("auth")]),
                ],
            }),
            variants_pos: 1,
            ..Fields::default()
        };
        let s = element_slots(&f);
        // Attributes: discriminant 0, case attributes from 1 (one at most, plus room for
        // open content), own from 2.
        assert_eq!(s.cases[1].attrs, vec![1]);
        assert_eq!(s.own.attrs, vec![2]);
        // Children: driver 0, the cases' 1..=3 (two children and the kept ones), target 4.
        assert_eq!(s.own.children, vec![0, 4]);
        assert_eq!(s.cases[0].children, vec![1]);
        assert_eq!(s.cases[1].children, vec![1, 2]);
        assert_eq!(s.cases[1].case_kept, 3);
        assert_eq!(s.case_children, (1, 3));
        assert_eq!(s.child_slots, 5);
    }

    /// `<audio id='1' type='spice' …>`: an own attribute written before the discriminant.
    #[test]
    fn own_attributes_may_come_before_the_discriminant() {
        let f = Fields {
            attrs: vec![attr("id"), attr("device")],
            attrs_before_variants: 1,
            variants: Some(Variants {
                attr: name("type"),
                attr_optional: false,
                cases: vec![Case {
                    values: vec![],
                    default: false,
                    fields: Fields { attrs: vec![attr("mode")], ..Fields::default() },
                    boxed: false,
                }],
            }),
            ..Fields::default()
        };
        let s = element_slots(&f);
        // id 0, type 1, the case's mode 2, device after them.
        assert_eq!(s.discriminant, 1);
        assert_eq!(s.cases[0].attrs, vec![2]);
        assert_eq!(s.own.attrs, vec![0, 3]);
    }

    #[test]
    fn without_a_sum_type_slots_follow_the_fields() {
        let f = Fields {
            attrs: vec![attr("a"), attr("b")],
            children: vec![child("x"), child("y")],
            any_element: true,
            ..Fields::default()
        };
        let s = element_slots(&f);
        assert_eq!(s.own.attrs, vec![0, 1]);
        assert_eq!(s.own.children, vec![0, 1]);
        assert_eq!(s.own.any_element, 2);
        assert_eq!(s.child_slots, 3);
    }
}
