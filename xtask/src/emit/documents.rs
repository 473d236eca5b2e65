//! Document enums (any root of an entry schema) and the crate root `lib.rs`.

use super::*;

impl Cx<'_> {
    /// An enum over the root elements of an entry with several (e.g. the devices of `device.rng`).
    pub(super) fn root_enum(&self, gi: usize) -> TokenStream {
        let roots: Vec<(TypeId, Option<String>, &[ClassId])> = self
            .m
            .roots
            .iter()
            .filter(|r| r.entry == gi)
            .map(|r| (r.ty, None, &r.classes[..]))
            .collect();
        let module = &self.n.modules[gi];
        let ename = ident(&crate::naming::upper_camel(&format!("{module}_root")));
        let doc = format!(
            "Any root element of `{}`, the variant told by its name.",
            self.m.entries[gi].file
        );
        let variant = |t: TypeId| crate::naming::upper_camel(&self.m.types[t].name.local);
        self.document_enum(&ename, &doc, &roots, Some(gi), &variant)
    }

    /// An enum of documents, parsed by root element name, with `from_xml`/`to_xml` and
    /// `FromStr`. `roots` are the types and the cargo feature each needs; `from` the module
    /// it is written in (`None`: the crate root).
    /// A document variant's doc: its root element, and the other document kinds whose
    /// root has the same name (a host `<interface>` and a domain's `<interface>` device),
    /// which reading by the root's name cannot tell apart.
    fn root_variant_doc(&self, t: TypeId) -> String {
        let ty = &self.m.types[t];
        let mut doc = format!("`<{}>`", ty.name.local);
        let own: Vec<&str> = self
            .m
            .roots
            .iter()
            .filter(|r| r.ty == t)
            .map(|r| self.m.entries[r.entry].file.as_str())
            .collect();
        let others: Vec<String> = self
            .m
            .roots
            .iter()
            .filter(|r| r.ty != t && self.m.types[r.ty].name == ty.name)
            .map(|r| {
                let o = r.ty;
                format!(
                    "`{}` (`{}::{}`)",
                    self.m.entries[r.entry].file,
                    self.n.modules[self.n.type_module[o]],
                    self.n.types[o]
                )
            })
            .collect();
        if !others.is_empty() {
            doc.push_str(&format!(
                " of `{}`.\n\nDocuments of {} begin with `<{}>` too: the root's name cannot \
                 tell them apart, so XML of that kind is read with its own type's `from_xml`.",
                own.join("`, `"),
                others.join(" and "),
                ty.name.local
            ));
        }
        doc
    }

    pub(super) fn document_enum(
        &self,
        ename: &Ident,
        doc: &str,
        roots: &[(TypeId, Option<String>, &[ClassId])],
        from: Option<usize>,
        variant: &dyn Fn(TypeId) -> String,
    ) -> TokenStream {
        let mut variants = TokenStream::new();
        let mut arms = TokenStream::new();
        let mut write_arms = TokenStream::new();
        let mut validate_arms = TokenStream::new();
        let mut check_arms = TokenStream::new();
        let mut name_arms = TokenStream::new();
        let mut name_pushes = TokenStream::new();
        let mut expected = Vec::new();
        for (t, feature, classes) in roots {
            let ty = &self.m.types[*t];
            let vid = ident(&variant(*t));
            let p = self.path_in(*t, from);
            // Documents are boxed: the enum stays small whichever kind it holds.
            let p = quote!(Box<#p>);
            let local = Literal::string(&ty.name.local);
            let ns = Literal::string(&ty.name.ns);
            let vdoc = doc_attr(&self.root_variant_doc(*t));
            let cfg = match feature {
                Some(f) => quote!(#[cfg(feature = #f)]),
                None => quote!(),
            };
            // Serialized under the root element's name where that tells the kinds apart.
            let same_name = roots
                .iter()
                .filter(|(o, _, _)| self.m.types[*o].name.local == ty.name.local)
                .count();
            let rename = if same_name == 1 {
                quote!(#[cfg_attr(feature = "serde", serde(rename = #local))])
            } else {
                quote!()
            };
            variants.extend(quote! { #vdoc #cfg #rename #vid(#p), });
            arms.extend(
                quote! { #cfg (#ns, #local) => Self::#vid(rt::__private::deep(|| rt::Element::read(&mut r, &root))?), },
            );
            write_arms.extend(quote! { #cfg Self::#vid(v) => rt::__private::deep(|| rt::Element::write(v, &mut w)), });
            name_arms.extend(quote! { #cfg Self::#vid(_) => #local, });
            let on = match feature {
                Some(f) => quote!(cfg!(feature = #f)),
                None => quote!(true),
            };
            name_pushes.extend(quote! { (#on, #local), });
            // Against the entry's own patterns for the root (a borrowing entry's may differ
            // from the type's).
            let entries = crate::patterns::element_entries(classes.iter());
            validate_arms.extend(quote! {
                #cfg Self::#vid(v) => rt::validate::validate_value(
                    &crate::patterns::GRAMMAR,
                    &[#(#entries),*],
                    rt::Element::to_xml_with(v, rt::Style::Compact),
                ),
            });
            check_arms.extend(quote! {
                #cfg (#ns, #local) => rt::validate::validate_xml(&crate::patterns::GRAMMAR, &[#(#entries),*], xml),
            });
            expected.push(quote!((#ns, #local)));
        }
        let doc = doc_attr(doc);
        let text_impls = text_impls(ename);
        let shape_enum = shape_enum_attrs();
        quote! {
            #doc
            #shape_enum
            pub enum #ename {
                #variants
            }

            impl #ename {
                /// Parses a document, choosing the variant from the root element. Reading is
                /// lenient, as libvirt's is (see `ReadOptions::strict`).
                pub fn from_xml(xml: &str) -> Result<Self, rt::Error> {
                    Self::from_xml_with(xml, rt::ReadOptions::default())
                }

                /// Parses a document as `options` say.
                pub fn from_xml_with(xml: &str, options: rt::ReadOptions) -> Result<Self, rt::Error> {
                    Self::from_xml_with_diagnostics(xml, options).map(|(doc, _)| doc)
                }

                /// Parses a document, and says where it did not fit the schema's types (see
                /// `Element::from_xml_with_diagnostics`).
                pub fn from_xml_with_diagnostics(xml: &str, options: rt::ReadOptions) -> Result<(Self, Vec<rt::Error>), rt::Error> {
                    let mut r = rt::Reader::with_options(xml, options);
                    let root = r.root()?;
                    let doc = match (root.ns().unwrap_or(""), root.local) {
                        #arms
                        _ => return Err(rt::wrong_root(&r, &root, &[#(#expected),*])),
                    };
                    r.finish()?;
                    Ok((doc, r.take_diagnostics()))
                }

                /// The root element's name, which tells the kind of document (`"domain"`).
                pub fn root_name(&self) -> &'static str {
                    match self {
                        #name_arms
                    }
                }

                /// The root elements `from_xml` reads (those of the enabled features).
                pub fn root_names() -> Vec<&'static str> {
                    let all: &[(bool, &str)] = &[#name_pushes];
                    all.iter().filter_map(|&(on, name)| on.then_some(name)).collect()
                }

                /// Checks the document against the schema of its kind: every violation, each
                /// with its element path.
                pub fn validate(&self) -> Result<(), rt::Invalid> {
                    match self {
                        #validate_arms
                    }
                }

                /// Checks a document against the schema of its kind (told by its root
                /// element) without reading it into a value: every violation, with element
                /// path and line:column, or the one error that stops reading (malformed XML,
                /// an unknown root).
                pub fn validate_xml(xml: &str) -> Result<(), rt::Invalid> {
                    let mut r = rt::Reader::new(xml);
                    let root = r.root().map_err(|e| rt::Invalid(vec![e]))?;
                    match (root.ns().unwrap_or(""), root.local) {
                        #check_arms
                        _ => Err(rt::Invalid(vec![rt::wrong_root(&r, &root, &[#(#expected),*])])),
                    }
                }

                /// Serializes the document, laid out as libvirt writes; fails only on what XML
                /// cannot express.
                pub fn to_xml(&self) -> Result<String, rt::Error> {
                    self.to_xml_with(rt::Style::Libvirt)
                }

                /// Serializes the document in the given layout (`Style::Compact`: one line).
                pub fn to_xml_with(&self, style: rt::Style) -> Result<String, rt::Error> {
                    let mut w = rt::Writer::with_style(style);
                    match self {
                        #write_arms
                    }
                    w.finish()
                }
            }

            #text_impls
        }
    }

    pub(super) fn lib(&self, mods: &[(String, Ident)], public: &[usize]) -> TokenStream {
        // One cargo feature per module (document family), so users build only what they use.
        let mod_decls: Vec<TokenStream> = mods
            .iter()
            .map(|(name, m)| {
                let f = Literal::string(name);
                quote! { #[cfg(feature = #f)] pub mod #m; }
            })
            .collect();
        let roots: Vec<(TypeId, Option<String>, &[ClassId])> = self
            .m
            .roots
            .iter()
            .filter(|r| public.contains(&r.entry))
            .map(|r| {
                (r.ty, Some(self.n.modules[self.module_of_type(r.ty)].clone()), &r.classes[..])
            })
            .collect();
        let variant = |t: TypeId| self.n.types[t].clone();
        let document = self.document_enum(
            &ident("Document"),
            self.target.document_doc,
            &roots,
            None,
            &variant,
        );
        quote! {
            #![doc = include_str!("../README.md")]
            #![forbid(unsafe_code)]
            #![warn(missing_docs)]

            pub use libvirt_xml_runtime as runtime;
            pub use runtime::{thin_vec, Element, Error, ErrorKind, FileMode, Invalid, Preserved, RawAttribute, RawElement, RawNode, RawXml, ReadOptions, Str, Style, ThinVec, Unit, Uuid, Value, XmlDocument};
            use runtime as rt;

            /// `use …::prelude::*;` brings the traits into scope, so `from_xml`/`to_xml` work on
            /// every element type (`OsBoot::from_xml`; documents and devices such as `Disk` also
            /// have them as inherent methods), and `to_text` on values.
            pub mod prelude {
                pub use crate::runtime::{Element as _, Value as _};
                pub use crate::{Error, ReadOptions, Style};
            }

            #(#mod_decls)*

            mod patterns;

            #document
        }
    }
}
