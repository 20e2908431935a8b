//! The text of a new vendor's files, from the registry's own policy. Values
//! are written by the `toml` crate (strings escaped, keys quoted where they
//! must be); registry text shown in comments is made fit for a comment (one
//! line each, no control characters), so every file is valid TOML whatever
//! the policy holds.

/// A TOML string literal of `s`, escaped by the `toml` crate.
pub fn string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A TOML key: bare when it may be, else quoted.
pub fn key(k: &str) -> String {
    let bare = !k.is_empty()
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if bare { k.to_string() } else { string(k) }
}

/// A TOML array of strings, on one line.
pub fn strings(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|s| string(s)).collect();
    format!("[{}]", items.join(", "))
}

/// `text` as comment lines starting with `prefix` (`# `, `#   `), wrapped at
/// about `WIDTH` columns. Characters a TOML comment may not hold (control
/// characters other than tab) become spaces, and each line break of `text`
/// starts a new comment line.
pub fn comment(prefix: &str, text: &str) -> String {
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() && c != '\n' { ' ' } else { c })
        .collect();
    if clean.trim().is_empty() {
        return format!("{}\n", prefix.trim_end());
    }
    let mut out = String::new();
    for paragraph in clean.lines() {
        let mut line = String::new();
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            if !line.is_empty() && prefix.len() + line.len() + 1 + word.len() > WIDTH {
                out.push_str(&format!("{prefix}{line}\n"));
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        out.push_str(format!("{prefix}{line}").trim_end());
        out.push('\n');
    }
    out
}

/// Where lines are wrapped.
const WIDTH: usize = 80;

/// `key = value` with a trailing comment aligned at the column the README's
/// examples use.
pub fn with_note(line: &str, note: &str) -> String {
    let note: String = note
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    format!("{line:<34} # {note}\n")
}

/// `1, 2 and 3`.
pub fn listed<T: std::fmt::Display>(items: &[T]) -> String {
    let items: Vec<String> = items.iter().map(ToString::to_string).collect();
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_keys_are_written_by_the_toml_crate() {
        for s in [
            "plain",
            "quote \" and \\ back",
            "line\nbreak",
            "tab\t",
            "\u{7}bell",
            "ünïcode",
        ] {
            let doc = format!("{} = {}\n", key("a b"), string(s));
            let parsed: toml::Table = toml::from_str(&doc).unwrap();
            assert_eq!(parsed["a b"].as_str(), Some(s));
        }
        assert_eq!(key("frameworks"), "frameworks");
        assert_eq!(key("a.b"), "\"a.b\"");
        let arr = format!("x = {}\n", strings(&["a\"".into(), "b".into()]));
        let parsed: toml::Table = toml::from_str(&arr).unwrap();
        assert_eq!(parsed["x"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn comments_stay_comments_whatever_the_text() {
        let text = "first line\nsecond\r line with \u{0}nul and \u{7f}del, then a long run of words \
                    that goes well past the width of one line so it has to wrap";
        let c = comment("# ", text);
        // Nothing but comment lines, which TOML parses as nothing.
        assert!(c.lines().all(|l| l.starts_with('#')), "{c}");
        assert!(c.lines().all(|l| l.len() <= WIDTH + 10), "{c}");
        assert_eq!(toml::from_str::<toml::Table>(&c).unwrap().len(), 0);
        assert!(c.starts_with("# first line\n# second line with nul"));
        assert_eq!(comment("# ", ""), "#\n");
        let noted = with_note("status = \"prospective\"", "one of:\nthese");
        assert_eq!(noted.lines().count(), 1);
    }

    #[test]
    fn lists_read_as_prose() {
        assert_eq!(listed::<u8>(&[]), "");
        assert_eq!(listed(&[1]), "1");
        assert_eq!(listed(&[1, 2, 3]), "1, 2 and 3");
    }
}
