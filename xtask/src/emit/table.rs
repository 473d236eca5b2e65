//! The schemas' patterns as static tables for the runtime's validator.

use super::*;

/// The schemas' patterns as static tables for the runtime's validator.
pub(super) fn pattern_table(t: &Table, target: &Target) -> TokenStream {
    let u = Literal::u32_unsuffixed;
    let opt = |x: Option<u32>| match x {
        Some(i) => {
            let i = u(i);
            quote!(#i)
        }
        None => quote!(NONE),
    };
    let entries = t.entries.iter().map(|e| match e {
        Entry::Empty => quote!(P::Empty),
        Entry::NotAllowed => quote!(P::NotAllowed),
        Entry::Text => quote!(P::Text),
        Entry::Element(n, c) => {
            let (n, c) = (u(*n), u(*c));
            quote!(P::Element(#n, #c))
        }
        Entry::Attribute(n, v) => {
            let (n, v) = (u(*n), u(*v));
            quote!(P::Attribute(#n, #v))
        }
        Entry::Choice(a, b) | Entry::Group(a, b) | Entry::Interleave(a, b) => {
            let kind = ident(match e {
                Entry::Choice(..) => "Choice",
                Entry::Group(..) => "Group",
                _ => "Interleave",
            });
            let (a, b) = (u(*a), u(*b));
            quote!(P::#kind(#a, #b))
        }
        Entry::OneOrMore(p) => {
            let p = u(*p);
            quote!(P::OneOrMore(#p))
        }
        Entry::List(p) => {
            let p = u(*p);
            quote!(P::List(#p))
        }
        Entry::Value { datatype, value } => {
            let d = ident(patterns::datatype(datatype));
            quote!(P::Value(D::#d, #value))
        }
        Entry::Data { datatype, params, except } => {
            let d = ident(patterns::datatype(datatype));
            let params = params.iter().map(|(f, v)| {
                let f = ident(patterns::facet(f));
                quote!((F::#f, #v))
            });
            let except = opt(*except);
            quote!(P::Data(D::#d, &[#(#params),*], #except))
        }
    });
    let names = t.names.iter().map(|n| match n {
        NameEntry::Name { ns, local } => quote!(N::Name(#ns, #local)),
        NameEntry::AnyName { except } => {
            let e = opt(*except);
            quote!(N::AnyName(#e))
        }
        NameEntry::NsName { ns, except } => {
            let e = opt(*except);
            quote!(N::NsName(#ns, #e))
        }
        NameEntry::Choice(a, b) => {
            let (a, b) = (u(*a), u(*b));
            quote!(N::Choice(#a, #b))
        }
    });
    let doc = inner_doc(&format!(
        "The patterns of {} RelaxNG schemas, for validation: entry `i` below the number of \
         element classes is the element pattern of class `i`; each type lists its entries.",
        target.owner
    ));
    quote! {
        #doc
        use crate::runtime::validate::{Datatype as D, Facet as F, Grammar, NameClass as N, Pattern as P, NONE};

        pub(crate) static GRAMMAR: Grammar = Grammar::new(PATTERNS, NAMES);

        static PATTERNS: &[P] = &[#(#entries),*];

        static NAMES: &[N] = &[#(#names),*];
    }
}
