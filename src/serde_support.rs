//! serde for generated types, the way a person would write the data: values in their XML
//! spelling, an element holding only text as its value.

use std::borrow::Cow;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::raw::Preserved;

/// A string, borrowed from the input where the format allows.
pub fn deserialize_str<'de, D: Deserializer<'de>>(d: D) -> Result<Cow<'de, str>, D::Error> {
    // `Cow<str>` deserializes owned; a visitor borrows when it can.
    struct V;
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = Cow<'de, str>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string")
        }
        fn visit_borrowed_str<E: serde::de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
            Ok(Cow::Borrowed(s))
        }
        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Self::Value, E> {
            Ok(Cow::Owned(s.to_string()))
        }
        fn visit_string<E: serde::de::Error>(self, s: String) -> Result<Self::Value, E> {
            Ok(Cow::Owned(s))
        }
    }
    d.deserialize_str(V)
}

#[derive(Serialize)]
struct TextRef<'a, V> {
    value: &'a V,
    preserved: &'a Preserved,
}

#[derive(Deserialize)]
#[serde(untagged)]
#[serde(bound(deserialize = "V: Deserialize<'de> + Default"))]
enum Text<V> {
    Plain(V),
    Full {
        #[serde(default)]
        value: V,
        #[serde(default)]
        preserved: Preserved,
    },
}

/// An element holding only text: its value, or `{"value": …, "preserved": …}` when it
/// keeps something for the round trip.
pub fn serialize_text<V: Serialize, S: Serializer>(
    value: &V,
    preserved: &Preserved,
    s: S,
) -> Result<S::Ok, S::Error> {
    if preserved.is_empty() {
        value.serialize(s)
    } else {
        TextRef { value, preserved }.serialize(s)
    }
}

/// Either form [`serialize_text`] writes.
pub fn deserialize_text<'de, V, D>(d: D) -> Result<(V, Preserved), D::Error>
where
    V: Deserialize<'de> + Default,
    D: Deserializer<'de>,
{
    match Text::deserialize(d) {
        Ok(Text::Plain(v)) => Ok((v, Preserved::default())),
        Ok(Text::Full { value, preserved }) => Ok((value, preserved)),
        Err(_) => Err(D::Error::custom(
            "expected the element's value, or a map with `value` and `preserved`",
        )),
    }
}

/// A value enum from its spelling: a listed value (`listed`), `""` for `Other` (whose text
/// is in the `preserved` beside it), an error for any other string (which an `Other` would
/// silently drop).
pub fn deserialize_enum<'de, T: crate::Value, D: Deserializer<'de>>(
    d: D,
    listed: fn(&str) -> Option<T>,
    other: T,
) -> Result<T, D::Error> {
    let s = deserialize_str(d)?;
    match listed(&s) {
        Some(v) => Ok(v),
        None if s.is_empty() => Ok(other),
        None => Err(D::Error::custom(crate::Error::unlisted_value(&s, T::EXPECTED))),
    }
}

/// A generated struct read from serialized data field by field: a small table and one
/// `match` per struct instead of a derived deserializer (which costs the compiler several
/// times more for the crate's ~1,000 structs). Missing fields keep their default, unknown
/// ones are skipped, as `#[serde(default)]` on a derived struct does.
pub trait StructFields: Default {
    /// The struct's name, for messages.
    const NAME: &'static str;
    /// Its fields' names in serialized data, in the order `read_field` numbers them.
    const FIELDS: &'static [&'static str];

    /// Reads field `index`'s value from `map` into `self`.
    fn read_field<'de, A: serde::de::MapAccess<'de>>(
        &mut self,
        index: usize,
        map: &mut A,
    ) -> Result<(), A::Error>;
}

/// Deserializes a [`StructFields`] struct from a map.
pub fn deserialize_struct<'de, T: StructFields, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};
    use std::marker::PhantomData;

    /// A key, as the index of the field it names (`None` for an unknown one).
    struct Key(&'static [&'static str]);
    impl<'de> DeserializeSeed<'de> for Key {
        type Value = Option<usize>;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
            d.deserialize_identifier(self)
        }
    }
    impl<'de> Visitor<'de> for Key {
        type Value = Option<usize>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a field name")
        }
        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Option<usize>, E> {
            Ok(self.0.iter().position(|f| *f == s))
        }
    }

    struct Fields<T>(PhantomData<T>);
    impl<'de, T: StructFields> Visitor<'de> for Fields<T> {
        type Value = T;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "a map of {}'s fields", T::NAME)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
            let mut v = T::default();
            while let Some(key) = map.next_key_seed(Key(T::FIELDS))? {
                match key {
                    Some(i) => v.read_field(i, &mut map)?,
                    None => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            Ok(v)
        }
    }
    d.deserialize_struct(T::NAME, T::FIELDS, Fields(PhantomData))
}
