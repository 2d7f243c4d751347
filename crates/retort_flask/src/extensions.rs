//! Extension semantics: Flask-RESTful / Flask-RESTX resources and
//! namespaces, Flask-Admin / Flask-AppBuilder views, and the table of
//! well-known extensions recognised by their constructor.

use std::collections::BTreeMap;

use crate::flask_api::class_view_info;
use crate::interp::{value_reason, Interpreter, LooseRegistration};
use crate::objects::*;
use crate::value::{CallArgs, ClassValue, PendingDecorator, Site, Unknown, Value};

/// A well-known Flask extension class.
pub struct KnownExtension {
    pub kind: &'static str,
    pub package: &'static str,
}

/// (class path suffix, kind, package) of extensions worth reporting.
const EXTENSIONS: &[(&str, &str, &str)] = &[
    ("flask_sqlalchemy.SQLAlchemy", "sqlalchemy", "Flask-SQLAlchemy"),
    ("flask_migrate.Migrate", "migrate", "Flask-Migrate"),
    ("flask_login.LoginManager", "login", "Flask-Login"),
    ("flask_jwt_extended.JWTManager", "jwt", "Flask-JWT-Extended"),
    ("flask_limiter.Limiter", "rate-limit", "Flask-Limiter"),
    ("flask_caching.Cache", "cache", "Flask-Caching"),
    ("flask_cors.CORS", "cors", "Flask-Cors"),
    ("flask_talisman.Talisman", "security-headers", "Flask-Talisman"),
    ("flask_wtf.CSRFProtect", "csrf", "Flask-WTF"),
    ("flask_wtf.csrf.CSRFProtect", "csrf", "Flask-WTF"),
    ("flask_seasurf.SeaSurf", "csrf", "Flask-SeaSurf"),
    ("celery.Celery", "celery", "Celery"),
    ("flask_babel.Babel", "i18n", "Flask-Babel"),
    ("flask_socketio.SocketIO", "websocket", "Flask-SocketIO"),
    ("flask_marshmallow.Marshmallow", "serialization", "flask-marshmallow"),
    ("flask_smorest.Api", "openapi", "flask-smorest"),
    ("flask_mail.Mail", "mail", "Flask-Mail"),
    ("flask_session.Session", "session", "Flask-Session"),
    ("flask_bcrypt.Bcrypt", "password-hashing", "Flask-Bcrypt"),
    ("flask_security.Security", "auth", "Flask-Security"),
    ("flask_httpauth.HTTPBasicAuth", "auth", "Flask-HTTPAuth"),
    ("flask_httpauth.HTTPTokenAuth", "auth", "Flask-HTTPAuth"),
    ("flask_principal.Principal", "auth", "Flask-Principal"),
    ("flask_compress.Compress", "compression", "Flask-Compress"),
    ("flask_debugtoolbar.DebugToolbarExtension", "debug", "Flask-DebugToolbar"),
    ("prometheus_flask_exporter.PrometheusMetrics", "metrics", "prometheus-flask-exporter"),
    ("prometheus_flask_exporter.multiprocess.GunicornPrometheusMetrics", "metrics", "prometheus-flask-exporter"),
    ("opentelemetry.instrumentation.flask.FlaskInstrumentor", "tracing", "opentelemetry-instrumentation-flask"),
    ("sentry_sdk.integrations.flask.FlaskIntegration", "error-tracking", "sentry-sdk"),
    ("flask_redis.FlaskRedis", "redis", "flask-redis"),
    ("flask_pymongo.PyMongo", "mongodb", "Flask-PyMongo"),
    ("flask_apscheduler.APScheduler", "scheduler", "Flask-APScheduler"),
    ("authlib.integrations.flask_client.OAuth", "oauth-client", "Authlib"),
];

pub fn known_extension(name: &str) -> Option<KnownExtension> {
    EXTENSIONS.iter().find(|(path, _, _)| *path == name).map(|(_, kind, package)| KnownExtension { kind, package })
}

fn camel_to_dash(name: &str) -> String {
    // Flask-RESTX: "TodoList" → "todo_list", "HTTPStatus" → "http_status".
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() && i > 0 {
            let prev_lower = chars[i - 1].is_lowercase() || chars[i - 1].is_ascii_digit();
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if prev_lower || (next_lower && chars[i - 1].is_uppercase()) {
                out.push('_');
            }
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// `api.add_resource(Resource, *urls, endpoint=...)`, `ns.add_resource`,
/// and the `@api.route` / `@ns.route` / `@api.resource` decorators.
pub fn add_resource<'p>(
    interp: &mut Interpreter<'p>,
    owner: ObjId,
    resource: &Value<'p>,
    urls: Vec<Value<'p>>,
    call: &CallArgs<'p>,
    site: Site,
) {
    let Value::Class(class) = resource else {
        interp.loose.push(LooseRegistration {
            rule: urls.first().and_then(|u| u.as_str().map(str::to_string)),
            reason: format!("resource is {}", value_reason(resource)),
            site,
            view: None,
        });
        return;
    };
    let flavor_restx = matches!(interp.objects.get(owner), Object::Namespace(_))
        || matches!(interp.objects.get(owner), Object::Api(a) if a.flavor == ApiFlavor::Restx);
    let explicit = call.keyword("endpoint").map(|v| v.to_string_result("endpoint"));
    let namespace_name = match interp.objects.get(owner) {
        Object::Namespace(ns) => ns.name.clone().ok(),
        _ => None,
    };
    let endpoint = explicit.unwrap_or_else(|| {
        Ok(if flavor_restx {
            let base = camel_to_dash(class.name());
            match &namespace_name {
                Some(ns) => format!("{ns}_{base}"),
                None => base,
            }
        } else {
            class.name().to_lowercase()
        })
    });
    let mut info = class_view_info(interp, class, endpoint.clone());
    if let Object::Namespace(ns) = interp.objects.get(owner) {
        info.decorators.extend(ns.decorators.iter().cloned());
    }
    let via = if flavor_restx { "flask-restx" } else { "flask-restful" };
    // Both extensions hand their other keywords to `add_url_rule`, so
    // `methods=` narrows the rule to those methods.
    let methods = call.keyword("methods").filter(|v| !matches!(v, Value::None)).map(crate::flask_api::string_list);
    let records: Vec<RuleRecord> = urls
        .iter()
        .map(|url| RuleRecord {
            rule: url.to_string_result("resource url"),
            endpoint: Some(endpoint.clone()),
            view: Some(info.clone()),
            methods: methods.clone(),
            subdomain: None,
            host: None,
            defaults: BTreeMap::new(),
            strict_slashes: None,
            site,
            conditions: interp.conditions.clone(),
            via: Some(via.into()),
        })
        .collect();
    match interp.objects.get_mut(owner) {
        Object::Api(api) => api.resources.extend(records),
        Object::Namespace(ns) => ns.resources.extend(records),
        _ => {}
    }
}

pub fn api_method<'p>(
    interp: &mut Interpreter<'p>,
    id: ObjId,
    name: &str,
    call: CallArgs<'p>,
    site: Site,
) -> Value<'p> {
    match name {
        "add_resource" => {
            let resource = call.positional.first().cloned().unwrap_or(Value::None);
            let urls = call.positional.iter().skip(1).cloned().collect();
            add_resource(interp, id, &resource, urls, &call, site);
            Value::None
        }
        "route" | "resource" => Value::Decorator(std::rc::Rc::new(PendingDecorator::Route {
            target: id,
            call: std::rc::Rc::new(call),
            method: None,
            site,
        })),
        "init_app" => {
            if let Some(Value::Object(app)) = call.arg(0, "app") {
                if let Object::Api(api) = interp.objects.get_mut(id) {
                    if !api.attached.contains(app) {
                        api.attached.push(*app);
                    }
                }
            }
            Value::None
        }
        "namespace" => {
            let ns_name = call
                .arg(0, "name")
                .map(|v| v.to_string_result("namespace name"))
                .unwrap_or_else(|| Err(Unknown::new("namespace without a name")));
            let path = match call.keyword("path") {
                None | Some(Value::None) => None,
                Some(v) => Some(v.to_string_result("namespace path")),
            };
            let ns = interp.objects.push(
                Object::Namespace(NamespaceObject {
                    name: ns_name,
                    path,
                    resources: Vec::new(),
                    decorators: Vec::new(),
                }),
                site,
            );
            if let Object::Api(api) = interp.objects.get_mut(id) {
                api.namespaces.push((ns, None));
            }
            Value::Object(ns)
        }
        "add_namespace" => {
            if let Some(Value::Object(ns)) = call.arg(0, "ns") {
                let path = match call.arg(1, "path") {
                    None | Some(Value::None) => None,
                    Some(v) => Some(v.to_string_result("namespace path")),
                };
                if let Object::Api(api) = interp.objects.get_mut(id) {
                    api.namespaces.push((*ns, path));
                }
            }
            Value::None
        }
        _ => Value::unknown(format!("result of `.{name}()` on an API")),
    }
}

fn view_arg<'p>(
    interp: &mut Interpreter<'p>,
    value: &Value<'p>,
) -> Option<(std::rc::Rc<ClassValue<'p>>, rustc_hash::FxHashMap<String, Value<'p>>)> {
    let _ = interp;
    match value {
        Value::Instance(instance) => {
            let instance = instance.borrow();
            Some((instance.class.clone(), instance.attrs.clone()))
        }
        Value::Class(class) => Some((class.clone(), Default::default())),
        _ => None,
    }
}

/// Flask-Admin `add_view(MyView(...))` and Flask-AppBuilder
/// `add_view(MyView, "Name")` / `add_view_no_menu(MyView)`.
pub fn admin_method<'p>(
    interp: &mut Interpreter<'p>,
    id: ObjId,
    name: &str,
    call: CallArgs<'p>,
    site: Site,
) -> Value<'p> {
    let Object::Admin(admin) = interp.objects.get(id).clone() else { return Value::None };
    match name {
        "init_app" => {
            if let Some(Value::Object(app)) = call.arg(0, "app") {
                let app = *app;
                if admin.appbuilder {
                    if let Object::Admin(a) = interp.objects.get_mut(id) {
                        a.attached.push(app);
                    }
                    fab_add_index_view(interp, id, site);
                    fab_register_security_views(interp, id);
                } else {
                    crate::flask_api::register_admin_index(interp, id, app, site);
                }
            }
            Value::None
        }
        "add_view" | "add_view_no_menu" | "add_api" | "add_views" | "add_link" => {
            let views: Vec<Value<'p>> = if name == "add_views" {
                call.positional.clone()
            } else {
                call.positional.first().cloned().into_iter().collect()
            };
            if name == "add_link" {
                return Value::None;
            }
            for view in views {
                let Some((class, attrs)) = view_arg(interp, &view) else {
                    interp.loose.push(LooseRegistration {
                        rule: None,
                        reason: format!("admin view is {}", value_reason(&view)),
                        site,
                        view: None,
                    });
                    continue;
                };
                // Flask-AppBuilder adds a view class once (`_view_exists`).
                let class_name = format!("{}:{}", interp.project.module(class.module).name, class.qualname);
                let current_views = match interp.objects.get(id) {
                    Object::Admin(a) => a.views.clone(),
                    _ => Vec::new(),
                };
                let added = current_views
                    .iter()
                    .any(|view| matches!(interp.objects.get(*view), Object::Blueprint(bp) if bp.class == class_name));
                if admin.appbuilder && added {
                    continue;
                }
                let bp = admin_view_blueprint(interp, name, &admin, &class, &attrs, &call, site);
                if let Object::Admin(a) = interp.objects.get_mut(id) {
                    a.views.push(bp);
                }
            }
            Value::None
        }
        _ => Value::unknown(format!("result of `.{name}()` on an admin")),
    }
}

/// Flask-Admin's `Admin(index_view=MyIndexView(...))`: the project's index
/// view becomes the admin's index blueprint, at the admin's URL and
/// endpoint, with `AdminIndexView.index` at "/" unless it exposes its own.
pub fn admin_index_view<'p>(interp: &mut Interpreter<'p>, id: ObjId, view: &Value<'p>, site: Site) {
    let Object::Admin(admin) = interp.objects.get(id).clone() else { return };
    let Some((class, mut attrs)) = view_arg(interp, view) else { return };
    attrs.insert("__arg_url".into(), Value::str(&admin.url));
    attrs.insert("__arg_endpoint".into(), Value::str(&admin.endpoint));
    let call = CallArgs { positional: Vec::new(), keywords: Vec::new() };
    let bp = admin_view_blueprint(interp, "index_view", &admin, &class, &attrs, &call, site);
    if let Object::Blueprint(blueprint) = interp.objects.get_mut(bp) {
        if !blueprint.rules.iter().any(|rule| matches!(&rule.endpoint, Some(Ok(e)) if e == "index")) {
            blueprint.rules.push(RuleRecord {
                via: Some("flask-admin".into()),
                ..crate::flatten::builtin_rule("/".into(), "index", site)
            });
        }
    }
    if let Object::Admin(a) = interp.objects.get_mut(id) {
        a.views.push(bp);
        a.custom_index = true;
    }
}

/// Whether `receiver.create_blueprint(...)` is Flask-AppBuilder's
/// `BaseView.create_blueprint` on a project view (the project does not
/// define its own).
pub fn is_fab_view_blueprint_call(receiver: &Value<'_>, name: &str) -> bool {
    let class = match receiver {
        Value::Instance(instance) => instance.borrow().class.clone(),
        Value::Class(class) => class.clone(),
        _ => return false,
    };
    name == "create_blueprint"
        && class.lookup(name).is_none()
        && class.external_bases().iter().any(|base| base.starts_with("flask_appbuilder."))
}

/// `view.create_blueprint(appbuilder, endpoint=None, static_folder=None)`
/// called by the project itself (Airflow's own copy of `AppBuilder`): the
/// blueprint Flask-AppBuilder builds for the view, as `add_view` would.
pub fn fab_create_blueprint<'p>(
    interp: &mut Interpreter<'p>,
    receiver: &Value<'p>,
    call: &CallArgs<'p>,
    site: Site,
) -> Value<'p> {
    let Some((class, attrs)) = view_arg(interp, receiver) else {
        return Value::unknown("result of `.create_blueprint()`");
    };
    let appbuilder = AdminObject { appbuilder: true, ..Default::default() };
    Value::Object(admin_view_blueprint(interp, "create_blueprint", &appbuilder, &class, &attrs, call, site))
}

/// `AppBuilder.init_app` registers the index view (`add_view_no_menu`): a
/// project class set as `appbuilder.indexview = MyIndexView` (or passed as
/// `AppBuilder(indexview=...)`) before; FAB's own `IndexView` otherwise
/// (the library's route, not listed).
pub fn fab_add_index_view<'p>(interp: &mut Interpreter<'p>, id: ObjId, site: Site) {
    let Some(view) = interp.object_attrs.get(&id).and_then(|attrs| attrs.get("indexview")).cloned() else {
        return;
    };
    if matches!(view, Value::Class(_)) {
        let call = CallArgs { positional: vec![view], keywords: Vec::new() };
        admin_method(interp, id, "add_view_no_menu", call, site);
    }
}

/// `AppBuilder.init_app` builds `security_manager_class(appbuilder)` and
/// calls its `register_views()`: a project security manager (set as
/// `appbuilder.security_manager_class = X` before `init_app`, or given as
/// `AppBuilder(..., security_manager_class=X)`) that overrides
/// `register_views` has that override followed, with `self.appbuilder` the
/// appbuilder. FAB's own part (its login, user and role views) is the
/// library's and is not listed.
pub fn fab_register_security_views<'p>(interp: &mut Interpreter<'p>, id: ObjId) {
    let Some(Value::Class(class)) =
        interp.object_attrs.get(&id).and_then(|attrs| attrs.get("security_manager_class")).cloned()
    else {
        return;
    };
    if !class.external_bases().iter().any(|b| b.starts_with("flask_appbuilder.")) {
        return;
    }
    let Some(Value::Function(register)) = class.lookup("register_views") else { return };
    let mut attrs = rustc_hash::FxHashMap::default();
    attrs.insert("appbuilder".to_string(), Value::Object(id));
    let instance =
        Value::Instance(std::rc::Rc::new(std::cell::RefCell::new(crate::value::InstanceValue { class, attrs })));
    let call = CallArgs { positional: vec![instance], keywords: Vec::new() };
    interp.call_function(&register, &call);
}

/// A Flask-AppBuilder REST API class (`flask_appbuilder.api`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum FabApi {
    BaseApi,
    ModelRestApi,
}

fn fab_api_kind(class: &ClassValue<'_>) -> Option<FabApi> {
    let bases = class.external_bases();
    if bases.iter().any(|b| b.ends_with(".ModelRestApi") && b.starts_with("flask_appbuilder.")) {
        Some(FabApi::ModelRestApi)
    } else if bases.iter().any(|b| b.starts_with("flask_appbuilder.api.") || &**b == "flask_appbuilder.BaseApi") {
        Some(FabApi::BaseApi)
    } else {
        None
    }
}

/// One route a Flask-AppBuilder class exposes itself: (rule, method,
/// HTTP methods, guard decorator).
type FabRoute = (&'static str, &'static str, &'static [&'static str], Option<&'static str>);

const GET: &[&str] = &["GET"];
const POST: &[&str] = &["POST"];
const GET_POST: &[&str] = &["GET", "POST"];

/// One class of Flask-AppBuilder's own: its module, the library class it
/// derives from, and the routes its methods `@expose`.
struct FabLibraryClass {
    name: &'static str,
    module: &'static str,
    parent: Option<&'static str>,
    routes: &'static [FabRoute],
}

const fn fab(
    name: &'static str,
    module: &'static str,
    parent: Option<&'static str>,
    routes: &'static [FabRoute],
) -> FabLibraryClass {
    FabLibraryClass { name, module, parent, routes }
}

const MODEL_REST_API: &[FabRoute] = &[
    ("/_info", "info", GET, Some("protect")),
    ("/<int:pk>", "get", GET, Some("protect")),
    ("/", "get_list", GET, Some("protect")),
    ("/", "post", POST, Some("protect")),
    ("/<pk>", "put", &["PUT"], Some("protect")),
    ("/<pk>", "delete", &["DELETE"], Some("protect")),
];

/// `RestCRUDView`: the JSON endpoints every `ModelView` has.
const REST_CRUD_VIEW: &[FabRoute] = &[
    ("/api", "api", GET, Some("has_access_api")),
    ("/api/read", "api_read", GET, Some("has_access_api")),
    ("/api/get/<pk>", "api_get", GET, Some("has_access_api")),
    ("/api/create", "api_create", POST, Some("has_access_api")),
    ("/api/update/<pk>", "api_update", &["PUT"], Some("has_access_api")),
    ("/api/delete/<pk>", "api_delete", &["DELETE"], Some("has_access_api")),
    ("/api/column/add/<col_name>", "api_column_add", GET, Some("has_access_api")),
    ("/api/column/edit/<col_name>", "api_column_edit", GET, Some("has_access_api")),
    ("/api/readvalues", "api_readvalues", GET, Some("has_access_api")),
];

const MODEL_VIEW: &[FabRoute] = &[
    ("/list/", "list", GET, Some("has_access")),
    ("/show/<pk>", "show", GET, Some("has_access")),
    ("/add", "add", GET_POST, Some("has_access")),
    ("/edit/<pk>", "edit", GET_POST, Some("has_access")),
    ("/delete/<pk>", "delete", GET_POST, Some("has_access")),
    ("/download/<string:filename>", "download", GET, Some("has_access")),
    ("/action/<string:name>/<pk>", "action", GET_POST, None),
    ("/action_post", "action_post", POST, None),
];

const COMPACT_CRUD_MIXIN: &[FabRoute] = &[
    ("/list/", "list", GET_POST, Some("has_access")),
    ("/add/", "add", GET_POST, Some("has_access")),
    ("/edit/<pk>", "edit", GET_POST, Some("has_access")),
    ("/delete/<pk>", "delete", GET_POST, Some("has_access")),
];

const LIST_VIEW: &[FabRoute] = &[("/list/", "list", GET, Some("has_access"))];

const MASTER_DETAIL_VIEW: &[FabRoute] =
    &[("/list/", "list", GET, Some("has_access")), ("/list/<pk>", "list", GET, Some("has_access"))];

const CHART_VIEW: &[FabRoute] =
    &[("/chart/<group_by>", "chart", GET, Some("has_access")), ("/chart/", "chart", GET, Some("has_access"))];

const TIME_CHART_VIEW: &[FabRoute] =
    &[("/chart/<group_by>/<period>", "chart", GET, Some("has_access")), ("/chart/", "chart", GET, Some("has_access"))];

const SIMPLE_FORM_VIEW: &[FabRoute] =
    &[("/form", "this_form_get", GET, Some("has_access")), ("/form", "this_form_post", POST, Some("has_access"))];

const PUBLIC_FORM_VIEW: &[FabRoute] = &[("/form", "this_form_get", GET, None), ("/form", "this_form_post", POST, None)];

const USER_INFO: &[FabRoute] = &[("/userinfo/", "userinfo", GET, Some("has_access"))];

/// `AuthView` and the login views derived from it.
const AUTH_VIEW: &[FabRoute] = &[("/login/", "login", GET_POST, None), ("/logout/", "logout", GET, None)];

const AUTH_OAUTH_VIEW: &[FabRoute] = &[
    ("/login/", "login", GET, None),
    ("/login/<provider>", "login", GET, None),
    ("/oauth-authorized/<provider>", "oauth_authorized", GET, None),
];

const AUTH_REMOTE_USER_VIEW: &[FabRoute] = &[("/login/", "login", GET, None)];

const VIEWS: &str = "flask_appbuilder.views";
const SECURITY: &str = "flask_appbuilder.security.views";
const CHARTS: &str = "flask_appbuilder.charts.views";

/// Flask-AppBuilder 4's view classes (flask_appbuilder/api, views,
/// charts/views and security/views) and what each exposes; a class without
/// routes of its own inherits its parent's.
const FAB_LIBRARY: &[FabLibraryClass] = &[
    fab("ModelRestApi", "flask_appbuilder.api", None, MODEL_REST_API),
    fab("IndexView", VIEWS, None, &[("/", "index", GET, None)]),
    fab("UtilView", VIEWS, None, &[("/back", "back", GET, None)]),
    fab("SimpleFormView", VIEWS, None, SIMPLE_FORM_VIEW),
    fab("PublicFormView", VIEWS, None, PUBLIC_FORM_VIEW),
    fab("RestCRUDView", VIEWS, None, REST_CRUD_VIEW),
    fab("ModelView", VIEWS, Some("RestCRUDView"), MODEL_VIEW),
    fab("MasterDetailView", VIEWS, None, MASTER_DETAIL_VIEW),
    fab("MultipleView", VIEWS, None, LIST_VIEW),
    fab("CompactCRUDMixin", VIEWS, None, COMPACT_CRUD_MIXIN),
    fab("GroupByChartView", CHARTS, None, CHART_VIEW),
    fab("DirectByChartView", CHARTS, Some("GroupByChartView"), &[]),
    fab("ChartView", CHARTS, None, CHART_VIEW),
    fab("DirectChartView", CHARTS, None, CHART_VIEW),
    fab("TimeChartView", CHARTS, None, TIME_CHART_VIEW),
    fab("PermissionModelView", SECURITY, Some("ModelView"), &[]),
    fab("ViewMenuModelView", SECURITY, Some("ModelView"), &[]),
    fab("PermissionViewModelView", SECURITY, Some("ModelView"), &[]),
    fab("RoleModelView", SECURITY, Some("ModelView"), &[]),
    fab("RegisterUserModelView", SECURITY, Some("ModelView"), &[]),
    fab("UserModelView", SECURITY, Some("ModelView"), USER_INFO),
    fab("UserDBModelView", SECURITY, Some("UserModelView"), &[]),
    fab("UserLDAPModelView", SECURITY, Some("UserModelView"), &[]),
    fab("UserOIDModelView", SECURITY, Some("UserModelView"), &[]),
    fab("UserOAuthModelView", SECURITY, Some("UserModelView"), &[]),
    fab("UserRemoteUserModelView", SECURITY, Some("UserModelView"), &[]),
    fab("UserStatsChartView", SECURITY, Some("DirectByChartView"), &[]),
    fab("ResetMyPasswordView", SECURITY, Some("SimpleFormView"), &[]),
    fab("ResetPasswordView", SECURITY, Some("SimpleFormView"), &[]),
    fab("UserInfoEditView", SECURITY, Some("SimpleFormView"), &[]),
    fab("AuthView", SECURITY, None, AUTH_VIEW),
    fab("AuthDBView", SECURITY, Some("AuthView"), &[]),
    fab("AuthLDAPView", SECURITY, Some("AuthView"), &[]),
    fab("AuthOIDView", SECURITY, Some("AuthView"), &[]),
    fab("AuthOAuthView", SECURITY, Some("AuthView"), AUTH_OAUTH_VIEW),
    fab("AuthRemoteUserView", SECURITY, Some("AuthView"), AUTH_REMOTE_USER_VIEW),
];

fn fab_library_class(name: &str) -> Option<&'static FabLibraryClass> {
    FAB_LIBRARY.iter().find(|class| class.name == name)
}

/// The Flask-AppBuilder classes a project class derives from, each followed
/// by its library ancestors, in base order (a mixin listed first wins).
fn fab_library_ancestry(class: &ClassValue<'_>) -> Vec<&'static FabLibraryClass> {
    let mut chain = Vec::new();
    for base in class.external_bases() {
        if !base.starts_with("flask_appbuilder.") {
            continue;
        }
        let mut next = fab_library_class(base.rsplit('.').next().unwrap_or_default());
        while let Some(library) = next {
            if !chain.iter().any(|seen: &&FabLibraryClass| seen.name == library.name) {
                chain.push(library);
            }
            next = library.parent.and_then(fab_library_class);
        }
    }
    chain
}

/// The routes Flask-AppBuilder's own classes expose for a project class,
/// each with the library class (`module:Class`) that defines it; a method
/// defined nearer the project class hides the same method further up, as
/// Python's attribute lookup does.
fn fab_builtin_routes(class: &ClassValue<'_>) -> Vec<(String, FabRoute)> {
    let mut routes: Vec<(String, FabRoute)> = Vec::new();
    let mut methods_seen: Vec<&str> = Vec::new();
    for library in fab_library_ancestry(class) {
        let mut defined_here = Vec::new();
        for &route in library.routes {
            let method = route.1;
            if methods_seen.contains(&method) {
                continue;
            }
            defined_here.push(method);
            routes.push((format!("{}:{}", library.module, library.name), route));
        }
        methods_seen.extend(defined_here);
    }
    routes
}

/// `BaseApi.create_blueprint`: `/api/<version>/<resource_name>`, with
/// `version` "v1" and `resource_name` the lower-cased class name by default.
fn fab_api_base(class: &ClassValue<'_>) -> String {
    let version = match class.lookup("version") {
        Some(value) => value.display().unwrap_or_else(|| "v1".into()),
        None => "v1".into(),
    };
    let resource = match class.lookup("resource_name") {
        Some(Value::Str(name)) if !name.is_empty() => name.to_string(),
        _ => class.name().to_string(),
    };
    format!("/api/{version}/{}", resource.to_lowercase())
}

/// Which methods of a Flask-AppBuilder view get their `@expose` routes:
/// those in `include_route_methods` (when set) and not in
/// `exclude_route_methods`. Everything for Flask-Admin.
fn route_method_filter(class: &ClassValue<'_>, appbuilder: bool) -> impl Fn(&str) -> bool {
    // FAB tests `name in include_route_methods`: on a set or list that is
    // membership, on a single string (`include_route_methods = "list"`) it is
    // Python's substring test.
    enum Names {
        Items(Vec<String>),
        Text(String),
    }
    let names = |attr: &str| -> Option<Names> {
        let value = class.lookup(attr)?;
        if let Value::Str(text) = &value {
            return Some(Names::Text(text.to_string()));
        }
        let items = value.iter_items()?;
        Some(Names::Items(items.iter().filter_map(|v| v.as_str().map(str::to_string)).collect()))
    };
    let contains = |names: &Names, name: &str| match names {
        Names::Items(items) => items.iter().any(|n| n == name),
        Names::Text(text) => text.contains(name),
    };
    let (include, exclude) =
        if appbuilder { (names("include_route_methods"), names("exclude_route_methods")) } else { (None, None) };
    move |name: &str| {
        include.as_ref().is_none_or(|names| contains(names, name))
            && !exclude.as_ref().is_some_and(|names| contains(names, name))
    }
}

fn attr_string(
    class: &ClassValue<'_>,
    attrs: &rustc_hash::FxHashMap<String, Value<'_>>,
    keyword: &str,
    index: Option<usize>,
    class_attr: &str,
) -> Option<String> {
    attrs
        .get(&format!("__arg_{keyword}"))
        .or_else(|| index.and_then(|i| attrs.get(&format!("__arg_{i}"))))
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| class.lookup(class_attr).and_then(|v| v.as_str().map(str::to_string)))
}

/// Turns one admin view into the blueprint the library would create, with
/// a rule per exposed method.
fn admin_view_blueprint<'p>(
    interp: &mut Interpreter<'p>,
    method_name: &str,
    admin: &AdminObject,
    class: &std::rc::Rc<ClassValue<'p>>,
    attrs: &rustc_hash::FxHashMap<String, Value<'p>>,
    call: &CallArgs<'p>,
    site: Site,
) -> ObjId {
    let is_model_view =
        class.external_bases().iter().any(|b| b.starts_with("flask_admin.contrib.") || b.ends_with("ModelView"));
    let fab_api = if admin.appbuilder { fab_api_kind(class) } else { None };
    let (endpoint, url) = if admin.appbuilder {
        // `create_blueprint(appbuilder, endpoint=...)`: the argument of
        // `add_view_no_menu` / `add_api`, else the class name (the class
        // attribute `endpoint` is overwritten).
        let endpoint = call
            .keyword("endpoint")
            .or_else(|| {
                matches!(method_name, "add_view_no_menu" | "create_blueprint").then(|| call.positional.get(1)).flatten()
            })
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| class.name().to_string());
        let route_base = match class.lookup("route_base") {
            Some(Value::Str(base)) => base.to_string(),
            _ if fab_api.is_some() => fab_api_base(class),
            // FAB's `IndexView` has `route_base = ""`.
            _ if fab_library_ancestry(class).iter().any(|library| library.name == "IndexView") => String::new(),
            _ => format!("/{}", class.name().to_lowercase()),
        };
        (endpoint, route_base)
    } else {
        let model_name = attrs.get("__arg_0").and_then(|v| match v {
            Value::Class(c) => Some(c.name().to_lowercase()),
            _ => None,
        });
        let endpoint = attr_string(class, attrs, "endpoint", None, "endpoint")
            .or(if is_model_view { model_name } else { None })
            .unwrap_or_else(|| class.name().to_lowercase());
        let url = match attr_string(class, attrs, "url", None, "url") {
            Some(url) if url.starts_with('/') => url,
            Some(url) => format!("{}/{url}", admin.url),
            None if admin.url != "/" => format!("{}/{endpoint}", admin.url),
            None => format!("/{endpoint}"),
        };
        (endpoint, url)
    };
    let mut rules = Vec::new();
    let mut seen = rustc_hash::FxHashSet::default();
    // Flask-AppBuilder's `include_route_methods` / `exclude_route_methods`.
    let routed = route_method_filter(class, admin.appbuilder);
    let mut collect = |klass: &ClassValue<'p>, rules: &mut Vec<RuleRecord>| {
        for (method_name, value) in klass.attrs.borrow().iter() {
            let Value::Function(f) = value else { continue };
            if !seen.insert(method_name.clone()) || !routed(method_name) {
                continue;
            }
            let mut info = crate::flask_api::view_info(interp, value, &[]).expect("functions have view info");
            info.name = Ok(method_name.clone());
            for expose in f.exposes.borrow().iter() {
                rules.push(RuleRecord {
                    rule: expose.url.clone(),
                    endpoint: Some(Ok(method_name.clone())),
                    view: Some(info.clone()),
                    methods: expose.methods.clone().map(Ok),
                    subdomain: None,
                    host: None,
                    defaults: BTreeMap::new(),
                    strict_slashes: None,
                    site,
                    conditions: interp.conditions.clone(),
                    via: Some(if admin.appbuilder { "flask-appbuilder" } else { "flask-admin" }.into()),
                });
            }
        }
    };
    let mut chain = vec![class.clone()];
    let mut index = 0;
    while index < chain.len() {
        let current = chain[index].clone();
        collect(&current, &mut rules);
        for base in &current.bases {
            if let Value::Class(base) = base {
                chain.push(base.clone());
            }
        }
        index += 1;
    }
    if admin.appbuilder {
        // The routes Flask-AppBuilder's own classes expose (ModelRestApi,
        // ModelView, the form views), with their guard; a project override
        // without `@expose` replaces the method, and so removes its route.
        let module = interp.project.module(class.module);
        let class_line = module.line_of(ruff_text_size::Ranged::range(class.def).start());
        let rest_crud_view =
            *interp.fab_rest_crud_view.get_or_init(|| crate::library_versions::fab_has_rest_crud_view(interp.project));
        for (library_class, (rule, method, http, guard)) in fab_builtin_routes(class) {
            if seen.contains(method) || !routed(method) {
                continue;
            }
            let rule = match (library_class.ends_with(":RestCRUDView"), rest_crud_view) {
                (true, Some(false)) => continue,
                (true, None) => Err(Unknown::new(format!(
                    "`{rule}` exists only with Flask-AppBuilder before 5.0 (`RestCRUDView`), and the project \
                     declares no version of it"
                ))),
                _ => Ok(rule.to_string()),
            };
            let decorators = guard
                .map(|name| crate::value::DecoratorInfo { name: name.into(), module: class.module, line: class_line })
                .into_iter()
                .collect();
            rules.push(RuleRecord {
                rule,
                endpoint: Some(Ok(method.into())),
                view: Some(ViewInfo {
                    display: format!("{library_class}.{method}"),
                    name: Ok(method.into()),
                    methods: None,
                    decorators,
                    doc: None,
                    site: None,
                }),
                methods: Some(Ok(http.iter().map(|m| m.to_string()).collect())),
                subdomain: None,
                host: None,
                defaults: BTreeMap::new(),
                strict_slashes: None,
                site,
                conditions: interp.conditions.clone(),
                via: Some("flask-appbuilder".into()),
            });
        }
    }
    if is_model_view && !admin.appbuilder {
        for (rule, method, methods) in [
            ("/", "index_view", None),
            ("/new/", "create_view", Some(vec!["GET", "POST"])),
            ("/edit/", "edit_view", Some(vec!["GET", "POST"])),
            ("/details/", "details_view", None),
            ("/delete/", "delete_view", Some(vec!["POST"])),
            ("/action/", "action_view", Some(vec!["POST"])),
            ("/export/<export_type>/", "export", None),
            ("/ajax/lookup/", "ajax_lookup", None),
            ("/ajax/update/", "ajax_update", Some(vec!["POST"])),
        ] {
            if seen.contains(method) {
                continue;
            }
            rules.push(RuleRecord {
                rule: Ok(rule.into()),
                endpoint: Some(Ok(method.into())),
                view: None,
                methods: methods.map(|m| Ok(m.into_iter().map(String::from).collect())),
                subdomain: None,
                host: None,
                defaults: BTreeMap::new(),
                strict_slashes: None,
                site,
                conditions: interp.conditions.clone(),
                via: Some("flask-admin".into()),
            });
        }
    }
    // Flask-Admin's `BaseView(static_folder=...)` gives the view's blueprint
    // a static route at `/<folder name>/<path:filename>` below its URL.
    let static_folder = match attrs.get("__arg_static_folder") {
        Some(Value::Str(path)) if !admin.appbuilder => {
            path.trim_end_matches('/').rsplit('/').next().map(str::to_string)
        }
        _ => None,
    };
    let bp = interp.objects.push(
        Object::Blueprint(BlueprintObject {
            name: Ok(endpoint),
            url_prefix: Some(Ok(url)),
            static_folder,
            class: format!("{}:{}", interp.project.module(class.module).name, class.qualname),
            rules,
            ..Default::default()
        }),
        site,
    );
    bp
}
