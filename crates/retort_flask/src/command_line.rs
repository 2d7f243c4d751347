//! Command-line options a project declares, for the interpreter to take
//! their defaults when it follows code that reads them: `args.web_base_path`
//! after `parser.parse_args()` (argparse, configargparse) and the parameters
//! of a click command nobody calls (`@click.option("--url-prefix",
//! default="")`). A default is an assumption (the option may be given where
//! the app runs) and is listed as such in `stops` (`default_assumed`).

use rustc_hash::FxHashMap as HashMap;

use retort_python::Project;
use ruff_python_ast::visitor::{walk_expr, Visitor};
use ruff_python_ast::{self as ast, Expr, Number};

/// A literal default of an option.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    None,
    Bool(bool),
    Int(i64),
    Str(String),
}

/// Every `add_argument(...)` of the project, by destination.
#[derive(Default)]
pub struct ArgumentDefaults {
    by_dest: HashMap<String, Vec<(String, Option<Literal>)>>,
}

impl ArgumentDefaults {
    pub fn of(project: &Project) -> Self {
        let mut visitor = AddArgumentVisitor::default();
        for module in project.modules.iter().filter(|m| m.source.contains("add_argument")) {
            for stmt in module.ast.body.iter() {
                visitor.visit_stmt(stmt);
            }
        }
        ArgumentDefaults { by_dest: visitor.by_dest }
    }

    /// The option declared for `dest` and its default: only when the project
    /// declares it once, or everywhere with the same literal default.
    pub fn default_of(&self, dest: &str) -> Option<(&str, &Literal)> {
        let declared = self.by_dest.get(dest)?;
        let (option, first) = declared.first()?;
        let first = first.as_ref()?;
        declared.iter().all(|(_, d)| d.as_ref() == Some(first)).then_some((option.as_str(), first))
    }
}

#[derive(Default)]
struct AddArgumentVisitor {
    by_dest: HashMap<String, Vec<(String, Option<Literal>)>>,
}

impl<'a> Visitor<'a> for AddArgumentVisitor {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr {
            if let Expr::Attribute(attr) = &*call.func {
                if attr.attr.as_str() == "add_argument" {
                    self.add(call);
                }
            }
        }
        walk_expr(self, expr);
    }
}

impl AddArgumentVisitor {
    fn add(&mut self, call: &ast::ExprCall) {
        let declared = string_arguments(call);
        let explicit = call.arguments.find_keyword("dest").and_then(|k| match &k.value {
            Expr::StringLiteral(s) => Some(s.value.to_str().to_string()),
            _ => None,
        });
        let Some(dest) = explicit.or_else(|| argparse_dest(&declared)) else { return };
        let action = call.arguments.find_keyword("action").and_then(|k| literal(&k.value));
        let default = match call.arguments.find_keyword("default") {
            Some(keyword) => literal(&keyword.value),
            None => match action {
                Some(Literal::Str(action)) if action == "store_true" => Some(Literal::Bool(false)),
                Some(Literal::Str(action)) if action == "store_false" => Some(Literal::Bool(true)),
                Some(_) => None,
                None => Some(Literal::None),
            },
        };
        let option = declared.iter().find(|d| d.starts_with("--")).or(declared.first()).cloned().unwrap_or_default();
        self.by_dest.entry(dest).or_default().push((option, default));
    }
}

/// The string literals among a call's positional arguments.
pub fn string_arguments(call: &ast::ExprCall) -> Vec<String> {
    call.arguments
        .args
        .iter()
        .filter_map(|arg| match arg {
            Expr::StringLiteral(text) => Some(text.value.to_str().to_string()),
            _ => None,
        })
        .collect()
}

/// argparse's `dest`: the first `--long-option`, else the first option
/// (`-x` → `x`), else the positional's name; `-` becomes `_`.
fn argparse_dest(declared: &[String]) -> Option<String> {
    let chosen = declared
        .iter()
        .find(|d| d.starts_with("--"))
        .or_else(|| declared.iter().find(|d| d.starts_with('-')))
        .or_else(|| declared.first())?;
    Some(chosen.trim_start_matches('-').replace('-', "_"))
}

/// click's parameter name: an identifier among the declarations, else the
/// longest `--long-name` (`-`s become `_`, lower case).
pub fn click_parameter_name(declared: &[String]) -> Option<String> {
    if let Some(name) = declared.iter().find(|d| !d.starts_with('-')) {
        return Some(name.clone());
    }
    let longest = declared.iter().filter(|d| d.starts_with("--")).max_by_key(|d| d.len())?;
    Some(longest.trim_start_matches('-').replace('-', "_").to_lowercase())
}

/// A literal expression's value, if it is a simple literal.
pub fn literal(expr: &Expr) -> Option<Literal> {
    match expr {
        Expr::NoneLiteral(_) => Some(Literal::None),
        Expr::BooleanLiteral(b) => Some(Literal::Bool(b.value)),
        Expr::StringLiteral(s) => Some(Literal::Str(s.value.to_str().to_string())),
        Expr::NumberLiteral(n) => match &n.value {
            Number::Int(i) => i.as_i64().map(Literal::Int),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn argparse_takes_the_first_long_option_and_click_the_longest() {
        assert_eq!(argparse_dest(&names(&["-w", "--web-base", "--web-base-path"])).as_deref(), Some("web_base"));
        assert_eq!(argparse_dest(&names(&["-p"])).as_deref(), Some("p"));
        assert_eq!(argparse_dest(&names(&["config"])).as_deref(), Some("config"));
        assert_eq!(click_parameter_name(&names(&["-u", "--url", "--url-prefix"])).as_deref(), Some("url_prefix"));
        assert_eq!(click_parameter_name(&names(&["--url-prefix", "prefix"])).as_deref(), Some("prefix"));
    }

    #[test]
    fn defaults_are_taken_only_when_the_project_agrees_with_itself() {
        let project = Project::from_sources(&[(
            "cli.py",
            "import argparse\n\
             p = argparse.ArgumentParser()\n\
             p.add_argument('--base-path', default='/ui')\n\
             p.add_argument('--debug', action='store_true')\n\
             p.add_argument('--port', type=int)\n\
             p.add_argument('--mode', default='a')\n\
             q = argparse.ArgumentParser()\n\
             q.add_argument('--mode', default='b')\n",
        )]);
        let defaults = ArgumentDefaults::of(&project);
        assert_eq!(defaults.default_of("base_path"), Some(("--base-path", &Literal::Str("/ui".into()))));
        assert_eq!(defaults.default_of("debug"), Some(("--debug", &Literal::Bool(false))));
        assert_eq!(defaults.default_of("port"), Some(("--port", &Literal::None)));
        assert_eq!(defaults.default_of("mode"), None, "two parsers disagree");
        assert_eq!(defaults.default_of("nope"), None);
    }
}
