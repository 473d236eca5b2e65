//! Element types as structs: fields, docs, serde attributes, `bytes()` of scaled sizes, and the
//! `Element` impl that ties reading and writing together.

use super::*;

impl Cx<'_> {
    /// `bytes()`/`set_bytes()` for a scaled integer: integer text with an optional `unit`
    /// attribute (libvirt's sizes), where the target says what an absent unit means.
    pub(super) fn scaled_integer(&self, t: TypeId) -> TokenStream {
        let Some((per_module, fallback)) = self.target.scaled_units else {
            return TokenStream::new();
        };
        let fnames = &self.n.fields[t];
        let Some((int, ui)) = self.m.types[t].fields.scaled_integer() else {
            return TokenStream::new();
        };
        let module = &self.n.modules[self.module_of_type(t)];
        let default = per_module.iter().find(|(m, _)| m == module).map_or(fallback, |(_, u)| *u);
        let name = ident(&self.n.types[t]);
        let value = ident(&fnames.text);
        let unit = ident(&fnames.attrs[ui]);
        // The target's default, as a `rt::Unit` variant (`bytes` → `Bytes`, `KiB`).
        let variant = format_ident!("{}", if default == "bytes" { "Bytes" } else { default });
        let get_doc = doc_attr(&format!(
            "The size in bytes: the value counted in `unit` ({default} when absent, as libvirt \
             reads it). `None` for a size beyond `u64`."
        ));
        use crate::model::IntKind;
        // The value as a u64: as it is, widened, or refused when negative.
        let to_u64 = match int {
            IntKind::U64 => quote!(let value = self.#value;),
            IntKind::U8 | IntKind::U16 | IntKind::U32 => {
                quote!(let value = u64::from(self.#value);)
            }
            _ => quote!(let value = u64::try_from(self.#value).ok()?;),
        };
        let text_ty = &self.m.types[t].fields.text.as_ref().expect("scaled text").ty;
        let int_ty = self.value_path(text_ty, self.module_of_type(t));
        let new_doc = doc_attr(&format!(
            "A size of `{value}` `unit`s (`{name}::new(2, Unit::GiB)`), nothing else set.",
            value = fnames.text,
            name = self.n.types[t],
        ));
        let set = if int == IntKind::U64 {
            quote! {
                /// Sets the size to `bytes`, in the largest binary unit that holds it exactly
                /// (`8 << 30` is written `unit='GiB'` `8`).
                pub fn set_bytes(&mut self, bytes: u64) {
                    let (value, unit) = rt::Unit::largest_exact(bytes);
                    self.#value = value;
                    self.#unit = Some(unit);
                }
            }
        } else {
            TokenStream::new()
        };
        quote! {
            impl #name {
                #new_doc
                pub fn new(#value: #int_ty, unit: rt::Unit) -> Self {
                    Self {
                        #value,
                        #unit: Some(unit),
                        ..Default::default()
                    }
                }

                #get_doc
                pub fn bytes(&self) -> Option<u64> {
                    #to_u64
                    rt::units::bytes(value, self.#unit, rt::Unit::#variant)
                }

                #set
            }
        }
    }

    /// `vcpu: 2.into()`: an element whose only required part is its text, beside optional
    /// attributes and children, is built from that value (the rest left out).
    fn value_constructor(&self, t: TypeId, from: usize) -> TokenStream {
        let Some((text, _)) = self.m.types[t].fields.built_from_text() else {
            return TokenStream::new();
        };
        let name = ident(&self.n.types[t]);
        let value = ident(&self.n.fields[t].text);
        let vty = self.value_path(&text.ty, from);
        let from_str = from_strings(&name, &text.ty, &vty);
        quote! {
            impl From<#vty> for #name {
                fn from(#value: #vty) -> Self {
                    Self { #value, ..Default::default() }
                }
            }

            #from_str
        }
    }

    pub(super) fn value_doc(&self, v: &ValueType) -> String {
        match v {
            ValueType::Enum(e) => {
                let vals: Vec<String> = self.m.enums[*e]
                    .values
                    .iter()
                    .map(|v| format!("`{v}`"))
                    .collect();
                format!("one of {}", vals.join(", "))
            }
            ValueType::Int(_) => "an integer (hexadecimal `0x…` accepted)".into(),
            ValueType::Float => "a number".into(),
            ValueType::Runtime(RuntimeValue::FileMode) => {
                "file mode bits, written in octal (`0755`)".into()
            }
            ValueType::Runtime(RuntimeValue::Unit) => {
                "a size unit (`KiB`, `MiB`, `bytes`…; any case, as libvirt reads it)".into()
            }
            ValueType::Runtime(RuntimeValue::Uuid) => {
                "a UUID (`c7a5fdbd-edaf-9455-926a-d65c16db1809`; 32 digits without dashes, any case, also read)".into()
            }
            ValueType::Runtime(RuntimeValue::Ipv4) => "an IPv4 address (`192.168.122.1`)".into(),
            ValueType::Runtime(RuntimeValue::Ipv6) => "an IPv6 address (`fe80::1`)".into(),
            ValueType::Runtime(RuntimeValue::Ip) => {
                "an IPv4 or IPv6 address (`192.168.122.1`, `fe80::1`)".into()
            }
            ValueType::Bool => "`true` or `false` (also `1`, `0`)".into(),
            ValueType::String => "text".into(),
            ValueType::List(item) => {
                format!(
                    "a list separated by spaces, each item {}",
                    self.value_doc(item)
                )
            }
        }
    }

    pub(super) fn element_doc(&self, t: TypeId) -> String {
        let ty = &self.m.types[t];
        let mut s = format!("The `<{}>` element", ty.name.local);
        if !ty.name.ns.is_empty() {
            s.push_str(&format!(" (namespace `{}`)", ty.name.ns));
        }
        s.push('.');
        // A field holding any of several patterns: say which.
        let patterns: BTreeSet<(&str, u32)> = ty
            .nodes
            .iter()
            .map(|&n| {
                let o = &self.m.element(n).origin;
                (o.file.as_str(), o.line)
            })
            .collect();
        if let Some(d) = self.m.whole_choice(t) {
            s.push_str(&format!(
                " Any of the {} `<{}>` patterns of the `{d}` choice.",
                patterns.len(),
                ty.name.local
            ));
        }
        // Where it sits in documents (all of `generated/PATHS.md` lists them).
        let paths = &self.paths[t];
        if !paths.is_empty() {
            let shown: Vec<String> = paths.iter().take(6).map(|p| format!("`{p}`")).collect();
            let more = if paths.len() > 6 { ", …" } else { "" };
            s.push_str(&format!(
                "\n\nXML path{}: {}{more}.",
                if paths.len() > 1 { "s" } else { "" },
                shown.join(", ")
            ));
        }
        let mut places: Vec<String> =
            patterns.iter().map(|(file, line)| format!("`{file}` line {line}")).collect();
        if !places.is_empty() {
            let more = if places.len() > 3 {
                format!(" and {} more", places.len() - 3)
            } else {
                String::new()
            };
            places.truncate(3);
            s.push_str(&format!("\n\nSchema: {}{more}.", places.join(", ")));
        }
        if let Some(url) = self.doc_urls.get(&self.n.modules[ty.entry]) {
            s.push_str(&format!("\n\nFormat reference: <{url}>."));
        }
        s
    }

    pub(super) fn element_type(&self, t: TypeId) -> TokenStream {
        let ty = &self.m.types[t];
        let from = self.module_of_type(t);
        let name = ident(&self.n.types[t]);
        let doc = doc_attr(&self.element_doc(t));
        let fnames = &self.n.fields[t];
        let slots = element_slots(&ty.fields);
        let (fields_def, write_attrs, items) =
            self.struct_parts(t, &ty.fields, fnames, from, &slots.own, true);
        let write_children = self.write_children(t, &slots, items);
        let read = self.read_body(t);
        let local = Literal::string(&ty.name.local);
        let ns = Literal::string(&ty.name.ns);
        let prefix = Literal::string(&if ty.name.ns.is_empty() {
            String::new()
        } else {
            crate::naming::ns_prefix(&ty.name.ns)
        });
        let sum = self.sum_type(t);
        let choices = self.choice_enums(t);
        let extensions = self.extensions_type(t);
        let entries =
            patterns::element_entries(&ty.classes).into_iter().map(Literal::u32_unsuffixed);
        // Text content turns indentation off inside the element (it would become text);
        // an element that may hold text but holds none is laid out like any other.
        let verbatim = match ty.fields.text.as_ref().map(|x| x.required) {
            Some(true) => quote! { w.verbatim(); },
            _ => match Self::text_present(&quote!(self), &ty.fields, fnames) {
                Some(cond) => quote! { if #cond { w.verbatim(); } },
                None => TokenStream::new(),
            },
        };
        let root_impl = if self.m.roots.iter().any(|r| r.ty == t) {
            root_methods(&name)
        } else {
            TokenStream::new()
        };
        let scaled = self.scaled_integer(t);
        let open = self.open_content_methods(t);
        let (serde_derive, serde_impls, preserved_skip) =
            self.value_impls(t, &name, &fields_def, from);
        let (derive, default) = derive_default(&name, &ty.fields, fnames, true);
        let write = quote! {
            rt::__private::start(w, #ns, #prefix, #local, &self.preserved);
            #verbatim
            #write_attrs
            self.preserved.write_attributes(w);
            #write_children
            w.end_prefixed(#ns, #prefix, #local);
        };
        let (read, write) = deep(ty.recursive, read, write);
        quote! {
            #doc
            #derive
            #serde_derive
            pub struct #name {
                #fields_def
                /// Content kept for a faithful round trip: attributes and elements the schema
                /// does not know, the original spelling of values, and the document order.
                #preserved_skip
                pub preserved: rt::Preserved,
            }

            #default

            #serde_impls

            #scaled

            #open

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

            #root_impl
            #sum
            #choices
            #extensions
        }
    }

    /// Access by namespace to an element type's open content, as libvirt treats
    /// `<metadata>`: one element per namespace, the first (`virDomainSetMetadata`).
    fn open_content_methods(&self, t: TypeId) -> TokenStream {
        if !self.m.types[t].fields.any_element {
            return TokenStream::new();
        }
        let name = ident(&self.n.types[t]);
        let list = ident(&self.n.fields[t].any_elements);
        quote! {
            impl #name {
                /// The element in namespace `namespace`, if any (libvirt keeps one per
                /// namespace).
                pub fn element(&self, namespace: &str) -> Option<&rt::RawXml> {
                    rt::__private::open_element(&self.#list, namespace)
                }

                /// Puts `element` in place of the one in its namespace (dropping later ones
                /// of it, which libvirt would drop), or after the others.
                pub fn set_element(&mut self, element: rt::RawXml) {
                    rt::__private::set_open_element(&mut self.#list, element)
                }

                /// Takes out every element in namespace `namespace`, and gives the first.
                pub fn remove_element(&mut self, namespace: &str) -> Option<rt::RawXml> {
                    rt::__private::remove_open_element(&mut self.#list, namespace).map(|(_, e)| e)
                }
            }
        }
    }

    /// The constructors and serde impls of an element type: an element holding only text
    /// converts from its value and is that value in serialized data; others get a
    /// constructor of their required parts and field-by-field serde. Also the serde derive
    /// and the attribute that skips an empty `preserved`.
    fn value_impls(
        &self,
        t: TypeId,
        name: &Ident,
        fields_def: &TokenStream,
        from: usize,
    ) -> (TokenStream, TokenStream, TokenStream) {
        let ty = &self.m.types[t];
        let fnames = &self.n.fields[t];
        // An element holding only text is its value in serialized data (`"name": "vm"`),
        // or a map when it keeps something (`{"value": …, "preserved": …}`).
        let text_only = matches!(ty.fields.built_from_text(), Some((_, true)));
        if text_only {
            let value = ident(&fnames.text);
            let text_ty = &ty.fields.text.as_ref().expect("text-only").ty;
            let vty = self.value_path(text_ty, from);
            // `name: "vm".into()`: from the value, and from a string where any is one.
            let from_str = from_strings(name, text_ty, &vty);
            (
                quote!(),
                quote! {
                    impl From<#vty> for #name {
                        fn from(#value: #vty) -> Self {
                            Self { #value, preserved: rt::Preserved::default() }
                        }
                    }

                    #from_str

                    #[cfg(feature = "serde")]
                    impl serde::Serialize for #name {
                        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                            rt::serde_support::serialize_text(&self.#value, &self.preserved, s)
                        }
                    }

                    #[cfg(feature = "serde")]
                    impl<'de> serde::Deserialize<'de> for #name {
                        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                            let (#value, preserved) = rt::serde_support::deserialize_text(d)?;
                            Ok(Self { #value, preserved })
                        }
                    }
                },
                quote!(),
            )
        } else {
            let preserved_skip = quote!(#[cfg_attr(feature = "serde", serde(skip_serializing_if = "rt::Preserved::is_empty"))]);
            let all_fields = quote! { #fields_def #preserved_skip pub preserved: rt::Preserved, };
            let constructor = self.value_constructor(t, from);
            let deserialize = struct_deserialize(name, &all_fields);
            (
                quote! {
                    #[cfg_attr(feature = "serde", derive(serde::Serialize))]
                },
                quote! { #constructor #deserialize },
                preserved_skip,
            )
        }
    }

    /// Field definitions and writing statements of an element's own fields (with its sum
    /// type) or of one case of a sum type.
    /// Field definitions, the attribute writes (each after its slot), and the child items
    /// (children, text, open content, in slot order) of one set of fields.
    pub(super) fn struct_parts(
        &self,
        owner: TypeId,
        f: &Fields,
        fnames: &FieldNames,
        from: usize,
        slots: &FieldSlots,
        element: bool,
    ) -> (TokenStream, TokenStream, Vec<Item>) {
        let mut p = StructParts::default();
        let before = if element && f.variants.is_some() {
            f.attrs_before_variants.min(f.attrs.len())
        } else {
            0
        };
        for i in 0..before {
            self.attr_field(f, i, fnames, from, slots, &mut p);
        }
        if element && f.variants.is_some() {
            self.sum_field(owner, f, fnames, &mut p);
        }
        for i in before..f.attrs.len() {
            self.attr_field(f, i, fnames, from, slots, &mut p);
        }
        for i in 0..f.children.len() {
            match f.children[i].choice {
                Some((k, _)) => self.choice_member(owner, f, (i, k), fnames, &mut p),
                None => self.child_field(owner, f, i, fnames, from, &mut p),
            }
        }
        if f.text.as_ref().is_some_and(|t| t.mixed) {
            let fname = ident(&fnames.text);
            let skip = skip_if(Empty::Vec);
            p.defs.extend(quote! {
                /// Text among the child elements (mixed content): each piece, written back
                /// in its place among them.
                #skip
                pub #fname: rt::ThinVec<String>,
            });
            p.children
                .push(Item::many(quote!(self.#fname.len()), quote! { w.text(&self.#fname[i]) }));
        } else if let Some(t) = &f.text {
            let fname = ident(&fnames.text);
            let vty = self.value_path(&t.ty, from);
            let s = Literal::u16_unsuffixed(f.attrs.len() as u16);
            let ty = if t.required { quote!(#vty) } else { quote!(Option<#vty>) };
            let doc = doc_attr(&format!(
                "Text content{}: {}.",
                if t.required { "" } else { " (optional)" },
                self.value_doc(&t.ty)
            ));
            let skip = if t.required { quote!() } else { skip_if(Empty::None) };
            p.defs.extend(quote! { #doc #skip pub #fname: #ty, });
            p.children.push(if t.required {
                Item::one(
                    quote!(1),
                    quote! { rt::__private::write_value_text(w, &self.#fname, #s, &self.preserved) },
                )
            } else {
                Item::one(
                    quote!(u32::from(self.#fname.is_some())),
                    quote! { if let Some(v) = &self.#fname { rt::__private::write_value_text(w, v, #s, &self.preserved); } },
                )
            });
        }
        let vec_skip = skip_if(Empty::Vec);
        if f.any_element {
            let fname = ident(&fnames.any_elements);
            p.defs.extend(quote! {
                /// Elements of any name the schema allows here (open content), in document
                /// order, each kept as its XML text.
                #vec_skip
                pub #fname: rt::ThinVec<rt::RawXml>,
            });
            p.children
                .push(Item::many(quote!(self.#fname.len()), quote! { self.#fname[i].write(w) }));
        }
        if f.any_attribute {
            let fname = ident(&fnames.any_attributes);
            let slot = Literal::u16_unsuffixed(slots.any_attribute);
            p.defs.extend(quote! {
                /// Attributes of any name the schema allows here (open content).
                #vec_skip
                pub #fname: rt::ThinVec<rt::RawAttribute>,
            });
            p.write_attrs.extend(quote! { w.slot(#slot); for a in &self.#fname { w.attr_prefixed(a.namespace.as_deref().unwrap_or(""), a.prefix.as_deref().unwrap_or(""), &a.name, &a.value); } });
        }
        (p.defs, p.write_attrs, p.children)
    }

    /// The field holding an element's sum type, and the writing of its attributes.
    fn sum_field(&self, owner: TypeId, f: &Fields, fnames: &FieldNames, p: &mut StructParts) {
        let v = f.variants.as_ref().expect("sum");
        let sum_ident = ident(&fnames.variants);
        let sum_names = &self.n.sums[&owner];
        let ename = ident(&sum_names.enum_name);
        let optional = Self::sum_optional(f);
        let ty = if optional { quote!(Option<#ename>) } else { quote!(#ename) };
        let doc = doc_attr(&format!(
            "`@{}`: selects which of the shapes in [`{}`] this element has{}.",
            v.attr.local,
            sum_names.enum_name,
            if v.attr_optional { " (the attribute may be absent)" } else { "" }
        ));
        let skip = if optional { skip_if(Empty::None) } else { quote!() };
        p.defs.extend(quote! { #doc #skip pub #sum_ident: #ty, });
        p.write_attrs.extend(if optional {
            quote! { if let Some(s) = &self.#sum_ident { s.write_attrs(w, self.preserved.implicit_discriminant()); } }
        } else {
            quote! { self.#sum_ident.write_attrs(w, self.preserved.implicit_discriminant()); }
        });
    }

    /// Attribute `i` of `f`: its field and its writing.
    fn attr_field(
        &self,
        f: &Fields,
        i: usize,
        fnames: &FieldNames,
        from: usize,
        slots: &FieldSlots,
        p: &mut StructParts,
    ) {
        let a = &f.attrs[i];
        let fname = ident(&fnames.attrs[i]);
        let vty = self.value_path(&a.ty, from);
        let ty = if a.required { quote!(#vty) } else { quote!(Option<#vty>) };
        let value = match a.hex_digits {
            Some(d) => format!(
                "an integer, written in hexadecimal as libvirt does (`0x{}`; decimal accepted)",
                "0".repeat(usize::from(d))
            ),
            None => self.value_doc(&a.ty),
        };
        let doc = doc_attr(&format!(
            "`@{}`{}: {value}.",
            a.name.local,
            if a.required { "" } else { " (optional)" },
        ));
        let skip = if a.required { quote!() } else { skip_if(Empty::None) };
        p.defs.extend(quote! { #doc #skip pub #fname: #ty, });
        let ns = Literal::string(&a.name.ns);
        let local = Literal::string(&a.name.local);
        let s = Literal::u16_unsuffixed(i as u16);
        let slot = Literal::u16_unsuffixed(slots.attrs[i]);
        let write = |v: TokenStream| match a.hex_digits {
            Some(d) => {
                let d = Literal::u8_unsuffixed(d);
                quote!(rt::__private::write_hex_attr(w, #ns, #local, #v, #s, &self.preserved, #d))
            }
            None => {
                quote!(rt::__private::write_value_attr(w, #ns, #local, #v, #s, &self.preserved))
            }
        };
        p.write_attrs.extend(if a.required {
            let write = write(quote!(&self.#fname));
            quote! { w.slot(#slot); #write; }
        } else {
            let write = write(quote!(v));
            quote! { if let Some(v) = &self.#fname { w.slot(#slot); #write; } }
        });
    }

    /// A child's element type, and what one occurrence is held in (`Box<T>` when the model
    /// boxes a single child).
    pub(super) fn child_type(
        &self,
        c: &crate::model::Child,
        from: usize,
    ) -> (TokenStream, TokenStream) {
        let cty = self.path(c.ty, from);
        let inner = if c.boxed && !c.repeated { quote!(Box<#cty>) } else { cty.clone() };
        (cty, inner)
    }

    /// The field definition of child `i` of `f` (occurrence and boxing as the model says).
    fn child_def(&self, f: &Fields, i: usize, fnames: &FieldNames, from: usize) -> TokenStream {
        let c = &f.children[i];
        let fname = ident(&fnames.children[i]);
        let (cty, inner) = self.child_type(c, from);
        let ty = if c.repeated {
            quote!(rt::ThinVec<#cty>)
        } else if c.required {
            inner
        } else {
            quote!(Option<#inner>)
        };
        let what = if self.m.types[c.ty].group {
            let members: Vec<String> = self.m.types[c.ty]
                .fields
                .children
                .iter()
                .map(|g| format!("`<{}>`", g.name.local))
                .collect();
            format!("{} repeated together", members.join(", "))
        } else if c.extension {
            format!("`<{}:{}>`", crate::naming::ns_prefix(&c.name.ns), c.name.local)
        } else {
            format!("`<{}>`", c.name.local)
        };
        let doc = doc_attr(&format!(
            "{what}{}: see [`{}`].",
            if c.repeated {
                if c.required {
                    " (one or more)"
                } else {
                    " (zero or more)"
                }
            } else if c.required {
                ""
            } else {
                " (optional)"
            },
            self.doc_path(c.ty, from)
        ));
        let skip = if c.repeated {
            skip_if(Empty::Vec)
        } else if c.required {
            quote!()
        } else {
            skip_if(Empty::None)
        };
        quote! { #doc #skip pub #fname: #ty, }
    }

    /// Child `i` of `f`: its field (or, for a driver's extension, the field of the struct
    /// holding them, at the first) and the item that writes it.
    fn child_field(
        &self,
        owner: TypeId,
        f: &Fields,
        i: usize,
        fnames: &FieldNames,
        from: usize,
        p: &mut StructParts,
    ) {
        let c = &f.children[i];
        let fname = ident(&fnames.children[i]);
        if c.extension {
            let group = ident(&fnames.extensions);
            if f.children[..i].iter().all(|o| !o.extension) {
                let (gty, gdoc) = self.extensions_path(owner, from);
                let shown: Vec<String> = (f.children.iter())
                    .filter(|c| c.extension)
                    .map(|c| {
                        format!("`<{}:{}>`", crate::naming::ns_prefix(&c.name.ns), c.name.local)
                    })
                    .collect();
                let doc = doc_attr(&format!(
                    "Extensions in other XML namespaces (optional): {}; see [`{gdoc}`]. \
                     `Some` of an empty one writes nothing, and reads back as `None`.",
                    shown.join(", "),
                ));
                let skip = skip_if(Empty::None);
                p.defs.extend(quote! { #doc #skip pub #group: Option<Box<#gty>>, });
            }
            p.children.push(Item::one(
                quote!(u32::from(self.#group.as_ref().is_some_and(|g| g.#fname.is_some()))),
                quote! { if let Some(v) = self.#group.as_ref().and_then(|g| g.#fname.as_ref()) { rt::Element::write(v, w); } },
            ));
            return;
        }
        p.defs.extend(self.child_def(f, i, fnames, from));
        p.children.push(if self.m.types[c.ty].group {
            Item::many(quote!(self.#fname.len()), quote! { self.#fname[i].write_children(w) })
        } else if c.repeated {
            Item::many(quote!(self.#fname.len()), quote! { rt::Element::write(&self.#fname[i], w) })
        } else if c.required {
            let key = absent_key(f, i);
            Item::one(
                quote!(rt::__private::required_count(&self.#fname, #key, &self.preserved)),
                quote! { rt::Element::write(&self.#fname, w) },
            )
        } else {
            Item::one(
                quote!(u32::from(self.#fname.is_some())),
                quote! { if let Some(v) = &self.#fname { rt::Element::write(v, w); } },
            )
        });
    }

    /// The path of the struct holding element `t`'s drivers' extensions from module
    /// `from`, as code and for a doc link.
    pub(super) fn extensions_path(&self, t: TypeId, from: usize) -> (TokenStream, String) {
        let g = &self.n.extensions[&t];
        let m = self.module_of_type(g.owner);
        let name = ident(&g.name);
        if m == from {
            (quote!(#name), g.name.clone())
        } else {
            let module = ident(&self.n.modules[m]);
            (quote!(crate::#module::#name), format!("crate::{}::{}", self.n.modules[m], g.name))
        }
    }

    /// The struct holding element `t`'s drivers' extensions (see
    /// [`crate::model::Child::extension`]), where `t` is the element that defines it.
    fn extensions_type(&self, t: TypeId) -> TokenStream {
        let Some(gname) = self.n.extensions.get(&t).filter(|g| g.owner == t).map(|g| &g.name)
        else {
            return TokenStream::new();
        };
        let ty = &self.m.types[t];
        let from = self.module_of_type(t);
        let fnames = &self.n.fields[t];
        let name = ident(gname);
        let members: Vec<usize> =
            (0..ty.fields.children.len()).filter(|&i| ty.fields.children[i].extension).collect();
        let defs: TokenStream =
            members.iter().map(|&i| self.child_def(&ty.fields, i, fnames, from)).collect();
        let shown: Vec<String> = members
            .iter()
            .map(|&i| {
                let n = &ty.fields.children[i].name;
                format!("`<{}:{}>`", crate::naming::ns_prefix(&n.ns), n.local)
            })
            .collect();
        let doc = doc_attr(&format!(
            "The optional elements of [`{owner}`] in other XML namespaces than its own \
             ({}): extensions that {lib} drivers define for themselves.\n\nHeld apart, \
             in one box: a document without any holds `None`, one word, for them all. Each \
             is read and written as a child of its element, in its place among the others; \
             one set in code is written where the schema puts it.",
            shown.join(", "),
            owner = self.n.types[t],
            lib = self.target.owner,
        ));
        fields_struct(&doc, &name, &defs)
    }
}

impl Cx<'_> {
    /// Child `i` of `f`, a member of choice `k`: the choice's field (where its first member
    /// is), and the item that writes the member when the field holds it.
    fn choice_member(
        &self,
        owner: TypeId,
        f: &Fields,
        (i, k): (usize, usize),
        fnames: &FieldNames,
        p: &mut StructParts,
    ) {
        let names = &self.n.choices[&(owner, k)];
        let ename = ident(&names.enum_name);
        let fname = ident(&fnames.choices[k]);
        let members = f.members(k);
        let pos = members.iter().position(|&j| j == i).expect("a member");
        // The field sits where the first member of the element's children does.
        if f.children[..i].iter().all(|c| c.choice.is_none_or(|x| x.0 != k)) {
            let shown: Vec<String> =
                members.iter().map(|&j| format!("`<{}>`", f.children[j].name.local)).collect();
            let doc = doc_attr(&format!(
                "One of {} (optional): see [`{}`].",
                shown.join(", "),
                names.enum_name
            ));
            let skip = skip_if(Empty::None);
            p.defs.extend(quote! { #doc #skip pub #fname: Option<#ename>, });
        }
        let vid = ident(&names.variants[pos]);
        p.children.push(Item::one(
            quote!(u32::from(matches!(self.#fname, Some(#ename::#vid(_))))),
            quote! { if let Some(#ename::#vid(v)) = &self.#fname { rt::Element::write(v, w); } },
        ));
    }

    /// The enums of `t`'s choices between elements (see [`crate::model::Fields::choices`]).
    pub(super) fn choice_enums(&self, t: TypeId) -> TokenStream {
        let ty = &self.m.types[t];
        let from = self.module_of_type(t);
        let mut out = TokenStream::new();
        for k in 0..ty.fields.choices {
            let names = &self.n.choices[&(t, k)];
            let ename = ident(&names.enum_name);
            let members: Vec<&crate::model::Child> =
                ty.fields.members(k).into_iter().map(|i| &ty.fields.children[i]).collect();
            let mut variants = TokenStream::new();
            let mut froms = TokenStream::new();
            let mut name_arms = TokenStream::new();
            let mut accessors = TokenStream::new();
            let distinct =
                members.iter().map(|c| c.ty).collect::<BTreeSet<_>>().len() == members.len();
            for (c, v) in members.iter().zip(&names.variants) {
                let vid = ident(v);
                let cty = self.path(c.ty, from);
                let lit = Literal::string(&c.name.local);
                let doc = doc_attr(&format!(
                    "`<{}>`: see [`{}`].",
                    c.name.local,
                    self.doc_path(c.ty, from)
                ));
                variants.extend(quote! {
                    #doc
                    #[cfg_attr(feature = "serde", serde(rename = #lit))]
                    #vid(Box<#cty>),
                });
                name_arms.extend(quote! { Self::#vid(_) => #lit, });
                let word = crate::naming::snake(&c.name.local);
                let (get, get_mut) = (format_ident!("as_{word}"), format_ident!("as_{word}_mut"));
                let (get_doc, mut_doc) = (
                    doc_attr(&format!("The `<{}>`, if that is the one held.", c.name.local)),
                    doc_attr(&format!(
                        "The `<{}>` to edit, if that is the one held.",
                        c.name.local
                    )),
                );
                accessors.extend(quote! {
                    #get_doc
                    pub fn #get(&self) -> Option<&#cty> {
                        match self {
                            Self::#vid(v) => Some(v),
                            _ => None,
                        }
                    }

                    #mut_doc
                    pub fn #get_mut(&mut self) -> Option<&mut #cty> {
                        match self {
                            Self::#vid(v) => Some(v),
                            _ => None,
                        }
                    }
                });
                if distinct {
                    froms.extend(quote! {
                        impl From<#cty> for #ename {
                            fn from(v: #cty) -> Self {
                                Self::#vid(Box::new(v))
                            }
                        }

                        impl From<Box<#cty>> for #ename {
                            fn from(v: Box<#cty>) -> Self {
                                Self::#vid(v)
                            }
                        }
                    });
                }
            }
            let shown: Vec<String> =
                members.iter().map(|c| format!("`<{}>`", c.name.local)).collect();
            let (last, rest) = shown.split_last().expect("a choice has members");
            let doc = doc_attr(&format!(
                "Which of {} or {last} a `<{}>` holds: the schema allows at most one.\n\nBuilt \
                 from the element's type with `.into()` (`Some(T {{ … }}.into())`); read with \
                 `match` or the `as_…` methods. A document with a second one (invalid) keeps \
                 it in the element's `preserved`, and writes it back.",
                rest.join(", "),
                ty.name.local
            ));
            let attrs = shape_enum_attrs();
            let name_doc =
                doc_attr(&format!("The element's name (`\"{}\"`).", members[0].name.local));
            out.extend(quote! {
                #doc
                #attrs
                pub enum #ename {
                    #variants
                }

                impl #ename {
                    #name_doc
                    pub fn name(&self) -> &'static str {
                        match self {
                            #name_arms
                        }
                    }

                    #accessors
                }

                #froms
            });
        }
        out
    }
}

/// The bodies of an element's reader and writer, run on a fresh stack segment when
/// little of the current one is left where the element is on a cycle of the schema (see
/// `model::decide_recursion`); as they are elsewhere.
pub(super) fn deep(
    recursive: bool,
    read: TokenStream,
    write: TokenStream,
) -> (TokenStream, TokenStream) {
    if !recursive {
        return (read, write);
    }
    (quote!(rt::__private::deep(|| { #read })), quote!(rt::__private::deep(|| { #write })))
}

/// The derives of a struct of fields `f` (its own, `element`, or a case's), and its
/// `Default`: derived, unless a required value's type has none (an IP address), where
/// the impl puts the value's placeholder (`0.0.0.0`) and every other field's default.
pub(super) fn derive_default(
    name: &Ident,
    f: &Fields,
    fnames: &FieldNames,
    element: bool,
) -> (TokenStream, TokenStream) {
    let lacks = |ty: &ValueType| matches!(ty, ValueType::Runtime(r) if !r.has_default());
    let manual = f.attrs.iter().any(|a| a.required && lacks(&a.ty))
        || f.text.as_ref().is_some_and(|t| t.required && !t.mixed && lacks(&t.ty));
    if !manual {
        return (quote!(#[derive(Clone, Debug, Default, PartialEq)]), TokenStream::new());
    }
    let mut inits = TokenStream::new();
    let mut init = |field: &str, value: TokenStream| {
        let id = ident(field);
        inits.extend(quote! { #id: #value, });
    };
    let default = || quote!(Default::default());
    for (a, n) in f.attrs.iter().zip(&fnames.attrs) {
        let placeholder = a.required && lacks(&a.ty);
        init(n, if placeholder { quote!(rt::Value::placeholder()) } else { default() });
    }
    if element && f.variants.is_some() {
        init(&fnames.variants, default());
    }
    for (c, n) in f.children.iter().zip(&fnames.children) {
        if c.choice.is_none() && !c.extension {
            init(n, default());
        }
    }
    if !fnames.extensions.is_empty() {
        init(&fnames.extensions, default());
    }
    for n in &fnames.choices {
        init(n, default());
    }
    if let Some(t) = &f.text {
        let placeholder = t.required && !t.mixed && lacks(&t.ty);
        init(&fnames.text, if placeholder { quote!(rt::Value::placeholder()) } else { default() });
    }
    if f.any_element {
        init(&fnames.any_elements, default());
    }
    if f.any_attribute {
        init(&fnames.any_attributes, default());
    }
    let implementation = quote! {
        impl Default for #name {
            fn default() -> Self {
                Self { #inits preserved: rt::Preserved::default() }
            }
        }
    };
    (quote!(#[derive(Clone, Debug, PartialEq)]), implementation)
}

/// A struct's field definitions, the writing of its attributes, and the items writing its
/// children, built field by field.
#[derive(Default)]
pub(super) struct StructParts {
    defs: TokenStream,
    write_attrs: TokenStream,
    children: Vec<Item>,
}

/// The key under which a required child `i` of `f` is marked absent in `Preserved`
/// (after the attributes' and the text's, which key spellings).
pub(super) fn absent_key(f: &Fields, i: usize) -> Literal {
    Literal::u16_unsuffixed((f.attrs.len() + 1 + i) as u16)
}

/// What an empty field looks like, for serde to leave it out.
pub(super) enum Empty {
    None,
    Vec,
}

/// The serde attribute that leaves an empty field out of serialized data (it defaults
/// back when deserializing, through the struct's `serde(default)`).
pub(super) fn skip_if(e: Empty) -> TokenStream {
    let f = match e {
        Empty::None => "Option::is_none",
        Empty::Vec => "rt::ThinVec::is_empty",
    };
    quote!(#[cfg_attr(feature = "serde", serde(skip_serializing_if = #f))])
}

/// The inherent methods of a document's root element type, so no trait import is needed.
fn root_methods(name: &Ident) -> TokenStream {
    let text_impls = text_impls(name);
    quote! {
        impl rt::XmlDocument for #name {}
        impl #name {
            /// Parses a document whose root is this element.
            pub fn from_xml(xml: &str) -> Result<Self, rt::Error> {
                <Self as rt::Element>::from_xml(xml)
            }
            /// Parses a document whose root is this element, as `options` say.
            pub fn from_xml_with(xml: &str, options: rt::ReadOptions) -> Result<Self, rt::Error> {
                <Self as rt::Element>::from_xml_with(xml, options)
            }
            /// Parses a document whose root is this element, and says where it did not
            /// fit the schema's types (see [`rt::Element::from_xml_with_diagnostics`]).
            pub fn from_xml_with_diagnostics(xml: &str, options: rt::ReadOptions) -> Result<(Self, Vec<rt::Error>), rt::Error> {
                <Self as rt::Element>::from_xml_with_diagnostics(xml, options)
            }
            /// Serializes this element as a document, laid out as libvirt writes; fails
            /// only on what XML cannot express (a character such as U+0000, an invalid
            /// name in raw content).
            pub fn to_xml(&self) -> Result<String, rt::Error> {
                <Self as rt::Element>::to_xml(self)
            }
            /// Serializes this element as a document in the given layout
            /// (`rt::Style::Compact`: one line).
            pub fn to_xml_with(&self, style: rt::Style) -> Result<String, rt::Error> {
                <Self as rt::Element>::to_xml_with(self, style)
            }
            /// Checks the value against the schema: every violation, each with its
            /// element path (see [`rt::Element::validate`]).
            pub fn validate(&self) -> Result<(), rt::Invalid> {
                <Self as rt::Element>::validate(self)
            }
            /// Checks a document against the schema without reading it into a value:
            /// every violation, with element path and line:column.
            pub fn validate_xml(xml: &str) -> Result<(), rt::Invalid> {
                <Self as rt::Element>::validate_xml(xml)
            }
        }
        #text_impls
    }
}

/// `From<&str>` and `From<String>` for a type built from a string value (`name:
/// "vm".into()`), beside its `From` of the value itself.
fn from_strings(name: &Ident, ty: &ValueType, vty: &TokenStream) -> TokenStream {
    if !matches!(ty, ValueType::String) {
        return TokenStream::new();
    }
    quote! {
        impl From<&str> for #name {
            fn from(s: &str) -> Self {
                Self::from(#vty::from(s))
            }
        }

        impl From<String> for #name {
            fn from(s: String) -> Self {
                Self::from(#vty::from(s))
            }
        }
    }
}
