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
