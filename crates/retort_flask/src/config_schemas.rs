//! Configuration validated by a marshmallow schema:
//! `config = MyConfSchema().load(data)` then `app.config.update(config)`.
//!
//! The data (a TOML or YAML file, the environment) is only known at run
//! time, but each field the schema gives a `load_default=` (or, before
//! marshmallow 3.13, `missing=`) has the project's own default. `load`
//! returns those fields as values known only at run time whose default is
//! recorded, so a URL prefix read from them follows the default with the
//! assumption stated, as for any other configuration default.

use std::rc::Rc;

use ruff_python_ast as ast;

use crate::value::{ClassValue, ConfigDefault, MroEntry, Unknown, Value};

/// Whether a project class derives from marshmallow's `Schema`.
pub fn is_marshmallow_schema(class: &ClassValue<'_>) -> bool {
    class.external_bases().iter().any(|base| base.starts_with("marshmallow") && base.ends_with("Schema"))
}

/// `Schema().load(data)` / `.loads(text)`: the fields with a default.
pub fn load<'p>(class: &Rc<ClassValue<'p>>) -> Value<'p> {
    let mut fields: Vec<(Value<'p>, Value<'p>)> = Vec::new();
    for entry in class.mro() {
        let MroEntry::Class(klass) = entry else { continue };
        for statement in &klass.def.body {
            let ast::Stmt::Assign(assign) = statement else { continue };
            let [ast::Expr::Name(target)] = assign.targets.as_slice() else { continue };
            let name = target.id.as_str();
            if fields.iter().any(|(key, _)| key.as_str() == Some(name)) {
                continue;
            }
            let Some(default) = field_default(&assign.value) else { continue };
            let mut unknown = Unknown::new(format!("`{}` field {name} is read from data at run time", klass.qualname));
            if let Some(text) = default {
                let assumption = format!(
                    "{name} = {text:?}, the load_default of `{}`, unless the data it loads sets it",
                    klass.qualname
                );
                unknown.config_default = Some(Rc::new(ConfigDefault { value: text, assumption }));
            }
            fields.push((Value::str(name), Value::Unknown(Rc::new(unknown))));
        }
    }
    Value::Dict(Rc::new(std::cell::RefCell::new(fields)))
}

/// The default of a `fields.X(load_default=...)` declaration: `Some(Some(text))`
/// for a string, `Some(None)` for another default, `None` without one.
fn field_default(value: &ast::Expr) -> Option<Option<String>> {
    let ast::Expr::Call(call) = value else { return None };
    let keyword =
        call.arguments.keywords.iter().find(|keyword| {
            keyword.arg.as_ref().is_some_and(|arg| matches!(arg.as_str(), "load_default" | "missing"))
        })?;
    Some(match &keyword.value {
        ast::Expr::StringLiteral(text) => Some(text.value.to_str().to_string()),
        _ => None,
    })
}
