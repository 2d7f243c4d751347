//! Flask-Resources (the REST layer of Invenio): a project subclass of
//! `flask_resources.Resource` builds its blueprint in `as_blueprint()`.
//!
//! As the library does: `as_blueprint(**options)` calls
//! `create_blueprint(**options)` (the project's override if it has one,
//! else `Blueprint(config.blueprint_name, "flask_resources.resources",
//! url_prefix=config.url_prefix)`), then adds every rule that
//! `create_url_rules()` returns with `blueprint.add_url_rule(**rule)`. A
//! rule comes from `route(method, rule, view_meth, endpoint=None,
//! rule_options=None)`: the dict `{"rule": rule, "methods": [method],
//! "view_func": view, "endpoint": endpoint, **rule_options}`, with the view
//! named after the bound method (its endpoint when none is given).
//! `from_conf` rules and error handlers are not modelled.

use std::cell::RefCell;
use std::rc::Rc;

use ruff_python_ast as ast;

use crate::flask_api::{app_or_blueprint_method, canonical, make_blueprint};
use crate::interp::{Frame, Interpreter, LooseRegistration};
use crate::value::{CallArgs, Site, Value};

/// Is `receiver` an instance of a `flask_resources.Resource` subclass?
pub fn is_resource(receiver: &Value<'_>) -> bool {
    let Value::Instance(instance) = receiver else { return false };
    let bases = instance.borrow().class.external_bases();
    bases
        .iter()
        .any(|base| matches!(canonical(base), "flask_resources.Resource" | "flask_resources.resources.Resource"))
}

fn derives_from_resource_config(config: &Value<'_>) -> bool {
    let Value::Instance(instance) = config else { return false };
    let bases = instance.borrow().class.external_bases();
    bases.iter().any(|base| {
        matches!(canonical(base), "flask_resources.ResourceConfig" | "flask_resources.config.ResourceConfig")
    })
}

/// `route(method, rule, view_meth, endpoint=None, rule_options=None)`.
pub fn route<'p>(call: &CallArgs<'p>) -> Value<'p> {
    let argument = |index, name| call.arg(index, name).cloned();
    let method = argument(0, "method").unwrap_or_else(|| Value::unknown("route method not given"));
    let mut items = vec![
        (Value::str("rule"), argument(1, "rule").unwrap_or_else(|| Value::unknown("route rule not given"))),
        (Value::str("methods"), Value::list(vec![method])),
        (Value::str("view_func"), argument(2, "view_meth").unwrap_or_else(|| Value::unknown("route view not given"))),
        (Value::str("endpoint"), argument(3, "endpoint").unwrap_or(Value::None)),
    ];
    if let Some(Value::Dict(options)) = call.arg(4, "rule_options") {
        items.extend(options.borrow().iter().cloned());
    }
    Value::Dict(Rc::new(RefCell::new(items)))
}

/// A method of `flask_resources.Resource` itself, reached through
/// `super()` or not overridden: `__init__`, `create_blueprint`,
/// `as_blueprint`. `None` for the library's other methods.
pub fn library_method<'p>(
    interp: &mut Interpreter<'p>,
    frame: &mut Frame<'p>,
    resource: &Value<'p>,
    name: &str,
    call: CallArgs<'p>,
    site: Site,
    node: &'p ast::ExprCall,
) -> Option<Value<'p>> {
    match name {
        "__init__" => {
            init(resource, &call);
            Some(Value::None)
        }
        "create_blueprint" => Some(create_blueprint(interp, resource, call, site)),
        "as_blueprint" => Some(as_blueprint(interp, frame, resource, call, site, node)),
        _ => None,
    }
}

/// `Resource.__init__(self, config)`: the resource keeps its config.
pub fn init<'p>(resource: &Value<'p>, call: &CallArgs<'p>) {
    if let (Value::Instance(instance), Some(config)) = (resource, call.arg(0, "config")) {
        instance.borrow_mut().attrs.insert("config".into(), config.clone());
    }
}

/// `Resource.create_blueprint(**options)`.
fn create_blueprint<'p>(
    interp: &mut Interpreter<'p>,
    resource: &Value<'p>,
    call: CallArgs<'p>,
    site: Site,
) -> Value<'p> {
    let config = interp.attribute(resource, "config");
    let name = interp.attribute(&config, "blueprint_name");
    let mut keywords = call.keywords;
    if !keywords.iter().any(|(key, _)| key == "url_prefix") {
        let url_prefix = match interp.attribute(&config, "url_prefix") {
            // `ResourceConfig.url_prefix = None`, not overridden.
            Value::Unknown(_) if derives_from_resource_config(&config) => Value::None,
            known => known,
        };
        keywords.push(("url_prefix".into(), url_prefix));
    }
    let blueprint_call = CallArgs { positional: vec![name, Value::str("flask_resources.resources")], keywords };
    Value::Object(make_blueprint(interp, &blueprint_call, site, "flask.Blueprint".into()))
}

/// `Resource.as_blueprint(**options)`: the blueprint, with its rules added.
fn as_blueprint<'p>(
    interp: &mut Interpreter<'p>,
    frame: &mut Frame<'p>,
    resource: &Value<'p>,
    call: CallArgs<'p>,
    site: Site,
    node: &'p ast::ExprCall,
) -> Value<'p> {
    let blueprint = match interp.attribute(resource, "create_blueprint") {
        own @ Value::Function(_) => interp.call_value(frame, &own, call, site, node),
        _ => create_blueprint(interp, resource, call, site),
    };
    let Value::Object(blueprint_id) = blueprint else { return blueprint };
    let create_url_rules = interp.attribute(resource, "create_url_rules");
    let rules = match &create_url_rules {
        Value::Function(_) => interp.call_value(frame, &create_url_rules, CallArgs::default(), site, node),
        _ => Value::unknown("the resource defines no `create_url_rules()`"),
    };
    let Some(rules) = rules.iter_items() else {
        let reason = match &rules {
            Value::Unknown(unknown) => format!("rules of `{}` unknown: {}", resource.kind(), unknown.reason),
            other => format!("`create_url_rules()` returned {}", other.kind()),
        };
        interp.loose.push(LooseRegistration { rule: None, reason, site, view: None });
        return blueprint;
    };
    for rule in rules {
        let Value::Dict(items) = rule else {
            let reason = format!("a rule of `create_url_rules()` is {}, not a `route()` dict", rule.kind());
            interp.loose.push(LooseRegistration { rule: None, reason, site, view: None });
            continue;
        };
        let keywords = items
            .borrow()
            .iter()
            .filter_map(|(key, value)| Some((key.as_str()?.to_string(), value.clone())))
            .filter(|(key, value)| key != "endpoint" || !matches!(value, Value::None))
            .collect();
        app_or_blueprint_method(
            interp,
            frame,
            blueprint_id,
            "add_url_rule",
            CallArgs { positional: vec![], keywords },
            site,
        );
    }
    blueprint
}
