//! Text templates with `{name}` placeholders, used for request paths,
//! header values and bodies.
//!
//! A placeholder is `{` followed by letters, digits, `_` or `.` and `}`;
//! anything else (for example the braces of a JSON body) is literal text.

/// One piece of a parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Literal text.
    Text(String),
    /// A placeholder, by variable name.
    Var(String),
}

/// A parsed template.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Template {
    pieces: Vec<Piece>,
}

impl Template {
    /// Parses `text`, recognising `{name}` placeholders.
    pub fn parse(text: &str) -> Template {
        let mut pieces = Vec::new();
        let mut literal = String::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let name_len =
                after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.')).unwrap_or(after.len());
            if name_len > 0 && after[name_len..].starts_with('}') {
                literal.push_str(&rest[..open]);
                if !literal.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut literal)));
                }
                pieces.push(Piece::Var(after[..name_len].to_string()));
                rest = &after[name_len + 1..];
            } else {
                literal.push_str(&rest[..=open]);
                rest = after;
            }
        }
        literal.push_str(rest);
        if !literal.is_empty() {
            pieces.push(Piece::Text(literal));
        }
        Template { pieces }
    }

    /// A template that is only literal text (no placeholder recognition).
    pub fn literal(text: &str) -> Template {
        Template { pieces: if text.is_empty() { Vec::new() } else { vec![Piece::Text(text.to_string())] } }
    }

    /// The pieces of the template.
    pub fn pieces(&self) -> &[Piece] {
        &self.pieces
    }

    /// Names of the variables the template uses.
    pub fn variables(&self) -> impl Iterator<Item = &str> {
        self.pieces.iter().filter_map(|piece| match piece {
            Piece::Var(name) => Some(name.as_str()),
            Piece::Text(_) => None,
        })
    }

    /// True when the template has no placeholders.
    pub fn is_static(&self) -> bool {
        self.variables().next().is_none()
    }

    /// Renders the template, asking `value` for each variable.
    pub fn render_into(&self, out: &mut String, value: &mut dyn FnMut(&str, &mut String)) {
        for piece in &self.pieces {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Var(name) => value(name, out),
            }
        }
    }

    /// Renders a template that has no placeholders.
    pub fn render_static(&self) -> String {
        let mut out = String::new();
        self.render_into(&mut out, &mut |name, out| {
            out.push('{');
            out.push_str(name);
            out.push('}');
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_and_json_braces() {
        let t = Template::parse("/items/{id}?t={tenant}");
        assert_eq!(t.variables().collect::<Vec<_>>(), vec!["id", "tenant"]);
        let json = Template::parse(r#"{"name": "{user.name}", "n": {}}"#);
        assert_eq!(json.variables().collect::<Vec<_>>(), vec!["user.name"]);
        let mut out = String::new();
        json.render_into(&mut out, &mut |_, out| out.push_str("bob"));
        assert_eq!(out, r#"{"name": "bob", "n": {}}"#);
        assert!(Template::parse("/a/{b").is_static());
        assert_eq!(Template::parse("/a/{b").render_static(), "/a/{b");
    }
}
