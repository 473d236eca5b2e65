//! Sum types (a choice told apart by one attribute) and repeated groups.

use super::*;
use crate::emit::structs::deep;

impl Cx<'_> {
    /// A repeated group of sibling elements: items are split where the schema's sequence
    /// starts over, and written back item by item.
    pub(super) fn group_type(&self, t: TypeId) -> TokenStream {
        let ty = &self.m.types[t];
        let from = self.module_of_type(t);
        let name = ident(&self.n.types[t]);
        let fnames = &self.n.fields[t];
        let mut defs = TokenStream::new();
        let mut arms = TokenStream::new();
        let mut pats = Vec::new();
        let mut writes = TokenStream::new();
        let mut accepts = TokenStream::new();
        let members: Vec<String> =
            ty.fields.children.iter().map(|c| format!("`<{}>`", c.name.local)).collect();
        let join = |conds: Vec<TokenStream>| {
            if conds.is_empty() {
                quote!(true)
            } else {
                quote!(#(#conds)&&*)
            }
        };
        for (i, c) in ty.fields.children.iter().enumerate() {
            let fname = ident(&fnames.children[i]);
            let (cty, inner) = self.child_type(c, from);
            let ns = ns_pat(&c.name.ns);
            let local = Literal::string(&c.name.local);
            pats.push(quote!((#ns, #local)));
            let doc = doc_attr(&format!(
                "`<{}>`{}: see [`{}`].",
                c.name.local,
                if c.repeated { " (repeated)" } else { "" },
                self.doc_path(c.ty, from)
            ));
            // Later members of the sequence already present: this child starts a new item.
            let later: Vec<TokenStream> = ty.fields.children[i + 1..]
                .iter()
                .enumerate()
                .map(|(j, l)| {
                    let lf = ident(&fnames.children[i + 1 + j]);
                    if l.repeated {
                        quote!(self.#lf.is_empty())
                    } else {
                        quote!(self.#lf.is_none())
                    }
                })
                .collect();
            if c.repeated {
                let skip = skip_if(Empty::Vec);
                defs.extend(quote! { #doc #skip pub #fname: rt::ThinVec<#cty>, });
                arms.extend(
                    quote! { (#ns, #local) => self.#fname.push(rt::Element::read(r, c).cold()?), },
                );
                writes.extend(quote! { for v in &self.#fname { rt::Element::write(v, w); } });
                let cond = join(later);
                accepts.extend(quote! { (#ns, #local) => #cond, });
            } else {
                let skip = skip_if(Empty::None);
                defs.extend(quote! { #doc #skip pub #fname: Option<#inner>, });
                arms.extend(
                    quote! { (#ns, #local) => self.#fname = Some(rt::Element::read(r, c).cold()?), },
                );
                writes
                    .extend(quote! { if let Some(v) = &self.#fname { rt::Element::write(v, w); } });
                let mut conds = vec![quote!(self.#fname.is_none())];
                conds.extend(later);
                let cond = join(conds);
                accepts.extend(quote! { (#ns, #local) => #cond, });
            }
        }
        let doc = doc_attr(&format!(
            "One repetition of the sequence {} (the schema repeats them together, so they are kept together).",
            members.join(", ")
        ));
        let item = fields_struct(&doc, &name, &defs);
        quote! {
            #item

            impl #name {
                fn knows_child(ns: Option<&str>, name: &str) -> bool {
                    matches!((ns, name), #(#pats)|*)
                }

                /// Whether the child continues this item (rather than starting the next one).
                fn accepts(&self, ns: Option<&str>, name: &str) -> bool {
                    match (ns, name) {
                        #accepts
                        _ => false,
                    }
                }

                fn push_child<'a>(&mut self, r: &mut rt::Reader<'a>, c: &rt::Tag<'a>) -> Result<(), rt::Error> {
                    match (c.ns(), c.local) {
                        #arms
                        _ => r.skip(c).cold()?,
                    }
                    Ok(())
                }

                fn write_children(&self, w: &mut rt::Writer) {
                    #writes
                }
            }
        }
    }

    /// The struct of case `ci` of `t`'s sum type: its fields, and how it writes its
    /// attributes and children.
    fn case_struct(&self, t: TypeId, ci: usize, slots: &ElementSlots) -> TokenStream {
        let ty = &self.m.types[t];
        let v = ty.fields.variants.as_ref().expect("sum");
        let c = &v.cases[ci];
        let crate::naming::CaseNames { struct_name: sname, fields: fnames, .. } =
            &self.n.sums[&t].cases[ci];
        let sident = ident(sname);
        let from = self.module_of_type(t);
        let cslots = &slots.cases[ci];
        let (defs, wattrs, items) = self.struct_parts(t, &c.fields, fnames, from, cslots, false);
        let (case_counts, case_write) = Self::case_children(&c.fields, cslots, slots, items);
        let doc = doc_attr(&format!(
            "Fields of `<{}>` when `{}` is {}.",
            ty.name.local,
            v.attr.local,
            if c.values.is_empty() {
                "absent".to_string()
            } else {
                c.values.iter().map(|x| format!("`{x}`")).collect::<Vec<_>>().join(" or ")
            }
        ));
        let all_fields = quote! {
            #defs
            /// Original spelling of values, kept for a faithful round trip.
            #[cfg_attr(feature = "serde", serde(skip_serializing_if = "rt::Preserved::is_empty"))]
            pub preserved: rt::Preserved,
        };
        let deserialize = struct_deserialize(&sident, &all_fields);
        let w_used = if wattrs.is_empty() { quote!(_w) } else { quote!(w) };
        let (derive, default) = super::structs::derive_default(&sident, &c.fields, fnames, false);
        quote! {
            #doc
            #derive
            #[cfg_attr(feature = "serde", derive(serde::Serialize))]
            pub struct #sident {
                #all_fields
            }

            #default

            #deserialize

            impl #sident {
                fn write_attrs(&self, #w_used: &mut rt::Writer) {
                    #wattrs
                }

                #case_counts
                #case_write
            }
        }
    }

    /// `has_text` of a sum type whose cases may hold text: whether the selected case
    /// writes text (which turns indentation off).
    fn sum_has_text(
        &self,
        v: &crate::model::Variants,
        names: &crate::naming::SumNames,
    ) -> TokenStream {
        if v.cases.iter().any(|c| has_text(&c.fields)) {
            let mut arms = TokenStream::new();
            // The cases whose text is required: `matches!` when no other case has text.
            let (mut always, mut only_always) = (Vec::new(), true);
            for (ci, c) in v.cases.iter().enumerate() {
                let (vnames, cfn) = (&names.cases[ci].variants, &names.cases[ci].fields);
                let Some(cond) = Self::text_present(&quote!(c), &c.fields, cfn) else {
                    continue;
                };
                // Required text is always present: the case's fields are not looked at.
                let (bind, cond) = if c.fields.text.as_ref().is_some_and(|t| t.required) {
                    (quote!(_), quote!(true))
                } else {
                    (quote!(c), cond)
                };
                let required = c.fields.text.as_ref().is_some_and(|t| t.required);
                only_always &= required;
                for vn in vnames {
                    let vid = ident(vn);
                    arms.extend(quote! { Self::#vid(#bind) => #cond, });
                    always.push(quote!(Self::#vid(_)));
                }
            }
            let body = if only_always {
                quote!(matches!(self, #(#always)|*))
            } else {
                quote! {
                    match self {
                        #arms
                        _ => false,
                    }
                }
            };
            quote! {
                /// Whether the selected case writes text (which turns indentation off).
                fn has_text(&self) -> bool {
                    #body
                }
            }
        } else {
            TokenStream::new()
        }
    }

    pub(super) fn sum_type(&self, t: TypeId) -> TokenStream {
        let ty = &self.m.types[t];
        let v = match &ty.fields.variants {
            Some(v) => v,
            None => return TokenStream::new(),
        };
        let names = &self.n.sums[&t];
        let ename = ident(&names.enum_name);
        let mut variants = TokenStream::new();
        let mut write_attr_arms = TokenStream::new();
        let mut as_str_arms = TokenStream::new();
        let mut write_child_arms = TokenStream::new();
        let mut count_arms = TokenStream::new();
        let mut structs = TokenStream::new();
        let attr_local = Literal::string(&v.attr.local);
        let attr_ns = Literal::string(&v.attr.ns);
        let as_str_doc = doc_attr(&format!(
            "The value of `@{}` that selects this shape, as written in XML (\"\" for a shape without the attribute).",
            v.attr.local
        ));
        let mut default_variant: Option<String> = None;
        let slots = element_slots(&ty.fields);
        let disc_slot = Literal::u16_unsuffixed(slots.discriminant);
        for (ci, c) in v.cases.iter().enumerate() {
            let crate::naming::CaseNames { struct_name: sname, variants: vnames, .. } =
                &names.cases[ci];
            let sident = ident(sname);
            structs.extend(self.case_struct(t, ci, &slots));
            let held = if c.boxed { quote!(Box<#sident>) } else { quote!(#sident) };
            for (vi, val) in vnames.iter().zip(c.values.iter()) {
                let vid = ident(vi);
                let lit = Literal::string(val);
                let doc = doc_attr(&format!("`{}=\"{}\"`.", v.attr.local, val));
                variants.extend(
                    quote! { #doc #[cfg_attr(feature = "serde", serde(rename = #lit))] #vid(#held), },
                );
                let implicit_ok = (c.default && default_variant.is_none())
                    || default_variant.as_ref() == Some(vi);
                let disc = if implicit_ok {
                    quote! { if !implicit { w.slot(#disc_slot); w.attr(#attr_ns, #attr_local, #lit); } }
                } else {
                    quote! { w.slot(#disc_slot); w.attr(#attr_ns, #attr_local, #lit); }
                };
                if c.default && default_variant.is_none() {
                    default_variant = Some(vi.clone());
                }
                write_attr_arms.extend(quote! { Self::#vid(c) => { #disc c.write_attrs(w); } });
                as_str_arms.extend(quote! { Self::#vid(_) => #lit, });
                write_child_arms.extend(quote! { Self::#vid(c) => c.write_child(w, s, i), });
                count_arms.extend(quote! { Self::#vid(c) => c.child_counts(n), });
            }
            if c.values.is_empty() {
                let vid = ident(&vnames[0]);
                let doc = doc_attr(&format!("No `{}` attribute.", v.attr.local));
                variants.extend(quote! { #doc #vid(#held), });
                write_attr_arms.extend(quote! { Self::#vid(c) => c.write_attrs(w), });
                as_str_arms.extend(quote! { Self::#vid(_) => "", });
                write_child_arms.extend(quote! { Self::#vid(c) => c.write_child(w, s, i), });
                count_arms.extend(quote! { Self::#vid(c) => c.child_counts(n), });
                if default_variant.is_none() {
                    default_variant = Some(vnames[0].clone());
                }
            }
        }
        let has_text_fn = self.sum_has_text(v, names);
        let default_vid = ident(&names.cases[0].variants[0]);
        let doc = doc_attr(&format!(
            "The shapes of `<{}>`, selected by its `{}` attribute.",
            ty.name.local, v.attr.local
        ));
        let shape_enum = shape_enum_attrs();
        quote! {
            #doc
            #shape_enum
            pub enum #ename {
                #variants
                /// A value this schema does not list; the element's content is then kept in its `preserved`.
                Other(rt::Str),
            }

            impl Default for #ename {
                fn default() -> Self {
                    Self::#default_vid(Default::default())
                }
            }

            impl #ename {
                #as_str_doc
                pub fn as_str(&self) -> &str {
                    match self {
                        #as_str_arms
                        Self::Other(s) => s.as_str(),
                    }
                }

                fn write_attrs(&self, w: &mut rt::Writer, implicit: bool) {
                    match self {
                        #write_attr_arms
                        Self::Other(v) => if !(implicit && v.is_empty()) { w.slot(#disc_slot); w.attr(#attr_ns, #attr_local, v); }
                    }
                }

                #has_text_fn

                /// Fills the counts of the case's child slots (numbered from its first).
                fn child_counts(&self, n: &mut [u32]) {
                    match self {
                        #count_arms
                        Self::Other(_) => {}
                    }
                }

                fn write_child(&self, w: &mut rt::Writer, s: usize, i: usize) {
                    match self {
                        #write_child_arms
                        Self::Other(_) => {}
                    }
                }
            }

            /// The discriminant's XML spelling, as [`Self::as_str`].
            impl std::fmt::Display for #ename {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }

            #structs
        }
    }

    /// A choice of whole element types (see [`crate::model::Alternatives`]): an enum of
    /// them, read by the value of the attribute that tells them apart.
    pub(super) fn alternatives_type(&self, t: TypeId) -> TokenStream {
        let ty = &self.m.types[t];
        let Some(alt) = &ty.alternatives else {
            return TokenStream::new();
        };
        let from = self.module_of_type(t);
        let name = ident(&self.n.types[t]);
        let attr = &alt.attr.local;
        let doc = doc_attr(&format!(
            "{}\n\nOne of several element types, told apart by `@{attr}`.",
            self.element_doc(t)
        ));
        let attr_local = Literal::string(attr);
        let attr_ns = if alt.attr.ns.is_empty() {
            quote!(None)
        } else {
            let ns = Literal::string(&alt.attr.ns);
            quote!(Some(#ns))
        };
        let (mut variants, mut read_arms, mut write_arms) =
            (TokenStream::new(), TokenStream::new(), TokenStream::new());
        let mut fallback = None;
        for (i, (case, child)) in alt.cases.iter().zip(&ty.fields.children).enumerate() {
            let vid = ident(&self.n.alternatives[&t][i]);
            let cty = self.path(child.ty, from);
            let doc = if case.default {
                doc_attr(&format!("Without `{attr}`."))
            } else {
                let shown: Vec<String> = case.values.iter().map(|v| format!("`{v}`")).collect();
                doc_attr(&format!("`{attr}` is one of {}.", shown.join(", ")))
            };
            variants.extend(quote! { #doc #vid(Box<#cty>), });
            let read = quote!(Self::#vid(Box::new(rt::Element::read(r, tag).cold()?)));
            if case.default {
                read_arms.extend(quote! { None => #read, });
            } else {
                let lits = case.values.iter().map(|v| Literal::string(v));
                read_arms.extend(quote! { Some(#(#lits)|*) => #read, });
                // A value no case lists: the first case with the attribute keeps it.
                fallback.get_or_insert(read);
            }
            write_arms.extend(quote! { Self::#vid(v) => rt::Element::write(&**v, w), });
        }
        if let Some(read) = fallback {
            read_arms.extend(quote! { Some(_) => #read, });
        }
        let first = ident(&self.n.alternatives[&t][0]);
        let local = Literal::string(&ty.name.local);
        let ns = Literal::string(&ty.name.ns);
        let entries =
            patterns::element_entries(&ty.classes).into_iter().map(Literal::u32_unsuffixed);
        let read = quote! {
            Ok(match r.attr_value(#attr_ns, #attr_local) {
                #read_arms
            })
        };
        let write = quote! {
            match self {
                #write_arms
            }
        };
        let (read, write) = deep(ty.recursive, read, write);
        quote! {
            #doc
            #[derive(Clone, Debug, PartialEq)]
            #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
            #[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
            #[non_exhaustive]
            pub enum #name {
                #variants
            }

            impl Default for #name {
                fn default() -> Self {
                    Self::#first(Box::default())
                }
            }

            impl rt::Element for #name {
                const NAMESPACE: &'static str = #ns;
                const NAME: &'static str = #local;

                fn read<'a>(r: &mut rt::Reader<'a>, tag: &rt::Tag<'a>) -> Result<Self, rt::Error> {
                    #read
                }

                fn patterns() -> (&'static rt::validate::Grammar, &'static [u32]) {
                    (&crate::patterns::GRAMMAR, &[#(#entries),*])
                }

                fn write(&self, w: &mut rt::Writer) {
                    #write
                }
            }
        }
    }
}
