//! Reading an element: the loops over attributes, children and text, and the checks of what is
//! required.

use super::*;
use crate::model::{Attr, Text};

impl Cx<'_> {
    /// Local variables for one set of fields while reading, and the arms that fill them
    /// (each noting its slot).
    pub(super) fn read_fields(
        &self,
        owner: TypeId,
        f: &Fields,
        fnames: &FieldNames,
        scope: &Scope,
        out: &mut ReadParts,
    ) {
        for (i, a) in f.attrs.iter().enumerate() {
            read_attr(i, a, &fnames.attrs[i], scope, out);
        }
        for i in 0..f.children.len() {
            self.read_child(owner, f, i, &fnames.children[i], scope, out);
        }
        if let Some(t) = &f.text {
            self.read_text(f, t, fnames, scope, out);
        }
        let slots = scope.slots;
        if f.any_element {
            let var = scope.local(&fnames.any_elements);
            out.decls.extend(quote! { let mut #var = rt::ThinVec::new(); });
            let slot = Literal::u16_unsuffixed(slots.any_element);
            out.any_element = Some(quote!({
                r.order_push(#slot);
                #var.push(rt::RawXml::read(r, &c).cold()?);
            }));
            out.finals.push((fnames.any_elements.clone(), var, None));
        }
        if f.any_attribute {
            let var = scope.local(&fnames.any_attributes);
            out.decls.extend(quote! { let mut #var = rt::ThinVec::new(); });
            let slot = Literal::u16_unsuffixed(slots.any_attribute);
            out.any_attribute = Some(quote!({
                r.order_push(#slot);
                #var.push(rt::RawAttribute::from(a));
            }));
            out.finals.push((fnames.any_attributes.clone(), var, None));
        }
    }

    /// Child `i` of `f`: a repeated group, a list, or one optional or required element.
    fn read_child(
        &self,
        owner: TypeId,
        f: &Fields,
        i: usize,
        fname: &str,
        scope: &Scope,
        out: &mut ReadParts,
    ) {
        let c = &f.children[i];
        let (preserved, guard, slots) = (&scope.preserved, &scope.guard, scope.slots);
        let var = scope.local(fname);
        let cty = self.path(c.ty, self.module_of_type(owner));
        let slot = Literal::u16_unsuffixed(slots.children[i]);
        if self.m.types[c.ty].group {
            out.decls.extend(quote! { let mut #var: rt::ThinVec<#cty> = rt::ThinVec::new(); });
            let pat = match guard {
                Some(gd) => quote!((ns, name) if #gd && #cty::knows_child(ns, name)),
                None => quote!((ns, name) if #cty::knows_child(ns, name)),
            };
            out.child_arms.push((
                pat,
                quote! {
                    match #var.last_mut() {
                        Some(g) if g.accepts(ns, name) => g.push_child(r, &c).cold()?,
                        _ => {
                            r.order_push(#slot);
                            let mut g = #cty::default();
                            g.push_child(r, &c).cold()?;
                            rt::__private::push(&mut #var, g);
                        }
                    }
                },
            ));
            let exact = quote!(rt::__private::exact(#var));
            out.finals.push((fname.to_string(), var, Some(exact)));
            return;
        }
        let ns = ns_pat(&c.name.ns);
        let local = Literal::string(&c.name.local);
        let pat = guarded(guard.as_ref(), quote!((#ns, #local)));
        if let Some((k, _)) = c.choice {
            // One local for the choice, declared at its first member.
            let names = &self.n.choices[&(owner, k)];
            let cfield = &scope_choice_field(f, i, k, &names.variants, &self.n.fields[owner]);
            let var = scope.local(&cfield.0);
            let ename = ident(&names.enum_name);
            let vid = ident(&cfield.1);
            if cfield.2 {
                out.decls.extend(quote! { let mut #var: Option<#ename> = None; });
                out.finals.push((cfield.0.clone(), var.clone(), None));
            }
            out.child_arms.push((
                pat,
                quote!(rt::__private::single_choice(&mut #var, r, &c, &mut #preserved, #slot, |v| #ename::#vid(Box::new(v))).cold()?),
            ));
            return;
        }
        if c.repeated {
            out.decls.extend(quote! { let mut #var = rt::ThinVec::new(); });
            out.child_arms.push((
                pat,
                quote!({
                    r.order_push(#slot);
                    rt::__private::push(&mut #var, rt::Element::read(r, &c).cold()?);
                }),
            ));
            let exact = if c.required {
                quote!(rt::__private::at_least_one(#var, r, tag, #local).cold()?)
            } else {
                quote!(rt::__private::exact(#var))
            };
            out.finals.push((fname.to_string(), var, Some(exact)));
        } else {
            let inner = if c.boxed { quote!(Box<#cty>) } else { quote!(#cty) };
            out.decls.extend(quote! { let mut #var: Option<#inner> = None; });
            out.child_arms.push((
                pat,
                quote!(rt::__private::single_child(&mut #var, r, &c, &mut preserved, #slot).cold()?),
            ));
            if c.extension {
                out.extensions.push((fname.to_string(), var));
                return;
            }
            let key = absent_key(f, i);
            out.finals.push((
                fname.to_string(),
                var.clone(),
                c.required
                    .then(|| quote!(rt::__private::required_child(#var, r, tag, #local, #key, &mut #preserved).cold()?)),
            ));
        }
    }

    /// The text of `f`: kept as read until the end tag, then parsed (blank text beside a
    /// child, where text and children are alternatives, is layout).
    fn read_text(
        &self,
        f: &Fields,
        t: &Text,
        fnames: &FieldNames,
        scope: &Scope,
        out: &mut ReadParts,
    ) {
        let (preserved, slots) = (&scope.preserved, scope.slots);
        let var = scope.local(&fnames.text);
        if t.mixed {
            let slot = Literal::u16_unsuffixed(slots.text);
            out.decls.extend(quote! { let mut #var: rt::ThinVec<String> = rt::ThinVec::new(); });
            out.text_arms.push((
                scope.guard.clone(),
                quote!(rt::__private::push_mixed_text(r, &mut #var, t, #slot)),
            ));
            out.finals.push((fnames.text.clone(), var, None));
            return;
        }
        let s = Literal::u16_unsuffixed(f.attrs.len() as u16);
        out.decls.extend(quote! { let mut #var: Option<std::borrow::Cow<'a, str>> = None; });
        let slot = Literal::u16_unsuffixed(slots.text);
        out.text_arms
            .push((scope.guard.clone(), quote!(rt::__private::push_text(r, &mut #var, t, #slot))));
        // The same local and slot as the arm just made: `child_loop` reads text with the
        // runtime's loop (`read_text_children`, which does what this arm does) when this is
        // the element's only arm.
        if scope.guard.is_none() {
            out.plain_text = Some((var.clone(), slot.clone()));
        }
        let mut present = Vec::new();
        let mut always = false;
        for (i, c) in f.children.iter().enumerate() {
            let v = scope.local(&fnames.children[i]);
            if let Some((k, rank)) = c.choice {
                // The choice's local, once.
                if rank == 0 {
                    let v = scope.local(&fnames.choices[k]);
                    present.push(quote!(#v.is_some()));
                }
            } else if c.repeated || self.m.types[c.ty].group {
                present.push(quote!(!#v.is_empty()));
            } else if c.required {
                always = true;
            } else {
                present.push(quote!(#v.is_some()));
            }
        }
        let text = if always {
            quote!(rt::__private::drop_layout(#var, true))
        } else if !present.is_empty() {
            quote!(rt::__private::drop_layout(#var, #(#present)||*))
        } else {
            quote!(#var)
        };
        let value = if t.required {
            quote!(rt::__private::parse_text(r, tag, #text, #s, &mut #preserved).cold()?)
        } else {
            quote!(match #text {
                Some(t) => Some(rt::__private::parse_text(r, tag, Some(t), #s, &mut #preserved).cold()?),
                None => None,
            })
        };
        out.finals.push((fnames.text.clone(), var, Some(value)));
    }

    /// One case of a sum type: its fields' locals and arms (limited to the case), and the
    /// expression building the case's struct from them.
    fn read_case(&self, t: TypeId, ci: usize, slots: &ElementSlots) -> (ReadParts, TokenStream) {
        let c = &self.m.types[t].fields.variants.as_ref().expect("sum").cases[ci];
        let crate::naming::CaseNames { struct_name: sname, fields: cfn, .. } =
            &self.n.sums[&t].cases[ci];
        let sident = ident(sname);
        let cpres = ident(&format!("c{ci}_preserved"));
        let ci_lit = Literal::usize_unsuffixed(ci);
        let mut parts = ReadParts::default();
        // A case keeps spellings of its values and marks its absent required
        // children; what it cannot place (a repeated
        // single child) goes to the element's own `preserved`, in document order.
        let uses_preserved = !c.fields.attrs.is_empty()
            || c.fields.text.is_some()
            || c.fields.children.iter().any(|ch| ch.required && !ch.repeated);
        parts.decls.extend(if uses_preserved {
            quote! { let mut #cpres = rt::Preserved::default(); }
        } else {
            quote! { let #cpres = rt::Preserved::default(); }
        });
        let scope = Scope {
            prefix: format!("c{ci}_"),
            preserved: cpres.clone(),
            guard: Some(quote!(case == #ci_lit)),
            slots: &slots.cases[ci],
        };
        self.read_fields(t, &c.fields, cfn, &scope, &mut parts);
        let mut inits = TokenStream::new();
        let mut checks = TokenStream::new();
        for (fname, var, check) in &parts.finals {
            let fid = ident(fname);
            match check {
                Some(chk) => {
                    checks.extend(quote! { let #var = #chk; });
                    inits.extend(quote! { #fid: #var, });
                }
                None => inits.extend(quote! { #fid: #var, }),
            }
        }
        let built = quote!(#sident { #inits preserved: #cpres });
        let built = if c.boxed { quote!(Box::new(#built)) } else { built };
        let value = if checks.is_empty() { built } else { quote!({ #checks #built }) };
        (parts, value)
    }

    /// What a sum type adds to reading its element: the case chosen from the
    /// discriminant before the loops, each case's fields, and the sum value built after.
    fn read_sum(&self, t: TypeId, slots: &ElementSlots) -> SumRead {
        let f = &self.m.types[t].fields;
        let v = f.variants.as_ref().expect("sum");
        let fnames = &self.n.fields[t];
        let names = &self.n.sums[&t];
        let ename = ident(&names.enum_name);
        let optional = Self::sum_optional(f);
        let attr_ns = ns_pat(&v.attr.ns);
        let attr_local = Literal::string(&v.attr.local);
        // `sel` numbers the variants; `case` the cases (one case may have several values).
        let mut sel_arms = TokenStream::new();
        let mut build_arms = TokenStream::new();
        let mut case_arms = TokenStream::new();
        let mut n_sel = 0usize;
        let mut default_sel = None;
        let mut cases = Vec::new();
        for (ci, c) in v.cases.iter().enumerate() {
            let vnames = &names.cases[ci].variants;
            let (parts, value) = self.read_case(t, ci, slots);
            let mut sels = Vec::new();
            // The arm building variant `vn` from the case's value, under selector `sel`.
            let build_arm = |vn: &str, sel: usize| {
                let vi = ident(vn);
                let built = quote!(#ename::#vi(#value));
                let built = if optional { quote!(Some(#built)) } else { built };
                let n = Literal::usize_unsuffixed(sel);
                quote! { #n => #built, }
            };
            for (val, vn) in c.values.iter().zip(vnames.iter()) {
                let lit = Literal::string(val);
                let n = Literal::usize_unsuffixed(n_sel);
                sel_arms.extend(quote! { Some(#lit) => #n, });
                build_arms.extend(build_arm(vn, n_sel));
                sels.push(n_sel);
                n_sel += 1;
            }
            if c.values.is_empty() {
                build_arms.extend(build_arm(&vnames[0], n_sel));
                sels.push(n_sel);
                if default_sel.is_none() {
                    default_sel = Some(n_sel);
                }
                n_sel += 1;
            } else if c.default && default_sel.is_none() {
                default_sel = Some(sels[0]);
            }
            // A case's variants are numbered consecutively.
            let (lo, hi) = (
                Literal::usize_unsuffixed(sels[0]),
                Literal::usize_unsuffixed(sels[sels.len() - 1]),
            );
            let ci_lit = Literal::usize_unsuffixed(ci);
            case_arms.extend(if sels.len() == 1 {
                quote! { #lo => #ci_lit, }
            } else {
                quote! { #lo..=#hi => #ci_lit, }
            });
            cases.push(parts);
        }
        let other_sel = Literal::usize_unsuffixed(n_sel);
        let none_sel = Literal::usize_unsuffixed(n_sel + 1);
        let none_arm = match default_sel.map(Literal::usize_unsuffixed) {
            Some(d) => quote! { None => { preserved.set_implicit_discriminant(); #d } },
            None if optional => quote! { None => #none_sel },
            // Read as `Other("")`, not written back while it stays that.
            None => quote! {
                None => {
                    r.misfit(tag, rt::ErrorKind::MissingAttribute(#attr_local.into())).cold()?;
                    preserved.set_implicit_discriminant();
                    #other_sel
                }
            },
        };
        let attr_ns_opt = if v.attr.ns.is_empty() {
            quote!(None)
        } else {
            let l = Literal::string(&v.attr.ns);
            quote!(Some(#l))
        };
        // Which case's fields the attributes and children fill (when any case has some).
        let case_fields = v.cases.iter().any(|c| {
            let f = &c.fields;
            !f.attrs.is_empty()
                || !f.children.is_empty()
                || f.text.is_some()
                || f.any_element
                || f.any_attribute
                || f.variants.is_some()
        });
        let case_decl = if case_fields {
            quote! {
                let case: usize = match sel {
                    #case_arms
                    _ => usize::MAX,
                };
            }
        } else {
            quote!()
        };
        let pre = quote! {
            // Only a value no case lists is kept as a string (for `Other`).
            let mut discriminant: Option<rt::Str> = None;
            let sel: usize = match r.attr_value(#attr_ns_opt, #attr_local) {
                #sel_arms
                Some(v) => {
                    discriminant = Some(rt::Str::from(v));
                    #other_sel
                }
                #none_arm
            };
            #case_decl
        };
        let other = quote!(#ename::Other(discriminant.unwrap_or_default()));
        let (other_arm, fallback, none) = if optional {
            (quote! { #other_sel => Some(#other), }, quote!(), quote! { _ => None, })
        } else {
            (quote!(), quote! { _ => #other, }, quote!())
        };
        let sum_var = local_ident(&fnames.variants);
        let build = quote! {
            let #sum_var = match sel {
                #build_arms
                #other_arm
                #fallback
                #none
            };
        };
        let mut own = ReadParts::default();
        let disc = Literal::u16_unsuffixed(slots.discriminant);
        own.attr_arms.push((quote!((#attr_ns, #attr_local)), quote!(r.order_push(#disc))));
        own.finals.push((fnames.variants.clone(), sum_var, None));
        SumRead { pre, build, cases, own }
    }

    /// The body of `Element::read` for element type `t`: one pass over attributes and
    /// children, the sum type's case chosen first from its attribute.
    pub(super) fn read_body(&self, t: TypeId) -> TokenStream {
        let f = &self.m.types[t].fields;
        let fnames = &self.n.fields[t];
        let slots = element_slots(f);
        let sum = match f.variants {
            Some(_) => self.read_sum(t, &slots),
            None => SumRead::default(),
        };
        let mut own_fields = ReadParts::default();
        let scope = Scope {
            prefix: String::new(),
            preserved: ident("preserved"),
            guard: None,
            slots: &slots.own,
        };
        self.read_fields(t, f, fnames, &scope, &mut own_fields);
        // Own fields first, then the discriminant arm, then cases (guarded).
        let mut parts = ReadParts::default();
        parts.decls.extend(own_fields.decls.clone());
        parts.attr_arms.extend(own_fields.attr_arms.clone());
        parts.attr_arms.extend(sum.own.attr_arms.clone());
        parts.child_arms.extend(own_fields.child_arms.clone());
        parts.text_arms.extend(own_fields.text_arms.clone());
        parts.plain_text.clone_from(&own_fields.plain_text);
        for cp in &sum.cases {
            parts.decls.extend(cp.decls.clone());
            parts.attr_arms.extend(cp.attr_arms.clone());
            parts.child_arms.extend(cp.child_arms.clone());
            parts.text_arms.extend(cp.text_arms.clone());
        }
        let any_attr = own_fields.any_attribute.clone().unwrap_or(quote!({
            r.order_push(rt::__private::RAW);
            preserved.push_unknown_attr(a);
        }));
        let attr_loop = render_loop(
            quote!(a),
            quote!(&attrs),
            quote!((a.ns(), a.local)),
            &parts.attr_arms,
            &any_attr,
        );
        let child_loop = child_loop(&parts, own_fields.any_element.clone());
        let mut checks = TokenStream::new();
        let mut inits = TokenStream::new();
        for (fname, var, check) in own_fields.finals.iter().chain(sum.own.finals.iter()) {
            let fid = ident(fname);
            if let Some(chk) = check {
                checks.extend(quote! { let #var = #chk; });
            }
            inits.extend(quote! { #fid: #var, });
        }
        if self.n.extensions.contains_key(&t) {
            // One box for the extensions read, none for a document without.
            let (gty, _) = self.extensions_path(t, self.module_of_type(t));
            let gfield = ident(&self.n.fields[t].extensions);
            let (fids, vars): (Vec<Ident>, Vec<&Ident>) =
                own_fields.extensions.iter().map(|(f, v)| (ident(f), v)).unzip();
            inits.extend(quote! {
                #gfield: if #(#vars.is_none())&&* {
                    None
                } else {
                    Some(Box::new(#gty { #(#fids: #vars),* }))
                },
            });
        }
        let decls = &parts.decls;
        let SumRead { pre, build, .. } = sum;
        quote! {
            let mut preserved = rt::Preserved::default();
            #pre
            #decls
            let mark = r.order_mark();
            let attrs = r.take_attrs();
            #attr_loop
            r.put_attrs(attrs);
            rt::__private::end_order(r, mark, true, &mut preserved);
            #child_loop
            rt::__private::end_order(r, mark, false, &mut preserved);
            #checks
            #build
            Ok(Self { #inits preserved })
        }
    }
}

/// What reading a sum type adds to its element's `read` (nothing for other elements).
#[derive(Default)]
struct SumRead {
    /// Chooses the variant and case from the discriminant, before the loops.
    pre: TokenStream,
    /// Builds the sum value from the chosen case's fields, after them.
    build: TokenStream,
    /// Each case's fields.
    cases: Vec<ReadParts>,
    /// The discriminant's arm (its place in document order) and the sum field.
    own: ReadParts,
}

/// The loop over an element's children: known elements into their fields, text, and
/// everything else kept (`any_element`: where open content goes, if the element has any).
fn child_loop(parts: &ReadParts, any_element: Option<TokenStream>) -> TokenStream {
    // An element of attributes only, or of text only, reads its children with one loop of
    // the runtime's, shared by all such elements, rather than a loop of its own.
    if parts.child_arms.is_empty() && any_element.is_none() {
        match (&parts.text_arms[..], &parts.plain_text) {
            ([], _) => {
                return quote! {
                    rt::__private::read_no_children(r, tag, &mut preserved)
                        .cold()?;
                };
            }
            ([(None, _)], Some((var, slot))) => {
                return quote! {
                    rt::__private::read_text_children(r, tag, &mut #var, #slot, &mut preserved)
                        .cold()?;
                };
            }
            _ => {}
        }
    }
    let any_elem =
        any_element.unwrap_or(quote!(rt::__private::read_unknown(r, &c, &mut preserved).cold()?));
    let mut elem_arms = TokenStream::new();
    for (p, b) in &parts.child_arms {
        elem_arms.extend(quote! { #p => #b, });
    }
    // An element without text drops blank text in libvirt's layout: the reader passes it
    // over.
    let next =
        if parts.text_arms.is_empty() { quote!(next_element_child) } else { quote!(next_child) };
    let text_handling = {
        let mut unguarded = None;
        let mut guarded = TokenStream::new();
        for (gd, body) in &parts.text_arms {
            match gd {
                None => unguarded = Some(body.clone()),
                Some(gd) => guarded.extend(quote! { if #gd { #body; continue; } }),
            }
        }
        match unguarded {
            Some(b) => quote! { #b; },
            None => quote! { #guarded rt::__private::push_unknown_text(r, t, &mut preserved); },
        }
    };
    let on_element = if elem_arms.is_empty() {
        quote!(#any_elem)
    } else {
        quote! {
            match (c.ns(), c.local) {
                #elem_arms
                _ => #any_elem,
            }
        }
    };
    quote! {
        while let Some(child) = r.#next(tag).cold()? {
            match child {
                rt::Child::Element(c) => #on_element,
                rt::Child::Text(t) => { #text_handling }
                other => rt::__private::keep_node(r, other, &mut preserved),
            }
        }
    }
}

/// Where one set of fields is read: local names are prefixed (a case's apart from the
/// element's), kept content goes to `preserved`, arms are limited by `guard` (to the
/// selected case), and each notes its slot.
pub(super) struct Scope<'s> {
    prefix: String,
    preserved: Ident,
    guard: Option<TokenStream>,
    slots: &'s FieldSlots,
}

impl Scope<'_> {
    /// The local variable holding a field while reading.
    fn local(&self, field: &str) -> Ident {
        local_ident(&format!("{}{field}", self.prefix))
    }
}

/// What reading one set of fields needs: declarations, match arms (pattern, body) for
/// attributes, child elements and text, and the final values (field, variable, check).
#[derive(Default)]
pub(super) struct ReadParts {
    decls: TokenStream,
    attr_arms: Vec<(TokenStream, TokenStream)>,
    child_arms: Vec<(TokenStream, TokenStream)>,
    text_arms: Vec<(Option<TokenStream>, TokenStream)>,
    finals: Vec<(String, Ident, Option<TokenStream>)>,
    /// The final values of the drivers' extensions (field, variable), which go in one
    /// struct (see `model::Child::extension`).
    extensions: Vec<(String, Ident)>,
    any_element: Option<TokenStream>,
    any_attribute: Option<TokenStream>,
    /// The local and slot of the element's text, when read by the usual (unguarded) arm.
    plain_text: Option<(Ident, Literal)>,
}

/// Local variable for a field while parsing; prefixed so it never shadows `node`, `c`, `a`.
pub(super) fn local_ident(field: &str) -> Ident {
    Ident::new(&format!("f_{}", field.trim_start_matches('_')), Span::call_site())
}

/// `for x in iter { match key { arms…, _ => fallback } }`; just the fallback when no arm
/// matches anything (clippy rejects a match with only a wildcard).
pub(super) fn render_loop(
    var: TokenStream,
    iter: TokenStream,
    key: TokenStream,
    arms: &[(TokenStream, TokenStream)],
    fallback: &TokenStream,
) -> TokenStream {
    if arms.is_empty() {
        return quote! {
            for #var in #iter {
                #fallback;
            }
        };
    }
    let pats = arms.iter().map(|(p, _)| p);
    let bodies = arms.iter().map(|(_, b)| b);
    quote! {
        for #var in #iter {
            match #key {
                #(#pats => #bodies,)*
                _ => #fallback,
            }
        }
    }
}

pub(super) fn ns_pat(ns: &str) -> TokenStream {
    if ns.is_empty() {
        quote!(None)
    } else {
        let l = Literal::string(ns);
        quote!(Some(#l))
    }
}

/// `pat`, limited to a sum type's case where the fields are one case's.
fn guarded(guard: Option<&TokenStream>, pat: TokenStream) -> TokenStream {
    match guard {
        Some(gd) => quote!(#pat if #gd),
        None => pat,
    }
}

/// Attribute `i`: parsed where it is met, checked at the end tag when required.
fn read_attr(i: usize, a: &Attr, fname: &str, scope: &Scope, out: &mut ReadParts) {
    let (preserved, slots) = (&scope.preserved, scope.slots);
    let var = scope.local(fname);
    let ns = ns_pat(&a.name.ns);
    let local = Literal::string(&a.name.local);
    let s = Literal::u16_unsuffixed(i as u16);
    out.decls.extend(quote! { let mut #var = None; });
    let slot = Literal::u16_unsuffixed(slots.attrs[i]);
    let parse = match a.hex_digits {
        Some(d) => {
            let d = Literal::u8_unsuffixed(d);
            quote!(rt::__private::parse_hex_attr(r, tag, a, #s, &mut #preserved, #d).cold()?)
        }
        None => {
            quote!(rt::__private::parse_attr(r, tag, a, #s, &mut #preserved).cold()?)
        }
    };
    out.attr_arms.push((
        guarded(scope.guard.as_ref(), quote!((#ns, #local))),
        quote!({
            r.order_push(#slot);
            #var = Some(#parse);
        }),
    ));
    out.finals.push((
        fname.to_string(),
        var.clone(),
        a.required.then(
            || quote!(rt::__private::required_attr(#var, r, tag, #local, #s, &mut #preserved).cold()?),
        ),
    ));
}

/// Child `i` of `f`, a member of choice `k`: the choice's field name, the member's variant,
/// and whether it is the choice's first member.
fn scope_choice_field(
    f: &Fields,
    i: usize,
    k: usize,
    variants: &[String],
    fnames: &FieldNames,
) -> (String, String, bool) {
    let pos = f.members(k).iter().position(|&j| j == i).expect("a member");
    (fnames.choices[k].clone(), variants[pos].clone(), pos == 0)
}
