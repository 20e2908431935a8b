//! Closed sets of values: the enums whose every value is known in advance
//! (vendor status, question type, red-flag condition…).
//!
//! Each set is declared once with `closed_set!`, which gives its serde form,
//! its list of allowed values, the help line shown when a file uses another
//! value, and its JSON Schema, so validation, documentation and editor
//! completion cannot drift apart. The raw types hold a [`Closed`] so that a
//! value outside the set is kept, with its text, and reported by `validate`
//! at its location with the set's help, instead of stopping the parse.

use std::borrow::Cow;

use serde::{Deserialize, Deserializer};

/// A set of values fixed by vetted itself (not by the registry's policy files).
pub trait ClosedSet: Sized + Copy + 'static {
    /// Every value as written in the registry, in documentation order.
    const VALUES: &'static [&'static str];
    /// Every value, in the order of `VALUES`.
    const ALL: &'static [Self];
    /// What the value means, for the JSON Schema's description.
    const DESCRIPTION: &'static str;

    /// The value as written in the registry.
    fn text(self) -> &'static str;

    /// The value written as `text`, if it is one of the set.
    fn from_text(text: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.text() == text)
    }

    /// The help line for a value outside the set: `use one of: a, b, c`.
    fn help() -> String {
        format!("use one of: {}", Self::VALUES.join(", "))
    }

    /// The JSON Schema of the set: a string, one of `VALUES`.
    fn schema() -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "enum": Self::VALUES,
            "description": Self::DESCRIPTION,
        })
    }
}

/// Declares a closed set: the enum, `ClosedSet`, inherent `as_str`/`parse`,
/// `Display`, serde (as the written text) and `schemars::JsonSchema`.
macro_rules! closed_set {
    (
        $(#[$meta:meta])*
        pub enum $name:ident : $description:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// The value as written in the registry.
            pub const fn as_str(self) -> &'static str {
                match self { $( Self::$variant => $text, )+ }
            }
            /// The value written as `text`, if it is one of the set.
            pub fn parse(text: &str) -> Option<Self> {
                match text { $( $text => Some(Self::$variant), )+ _ => None }
            }
        }

        impl $crate::model::closed::ClosedSet for $name {
            const VALUES: &'static [&'static str] = &[ $( $text, )+ ];
            const ALL: &'static [Self] = &[ $( Self::$variant, )+ ];
            const DESCRIPTION: &'static str = $description;
            fn text(self) -> &'static str {
                self.as_str()
            }
            fn from_text(text: &str) -> Option<Self> {
                Self::parse(text)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Self::parse(&text).ok_or_else(|| {
                    <D::Error as serde::de::Error>::unknown_variant(
                        &text,
                        <Self as $crate::model::closed::ClosedSet>::VALUES,
                    )
                })
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                <Self as $crate::model::closed::ClosedSet>::schema()
            }
        }
    };
}
pub(crate) use closed_set;

/// A closed-set value as written in a raw file: one of the set, or the text
/// that is not (kept so `validate` reports it where it stands, with the set's
/// help, and goes on checking the rest of the file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Closed<T> {
    Known(T),
    Unknown(String),
}

impl<T: ClosedSet> Closed<T> {
    /// The value, or the text outside the set.
    pub fn known(&self) -> Result<T, &str> {
        match self {
            Closed::Known(v) => Ok(*v),
            Closed::Unknown(text) => Err(text),
        }
    }

    /// The text as written.
    pub fn as_str(&self) -> &str {
        match self {
            Closed::Known(v) => v.text(),
            Closed::Unknown(text) => text,
        }
    }
}

/// Reads a string like `String` does (so a wrong type gives serde's usual
/// "invalid type" error), then sorts it into the set or not.
impl<'de, T: ClosedSet> Deserialize<'de> for Closed<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Ok(match T::from_text(&text) {
            Some(v) => Closed::Known(v),
            None => Closed::Unknown(text),
        })
    }
}

impl<T: ClosedSet + schemars::JsonSchema> schemars::JsonSchema for Closed<T> {
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(g)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FindingSeverity, QuestionType, RedFlagWhen, ValidFrom, VendorStatus};

    #[test]
    fn values_round_trip_through_text_and_serde() {
        fn check<T: ClosedSet + std::fmt::Debug + PartialEq + serde::Serialize>() {
            assert_eq!(T::VALUES.len(), T::ALL.len());
            for (v, text) in T::ALL.iter().zip(T::VALUES) {
                assert_eq!(v.text(), *text);
                assert_eq!(T::from_text(text), Some(*v));
                assert_eq!(serde_json::to_value(v).unwrap(), *text);
            }
            assert_eq!(T::from_text("no-such-value"), None);
        }
        check::<VendorStatus>();
        check::<QuestionType>();
        check::<RedFlagWhen>();
        check::<ValidFrom>();
        check::<FindingSeverity>();
        check::<crate::model::ScopeExclusion>();
    }

    #[test]
    fn the_help_line_lists_the_values_in_order() {
        assert_eq!(
            VendorStatus::help(),
            "use one of: prospective, active, offboarded"
        );
        assert_eq!(
            QuestionType::help(),
            "use one of: bool, choice, multi, integer, date, text, url, list"
        );
    }

    #[test]
    fn the_schema_is_a_string_enum_with_a_description() {
        let schema = serde_json::to_value(ValidFrom::schema()).unwrap();
        assert_eq!(schema["type"], "string");
        assert_eq!(
            schema["enum"],
            serde_json::json!(["period_end", "issued", "explicit", "none"])
        );
        assert!(schema["description"].as_str().unwrap().contains("validity"));
    }

    #[test]
    fn a_value_outside_the_set_is_kept_with_its_text() {
        #[derive(serde::Deserialize)]
        struct Doc {
            status: Closed<VendorStatus>,
        }
        let ok: Doc = toml::from_str("status = \"active\"").unwrap();
        assert_eq!(ok.status, Closed::Known(VendorStatus::Active));
        let bad: Doc = toml::from_str("status = \"approved\"").unwrap();
        assert_eq!(bad.status.known(), Err("approved"));
        assert_eq!(bad.status.as_str(), "approved");
        let wrong = toml::from_str::<Doc>("status = 3").err().unwrap();
        assert!(
            wrong.message().contains("expected a string"),
            "{}",
            wrong.message()
        );
    }
}
