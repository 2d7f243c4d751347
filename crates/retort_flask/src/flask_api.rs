//! What Flask (and the common extensions) do when their objects are
//! created and called: the semantics the interpreter applies to
//! `Flask(...)`, `Blueprint(...)`, `app.route`, `add_url_rule`,
//! `register_blueprint`, Flask-RESTful/RESTX `Api`s and `Namespace`s,
//! flask-smorest, Flask-Admin and Flask-AppBuilder views, and well-known
//! extensions' constructors and `init_app`.

use std::collections::BTreeMap;
use std::rc::Rc;

use ruff_python_ast::{self as ast};
use ruff_text_size::Ranged;

use crate::extensions::known_extension;
use crate::interp::{value_reason, Frame, Interpreter, LooseRegistration};
use crate::objects::*;
use crate::value::{
    CallArgs, ClassValue, ConfigDefault, DecoratorInfo, ExposeRule, InstanceValue, PendingDecorator, Site, Unknown,
    Value, ViewFromClass,
};

/// HTTP method handler names of `MethodView`, in Flask's order.
const HTTP_METHOD_FUNCS: &[&str] = &["get", "post", "head", "options", "delete", "put", "trace", "patch"];

/// Maps the many import paths of a library class to one name.
pub fn canonical(name: &str) -> &str {
    match name {
        "flask.Flask" | "flask.app.Flask" | "flask.sansio.app.App" => "flask.Flask",
        // flask-openapi3's app and blueprint are Flask's, with `.get()`,
        // `.post()`, ... and `register_api` (see `app_or_blueprint_method`).
        "flask_openapi3.OpenAPI" | "flask_openapi3.openapi.OpenAPI" => "flask.Flask",
        "flask.Blueprint" | "flask.blueprints.Blueprint" | "flask.sansio.blueprints.Blueprint" => "flask.Blueprint",
        "flask_openapi3.APIBlueprint" | "flask_openapi3.blueprint.APIBlueprint" => "flask.Blueprint",
        "flask.views.MethodView" | "flask.MethodView" => "flask.views.MethodView",
        "flask.views.View" => "flask.views.View",
        "flask_restful.Api" | "flask_restful.api.Api" => "flask_restful.Api",
        "flask_restful.Resource" => "flask_restful.Resource",
        "flask_restx.Api" | "flask_restplus.Api" | "flask_restx.api.Api" => "flask_restx.Api",
        "flask_restx.Namespace" | "flask_restplus.Namespace" | "flask_restx.namespace.Namespace" => {
            "flask_restx.Namespace"
        }
        "flask_restx.Resource" | "flask_restplus.Resource" | "flask_restx.resource.Resource" => "flask_restx.Resource",
        "flask_smorest.Blueprint" => "flask_smorest.Blueprint",
        "flask_smorest.Api" => "flask_smorest.Api",
        "flask_admin.Admin" | "flask_admin.base.Admin" => "flask_admin.Admin",
        "flask_admin.BaseView" | "flask_admin.base.BaseView" => "flask_admin.BaseView",
        "flask_admin.AdminIndexView" | "flask_admin.base.AdminIndexView" => "flask_admin.AdminIndexView",
        "flask_admin.expose" | "flask_admin.base.expose" => "flask_admin.expose",
        "flask_appbuilder.AppBuilder" | "flask_appbuilder.base.AppBuilder" => "flask_appbuilder.AppBuilder",
        "flask_appbuilder.BaseView" | "flask_appbuilder.baseviews.BaseView" => "flask_appbuilder.BaseView",
        "flask_appbuilder.expose"
        | "flask_appbuilder.baseviews.expose"
        | "flask_appbuilder.api.expose"
        | "flask_appbuilder.api.BaseApi.expose" => "flask_appbuilder.expose",
        "werkzeug.utils.find_modules" | "werkzeug.find_modules" => "werkzeug.utils.find_modules",
        "werkzeug.utils.import_string" | "werkzeug.import_string" => "werkzeug.utils.import_string",
        "importlib.import_module" => "importlib.import_module",
        other => other,
    }
}

pub fn class_kind(class: &ClassValue<'_>) -> Option<&'static str> {
    for base in class.external_bases() {
        let kind = match canonical(&base) {
            "flask.Flask" => "flask.Flask",
            "flask.Blueprint" => "flask.Blueprint",
            "flask_smorest.Blueprint" => "flask_smorest.Blueprint",
            "flask_restful.Api" => "flask_restful.Api",
            "flask_restx.Api" => "flask_restx.Api",
            "flask_restx.Namespace" => "flask_restx.Namespace",
            "flask_admin.Admin" => "flask_admin.Admin",
            "flask_appbuilder.AppBuilder" => "flask_appbuilder.AppBuilder",
            _ => continue,
        };
        return Some(kind);
    }
    None
}

fn derives_from(class: &ClassValue<'_>, names: &[&str]) -> bool {
    class
        .external_bases()
        .iter()
        .any(|b| names.contains(&canonical(b)) || names.iter().any(|n| n.ends_with('.') && b.starts_with(n)))
}

fn opt_string(value: Option<&Value<'_>>, what: &str) -> Option<Result<String, Unknown>> {
    match value {
        None | Some(Value::None) => None,
        Some(v) => Some(v.to_string_result(what)),
    }
}

fn known_string(value: Option<&Value<'_>>) -> Option<String> {
    value.and_then(Value::as_str).map(str::to_string)
}

pub(crate) fn string_list(value: &Value<'_>) -> Result<Vec<String>, Unknown> {
    match value.iter_items() {
        Some(items) if !matches!(value, Value::Str(_)) => {
            items.iter().map(|item| item.to_string_result("method").map(|m| m.to_ascii_uppercase())).collect()
        }
        _ => Err(Unknown::new(format!("methods are {}", value_reason(value)))),
    }
}

// ----- object naming ---------------------------------------------------------

/// Remembers the first variable an app, blueprint or extension is bound to.
pub fn name_object(interp: &mut Interpreter<'_>, id: ObjId, name: &str, frame: &Frame<'_>) {
    let factory = frame.qualname.strip_suffix(".<locals>").map(str::to_string);
    match interp.objects.get_mut(id) {
        Object::App(app) if app.variable.is_none() => {
            app.variable = Some(name.to_string());
            if app.factory.is_none() {
                app.factory = factory;
            }
        }
        Object::Blueprint(bp) if bp.variable.is_none() => bp.variable = Some(name.to_string()),
        Object::Extension(ext) if ext.variable.is_none() => ext.variable = Some(name.to_string()),
        _ => {}
    }
}

// ----- config ----------------------------------------------------------------

/// `app.config[key] = value`.
pub fn config_set<'p>(
    interp: &mut Interpreter<'p>,
    id: ObjId,
    key: &Value<'p>,
    value: &Value<'p>,
    frame: &Frame<'_>,
    range: ruff_text_size::TextRange,
) {
    if let Object::Config(app) = interp.objects.get(id) {
        let app = *app;
        let site = interp.site(frame.module, range);
        if let Some(key) = key.as_str() {
            if let Some(app_object) = interp.objects.app_mut(app) {
                app_object.config_sources.push((format!("set {key}"), site));
            }
            record_config(interp, app, key, value, &format!("config[{key:?}] = ..."));
        }
    }
}

/// Records what the project sets a config key to: strings for the places
/// that read prefixes, other values (classes, flags, numbers, values only
/// known at run time) for the config reads that choose classes and branches.
fn record_config<'p>(interp: &mut Interpreter<'p>, app: ObjId, key: &str, value: &Value<'p>, source: &str) {
    if let Some(app_object) = interp.objects.app_mut(app) {
        set_config_value(app_object, key, value, source);
    }
    let entry = ConfigSetting { value: value.clone(), source: source.to_string(), replaceable_by: None };
    interp.config_settings.insert((app, key.to_string()), entry);
}

/// Records (or forgets) the string value of a config key.
fn set_config_value(app: &mut AppObject, key: &str, value: &Value<'_>, source: &str) {
    app.config_values.retain(|entry| entry.key != key);
    if let Some(text) = value.as_str() {
        let entry = ConfigValue { key: key.into(), value: text.into(), source: source.into(), replaceable_by: None };
        app.config_values.push(entry);
    }
}

/// `config.from_object(obj)` and friends: string values the project sets
/// are recorded; configuration only known at run time marks every value
/// recorded so far as replaceable.
fn load_config<'p>(
    interp: &mut Interpreter<'p>,
    importer: retort_python::ModuleId,
    app: ObjId,
    method: &str,
    call: &CallArgs<'p>,
) {
    let first = call.positional.first();
    // `from_object(os.environ.get("APP_CONFIG", "app.config"))`: the default
    // module, whose values the variable may replace.
    let assumed = match (method, first) {
        ("from_object", Some(Value::Unknown(unknown))) => unknown.config_default.as_ref().map(|d| {
            // "environment variable X is not set: its default ..." → "environment variable X"
            let input = d.assumption.split(" is not ").next().unwrap_or(&d.assumption);
            format!("the module named by {input}")
        }),
        _ => None,
    };
    let object = match (method, first) {
        ("from_object", Some(Value::Str(_))) => import_by_string(interp, importer, first, false),
        ("from_object", Some(_)) if assumed.is_some() => import_by_string(interp, importer, first, false),
        (_, Some(value)) => value.clone(),
        (_, None) => Value::None,
    };
    let (values, source): (Vec<(String, Value<'p>)>, String) = match (method, &object) {
        ("from_object", Value::Class(class)) => {
            let mut names: Vec<String> = Vec::new();
            for entry in class.mro() {
                if let crate::value::MroEntry::Class(c) = entry {
                    names.extend(c.attrs.borrow().keys().cloned());
                }
            }
            names.retain(|n| n.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'));
            names.sort();
            names.dedup();
            let values = names.into_iter().filter_map(|n| class.lookup(&n).map(|v| (n, v))).collect();
            (values, class.qualname.clone())
        }
        ("from_object", Value::Module(id)) => {
            let id = *id;
            interp.run_module(id);
            let values =
                interp.globals_of(id).into_iter().filter(|(n, _)| n.chars().all(|c| !c.is_lowercase())).collect();
            (values, interp.project.module(id).name.clone())
        }
        ("from_mapping" | "update", Value::Dict(items)) => {
            let values =
                items.borrow().iter().filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.clone()))).collect();
            (values, format!("config.{method}()"))
        }
        ("from_mapping" | "update" | "setdefault", _) if first.is_none_or(|v| matches!(v, Value::Str(_))) => {
            let mut values: Vec<(String, Value<'p>)> =
                call.keywords.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            if let (Some(Value::Str(key)), "setdefault") = (first, method) {
                values.push((key.to_string(), call.positional.get(1).cloned().unwrap_or(Value::None)));
            }
            (values, format!("config.{method}()"))
        }
        _ => {
            // Read at run time: what it holds is unknown.
            let describe = match first {
                Some(Value::Str(text)) => format!("{method}({text:?})"),
                _ => format!("{method}()"),
            };
            if let Some(app) = interp.objects.app_mut(app) {
                for entry in &mut app.config_values {
                    entry.replaceable_by.get_or_insert_with(|| describe.clone());
                }
            }
            for ((owner, _), entry) in interp.config_settings.iter_mut() {
                if *owner == app {
                    entry.replaceable_by.get_or_insert_with(|| describe.clone());
                }
            }
            interp.runtime_config_loaders.entry(app).or_insert(describe);
            // A mapping or object the project computes (`from_mapping(
            // settings.model_dump())`) is always loaded, unlike an optional
            // file or variable.
            if matches!(method, "from_mapping" | "update" | "from_object") && first.is_some() {
                interp.computed_config.insert(app);
            }
            return;
        }
    };
    for (key, value) in values {
        if method == "setdefault" && interp.config_settings.contains_key(&(app, key.clone())) {
            continue;
        }
        record_config(interp, app, &key, &value, &source);
        if let Some(assumption) = &assumed {
            if let Some(entry) = interp.config_settings.get_mut(&(app, key.clone())) {
                entry.replaceable_by = Some(assumption.clone());
            }
            if let Some(entry) =
                interp.objects.app_mut(app).and_then(|a| a.config_values.iter_mut().find(|e| e.key == key))
            {
                entry.replaceable_by = Some(assumption.clone());
            }
        }
    }
}

/// What the project sets one config key to, as the interpreter saw it.
#[derive(Debug, Clone)]
pub struct ConfigSetting<'p> {
    pub value: Value<'p>,
    /// `DefaultConfig`, `config["KEY"] = ...`, `config.update()`.
    pub source: String,
    /// Configuration read at run time after it may replace it.
    pub replaceable_by: Option<String>,
}

/// Keys Flask itself (and the common extensions, in `init_app`) give a
/// default: a key the project never sets is not unset for these.
fn has_library_default(key: &str) -> bool {
    const FLASK_KEYS: &[&str] = &[
        "DEBUG",
        "TESTING",
        "PROPAGATE_EXCEPTIONS",
        "SECRET_KEY",
        "SECRET_KEY_FALLBACKS",
        "PERMANENT_SESSION_LIFETIME",
        "USE_X_SENDFILE",
        "TRUSTED_HOSTS",
        "SERVER_NAME",
        "APPLICATION_ROOT",
        "MAX_CONTENT_LENGTH",
        "MAX_FORM_MEMORY_SIZE",
        "MAX_FORM_PARTS",
        "SEND_FILE_MAX_AGE_DEFAULT",
        "TRAP_BAD_REQUEST_ERRORS",
        "TRAP_HTTP_EXCEPTIONS",
        "EXPLAIN_TEMPLATE_LOADING",
        "PREFERRED_URL_SCHEME",
        "TEMPLATES_AUTO_RELOAD",
        "MAX_COOKIE_SIZE",
        "PROVIDE_AUTOMATIC_OPTIONS",
        "ENV",
    ];
    const EXTENSION_PREFIXES: &[&str] = &[
        "SESSION_",
        "SQLALCHEMY_",
        "JWT_",
        "MAIL_",
        "CACHE_",
        "BABEL_",
        "WTF_",
        "RATELIMIT_",
        "CELERY_",
        "SECURITY_",
        "FAB_",
        "AUTH_",
        "LOGIN_",
        "CORS_",
        "RESTX_",
        "RESTFUL_",
        "SWAGGER_",
        "OPENAPI_",
        "API_",
        "BCRYPT_",
        "DEBUG_TB_",
        "COMPRESS_",
        "MONGO_",
        "REDIS_",
        "SOCKETIO_",
    ];
    FLASK_KEYS.contains(&key) || EXTENSION_PREFIXES.iter().any(|prefix| key.starts_with(prefix))
}

/// `app.config[key]` / `app.config.get(key)`: unknown, but carrying the
/// value the project sets, when it sets one, for the places that may use it
/// as an assumption (a blueprint's `url_prefix`).
///
/// Other values the project sets (a class, a flag), and the default of
/// `config.get(key, default)` for a key the project never sets, are
/// returned as they are; the read is noted (`Interpreter::config_reads`) so
/// that a branch or a call decided by it records the assumption.
pub fn config_get<'p>(
    interp: &mut Interpreter<'p>,
    id: ObjId,
    key: &Value<'p>,
    default: Option<&Value<'p>>,
) -> Value<'p> {
    let name = key.as_str().unwrap_or("?");
    let mut unknown = Unknown::new(format!("config value {name} is only known at run time"));
    let Object::Config(app_id) = interp.objects.get(id) else { return Value::Unknown(Rc::new(unknown)) };
    let app_id = *app_id;
    let app = interp.objects.app_mut(app_id);
    let entry = app.and_then(|app| app.config_values.iter().find(|e| e.key == name));
    match entry {
        Some(ConfigValue { value, replaceable_by: None, .. }) => return Value::str(value),
        Some(ConfigValue { value, source, replaceable_by: Some(loader), .. }) => {
            let assumption = format!("config {name} = {value:?} as {source} sets it, unless {loader} replaces it");
            unknown.config_default = Some(Rc::new(ConfigDefault { value: value.clone(), assumption }));
            return Value::Unknown(Rc::new(unknown));
        }
        None => {}
    }
    let loader = interp.runtime_config_loaders.get(&app_id).cloned();
    match interp.config_settings.get(&(app_id, name.to_string())).cloned() {
        Some(ConfigSetting { value: Value::Unknown(u), .. }) => Value::Unknown(u),
        Some(ConfigSetting { value, source, replaceable_by }) => {
            let shown = crate::strings::repr(&value).unwrap_or_else(|| describe_value(interp, &value));
            let unless = replaceable_by.map(|loader| format!(", unless {loader} replaces it")).unwrap_or_default();
            let certain = unless.is_empty();
            interp.note_config_read(format!("config {name} = {shown} as {source} sets it{unless}"), certain);
            value
        }
        None if key.as_str().is_none() || has_library_default(name) => Value::Unknown(Rc::new(unknown)),
        // `config[key]` of a key never set raises KeyError.
        None if default.is_none() => Value::Unknown(Rc::new(unknown)),
        // `config.get("X")` of a key the project never sets, while it loads
        // a mapping computed at run time (`from_mapping(settings)`): no
        // default decides it, so tests on it stay open. After an optional
        // file or variable (`from_envvar(..., silent=True)`) the read's
        // default holds, with the assumption noted.
        None if interp.computed_config.contains(&app_id) && default.is_none_or(|d| matches!(d, Value::None)) => {
            Value::Unknown(Rc::new(unknown))
        }
        None => {
            let value = default.cloned().unwrap_or(Value::None);
            let shown = crate::strings::repr(&value).unwrap_or_else(|| describe_value(interp, &value));
            let unless = loader.as_ref().map(|l| format!(", unless {l} sets it")).unwrap_or_default();
            let assumption = format!("config {name} is not set by the project: default {shown} at the read{unless}");
            if let (Value::Str(text), Some(_)) = (&value, &loader) {
                // Strings keep the `url_prefix` path: unknown, with the assumption.
                unknown.config_default = Some(Rc::new(ConfigDefault { value: text.to_string(), assumption }));
                return Value::Unknown(Rc::new(unknown));
            }
            interp.note_config_read(assumption, loader.is_none());
            value
        }
    }
}

/// A class or function by name, for assumptions.
fn describe_value(interp: &Interpreter<'_>, value: &Value<'_>) -> String {
    match value {
        Value::Class(class) => class.qualname.clone(),
        Value::Function(function) => function.qualname.clone(),
        Value::Module(id) => interp.project.module(*id).name.clone(),
        Value::External(name) => name.to_string(),
        other => other.kind().to_string(),
    }
}

// ----- attributes ------------------------------------------------------------

pub fn object_attribute<'p>(interp: &mut Interpreter<'p>, id: ObjId, name: &str) -> Value<'p> {
    match (interp.objects.get(id), name) {
        (Object::App(_), "config") => {
            let config = interp.objects.items.iter().position(|(o, _)| matches!(o, Object::Config(a) if *a == id));
            Value::Object(config.unwrap_or_else(|| {
                let site = interp.objects.site(id);
                interp.objects.push(Object::Config(id), site)
            }))
        }
        (Object::App(app), "name" | "import_name") => {
            app.import_name.clone().map(Value::str).unwrap_or_else(|| Value::unknown("app name"))
        }
        (Object::Blueprint(bp), "import_name") => {
            bp.import_name.clone().map(Value::str).unwrap_or_else(|| Value::unknown("import name"))
        }
        // Flask's `get_root_path(import_name)`: the folder of that module.
        (Object::App(_) | Object::Blueprint(_), "root_path") => {
            let import_name = match interp.objects.get(id) {
                Object::App(app) => app.import_name.clone(),
                Object::Blueprint(bp) => bp.import_name.clone(),
                _ => None,
            };
            let importer = interp.objects.site(id).module;
            let module = import_name.as_deref().and_then(|name| interp.project.resolve_absolute(name, importer));
            match module {
                Some(module) => Value::str(crate::paths::dirname(&crate::paths::module_file(interp.project, module))),
                None => Value::unknown("`root_path` of a module outside the scanned code"),
            }
        }
        (Object::Blueprint(bp), "name") => match &bp.name {
            Ok(n) => Value::str(n),
            Err(u) => Value::Unknown(Rc::new(u.clone())),
        },
        (Object::Blueprint(bp), "url_prefix") => match &bp.url_prefix {
            Some(Ok(p)) => Value::str(p),
            None => Value::None,
            Some(Err(u)) => Value::Unknown(Rc::new(u.clone())),
        },
        // `app.extensions`: a dict the project's own extensions store
        // themselves in (`app.extensions["search"] = self`) and read back.
        (Object::App(_), "extensions") => {
            let extensions = Value::Dict(Rc::new(std::cell::RefCell::new(Vec::new())));
            interp.object_attrs.entry(id).or_default().insert("extensions".into(), extensions.clone());
            extensions
        }
        (
            Object::App(_) | Object::Blueprint(_),
            "url_map" | "view_functions" | "blueprints" | "extensions" | "logger" | "jinja_env",
        ) => Value::unknown(format!("`{name}` of an app is only known at run time")),
        // Flask-RESTful's and Flask-RESTX's `Api(bp).blueprint`: the
        // blueprint it was given (`None` for an app).
        (Object::Api(api), "blueprint") if !api.attached.is_empty() => {
            match api.attached.iter().find(|&&target| matches!(interp.objects.get(target), Object::Blueprint(_))) {
                Some(bp) => Value::Object(*bp),
                None => Value::None,
            }
        }
        // `ext = Extension(app)` keeps the app as `ext.app`, as Flask
        // extensions built with the app do (Authlib's `OAuth(app).app`).
        (Object::Extension(ext), "app") => {
            let apps: Vec<ObjId> = ext.wiring.iter().filter_map(|(_, app, _)| *app).collect();
            match apps.as_slice() {
                [app] => Value::Object(*app),
                _ => Value::unknown("`.app` of an extension not built with one app"),
            }
        }
        _ => Value::Method(Rc::new(Value::Object(id)), Rc::from(name)),
    }
}

// ----- views -----------------------------------------------------------------

fn doc_first_line(body: &[ast::Stmt]) -> Option<String> {
    if let Some(ast::Stmt::Expr(e)) = body.first() {
        if let ast::Expr::StringLiteral(s) = &*e.value {
            return s.value.to_str().lines().map(str::trim).find(|l| !l.is_empty()).map(str::to_string);
        }
    }
    None
}

/// Methods a class-based view declares: `methods = [...]`, or the
/// handler methods of a `MethodView` (own and inherited).
pub fn class_view_methods(class: &ClassValue<'_>) -> Option<Vec<String>> {
    if let Some(value) = class.attrs.borrow().get("methods") {
        if let Ok(methods) = string_list(value) {
            return Some(methods);
        }
    }
    let is_method_view =
        derives_from(class, &["flask.views.MethodView", "flask_restful.Resource", "flask_restx.Resource"]);
    let mut methods: Vec<String> = Vec::new();
    for base in &class.bases {
        if let Value::Class(base) = base {
            if let Some(inherited) = class_view_methods(base) {
                methods.extend(inherited);
            }
        }
    }
    if is_method_view {
        for handler in HTTP_METHOD_FUNCS {
            if class.defines(handler) {
                methods.push(handler.to_ascii_uppercase());
            }
        }
    }
    methods.sort();
    methods.dedup();
    if methods.is_empty() {
        None
    } else {
        Some(methods)
    }
}

/// The decorators a class view lists in `decorators = [...]` or
/// `method_decorators = [...]` (its own or a base's), named as written in
/// the source, so that `token_required("admin")` reads `token_required`.
fn class_decorators(interp: &Interpreter<'_>, class: &ClassValue<'_>, attr: &str) -> Vec<DecoratorInfo> {
    let module = interp.project.module(class.module);
    for stmt in class.def.body.iter() {
        let (targets, value): (Vec<&ast::Expr>, &ast::Expr) = match stmt {
            ast::Stmt::Assign(assign) => (assign.targets.iter().collect(), &assign.value),
            ast::Stmt::AnnAssign(assign) => match &assign.value {
                Some(value) => (vec![&*assign.target], value),
                None => continue,
            },
            _ => continue,
        };
        if !targets.iter().any(|t| matches!(t, ast::Expr::Name(n) if n.id.as_str() == attr)) {
            continue;
        }
        let elements: &[ast::Expr] = match value {
            ast::Expr::List(list) => &list.elts,
            ast::Expr::Tuple(tuple) => &tuple.elts,
            _ => return Vec::new(),
        };
        let line = module.line_of(stmt.range().start());
        return elements
            .iter()
            .map(|element| DecoratorInfo {
                name: crate::interp::decorator_name(interp, class.module, element),
                module: class.module,
                line,
            })
            .collect();
    }
    class
        .bases
        .iter()
        .find_map(|base| match base {
            Value::Class(base) => Some(class_decorators(interp, base, attr)).filter(|found| !found.is_empty()),
            _ => None,
        })
        .unwrap_or_default()
}

pub fn class_view_info(interp: &Interpreter<'_>, class: &ClassValue<'_>, name: Result<String, Unknown>) -> ViewInfo {
    let module = interp.project.module(class.module);
    let mut decorators = class_decorators(interp, class, "decorators");
    decorators.extend(class_decorators(interp, class, "method_decorators"));
    decorators.extend(class.decorators.iter().cloned());
    ViewInfo {
        display: format!("{}:{}", module.name, class.qualname),
        name,
        methods: class_view_methods(class),
        decorators,
        doc: doc_first_line(&class.def.body),
        site: Some(Site { module: class.module, line: module.line_of(class.def.range().start()) }),
    }
}

/// What a value passed as `view_func` tells about the view.
pub fn view_info(interp: &Interpreter<'_>, value: &Value<'_>, below: &[DecoratorInfo]) -> Option<ViewInfo> {
    match value {
        Value::Function(f) => {
            let module = interp.project.module(f.module);
            let mut decorators = below.to_vec();
            if decorators.is_empty() {
                decorators = f.decorators.borrow().clone();
            }
            Some(ViewInfo {
                display: format!("{}:{}", module.name, f.qualname),
                name: Ok(f.def.name.to_string()),
                methods: None,
                decorators,
                doc: doc_first_line(&f.def.body),
                site: Some(Site { module: f.module, line: module.line_of(f.def.range().start()) }),
            })
        }
        Value::ViewFromClass(view) => {
            let mut info = class_view_info(interp, &view.class, view.name.clone());
            info.decorators.splice(0..0, view.wrapped_by.iter().cloned());
            Some(info)
        }
        Value::Class(class) => Some(class_view_info(interp, class, Ok(class.name().to_string()))),
        // A callable instance (`LazyView(import_name="views.home")`, whose
        // constructor sets `self.__name__`): Flask names the endpoint
        // after its `__name__`.
        Value::Instance(instance) => {
            let instance = instance.borrow();
            let class = &instance.class;
            let module = interp.project.module(class.module);
            let name = match instance.attrs.get("__name__") {
                Some(value) => value.as_str().map(str::to_string).ok_or_else(|| match value {
                    Value::Unknown(unknown) => (**unknown).clone(),
                    _ => Unknown::new(format!("`__name__` of the `{}` instance is not a string", class.name())),
                }),
                None => Err(Unknown::new(format!("the `{}` instance used as a view has no `__name__`", class.name()))),
            };
            Some(ViewInfo {
                display: format!("{}:{}", module.name, class.qualname),
                name,
                methods: None,
                decorators: below.to_vec(),
                doc: None,
                site: Some(Site { module: class.module, line: module.line_of(class.def.range().start()) }),
            })
        }
        Value::External(name) => Some(ViewInfo {
            display: name.to_string(),
            name: Ok(name.rsplit('.').next().unwrap_or(name).to_string()),
            methods: None,
            decorators: below.to_vec(),
            doc: None,
            site: None,
        }),
        _ => None,
    }
}

/// `decorator(view)` with a decorator from a library or only known at run
/// time (`jwt_required()(view)`, `login_required(view)`): decorators of
/// views keep the view's name and behaviour (`functools.wraps`), so the
/// result is the same view, wrapped. `None` when `call` is not one view.
pub fn wrap_view<'p>(call: &CallArgs<'p>, decorator: DecoratorInfo) -> Option<Value<'p>> {
    let ([view], []) = (call.positional.as_slice(), call.keywords.as_slice()) else { return None };
    match view {
        Value::Function(f) => {
            let wrapped = f.bound_to_receiver(f.bound_self.clone());
            wrapped.decorators.borrow_mut().insert(0, decorator);
            Some(Value::Function(wrapped))
        }
        Value::ViewFromClass(v) => {
            let mut wrapped_by = vec![decorator];
            wrapped_by.extend(v.wrapped_by.iter().cloned());
            Some(Value::ViewFromClass(Rc::new(ViewFromClass {
                class: v.class.clone(),
                name: v.name.clone(),
                wrapped_by,
            })))
        }
        _ => None,
    }
}

// ----- creation --------------------------------------------------------------

/// Creates (or finds, when the same code runs again) an object keyed by
/// its creation site and a distinguishing name.
pub(crate) fn create_object(
    interp: &mut Interpreter<'_>,
    site: Site,
    key: String,
    make: impl FnOnce() -> Object,
) -> ObjId {
    if let Some(&id) = interp.by_site.get(&(site, key.clone())) {
        return id;
    }
    let id = interp.objects.push(make(), site);
    interp.by_site.insert((site, key), id);
    id
}

fn app_from_call(call: &CallArgs<'_>, class: String) -> AppObject {
    let static_folder = match call.keyword("static_folder") {
        None => Some("static".to_string()),
        Some(Value::None) => None,
        Some(v) => Some(v.as_str().unwrap_or("static").to_string()),
    };
    let unresolved_static = match call.keyword("static_folder").or(call.keyword("static_url_path")) {
        Some(Value::Unknown(u)) => Some((**u).clone()),
        _ => None,
    };
    AppObject {
        import_name: known_string(call.arg(0, "import_name")),
        class,
        static_url_path: known_string(call.keyword("static_url_path")),
        static_folder,
        static_host: known_string(call.keyword("static_host")),
        unresolved_static,
        ..Default::default()
    }
}

pub(crate) fn make_app(interp: &mut Interpreter<'_>, call: &CallArgs<'_>, site: Site, class: String) -> ObjId {
    let known = interp.objects.items.len();
    let id = create_object(interp, site, String::new(), || Object::App(app_from_call(call, class)));
    if id >= known {
        interp.note_app_built(id);
    }
    id
}

fn blueprint_from_call(call: &CallArgs<'_>, class: String) -> BlueprintObject {
    BlueprintObject {
        name: call
            .arg(0, "name")
            .map(|v| v.to_string_result("blueprint name"))
            .unwrap_or_else(|| Err(Unknown::new("blueprint without a name"))),
        import_name: known_string(call.arg(1, "import_name")),
        url_prefix: match opt_string(call.keyword("url_prefix"), "url_prefix") {
            // A run-time input with a project default (see `Interpreter::assumed_default`).
            Some(Err(Unknown { config_default: Some(default), .. })) => Some(Ok(default.value.clone())),
            other => other,
        },
        subdomain: known_string(call.keyword("subdomain")),
        static_folder: known_string(call.arg(2, "static_folder")),
        static_url_path: known_string(call.arg(3, "static_url_path")),
        class,
        ..Default::default()
    }
}

pub(crate) fn make_blueprint(interp: &mut Interpreter<'_>, call: &CallArgs<'_>, site: Site, class: String) -> ObjId {
    if let Some(Value::Unknown(unknown)) = call.keyword("url_prefix") {
        if let Some(default) = &unknown.config_default {
            interp.note_assumption_used(&default.assumption);
        }
    }
    let key = format!(
        "{:?}{:?}",
        call.arg(0, "name").and_then(Value::as_str),
        call.keyword("url_prefix").and_then(Value::as_str)
    );
    create_object(interp, site, key, || Object::Blueprint(blueprint_from_call(call, class)))
}

/// `super().__init__(...)` inside a subclass of `Flask` or `Blueprint`:
/// the arguments that reach the library constructor decide the object.
pub fn reinitialise(interp: &mut Interpreter<'_>, id: ObjId, call: &CallArgs<'_>) {
    match interp.objects.get_mut(id) {
        Object::App(app) => {
            let fresh = app_from_call(call, app.class.clone());
            let kept = std::mem::take(app);
            *app = AppObject {
                rules: kept.rules,
                blueprints: kept.blueprints,
                handlers: kept.handlers,
                config_sources: kept.config_sources,
                variable: kept.variable,
                factory: kept.factory,
                ..fresh
            };
        }
        Object::Blueprint(bp) => {
            let fresh = blueprint_from_call(call, bp.class.clone());
            let kept = std::mem::take(bp);
            *bp = BlueprintObject {
                rules: kept.rules,
                children: kept.children,
                handlers: kept.handlers,
                variable: kept.variable,
                ..fresh
            };
        }
        // `super().__init__(app, prefix=...)` in a project `Api` subclass.
        Object::Api(api) => {
            (api.prefix, api.doc) = api_settings(call);
            attach_constructor_app(interp, id, call);
        }
        _ => {}
    }
}

/// The `prefix` and `doc` arguments of an `Api(...)` constructor.
fn api_settings(call: &CallArgs<'_>) -> (Result<String, Unknown>, Option<String>) {
    let prefix = match call.keyword("prefix") {
        None | Some(Value::None) => Ok(String::new()),
        Some(v) => v.to_string_result("Api prefix"),
    };
    let doc = match call.keyword("doc") {
        None => Some("/".to_string()),
        Some(Value::Bool(false)) | Some(Value::None) => None,
        Some(v) => v.as_str().map(str::to_string),
    };
    (prefix, doc)
}

fn make_api(interp: &mut Interpreter<'_>, call: &CallArgs<'_>, site: Site, flavor: ApiFlavor) -> ObjId {
    let (prefix, doc) = api_settings(call);
    let id = create_object(interp, site, String::new(), || {
        Object::Api(ApiObject { flavor, prefix, doc, site: Some(site), ..Default::default() })
    });
    attach_constructor_app(interp, id, call);
    id
}

/// `Api(app)`: the constructor attaches the API to an app or blueprint.
fn attach_constructor_app(interp: &mut Interpreter<'_>, api: ObjId, call: &CallArgs<'_>) {
    if let Some(Value::Object(target)) = call.arg(0, "app") {
        attach_api(interp, api, *target);
    }
}

fn attach_api(interp: &mut Interpreter<'_>, api: ObjId, target: ObjId) {
    if let Object::Api(a) = interp.objects.get_mut(api) {
        if !a.attached.contains(&target) {
            a.attached.push(target);
        }
    }
}

fn make_namespace(interp: &mut Interpreter<'_>, call: &CallArgs<'_>, site: Site) -> ObjId {
    let name = call
        .arg(0, "name")
        .map(|v| v.to_string_result("namespace name"))
        .unwrap_or_else(|| Err(Unknown::new("namespace without a name")));
    let path = opt_string(call.keyword("path"), "namespace path");
    let key = format!("{:?}", name.as_ref().ok());
    let decorators = call
        .keyword("decorators")
        .and_then(Value::iter_items)
        .unwrap_or_default()
        .iter()
        .filter_map(|v| match v {
            Value::Function(f) => {
                Some(DecoratorInfo { name: f.def.name.to_string(), module: site.module, line: site.line })
            }
            Value::External(n) => Some(DecoratorInfo {
                name: n.rsplit('.').next().unwrap_or(n).to_string(),
                module: site.module,
                line: site.line,
            }),
            _ => None,
        })
        .collect();
    create_object(interp, site, key, || {
        Object::Namespace(NamespaceObject { name, path, resources: Vec::new(), decorators })
    })
}

fn make_admin<'p>(interp: &mut Interpreter<'p>, call: &CallArgs<'p>, site: Site, appbuilder: bool) -> ObjId {
    // Flask-Admin: `self.url = url or self.index_view.url`, and the same for
    // `endpoint`; `AdminIndexView` defaults to "/admin" and "admin".
    let index_view = if appbuilder { None } else { call.keyword("index_view").cloned() };
    let index_arg = |name: &str| match &index_view {
        Some(Value::Instance(instance)) => known_string(instance.borrow().attrs.get(&format!("__arg_{name}"))),
        _ => None,
    };
    let url = known_string(call.keyword("url")).or_else(|| index_arg("url")).unwrap_or_else(|| "/admin".to_string());
    let endpoint =
        known_string(call.keyword("endpoint")).or_else(|| index_arg("endpoint")).unwrap_or_else(|| "admin".to_string());
    let id = create_object(interp, site, String::new(), || {
        Object::Admin(AdminObject { appbuilder, url, endpoint, site: Some(site), ..Default::default() })
    });
    if let Some(view @ Value::Instance(_)) = &index_view {
        crate::extensions::admin_index_view(interp, id, view, site);
    }
    if appbuilder {
        for name in ["indexview", "security_manager_class"] {
            if let Some(value) = call.keyword(name) {
                interp.object_attrs.entry(id).or_default().insert(name.into(), value.clone());
            }
        }
    }
    if let Some(Value::Object(target)) = call.arg(0, "app") {
        register_admin_index(interp, id, *target, site);
        if appbuilder {
            crate::extensions::fab_add_index_view(interp, id, site);
            crate::extensions::fab_register_security_views(interp, id);
        }
    }
    id
}

pub fn register_admin_index(interp: &mut Interpreter<'_>, admin: ObjId, app: ObjId, _site: Site) {
    if let Object::Admin(a) = interp.objects.get_mut(admin) {
        if !a.attached.contains(&app) {
            a.attached.push(app);
        }
    }
}

/// Instantiates a project class: Flask-world subclasses become objects,
/// others become instances (their `__init__` is followed).
pub fn instantiate<'p>(
    interp: &mut Interpreter<'p>,
    frame: &mut Frame<'p>,
    class: &Rc<ClassValue<'p>>,
    call: CallArgs<'p>,
    site: Site,
) -> Value<'p> {
    let made = instantiate_library_subclass(interp, class, &call, site);
    if let Some(id) = made {
        interp.object_class.insert(id, class.clone());
        if let Some(Value::Function(init)) = class.lookup("__init__") {
            let bound = init.bound_to(Value::Object(id));
            interp.call_function(&bound, &call);
        }
        // Flask adds the static route only when `has_static_folder`; a
        // subclass may override that property (indico's returns False).
        if class.lookup("has_static_folder").is_some() {
            let verdict = interp.attribute(&Value::Object(id), "has_static_folder");
            if let (Value::Bool(false), Some(app)) = (verdict, interp.objects.app_mut(id)) {
                app.static_folder = None;
            }
        }
        return Value::Object(id);
    }
    if let Some(made) = call_project_new(interp, class, &call) {
        return made;
    }
    instantiate_plain(interp, frame, class, call)
}

/// A project `__new__` that returns something other than an instance of
/// its class (`App.__new__` building and returning a Flask app) makes that
/// the result of the constructor call, and Python then skips `__init__`.
/// `None` when the class has no project `__new__`, or when it returns an
/// instance (or nothing known), which `instantiate_plain` then builds.
fn call_project_new<'p>(
    interp: &mut Interpreter<'p>,
    class: &Rc<ClassValue<'p>>,
    call: &CallArgs<'p>,
) -> Option<Value<'p>> {
    let Some(Value::Function(new)) = class.lookup("__new__") else { return None };
    let made = interp.call_function(&new.bound_to(Value::Class(class.clone())), call);
    match made {
        Value::Object(_) => Some(made),
        _ => None,
    }
}

/// Objects for project subclasses of Flask's and the extensions' classes.
fn instantiate_library_subclass<'p>(
    interp: &mut Interpreter<'p>,
    class: &Rc<ClassValue<'p>>,
    call: &CallArgs<'p>,
    site: Site,
) -> Option<ObjId> {
    let call = &call;
    let Some(kind) = class_kind(class) else {
        return make_extension(interp, &extension_base(class)?, call, site);
    };
    // Built only for the apps and blueprints that keep it.
    let qualname = || format!("{}:{}", interp.project.module(class.module).name, class.qualname);
    Some(match kind {
        "flask.Flask" => {
            let qualname = qualname();
            make_app(interp, call, site, qualname)
        }
        "flask.Blueprint" | "flask_smorest.Blueprint" => {
            let qualname = qualname();
            make_blueprint(interp, call, site, qualname)
        }
        "flask_restful.Api" => make_api(interp, call, site, ApiFlavor::Restful),
        "flask_restx.Api" => make_api(interp, call, site, ApiFlavor::Restx),
        "flask_restx.Namespace" => make_namespace(interp, call, site),
        "flask_admin.Admin" => make_admin(interp, call, site, false),
        "flask_appbuilder.AppBuilder" => make_admin(interp, call, site, true),
        _ => return None,
    })
}

fn instantiate_plain<'p>(
    interp: &mut Interpreter<'p>,
    frame: &mut Frame<'p>,
    class: &Rc<ClassValue<'p>>,
    call: CallArgs<'p>,
) -> Value<'p> {
    let mut attrs = rustc_hash::FxHashMap::default();
    // Admin views keep their constructor arguments (name, endpoint, url, model).
    for (key, value) in &call.keywords {
        attrs.insert(format!("__arg_{key}"), value.clone());
    }
    for (index, value) in call.positional.iter().enumerate() {
        attrs.insert(format!("__arg_{index}"), value.clone());
    }
    if class.lookup("__init__").is_none() {
        bind_dataclass_fields(class, &call, &mut attrs);
    }
    let instance = Value::Instance(Rc::new(std::cell::RefCell::new(InstanceValue { class: class.clone(), attrs })));
    if class.lookup("__init__").is_none() && crate::flask_resources::is_resource(&instance) {
        crate::flask_resources::init(&instance, &call);
    }
    if let Some(Value::Function(init)) = class.lookup("__init__") {
        if !derives_from(
            class,
            &["flask_admin.BaseView", "flask_appbuilder.BaseView", "flask_admin.", "flask_appbuilder."],
        ) {
            let bound = init.bound_to(instance.clone());
            interp.call_function(&bound, &call);
        }
    }
    let _ = frame;
    instance
}

/// The fields of a dataclass (`@dataclass`, `@dataclasses.dataclass(...)`)
/// or `typing.NamedTuple` subclass, in the order its generated `__init__`
/// takes them: the bases' fields first, each class's annotated names in
/// the order written (`ClassVar`s are not fields).
fn dataclass_fields(class: &ClassValue<'_>) -> Vec<String> {
    let mut fields: Vec<String> = Vec::new();
    for base in class.bases.iter().rev() {
        if let Value::Class(base) = base {
            for name in dataclass_fields(base) {
                if !fields.contains(&name) {
                    fields.push(name);
                }
            }
        }
    }
    let generated = class.decorators.iter().any(|d| d.name.rsplit('.').next() == Some("dataclass"))
        || class.external_bases().iter().any(|b| &**b == "typing.NamedTuple");
    if !generated {
        return fields;
    }
    for stmt in &class.def.body {
        let ast::Stmt::AnnAssign(assign) = stmt else { continue };
        let ast::Expr::Name(name) = &*assign.target else { continue };
        let annotation = match &*assign.annotation {
            ast::Expr::Subscript(s) => &*s.value,
            other => other,
        };
        let is_class_var = match annotation {
            ast::Expr::Name(n) => n.id.as_str() == "ClassVar",
            ast::Expr::Attribute(a) => a.attr.as_str() == "ClassVar",
            _ => false,
        };
        if !is_class_var && !fields.iter().any(|f| f == name.id.as_str()) {
            fields.push(name.id.to_string());
        }
    }
    fields
}

/// The generated `__init__` of a dataclass: each argument stored in its
/// field (`Chart("yearly", "Commands per year", ...)` gives `.slug`);
/// fields not passed keep the class's default.
fn bind_dataclass_fields<'p>(
    class: &ClassValue<'p>,
    call: &CallArgs<'p>,
    attrs: &mut rustc_hash::FxHashMap<String, Value<'p>>,
) {
    let fields = dataclass_fields(class);
    for (field, value) in fields.iter().zip(&call.positional) {
        attrs.insert(field.clone(), value.clone());
    }
    for (key, value) in &call.keywords {
        if fields.contains(key) {
            attrs.insert(key.clone(), value.clone());
        }
    }
}

/// Calls of library names: constructors of Flask objects and extensions,
/// module discovery helpers, and a few builtins.
pub fn call_external<'p>(
    interp: &mut Interpreter<'p>,
    frame: &mut Frame<'p>,
    name: &str,
    call: CallArgs<'p>,
    site: Site,
    node: &'p ast::ExprCall,
) -> Value<'p> {
    let canonical_name = canonical(name);
    for argument in call.positional.iter().chain(call.keywords.iter().map(|(_, v)| v)) {
        interp.let_app_escape(argument);
    }
    match canonical_name {
        "flask.Flask" => return Value::Object(make_app(interp, &call, site, "flask.Flask".into())),
        "sys.path.insert" | "sys.path.append" => {
            if let Some(folder) = call.positional.last() {
                interp.add_to_sys_path(folder);
            }
            return Value::None;
        }
        "flask.Blueprint" | "flask_smorest.Blueprint" => {
            return Value::Object(make_blueprint(interp, &call, site, canonical_name.into()))
        }
        "flask_restful.Api" => return Value::Object(make_api(interp, &call, site, ApiFlavor::Restful)),
        "flask_restx.Api" => return Value::Object(make_api(interp, &call, site, ApiFlavor::Restx)),
        "flask_restx.Namespace" => return Value::Object(make_namespace(interp, &call, site)),
        "flask_admin.Admin" => return Value::Object(make_admin(interp, &call, site, false)),
        "flask_appbuilder.AppBuilder" => return Value::Object(make_admin(interp, &call, site, true)),
        "flask_admin.expose" | "flask_appbuilder.expose" => {
            let url = call.arg(0, "url").map(|v| v.to_string_result("expose url")).unwrap_or_else(|| Ok("/".into()));
            let methods = call.arg(1, "methods").and_then(|m| string_list(m).ok());
            return Value::Decorator(Rc::new(PendingDecorator::Expose(ExposeRule { url, methods, endpoint: None })));
        }
        // Flask-Classful's `@route(rule, **options)` on a `FlaskView` method.
        "flask_classful.route" => {
            let url = call.arg(0, "rule").map(|v| v.to_string_result("route rule")).unwrap_or_else(|| Ok("/".into()));
            let methods = call.keyword("methods").and_then(|m| string_list(m).ok());
            let endpoint = call.keyword("endpoint").and_then(Value::as_str).map(str::to_string);
            return Value::Decorator(Rc::new(PendingDecorator::Expose(ExposeRule { url, methods, endpoint })));
        }
        "werkzeug.utils.import_string" | "importlib.import_module" => {
            let module_only = canonical_name == "importlib.import_module";
            let target = match (call.positional.first(), call.arg(1, "package").and_then(Value::as_str)) {
                // `import_module(".views", package="pkg")`
                (Some(Value::Str(name)), Some(package)) if module_only && name.starts_with('.') => {
                    let level = name.len() - name.trim_start_matches('.').len();
                    let base: Vec<&str> = package.split('.').collect();
                    let kept = base.len().saturating_sub(level - 1);
                    let absolute = format!("{}.{}", base[..kept].join("."), name.trim_start_matches('.'));
                    Some(Value::str(absolute.trim_end_matches('.')))
                }
                (first, _) => first.cloned(),
            };
            return import_by_string(interp, frame.module, target.as_ref(), module_only);
        }
        "flask_resources.route" | "flask_resources.resources.route" => return crate::flask_resources::route(&call),
        "werkzeug.utils.find_modules" => return find_modules(interp, frame.module, &call),
        "importlib.metadata.entry_points" | "importlib_metadata.entry_points" | "pkg_resources.iter_entry_points" => {
            return entry_points(interp, canonical_name, &call)
        }
        class if crate::connexion::is_app_class(class) => {
            return Value::Object(crate::connexion::make_connexion_app(interp, class, &call, site))
        }
        class if crate::connexion::is_api_class(class) => {
            return Value::Object(crate::connexion::make_connexion_api(interp, frame, class, &call, site))
        }
        "builtins.open" | "io.open" | "codecs.open"
            if let Some(file) = crate::data_files::open(call.arg(0, "file")) =>
        {
            return file
        }
        loader
            if crate::data_files::is_loader(loader)
                && let Some(document) =
                    crate::data_files::load(interp.project, &mut interp.documents, loader, call.positional.first()) =>
        {
            return document
        }
        "importlib.__import__" => return dunder_import(interp, frame.module, &call),
        "importlib.reload" | "imp.reload" => {
            return call.positional.first().cloned().unwrap_or_else(|| Value::unknown("reload() of nothing"))
        }
        "importlib.util.spec_from_file_location" => return spec_from_file_location(interp, &call),
        "sys.modules.get" => return sys_module(interp, frame.module, call.positional.first()),
        discovery if let Some(value) = crate::discovery::call(interp, frame.module, discovery, &call) => return value,
        path if let Some(value) = crate::paths::call(interp.project, &interp.tree, path, &call) => return value,
        "itertools.chain" | "itertools.chain.from_iterable" => {
            let iterables = match (canonical_name, call.positional.first()) {
                ("itertools.chain", _) => Some(call.positional.clone()),
                (_, Some(outer)) => outer.iter_items(),
                (_, None) => None,
            };
            let items: Option<Vec<Vec<Value<'_>>>> =
                iterables.and_then(|iterables| iterables.iter().map(Value::iter_items).collect());
            return match items {
                Some(items) => Value::list(items.into_iter().flatten().collect()),
                None => Value::unknown(format!("`{canonical_name}()` of items known only at run time")),
            };
        }
        "os.environ.get" | "os.getenv" | "os.environ.setdefault" => return environment_default(interp, &call, site),
        "functools.wraps" if call.positional.len() == 1 => {
            return Value::Decorator(Rc::new(PendingDecorator::Wraps(call.positional[0].clone())));
        }
        // `cast(T, value)` only informs type checkers: it returns `value`.
        "typing.cast" | "typing_extensions.cast" if call.positional.len() == 2 => {
            return call.positional[1].clone();
        }
        "functools.partial" => {
            let mut bound = call;
            if bound.positional.is_empty() {
                return Value::unknown("functools.partial() without a function");
            }
            let callee = bound.positional.remove(0);
            return Value::Partial(Rc::new((callee, bound)));
        }
        _ => {}
    }
    // `Flask.__init__(self, ...)`, `Blueprint.register(self, app, options)`:
    // a library method called on the class with the object first.
    if let Some((class, method)) = name.rsplit_once('.') {
        if matches!(canonical(class), "flask.Flask" | "flask.Blueprint" | "flask_smorest.Blueprint") {
            if let Some(value) = call_unbound_library_method(interp, frame, method, &call, site, node) {
                return value;
            }
        }
    }
    if let Some(method) = name.strip_prefix("builtins.super().") {
        return call_super(interp, frame, method, call, site, node);
    }
    if let Some(value) = call_builtin(interp, frame, name, &call, site, node) {
        return value;
    }
    if let Some(id) = make_extension(interp, name, &call, site) {
        return Value::Object(id);
    }
    let decorator = DecoratorInfo { name: name.to_string(), module: site.module, line: site.line };
    if let Some(view) = wrap_view(&call, decorator) {
        return view;
    }
    note_unknown_call(interp, frame, node, &call, "library function", site);
    Value::Unknown(Rc::new(Unknown::from_library(format!("result of `{name}()`"))))
}

/// An instance of a known extension class (`flask_smorest.Api(app)`), or
/// of a project subclass of one: `None` when `class` is not one.
fn make_extension(interp: &mut Interpreter<'_>, class: &str, call: &CallArgs<'_>, site: Site) -> Option<ObjId> {
    let ext = known_extension(class)?;
    let id = interp.objects.push(
        Object::Extension(ExtensionObject {
            kind: ext.kind.to_string(),
            package: ext.package.to_string(),
            class: class.to_string(),
            variable: None,
            site,
            wiring: Vec::new(),
        }),
        site,
    );
    wire_constructor_app(interp, id, call, site);
    Some(id)
}

/// `Extension(app)`: the constructor wires the extension to the app.
fn wire_constructor_app(interp: &mut Interpreter<'_>, id: ObjId, call: &CallArgs<'_>, site: Site) {
    if let Some(Value::Object(app)) = call.positional.first().or(call.keyword("app")) {
        if matches!(interp.objects.get(*app), Object::App(_)) {
            if let Object::Extension(e) = interp.objects.get_mut(id) {
                e.wiring.push(("constructor".into(), Some(*app), site));
            }
        }
    }
}

/// The known extension class a project class derives from (`class
/// Api(flask_smorest.Api)`), by canonical name.
fn extension_base(class: &ClassValue<'_>) -> Option<String> {
    class.external_bases().iter().map(|base| canonical(base).to_string()).find(|base| known_extension(base).is_some())
}

/// `os.environ.get("X", default)`: see `Interpreter::assumed_default`.
fn environment_default<'p>(interp: &mut Interpreter<'p>, call: &CallArgs<'p>, site: Site) -> Value<'p> {
    let name = call.arg(0, "key").and_then(Value::as_str).map(str::to_string);
    match (name, call.arg(1, "default")) {
        (Some(name), Some(default)) => {
            interp.assumed_default(&format!("environment variable {name} is not set"), default.clone(), site)
        }
        (Some(name), None) => Value::unknown(format!("environment variable {name}, known only at run time")),
        _ => Value::unknown("an environment variable, known only at run time"),
    }
}

/// `Flask.__init__(self, ...)` or `Base.add_url_rule(self, ...)` (a project
/// subclass of Flask's classes that does not define it): the library's
/// method on the object passed first. `None` when that is not an app or
/// blueprint.
pub fn call_unbound_library_method<'p>(
    interp: &mut Interpreter<'p>,
    frame: &mut Frame<'p>,
    method: &str,
    call: &CallArgs<'p>,
    site: Site,
    node: &'p ast::ExprCall,
) -> Option<Value<'p>> {
    let Some(Value::Object(id)) = call.positional.first() else { return None };
    let id = *id;
    if !matches!(interp.objects.get(id), Object::App(_) | Object::Blueprint(_)) {
        return None;
    }
    let rest = CallArgs { positional: call.positional[1..].to_vec(), keywords: call.keywords.clone() };
    if method == "__init__" {
        reinitialise(interp, id, &rest);
        return Some(Value::None);
    }
    Some(call_object_method(interp, frame, id, method, rest, site, node))
}

/// `super().method(...)` inside a method: the next definition along the
/// bases of the class being executed, or the library's behaviour.
fn call_super<'p>(
    interp: &mut Interpreter<'p>,
    frame: &mut Frame<'p>,
    method: &str,
    call: CallArgs<'p>,
    site: Site,
    node: &'p ast::ExprCall,
) -> Value<'p> {
    let receiver = frame.locals.as_ref().and_then(|l| l.get("self").or_else(|| l.get("cls"))).cloned();
    let Some(receiver) = receiver else { return Value::unknown("super() outside a method") };
    let start = match &receiver {
        Value::Object(id) => interp.object_class.get(id).cloned(),
        Value::Instance(instance) => Some(instance.borrow().class.clone()),
        Value::Class(class) => Some(class.clone()),
        _ => None,
    };
    let current = frame.qualname.trim_end_matches(".<locals>").rsplit_once('.').map(|(class, _)| class.to_string());
    let Some(start) = start else { return Value::unknown("super() of an unknown object") };
    let mro = start.mro();
    let position = mro.iter().position(|entry| {
        matches!(entry, crate::value::MroEntry::Class(c) if Some(&c.qualname) == current.as_ref() && c.module == frame.module)
    });
    let Some(position) = position else { return Value::unknown("super() outside the object's classes") };
    let current_class = match &mro[position] {
        crate::value::MroEntry::Class(c) => Some(c.clone()),
        _ => None,
    };
    for entry in &mro[position + 1..] {
        match entry {
            crate::value::MroEntry::Class(class) => {
                if let Some(Value::Function(f)) = class.attrs.borrow().get(method).cloned() {
                    let bound = f.bound_to(receiver.clone());
                    return interp.call_function(&bound, &call);
                }
            }
            crate::value::MroEntry::Library(_) => break,
        }
    }
    // The library's own method, when the class calling it derives from the
    // library class (not a mixin): the constructor re-reads the arguments,
    // other methods (`add_url_rule`, `register`) do what Flask's do.
    let reaches_library =
        current_class.as_deref().is_some_and(|c| class_kind(c).is_some() || extension_base(c).is_some());
    if crate::flask_resources::is_resource(&receiver) {
        let found = crate::flask_resources::library_method(interp, frame, &receiver, method, call, site, node);
        return found.unwrap_or_else(|| Value::unknown(format!("result of `Resource.{method}()`")));
    }
    match receiver {
        Value::Object(id) if reaches_library && method == "__init__" => {
            reinitialise(interp, id, &call);
            if matches!(interp.objects.get(id), Object::Extension(_)) {
                wire_constructor_app(interp, id, &call, site);
            }
        }
        Value::Object(id) if reaches_library => return call_object_method(interp, frame, id, method, call, site, node),
        _ => {}
    }
    Value::None
}

/// The dotted name given to a pluggy hook looked up by name (`getattr(pm.hook, name)`).
pub(crate) const PLUGGY_HOOK: &str = "pluggy.hook.";

/// `<anything>.hook`: pluggy's relay of a plugin manager's hooks.
fn is_pluggy_hook_relay(expr: &ast::Expr) -> bool {
    matches!(expr, ast::Expr::Attribute(attr) if attr.attr.as_str() == "hook")
}

fn call_builtin<'p>(
    interp: &mut Interpreter<'p>,
    frame: &mut Frame<'p>,
    name: &str,
    call: &CallArgs<'p>,
    site: Site,
    node: &'p ast::ExprCall,
) -> Option<Value<'p>> {
    let builtin = name.strip_prefix("builtins.")?;
    let first = call.positional.first();
    Some(match builtin {
        "str" => first
            .and_then(Value::display)
            .map(Value::str)
            .unwrap_or_else(|| Value::unknown("str() of an unknown value")),
        "list" | "tuple" | "set" | "sorted" | "frozenset" => match first.map(|v| v.iter_items()) {
            None => Value::list(Vec::new()),
            Some(Some(mut items)) => {
                if builtin == "sorted" {
                    items.sort_by_key(|item| item.display());
                }
                if builtin == "tuple" {
                    Value::Tuple(Rc::new(items))
                } else {
                    Value::list(items)
                }
            }
            Some(None) => Value::unknown(format!("{builtin}() of an unknown value")),
        },
        "reversed" => match first.and_then(Value::iter_items) {
            Some(mut items) => {
                items.reverse();
                Value::list(items)
            }
            None => Value::unknown("reversed() of an unknown value"),
        },
        "dict" => {
            let mut items: Vec<(Value<'p>, Value<'p>)> = match first {
                Some(Value::Dict(d)) => d.borrow().clone(),
                Some(other) => other
                    .iter_items()
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|t| t.iter_items().filter(|kv| kv.len() == 2).map(|kv| (kv[0].clone(), kv[1].clone())))
                    .collect(),
                None => Vec::new(),
            };
            items.extend(call.keywords.iter().map(|(k, v)| (Value::str(k), v.clone())));
            Value::Dict(Rc::new(std::cell::RefCell::new(items)))
        }
        "dict.fromkeys" => match first.and_then(Value::iter_items) {
            Some(keys) => {
                let value = call.positional.get(1).cloned().unwrap_or(Value::None);
                let mut items: Vec<(Value<'p>, Value<'p>)> = Vec::new();
                for key in keys {
                    if !items.iter().any(|(k, _)| k.equals(&key) == Some(true) || k.same_object(&key)) {
                        items.push((key, value.clone()));
                    }
                }
                Value::Dict(Rc::new(std::cell::RefCell::new(items)))
            }
            None => Value::unknown("dict.fromkeys() of an unknown value"),
        },
        "enumerate" => match first.and_then(Value::iter_items) {
            Some(items) => Value::list(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| Value::Tuple(Rc::new(vec![Value::Int(i as i64), v])))
                    .collect(),
            ),
            None => Value::unknown("enumerate() of an unknown value"),
        },
        "zip" => {
            let lists: Option<Vec<Vec<Value<'p>>>> = call.positional.iter().map(Value::iter_items).collect();
            match lists {
                Some(lists) if !lists.is_empty() => {
                    let len = lists.iter().map(Vec::len).min().unwrap_or(0);
                    Value::list(
                        (0..len).map(|i| Value::Tuple(Rc::new(lists.iter().map(|l| l[i].clone()).collect()))).collect(),
                    )
                }
                _ => Value::unknown("zip() of unknown values"),
            }
        }
        // Three-valued: one decided item settles `any`/`all`, else an
        // unknown item leaves the result unknown.
        "any" | "all" => match first.and_then(Value::iter_items) {
            Some(items) => {
                let settles = builtin == "any";
                let truths: Vec<Option<bool>> = items.iter().map(Value::truthy).collect();
                if truths.contains(&Some(settles)) {
                    Value::Bool(settles)
                } else if truths.contains(&None) {
                    Value::unknown(format!("{builtin}() of unknown items"))
                } else {
                    Value::Bool(!settles)
                }
            }
            None => Value::unknown(format!("{builtin}() of an unknown value")),
        },
        "range" => {
            let ints: Vec<i64> =
                call.positional.iter().filter_map(|v| if let Value::Int(i) = v { Some(*i) } else { None }).collect();
            let (start, stop) = match ints.as_slice() {
                [stop] => (0, *stop),
                [start, stop, ..] => (*start, *stop),
                _ => return Some(Value::unknown("range() of unknown bounds")),
            };
            // One more than a loop unrolls: a loop over it says it was cut short.
            Value::list((start..stop.min(start.saturating_add(2001))).map(Value::Int).collect())
        }
        "len" => match first.and_then(Value::iter_items) {
            Some(items) => Value::Int(items.len() as i64),
            None => Value::unknown("len() of an unknown value"),
        },
        "getattr" => match (first, call.positional.get(1).and_then(Value::as_str)) {
            // `getattr(pm.hook, name)` (pluggy): the hook of that name, which
            // calls every implementation (see `Interpreter::call_value`).
            (Some(_), Some(attr)) if node.arguments.args.first().is_some_and(is_pluggy_hook_relay) => {
                Value::External(Rc::from(format!("{PLUGGY_HOOK}{attr}")))
            }
            (Some(receiver), Some(attr)) => {
                let value = interp.attribute(receiver, attr);
                match (&value, call.positional.get(2)) {
                    // Only a known object is known to lack the attribute.
                    (Value::Unknown(_), Some(default))
                        if !matches!(receiver, Value::Unknown(_) | Value::External(_)) =>
                    {
                        default.clone()
                    }
                    _ => value,
                }
            }
            _ => Value::unknown("getattr() with a run-time name"),
        },
        "print" | "setattr" | "delattr" => Value::None,
        "isinstance" => is_instance(interp, first, call.positional.get(1)),
        "dir" => match first {
            Some(Value::Module(id)) => {
                let id = *id;
                interp.run_module(id);
                let mut names: Vec<String> = interp.globals_of(id).into_iter().map(|(name, _)| name).collect();
                names.sort();
                Value::list(names.into_iter().map(Value::str).collect())
            }
            _ => Value::unknown("dir() of an object"),
        },
        "__import__" => dunder_import(interp, frame.module, call),
        "globals" => interp.attribute(&Value::Module(frame.module), "__dict__"),
        "vars" => match first {
            Some(module @ Value::Module(_)) => interp.attribute(module, "__dict__"),
            _ => Value::unknown("vars() of an object"),
        },
        "callable" => match first {
            // Blueprints, APIs and namespaces are not callable; an app is (WSGI).
            Some(Value::Object(id)) => Value::Bool(
                matches!(interp.objects.get(*id), Object::App(_))
                    || interp.object_class.get(id).is_some_and(|c| c.lookup("__call__").is_some()),
            ),
            Some(value) => is_callable(value),
            None => Value::unknown("callable() without an argument"),
        },
        "hasattr" => has_attribute(interp, call),
        "issubclass" => Value::unknown(format!("{builtin}() result")),
        "super" => Value::External(Rc::from("builtins.super()")),
        "type" if call.positional.len() == 3 => make_type(call),
        _ => {
            note_unknown_call(interp, frame, node, call, "builtin", site);
            Value::unknown(format!("result of `{builtin}()`"))
        }
    })
}

/// `type(name, bases, namespace)`: a subclass of a project class made at
/// run time (`type(f"Custom{cls.__name__}", (cls,), {"_app": app})`). It
/// shares its first base's definition for what is read from the source
/// (`name()`, decorators); its namespace is the dict given.
fn make_type<'p>(call: &CallArgs<'p>) -> Value<'p> {
    let (Some(name), Some(bases), Value::Dict(namespace)) =
        (call.positional[0].as_str(), call.positional[1].iter_items(), &call.positional[2])
    else {
        return Value::unknown("type() with an unknown name, bases or namespace");
    };
    let Some(Value::Class(first)) = bases.first() else {
        return Value::unknown("type() whose first base is not a project class");
    };
    let attrs = namespace.borrow().iter().filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.clone()))).collect();
    Value::Class(Rc::new(ClassValue {
        module: first.module,
        def: first.def,
        qualname: name.to_string(),
        bases,
        attrs: std::cell::RefCell::new(attrs),
        decorators: Vec::new(),
    }))
}

/// `hasattr(module, "name")` of a project module: whether the module
/// defines the name once it has run. Open (unknown) when the module has a
/// `__getattr__` or the name could be a submodule imported elsewhere, and
/// for every other kind of value.
fn has_attribute<'p>(interp: &mut Interpreter<'p>, call: &CallArgs<'p>) -> Value<'p> {
    let unknown = || Value::unknown("hasattr() result");
    // A project function has the attributes the project set on it
    // (`f._endpoint_path = path` in a decorator) and those every function
    // has; decorators from libraries may set others, so only a function
    // whose decorators are all the project's answers `False`.
    if let (Some(Value::Function(function)), Some(Value::Str(name))) = (call.positional.first(), call.positional.get(1))
    {
        if function.attrs.borrow().contains_key(&**name)
            || matches!(&**name, "__name__" | "__qualname__" | "__module__" | "__doc__" | "__call__" | "__dict__")
        {
            return Value::Bool(true);
        }
        let only_project_decorators = function.def.decorator_list.iter().all(|d| {
            let callee = match &d.expression {
                ast::Expr::Call(call) => &*call.func,
                other => other,
            };
            matches!(callee, ast::Expr::Name(n)
                if matches!(interp.module_global(function.module, n.id.as_str()), Some(Value::Function(_))))
        });
        return if only_project_decorators { Value::Bool(false) } else { unknown() };
    }
    let (Some(Value::Module(module)), Some(Value::Str(name))) = (call.positional.first(), call.positional.get(1))
    else {
        return unknown();
    };
    let module = *module;
    if interp.module_global(module, name).is_some() {
        return Value::Bool(true);
    }
    let info = interp.project.module(module);
    let submodule = format!("{}.{name}", info.name);
    if interp.module_global(module, "__getattr__").is_some()
        || (info.is_package && interp.project.resolve_absolute(&submodule, module).is_some())
    {
        return unknown();
    }
    Value::Bool(false)
}

/// `callable(value)`: functions and classes are, plain data is not, and an
/// instance is when its project class defines `__call__`. An instance of a
/// project subclass of a library class counts as not callable unless the
/// project defines `__call__`: library view and model bases (the case that
/// matters, `if callable(view): view = view()`) do not define one.
fn is_callable<'p>(value: &Value<'p>) -> Value<'p> {
    match value {
        Value::Function(_) | Value::Class(_) | Value::Partial(_) | Value::ViewFromClass(_) | Value::Lambda(_) => {
            Value::Bool(true)
        }
        Value::Str(_)
        | Value::Int(_)
        | Value::Float(_)
        | Value::Bool(_)
        | Value::None
        | Value::List(_)
        | Value::Tuple(_)
        | Value::Dict(_) => Value::Bool(false),
        Value::Instance(instance) => Value::Bool(instance.borrow().class.lookup("__call__").is_some()),
        _ => Value::unknown("callable() result"),
    }
}

/// `isinstance(value, cls)` for project classes and Flask's own types.
fn is_instance<'p>(interp: &Interpreter<'p>, value: Option<&Value<'p>>, class: Option<&Value<'p>>) -> Value<'p> {
    let (Some(value), Some(class)) = (value, class) else { return Value::unknown("isinstance() arguments") };
    let value_class = match value {
        Value::Object(id) => interp.object_class.get(id).cloned(),
        Value::Instance(instance) => Some(instance.borrow().class.clone()),
        Value::Unknown(_) | Value::Method(..) => return Value::unknown("isinstance() of an unknown value"),
        _ => None,
    };
    match class {
        // `isinstance(x, (A, B))`: true when one is, false when none is.
        Value::Tuple(classes) => {
            let mut all_false = true;
            for class in classes.iter() {
                match is_instance(interp, Some(value), Some(class)) {
                    Value::Bool(true) => return Value::Bool(true),
                    Value::Bool(false) => {}
                    _ => all_false = false,
                }
            }
            if all_false {
                Value::Bool(false)
            } else {
                Value::unknown("isinstance() with a tuple holding a run-time type")
            }
        }
        Value::Class(target) => {
            let mut chain: Vec<Rc<ClassValue<'p>>> = value_class.into_iter().collect();
            let mut index = 0;
            while index < chain.len() {
                if std::ptr::eq(chain[index].def, target.def) {
                    return Value::Bool(true);
                }
                let bases: Vec<Rc<ClassValue<'p>>> = chain[index]
                    .bases
                    .iter()
                    .filter_map(|b| if let Value::Class(c) = b { Some(c.clone()) } else { None })
                    .collect();
                chain.extend(bases);
                index += 1;
            }
            Value::Bool(false)
        }
        Value::External(name) => match (canonical(name), value) {
            ("flask.Blueprint", Value::Object(id)) => {
                Value::Bool(matches!(interp.objects.get(*id), Object::Blueprint(_)))
            }
            ("flask.Flask", Value::Object(id)) => Value::Bool(matches!(interp.objects.get(*id), Object::App(_))),
            // Project functions, classes, modules and plain instances are
            // never apps or blueprints (subclass instances are objects).
            (
                "flask.Blueprint" | "flask.Flask",
                Value::Function(_)
                | Value::Class(_)
                | Value::Module(_)
                | Value::Instance(_)
                | Value::Partial(_)
                | Value::ViewFromClass(_),
            ) => Value::Bool(false),
            // A name imported from a library is a class, function, module or
            // constant of it; the apps and blueprints it makes are call
            // results, not names. `current_app` is the one proxy to an app.
            ("flask.Blueprint", Value::External(_)) => Value::Bool(false),
            ("flask.Flask", Value::External(library)) if !library.ends_with("current_app") => Value::Bool(false),
            (
                _,
                Value::Str(_)
                | Value::Int(_)
                | Value::List(_)
                | Value::Dict(_)
                | Value::Tuple(_)
                | Value::None
                | Value::Bool(_),
            ) => {
                let kind = match value {
                    Value::Str(_) => "builtins.str",
                    Value::Int(_) => "builtins.int",
                    Value::List(_) => "builtins.list",
                    Value::Dict(_) => "builtins.dict",
                    Value::Tuple(_) => "builtins.tuple",
                    Value::Bool(_) => "builtins.bool",
                    _ => "builtins.NoneType",
                };
                if name.starts_with("builtins.") {
                    let name = &**name;
                    Value::Bool(
                        name == kind
                            || name == "builtins.object"
                            || (kind == "builtins.bool" && name == "builtins.int"),
                    )
                } else {
                    Value::Bool(false)
                }
            }
            _ => Value::unknown("isinstance() of a library type"),
        },
        _ => Value::unknown("isinstance() with a run-time type"),
    }
}

/// `entry_points(group=G)` and `iter_entry_points(G, name)`: the entry
/// points the project declares in that group (see `entry_points`);
/// `entry_points()` alone gives them all as a dict by group (Python < 3.10).
fn entry_points<'p>(interp: &mut Interpreter<'p>, canonical_name: &str, call: &CallArgs<'p>) -> Value<'p> {
    let declared = interp.entry_points.get_or_init(|| crate::entry_points::declared(interp.project)).clone();
    let iter = canonical_name == "pkg_resources.iter_entry_points";
    let group = if iter { call.arg(0, "group") } else { call.keyword("group") };
    let name = if iter { call.arg(1, "name") } else { call.keyword("name") };
    let wanted_name = match name {
        None | Some(Value::None) => None,
        Some(Value::Str(name)) => Some(name.to_string()),
        Some(other) => {
            return Value::unknown(format!("entry points of a name known only at run time ({})", value_reason(other)))
        }
    };
    let as_values = |entries: Vec<&crate::entry_points::EntryPoint>| {
        Value::list(entries.into_iter().map(|e| Value::EntryPoint(Rc::new(e.clone()))).collect())
    };
    match group {
        Some(Value::Str(group)) => as_values(
            declared
                .iter()
                .filter(|e| e.group == **group && wanted_name.as_ref().is_none_or(|n| *n == e.name))
                .collect(),
        ),
        None if !iter && call.positional.is_empty() => {
            let mut groups: Vec<(Value<'p>, Value<'p>)> = Vec::new();
            for entry in &declared {
                let key = Value::str(&entry.group);
                let value = Value::EntryPoint(Rc::new(entry.clone()));
                match groups.iter_mut().find(|(k, _)| k.equals(&key) == Some(true)) {
                    Some((_, Value::List(items))) => items.borrow_mut().push(value),
                    _ => groups.push((key, Value::list(vec![value]))),
                }
            }
            Value::Dict(Rc::new(std::cell::RefCell::new(groups)))
        }
        other => Value::unknown(format!(
            "entry points of a group known only at run time ({})",
            other.map(value_reason).unwrap_or_else(|| "no group".into())
        )),
    }
}

/// `import_string("pkg.mod:attr")` / `import_module("pkg.mod")`.
pub(crate) fn import_by_string<'p>(
    interp: &mut Interpreter<'p>,
    importer: usize,
    target: Option<&Value<'p>>,
    module_only: bool,
) -> Value<'p> {
    // A dotted name from config the project sets, which run-time config may replace.
    let assumed = match target {
        Some(Value::Unknown(unknown)) => unknown.config_default.clone(),
        _ => None,
    };
    if let Some(default) = &assumed {
        interp.note_config_read(default.assumption.clone(), false);
        interp.note_assumption_used(&default.assumption);
    }
    let path = assumed.as_ref().map(|d| d.value.as_str()).or_else(|| target.and_then(Value::as_str));
    let Some(path) = path else {
        return Value::unknown(format!(
            "import of a module named at run time ({})",
            target.map(value_reason).unwrap_or_default()
        ));
    };
    let (module_path, attr) = match path.split_once(':') {
        Some((m, a)) => (m.to_string(), Some(a.to_string())),
        None if module_only => (path.to_string(), None),
        None => match interp.project.resolve_absolute(path, importer) {
            Some(_) => (path.to_string(), None),
            None => match path.rsplit_once('.') {
                Some((m, a)) => (m.to_string(), Some(a.to_string())),
                None => (path.to_string(), None),
            },
        },
    };
    match interp.project.resolve_absolute(&module_path, importer) {
        Some(id) => {
            interp.run_module(id);
            match attr {
                Some(attr) => interp.attribute(&Value::Module(id), &attr),
                None => Value::Module(id),
            }
        }
        None => Value::External(Rc::from(path.replace(':', "."))),
    }
}

/// `__import__(name, globals, locals, fromlist, level)`: the module named
/// when `fromlist` is given, else its top-level package (after importing
/// the whole dotted name), as Python does.
fn dunder_import<'p>(interp: &mut Interpreter<'p>, importer: usize, call: &CallArgs<'p>) -> Value<'p> {
    let Some(name) = call.arg(0, "name").and_then(Value::as_str) else {
        return Value::unknown(format!(
            "__import__() of a module named at run time ({})",
            call.arg(0, "name").map(value_reason).unwrap_or_default()
        ));
    };
    let level = match call.arg(4, "level") {
        Some(Value::Int(level)) if *level > 0 => *level as u32,
        _ => 0,
    };
    let from_list = call.arg(3, "fromlist").map_or(Some(false), Value::truthy);
    let resolve = |interp: &Interpreter<'p>, dotted: &str| {
        interp.project.resolve_import(importer, level, (!dotted.is_empty()).then_some(dotted))
    };
    let Some(id) = resolve(interp, name) else {
        return Value::External(std::rc::Rc::from(name));
    };
    interp.run_module(id);
    match from_list {
        Some(true) => Value::Module(id),
        Some(false) if level == 0 => {
            let top = name.split('.').next().unwrap_or(name);
            match resolve(interp, top) {
                Some(top) => {
                    interp.run_module(top);
                    Value::Module(top)
                }
                None => Value::External(std::rc::Rc::from(top)),
            }
        }
        _ => Value::unknown("__import__() with a run-time fromlist or a relative name"),
    }
}

/// `sys.modules[name]` / `sys.modules.get(name)` of a project module.
pub fn sys_module<'p>(interp: &mut Interpreter<'p>, importer: usize, name: Option<&Value<'p>>) -> Value<'p> {
    match name.and_then(Value::as_str).and_then(|name| interp.project.resolve_absolute(name, importer)) {
        Some(id) => {
            interp.run_module(id);
            Value::Module(id)
        }
        None => Value::unknown("sys.modules entry of a module outside the project or named at run time"),
    }
}

/// `importlib.util.spec_from_file_location(name, path)` of a project
/// file: the module stands for its spec (see `discovery`).
fn spec_from_file_location<'p>(interp: &mut Interpreter<'p>, call: &CallArgs<'p>) -> Value<'p> {
    let path = call.arg(1, "location").and_then(Value::as_str).and_then(crate::paths::inside_project);
    match path.and_then(|path| interp.project.module_by_path(std::path::Path::new(&path))) {
        Some(id) => Value::Module(id),
        None => Value::unknown("spec_from_file_location() of a file outside the project"),
    }
}

/// `find_modules("pkg", include_packages=False, recursive=False)`:
/// the dotted names of the package's modules, from the project tree.
fn find_modules<'p>(interp: &mut Interpreter<'p>, importer: usize, call: &CallArgs<'p>) -> Value<'p> {
    let Some(package) = call.arg(0, "import_path").and_then(Value::as_str) else {
        return Value::unknown("find_modules() of a run-time package");
    };
    let include_packages = call.arg(1, "include_packages").and_then(Value::truthy).unwrap_or(false);
    let recursive = call.arg(2, "recursive").and_then(Value::truthy).unwrap_or(false);
    let Some(pkg_id) = interp.project.resolve_absolute(package, importer) else {
        return Value::unknown(format!("find_modules(): package `{package}` is not in the project"));
    };
    let Some(dir) = interp.project.module(pkg_id).path.parent().map(|p| p.to_path_buf()) else {
        return Value::list(Vec::new());
    };
    let mut names = Vec::new();
    for module in &interp.project.modules {
        let Ok(rest) = module.path.strip_prefix(&dir) else { continue };
        let parts: Vec<String> = rest.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        let depth = parts.len();
        let is_init = module.is_package;
        if is_init && depth == 1 {
            continue; // the package itself
        }
        let dotted = {
            let mut p = parts.clone();
            if is_init {
                p.pop();
            } else if let Some(last) = p.last_mut() {
                *last = last.trim_end_matches(".py").to_string();
            }
            format!("{package}.{}", p.join("."))
        };
        let direct = if is_init { depth == 2 } else { depth == 1 };
        if direct {
            if is_init {
                if include_packages {
                    names.push(dotted.clone());
                }
            } else {
                names.push(dotted);
            }
        } else if recursive && (!is_init || include_packages) {
            names.push(dotted);
        }
    }
    names.sort();
    Value::list(names.into_iter().map(Value::str).collect())
}

/// A call the interpreter cannot follow that receives an app or blueprint
/// together with a view or a rule is reported: it probably registers
/// routes through an unknown helper.
pub fn note_unknown_call<'p>(
    interp: &mut Interpreter<'p>,
    frame: &Frame<'p>,
    node: &'p ast::ExprCall,
    call: &CallArgs<'p>,
    reason: &str,
    site: Site,
) {
    let method = match &*node.func {
        ast::Expr::Attribute(attr) => attr.attr.as_str(),
        _ => "",
    };
    let route_method = matches!(method, "route" | "add_url_rule" | "add_resource");
    let touches_app = call.positional.iter().chain(call.keywords.iter().map(|(_, v)| v)).any(
        |v| matches!(v, Value::Object(id) if matches!(interp.objects.get(*id), Object::App(_) | Object::Blueprint(_))),
    );
    let has_view_or_rule = call.positional.iter().chain(call.keywords.iter().map(|(_, v)| v)).any(|v| {
        matches!(v, Value::Function(_) | Value::Class(_) | Value::ViewFromClass(_))
            || v.as_str().is_some_and(|s| s.starts_with('/'))
    });
    if !(route_method || touches_app && has_view_or_rule) {
        return;
    }
    let rule = call.positional.iter().find_map(|v| v.as_str().filter(|s| s.starts_with('/')).map(str::to_string));
    let view = call
        .positional
        .iter()
        .chain(call.keywords.iter().map(|(_, v)| v))
        .find_map(|v| view_info(interp, v, &[]))
        .map(|v| v.display);
    let callee = interp.source_text(frame.module, node.func.range());
    let why = if route_method {
        format!("`{callee}(...)` is called on an object that cannot be resolved statically ({reason})")
    } else {
        format!("`{callee}(...)` receives an app or blueprint but is not part of the project ({reason}); it may register routes")
    };
    interp.loose.push(LooseRegistration { rule, reason: why, site, view });
}

// ----- decorators ------------------------------------------------------------

/// Applies a Flask-known decorator to a function or class. Returns false
/// when the decorator is not Flask's (then it is a wrapper such as
/// `login_required`).
pub fn apply_decorator<'p>(
    interp: &mut Interpreter<'p>,
    frame: &mut Frame<'p>,
    decorator: &Value<'p>,
    target: &Value<'p>,
    below: &[DecoratorInfo],
    site: Site,
) -> bool {
    match decorator {
        Value::Decorator(pending) => match &**pending {
            PendingDecorator::Route { target: obj, call, method, site: route_site } => {
                route_decorator(interp, *obj, call, *method, target, below, *route_site);
                true
            }
            PendingDecorator::Expose(rule) => {
                if let Value::Function(f) = target {
                    f.exposes.borrow_mut().push(rule.clone());
                }
                true
            }
            PendingDecorator::Handler { target: obj, kind, arg, site } => {
                add_handler(interp, *obj, kind, arg.clone(), target, *site);
                true
            }
            PendingDecorator::Wraps(_) => true,
        },
        Value::Method(receiver, name) => match &**receiver {
            Value::Object(obj) if is_handler_name(name) => {
                add_handler(interp, *obj, name, None, target, site);
                true
            }
            Value::Object(obj) if matches!(interp.objects.get(*obj), Object::Api(_) | Object::Namespace(_)) => false,
            _ => false,
        },
        Value::Unknown(_) => {
            let _ = frame;
            false
        }
        _ => false,
    }
}

pub(crate) fn is_handler_name(name: &str) -> bool {
    matches!(
        name,
        "before_request"
            | "after_request"
            | "teardown_request"
            | "teardown_appcontext"
            | "before_app_request"
            | "after_app_request"
            | "teardown_app_request"
            | "context_processor"
            | "app_context_processor"
            | "url_value_preprocessor"
            | "url_defaults"
            | "before_first_request"
            | "shell_context_processor"
    )
}

fn add_handler(
    interp: &mut Interpreter<'_>,
    obj: ObjId,
    kind: &str,
    arg: Option<String>,
    function: &Value<'_>,
    site: Site,
) {
    let (name, auth_like) = match function {
        Value::Function(f) => {
            let source = &interp.project.module(f.module).source[f.def.range()];
            let authenticates = crate::syntax::mentions_auth(source) && crate::syntax::can_end_request(&f.def.body);
            (format!("{}:{}", interp.project.module(f.module).name, f.qualname), authenticates)
        }
        other => (other.kind().to_string(), false),
    };
    interp.objects.add_handler(obj, HandlerRecord { kind: kind.to_string(), arg, function: name, site, auth_like });
}

fn route_decorator<'p>(
    interp: &mut Interpreter<'p>,
    obj: ObjId,
    call: &CallArgs<'p>,
    method: Option<&'static str>,
    view: &Value<'p>,
    below: &[DecoratorInfo],
    site: Site,
) {
    match interp.objects.get(obj) {
        Object::Api(_) | Object::Namespace(_) => {
            crate::extensions::add_resource(interp, obj, view, call.positional.clone(), call, site);
        }
        Object::Blueprint(bp) if bp.class.contains("smorest") && matches!(view, Value::Class(_)) => {
            // flask-smorest: `@blp.route("/")` on a MethodView.
            let Value::Class(class) = view else { return };
            let endpoint = call
                .keyword("endpoint")
                .map(|v| v.to_string_result("endpoint"))
                .unwrap_or_else(|| Ok(class.name().to_string()));
            let info = class_view_info(interp, class, endpoint.clone());
            let record = rule_record(interp, call, Some(info), Some(endpoint), None, site);
            interp.objects.add_rule(obj, record);
        }
        Object::App(_) | Object::Blueprint(_) => {
            let info = view_info(interp, view, below);
            let endpoint = call.keyword("endpoint").map(|v| v.to_string_result("endpoint"));
            let methods = method.map(|m| Ok(vec![m.to_string()]));
            let record = rule_record(interp, call, info, endpoint, methods, site);
            interp.objects.add_rule(obj, record);
        }
        _ => {}
    }
}

/// Builds a rule record from `route()`/`add_url_rule()` arguments.
pub fn rule_record(
    interp: &mut Interpreter<'_>,
    call: &CallArgs<'_>,
    view: Option<ViewInfo>,
    endpoint: Option<Result<String, Unknown>>,
    methods: Option<Result<Vec<String>, Unknown>>,
    site: Site,
) -> RuleRecord {
    let mut conditions = interp.conditions.clone();
    let rule = match call.arg(0, "rule") {
        // A run-time input with a project default (see `Interpreter::assumed_default`).
        Some(Value::Unknown(unknown)) if let Some(default) = &unknown.config_default => {
            conditions.push(default.assumption.clone());
            interp.note_assumption_used(&default.assumption);
            Ok(default.value.clone())
        }
        Some(v) => v.to_string_result("rule"),
        None => Err(Unknown::new("rule argument missing")),
    };
    let methods = methods.or_else(|| call.keyword("methods").filter(|v| !matches!(v, Value::None)).map(string_list));
    let defaults = match call.keyword("defaults") {
        Some(Value::Dict(items)) => {
            items.borrow().iter().filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.display()?))).collect()
        }
        _ => BTreeMap::new(),
    };
    RuleRecord {
        rule,
        endpoint,
        view,
        methods,
        subdomain: known_string(call.keyword("subdomain")),
        host: known_string(call.keyword("host")),
        defaults,
        strict_slashes: call.keyword("strict_slashes").and_then(Value::truthy),
        site,
        conditions,
        via: None,
    }
}

// ----- method calls on objects -----------------------------------------------

pub fn call_object_method<'p>(
    interp: &mut Interpreter<'p>,
    frame: &mut Frame<'p>,
    id: ObjId,
    name: &str,
    call: CallArgs<'p>,
    site: Site,
    node: &'p ast::ExprCall,
) -> Value<'p> {
    let _ = node;
    // Only the kind of object is needed here: cloning the object itself
    // would copy every rule registered so far (quadratic registration).
    enum Kind {
        Routes,
        Api,
        Admin,
        Extension,
        Config(ObjId),
    }
    let kind = match interp.objects.get(id) {
        Object::App(_) | Object::Blueprint(_) => Kind::Routes,
        Object::Api(_) | Object::Namespace(_) => Kind::Api,
        Object::Admin(_) => Kind::Admin,
        Object::Extension(_) => Kind::Extension,
        Object::Config(app) => Kind::Config(*app),
    };
    match kind {
        Kind::Routes => app_or_blueprint_method(interp, frame, id, name, call, site),
        Kind::Api => crate::extensions::api_method(interp, id, name, call, site),
        Kind::Admin => crate::extensions::admin_method(interp, id, name, call, site),
        Kind::Extension => {
            if name == "init_app" {
                if let Some(Value::Object(app)) = call.arg(0, "app") {
                    if let Object::Extension(e) = interp.objects.get_mut(id) {
                        e.wiring.push(("init_app".into(), Some(*app), site));
                    }
                }
                Value::None
            } else if name == "add_api"
                && matches!(interp.objects.get(id), Object::Extension(e) if e.package == "connexion")
            {
                crate::connexion::add_api(interp, frame, id, &call, site)
            } else if matches!(name, "add_url_rule" | "route")
                && matches!(interp.objects.get(id), Object::Extension(e) if e.package == "connexion")
            {
                // connexion's app hands its own rules to the Flask app it wraps.
                match interp.object_attrs.get(&id).and_then(|attrs| attrs.get("app")).cloned() {
                    Some(Value::Object(app)) => app_or_blueprint_method(interp, frame, app, name, call, site),
                    _ => Value::unknown(format!("`{name}` of a connexion app without a Flask app")),
                }
            } else if name == "register_blueprint" {
                // flask-smorest `Api.register_blueprint(blp)` registers on every app.
                let apps: Vec<ObjId> = match interp.objects.get(id) {
                    Object::Extension(e) => e.wiring.iter().filter_map(|(_, a, _)| *a).collect(),
                    _ => Vec::new(),
                };
                if let Some(Value::Object(bp)) = call.arg(0, "blp") {
                    for app in apps {
                        let prefix = opt_string(call.keyword("url_prefix"), "url_prefix");
                        register_blueprint_on(interp, app, *bp, prefix, None, None, site);
                    }
                }
                Value::None
            } else {
                Value::unknown(format!("result of an extension's `{name}()`"))
            }
        }
        Kind::Config(app) => {
            if matches!(
                name,
                "from_object"
                    | "from_envvar"
                    | "from_pyfile"
                    | "from_mapping"
                    | "from_prefixed_env"
                    | "from_file"
                    | "update"
                    | "setdefault"
            ) {
                let arg = call.positional.first().map(|v| match v {
                    Value::Str(s) => format!("{s:?}"),
                    Value::Class(c) => c.qualname.clone(),
                    Value::Module(m) => interp.project.module(*m).name.clone(),
                    Value::Unknown(_) => "<run-time value>".into(),
                    other => other.kind().to_string(),
                });
                if let Some(app) = interp.objects.app_mut(app) {
                    app.config_sources.push((format!("{name}({})", arg.unwrap_or_default()), site));
                }
                load_config(interp, frame.module, app, name, &call);
                return Value::None;
            }
            if name == "get" {
                let default = Some(call.arg(1, "default").unwrap_or(&Value::None));
                return config_get(interp, id, call.positional.first().unwrap_or(&Value::None), default);
            }
            Value::unknown(format!("config.{name}()"))
        }
    }
}

pub(crate) fn app_or_blueprint_method<'p>(
    interp: &mut Interpreter<'p>,
    frame: &mut Frame<'p>,
    id: ObjId,
    name: &str,
    call: CallArgs<'p>,
    site: Site,
) -> Value<'p> {
    // flask-openapi3's `OpenAPI.register_api(api_blueprint)` (and
    // `APIBlueprint.register_api` for nesting) is `register_blueprint`.
    let name = if name == "register_api" { "register_blueprint" } else { name };
    match name {
        "route" => {
            Value::Decorator(Rc::new(PendingDecorator::Route { target: id, call: Rc::new(call), method: None, site }))
        }
        "run" => {
            interp.let_app_escape(&Value::Object(id));
            Value::None
        }
        "get" | "post" | "put" | "patch" | "delete" => {
            let method = match name {
                "get" => "GET",
                "post" => "POST",
                "put" => "PUT",
                "patch" => "PATCH",
                _ => "DELETE",
            };
            // Flask's shortcuts call `self.route(rule, methods=[...])`: a
            // subclass's own `route` (an API blueprint adding one rule per
            // version) runs for them too.
            let own_route = interp.object_class.get(&id).and_then(|class| class.lookup("route"));
            if let Some(Value::Function(route)) = own_route {
                let mut call = call;
                call.keywords.retain(|(k, _)| k != "methods");
                call.keywords.push(("methods".into(), Value::list(vec![Value::str(method)])));
                return interp.call_function(&route.bound_to(Value::Object(id)), &call);
            }
            Value::Decorator(Rc::new(PendingDecorator::Route {
                target: id,
                call: Rc::new(call),
                method: Some(method),
                site,
            }))
        }
        "add_url_rule" => {
            let view_value = call.arg(2, "view_func").cloned();
            let info = view_value.as_ref().and_then(|v| view_info(interp, v, &[]));
            let endpoint = opt_string(call.arg(1, "endpoint"), "endpoint");
            let record = rule_record(interp, &call, info, endpoint, None, site);
            if let Some(Value::Unknown(u)) = &view_value {
                if record.endpoint.is_none() {
                    interp.loose.push(LooseRegistration {
                        rule: record.rule.clone().ok(),
                        reason: format!("view function is {}", u.reason),
                        site,
                        view: None,
                    });
                    return Value::None;
                }
            }
            interp.objects.add_rule(id, record);
            Value::None
        }
        "register_blueprint" => {
            match call.arg(0, "blueprint") {
                Some(Value::Object(bp)) if matches!(interp.objects.get(*bp), Object::Blueprint(_)) => {
                    let mut prefix = opt_string(call.keyword("url_prefix"), "url_prefix");
                    // A prefix from config the project sets: resolved, with the assumption as a condition.
                    let assumed = match &prefix {
                        Some(Err(Unknown { config_default: Some(default), .. })) => Some(default.clone()),
                        _ => None,
                    };
                    if let Some(default) = &assumed {
                        prefix = Some(Ok(default.value.clone()));
                        interp.conditions.push(default.assumption.clone());
                        interp.note_assumption_used(&default.assumption);
                    }
                    let name = opt_string(call.keyword("name"), "blueprint name");
                    let subdomain = known_string(call.keyword("subdomain"));
                    let bp = *bp;
                    register_blueprint_on(interp, id, bp, prefix, subdomain, name, site);
                    if assumed.is_some() {
                        interp.conditions.pop();
                    }
                    call_register_override(interp, id, bp, &call);
                }
                other => {
                    let text = other.map(value_reason).unwrap_or_else(|| "missing".into());
                    interp.loose.push(LooseRegistration {
                        rule: None,
                        reason: format!("blueprint registered here is {text}; its routes cannot be listed"),
                        site,
                        view: None,
                    });
                }
            }
            Value::None
        }
        "errorhandler" | "app_errorhandler" => {
            let arg = call.positional.first().map(|v| match v {
                Value::Int(i) => i.to_string(),
                Value::External(n) => n.to_string(),
                Value::Class(c) => c.qualname.clone(),
                other => value_reason(other),
            });
            Value::Decorator(Rc::new(PendingDecorator::Handler { target: id, kind: name.into(), arg, site }))
        }
        "register_error_handler" => {
            let arg = call.positional.first().map(|v| {
                v.display().unwrap_or_else(|| match v {
                    Value::External(n) => n.to_string(),
                    Value::Class(c) => c.qualname.clone(),
                    other => value_reason(other),
                })
            });
            if let Some(function) = call.positional.get(1) {
                add_handler(interp, id, "errorhandler", arg, function, site);
            }
            Value::None
        }
        other if is_handler_name(other) => {
            if let Some(function) = call.positional.first() {
                add_handler(interp, id, other, None, function, site);
            }
            Value::None
        }
        "make_setup_state" | "record" | "record_once" => Value::None,
        _ => {
            let _ = frame;
            Value::unknown(format!("result of `.{name}()` on an app or blueprint"))
        }
    }
}

/// A Blueprint subclass that overrides `register(app, options)` (to
/// register sub-blueprints, say) has that code followed.
fn call_register_override<'p>(interp: &mut Interpreter<'p>, parent: ObjId, bp: ObjId, call: &CallArgs<'p>) {
    let Some(class) = interp.object_class.get(&bp).cloned() else { return };
    let Some(Value::Function(register)) = class.lookup("register") else { return };
    let key = (bp, parent);
    if !interp.register_overrides_run.insert(key) {
        return;
    }
    let options = Value::Dict(Rc::new(std::cell::RefCell::new(
        call.keywords.iter().map(|(k, v)| (Value::str(k), v.clone())).collect(),
    )));
    let bound = register.bound_to(Value::Object(bp));
    interp.call_function(&bound, &CallArgs { positional: vec![Value::Object(parent), options], keywords: Vec::new() });
}

/// `register_blueprint` on an app or a parent blueprint.
pub fn register_blueprint_on(
    interp: &mut Interpreter<'_>,
    parent: ObjId,
    blueprint: ObjId,
    url_prefix: Option<Result<String, Unknown>>,
    subdomain: Option<String>,
    name: Option<Result<String, Unknown>>,
    site: Site,
) {
    let registration =
        BlueprintRegistration { blueprint, url_prefix, subdomain, name, site, conditions: interp.conditions.clone() };
    match interp.objects.get_mut(parent) {
        Object::App(app) => app.blueprints.push(registration),
        Object::Blueprint(bp) => bp.children.push(registration),
        _ => {}
    }
}

/// `View.as_view("name")` on a project class.
pub fn as_view<'p>(class: &Rc<ClassValue<'p>>, call: &CallArgs<'p>) -> Value<'p> {
    let name = call
        .arg(0, "name")
        .map(|v| v.to_string_result("view name"))
        .unwrap_or_else(|| Err(Unknown::new("as_view() without a name")));
    Value::ViewFromClass(Rc::new(ViewFromClass { class: class.clone(), name, wrapped_by: Vec::new() }))
}
