//! Writing an element's children in document order (or the schema's).

use super::*;

impl Cx<'_> {
    /// The children of element type `t` in document order: a count per slot, and one
    /// dispatch from slot to field (the sum type's slots go to its case).
    pub(super) fn write_children(
        &self,
        t: TypeId,
        slots: &ElementSlots,
        items: Vec<Item>,
    ) -> TokenStream {
        let f = &self.m.types[t].fields;
        let n = slots.child_slots;
        let mut counts = vec![quote!(0); n];
        let mut arms = Vec::new();
        let mut uses_i = false;
        for (slot, item) in slots.own.items(f).into_iter().zip(items) {
            counts[slot as usize] = item.count;
            let (k, write) = (Literal::u16_unsuffixed(slot), item.write);
            arms.push((quote!(#k), write, false));
            uses_i |= item.uses_index;
        }
        let mut fill = TokenStream::new();
        if f.variants.is_some() {
            let sum = ident(&self.n.fields[t].variants);
            let (pos, width) = slots.case_children;
            let (lo, hi) = (pos, pos + width);
            let (lo_l, last_l) = (Literal::usize_unsuffixed(lo), Literal::usize_unsuffixed(hi - 1));
            let hi_l = Literal::usize_unsuffixed(hi);
            let rel = if pos == 0 { quote!(s) } else { quote!(s - #lo_l) };
            let (count_call, write_call) = if Self::sum_optional(f) {
                (
                    quote! { if let Some(x) = &self.#sum { x.child_counts(&mut n[#lo_l..#hi_l]); } },
                    quote! { if let Some(x) = &self.#sum { x.write_child(w, #rel, i); } },
                )
            } else {
                (
                    quote! { self.#sum.child_counts(&mut n[#lo_l..#hi_l]); },
                    quote! { self.#sum.write_child(w, #rel, i) },
                )
            };
            fill = count_call;
            arms.push((quote!(#lo_l..=#last_l), write_call, true));
            uses_i = true;
        }
        if arms.is_empty() {
            return quote! { rt::__private::write_children(w, &self.preserved, &[], |_, _, _| {}); };
        }
        let (body, uses_s) = dispatch(arms);
        let (w, s, i) = params(true, uses_s, uses_i);
        let decl = if fill.is_empty() {
            quote!(let n = [#(#counts),*];)
        } else {
            quote!(let mut n = [#(#counts),*]; #fill)
        };
        quote! {
            #decl
            rt::__private::write_children(w, &self.preserved, &n, |#w, #s, #i| #body);
        }
    }

    /// `child_counts` and `write_child` of one case's struct, its slots numbered from the
    /// first the cases share; its own kept children come last.
    pub(super) fn case_children(
        f: &Fields,
        cslots: &FieldSlots,
        slots: &ElementSlots,
        items: Vec<Item>,
    ) -> (TokenStream, TokenStream) {
        let base = slots.case_children.0 as u16;
        let mut sets = TokenStream::new();
        let mut arms = Vec::new();
        for (slot, item) in cslots.items(f).into_iter().zip(items) {
            let k = Literal::usize_unsuffixed((slot - base) as usize);
            let count = item.count;
            sets.extend(quote! { n[#k] = #count; });
            arms.push((quote!(#k), item.write, false));
        }
        let k = Literal::usize_unsuffixed((cslots.case_kept - base) as usize);
        sets.extend(quote! { n[#k] = self.preserved.children().len() as u32; });
        arms.push((quote!(#k), quote!(self.preserved.children()[i].write(w)), false));
        let (body, uses_s) = dispatch(arms);
        let (w, s, i) = params(true, uses_s, true);
        (
            quote! {
                fn child_counts(&self, n: &mut [u32]) { #sets }
            },
            quote! {
                fn write_child(&self, #w: &mut rt::Writer, #s: usize, #i: usize) { #body }
            },
        )
    }

    /// An expression telling whether the fields `f` of `recv` are about to write text,
    /// or `None` if they never do.
    pub(super) fn text_present(
        recv: &TokenStream,
        f: &Fields,
        fnames: &FieldNames,
    ) -> Option<TokenStream> {
        let mut conds = Vec::new();
        if let Some(text) = &f.text {
            let fname = ident(&fnames.text);
            conds.push(if text.required {
                quote!(true)
            } else if text.mixed {
                quote!(!#recv.#fname.is_empty())
            } else {
                quote!(#recv.#fname.is_some())
            });
        }
        if let Some(v) = &f.variants {
            if v.cases.iter().any(|c| has_text(&c.fields)) {
                let sum = ident(&fnames.variants);
                conds.push(if Self::sum_optional(f) {
                    quote!(#recv.#sum.as_ref().is_some_and(|x| x.has_text()))
                } else {
                    quote!(#recv.#sum.has_text())
                });
            }
        }
        (!conds.is_empty()).then(|| quote!(#(#conds)||*))
    }

    pub(super) fn sum_optional(f: &Fields) -> bool {
        f.variants.as_ref().is_some_and(|v| v.attr_optional && !v.cases.iter().any(|c| c.default))
    }
}

/// One child item of a set of fields, for the writer: how many it holds (a `u32`), and
/// how its `i`th is written.
pub(super) struct Item {
    count: TokenStream,
    write: TokenStream,
    uses_index: bool,
}

impl Item {
    pub(super) fn one(count: TokenStream, write: TokenStream) -> Item {
        Item { count, write, uses_index: false }
    }

    pub(super) fn many(len: TokenStream, write: TokenStream) -> Item {
        Item { count: quote!(#len as u32), write, uses_index: true }
    }
}

/// `match s { slot => write, … }` over `(pattern, write)` arms; just the write when there
/// is one arm (the caller then only ever passes its slots). Returns the body and whether
/// it reads `s`.
pub(super) fn dispatch(arms: Vec<(TokenStream, TokenStream, bool)>) -> (TokenStream, bool) {
    if arms.len() == 1 {
        let (_, body, uses_s) = &arms[0];
        return (quote!({ #body; }), *uses_s);
    }
    let pats = arms.iter().map(|a| &a.0);
    let bodies = arms.iter().map(|a| &a.1);
    (quote!(match s { #(#pats => #bodies,)* _ => {} }), true)
}

/// `w`, `s`, `i` as closure or method parameters, `_` where the body does not read one.
pub(super) fn params(uses_w: bool, uses_s: bool, uses_i: bool) -> (Ident, Ident, Ident) {
    let p = |used: bool, n: &str| ident(if used { n } else { "_" });
    (p(uses_w, "w"), p(uses_s, "s"), p(uses_i, "i"))
}
