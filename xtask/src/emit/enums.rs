//! Value enums (`<choice>` of `<value>`s) with their spellings.

use super::*;
use crate::model::ValueSite;

impl Cx<'_> {
    pub(super) fn value_enum(&self, e: usize) -> TokenStream {
        let en = &self.m.enums[e];
        let name = ident(&self.n.enums[e]);
        let vnames: Vec<Ident> = self.n.enum_variants[e].iter().map(|v| ident(v)).collect();
        let lits: Vec<Literal> = en.values.iter().map(|v| Literal::string(v)).collect();
        let docs: Vec<TokenStream> =
            en.values.iter().map(|v| doc_attr(&format!("`{v}`"))).collect();
        let mut doc = String::from("A value of ");
        let mut seen = Vec::new();
        for u in en.uses.iter().take(4) {
            let element = &self.m.types[u.ty].name.local;
            let s = match &u.site {
                ValueSite::Text => format!("`<{element}>` text"),
                ValueSite::Attribute(a) => format!("`<{element}>` `@{a}`"),
            };
            if !seen.contains(&s) {
                seen.push(s);
            }
        }
        doc.push_str(&seen.join(", "));
        if en.uses.len() > 4 {
            doc.push_str(" and more");
        }
        doc.push('.');
        if let Some(d) = en.define_names.first() {
            doc.push_str(&format!("\n\nSchema define: `{d}`."));
        }
        let doc = doc_attr(&doc);
        let expected = Literal::string(&format!(
            "one of {}",
            en.values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")
        ));
        // Spellings with nothing to escape are copied as they are.
        let plain = en
            .values
            .iter()
            .all(|v| v.bytes().all(|b| (0x20..0x7F).contains(&b) && !b"<>&'\"".contains(&b)));
        let first = &vnames[0];
        let rest = &vnames[1..];
        let first_doc = &docs[0];
        let docs = &docs[1..];
        quote! {
            #doc
            #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
            #[non_exhaustive]
            pub enum #name {
                #first_doc
                #[default]
                #first,
                #( #docs #rest, )*
                /// A value this schema does not list: its text is in the `preserved` of the
                /// struct holding the field (`preserved.spelling("@name")`), written back
                /// while the field stays `Other`.
                Other,
            }

            impl rt::Value for #name {
                const EXPECTED: &'static str = #expected;

                fn placeholder() -> Self {
                    Self::#first
                }

                fn parse_value(s: &str) -> Option<Self> {
                    Some(Self::listed(s).unwrap_or(Self::Other))
                }

                fn to_text(&self) -> std::borrow::Cow<'_, str> {
                    std::borrow::Cow::Borrowed(self.as_str())
                }

                fn is_canonical(&self, _: &str) -> bool {
                    !self.is_unlisted()
                }

                fn is_unlisted(&self) -> bool {
                    matches!(self, Self::Other)
                }

                fn write_escaped(&self, out: &mut String, esc: rt::Escape) -> Result<(), String> {
                    rt::__private::write_enum(out, esc, self.as_str(), #plain, self.is_unlisted())
                }
            }

            impl #name {
                /// The value as written in XML; `""` for `Other`, whose text is in the
                /// `preserved` of the struct holding the field.
                pub fn as_str(&self) -> &'static str {
                    match self {
                        #( Self::#vnames => #lits, )*
                        Self::Other => "",
                    }
                }

                /// The listed value spelled `s`.
                fn listed(s: &str) -> Option<Self> {
                    Some(match s {
                        #( #lits => Self::#vnames, )*
                        _ => return None,
                    })
                }
            }

            /// A listed value; any other string is an error (write one the schema does not
            /// list with `Other` and `Preserved::set_spelling`).
            impl std::str::FromStr for #name {
                type Err = rt::Error;
                fn from_str(s: &str) -> Result<Self, rt::Error> {
                    Self::listed(s).ok_or_else(|| rt::Error::unlisted_value(s, <Self as rt::Value>::EXPECTED))
                }
            }

            impl std::fmt::Display for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }

            /// As its XML spelling; `Other` as `""` (its text is in the `preserved` beside it).
            #[cfg(feature = "serde")]
            impl serde::Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    s.serialize_str(self.as_str())
                }
            }

            #[cfg(feature = "serde")]
            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    rt::serde_support::deserialize_enum(d, Self::listed, Self::Other)
                }
            }
        }
    }
}

/// `FromStr` through the type's `from_xml`. (No `Display`: writing can fail, and a failing
/// `Display` makes `to_string()` panic.)
pub(super) fn text_impls(name: &Ident) -> TokenStream {
    quote! {
        impl std::str::FromStr for #name {
            type Err = rt::Error;
            fn from_str(s: &str) -> Result<Self, rt::Error> {
                Self::from_xml(s)
            }
        }
    }
}
