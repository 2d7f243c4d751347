//! Flask-world objects the interpreter creates (apps, blueprints, APIs,
//! extensions) and what gets registered on them. Routes are flattened
//! from these records into the catalog by `flatten.rs`, following Flask's
//! own registration logic.

use std::collections::BTreeMap;

use crate::value::{DecoratorInfo, Site, Unknown};

/// Index into [`Objects`].
pub type ObjId = usize;

/// How a view function got its methods and name.
#[derive(Debug, Clone)]
pub struct ViewInfo {
    /// `module:qualname`.
    pub display: String,
    /// `__name__` of the view function: the default endpoint.
    pub name: Result<String, Unknown>,
    /// `methods` the view itself declares (class views), if any.
    pub methods: Option<Vec<String>>,
    /// Decorators wrapping the view (guards are picked from these).
    pub decorators: Vec<DecoratorInfo>,
    /// The view's docstring first line (OpenAPI summary).
    pub doc: Option<String>,
    pub site: Option<Site>,
}

/// One `add_url_rule` (direct or through a decorator) on an app or blueprint.
#[derive(Debug, Clone)]
pub struct RuleRecord {
    pub rule: Result<String, Unknown>,
    pub endpoint: Option<Result<String, Unknown>>,
    pub view: Option<ViewInfo>,
    pub methods: Option<Result<Vec<String>, Unknown>>,
    pub subdomain: Option<String>,
    pub host: Option<String>,
    pub defaults: BTreeMap<String, String>,
    pub strict_slashes: Option<bool>,
    pub site: Site,
    /// Conditions (source text) under which the registration runs.
    pub conditions: Vec<String>,
    /// Which extension added it (`flask-restx`, …), for reports.
    pub via: Option<String>,
}

/// `register_blueprint(bp, url_prefix=..., subdomain=..., name=...)`.
#[derive(Debug, Clone)]
pub struct BlueprintRegistration {
    pub blueprint: ObjId,
    pub url_prefix: Option<Result<String, Unknown>>,
    pub subdomain: Option<String>,
    pub name: Option<Result<String, Unknown>>,
    pub site: Site,
    pub conditions: Vec<String>,
}

/// A request hook or error handler.
#[derive(Debug, Clone, PartialEq)]
pub struct HandlerRecord {
    /// `before_request`, `errorhandler`, `before_app_request`, …
    pub kind: String,
    /// The error code or exception for error handlers.
    pub arg: Option<String>,
    pub function: String,
    pub site: Site,
    /// The hook's function body mentions authentication.
    pub auth_like: bool,
}

#[derive(Debug, Clone, Default)]
pub struct AppObject {
    pub import_name: Option<String>,
    pub class: String,
    pub static_folder: Option<String>,
    pub static_url_path: Option<String>,
    pub static_host: Option<String>,
    pub factory: Option<String>,
    pub variable: Option<String>,
    pub rules: Vec<RuleRecord>,
    pub blueprints: Vec<BlueprintRegistration>,
    pub handlers: Vec<HandlerRecord>,
    pub config_sources: Vec<(String, Site)>,
    /// String config values the project sets (`from_object` of a project
    /// class or module, `config[key] = "..."`), in order.
    pub config_values: Vec<ConfigValue>,
    pub unresolved_static: Option<Unknown>,
    /// The project function (not a method) whose body built the app, and
    /// its name: an app built there that never leaves it is a throwaway.
    pub built_in: Option<(usize, String)>,
    /// The app left the function that built it: returned or yielded, kept
    /// in a module global or an attribute, passed to library code, or run.
    pub escapes: bool,
}

/// One string config value the project sets.
#[derive(Debug, Clone)]
pub struct ConfigValue {
    pub key: String,
    pub value: String,
    /// Where it comes from: `DefaultConfig`, `config["KEY"] = ...`.
    pub source: String,
    /// Configuration read at run time after it (`from_envvar`, `from_pyfile`) may replace it.
    pub replaceable_by: Option<String>,
}

#[derive(Debug, Clone)]
pub struct BlueprintObject {
    pub name: Result<String, Unknown>,
    pub import_name: Option<String>,
    pub url_prefix: Option<Result<String, Unknown>>,
    pub subdomain: Option<String>,
    pub static_folder: Option<String>,
    pub static_url_path: Option<String>,
    pub class: String,
    pub variable: Option<String>,
    pub rules: Vec<RuleRecord>,
    pub children: Vec<BlueprintRegistration>,
    pub handlers: Vec<HandlerRecord>,
}

/// A Flask-RESTful / Flask-RESTX / flask-smorest `Api`.
#[derive(Debug, Clone)]
pub struct ApiObject {
    pub flavor: ApiFlavor,
    pub prefix: Result<String, Unknown>,
    /// The app or blueprint it is attached to (constructor or `init_app`).
    pub attached: Vec<ObjId>,
    /// Flask-RESTX doc route (`doc=` argument); `None` when disabled.
    pub doc: Option<String>,
    pub site: Option<Site>,
    /// Resources added before attachment: (resource rule records).
    pub resources: Vec<RuleRecord>,
    /// RESTX namespaces added to this API, with the path override.
    pub namespaces: Vec<(ObjId, Option<Result<String, Unknown>>)>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ApiFlavor {
    #[default]
    Restful,
    Restx,
}

/// A Flask-RESTX `Namespace`.
#[derive(Debug, Clone)]
pub struct NamespaceObject {
    pub name: Result<String, Unknown>,
    pub path: Option<Result<String, Unknown>>,
    pub resources: Vec<RuleRecord>,
    pub decorators: Vec<DecoratorInfo>,
}

/// Flask-Admin `Admin` or Flask-AppBuilder `AppBuilder`.
#[derive(Debug, Clone, Default)]
pub struct AdminObject {
    pub appbuilder: bool,
    pub url: String,
    pub endpoint: String,
    pub attached: Vec<ObjId>,
    /// The views added: each becomes a blueprint.
    pub views: Vec<ObjId>,
    pub site: Option<Site>,
    /// Flask-Admin's `Admin(index_view=MyIndexView(...))`: the project's
    /// index view is among `views`, in place of the library's.
    pub custom_index: bool,
}

/// A well-known extension instance (SQLAlchemy, LoginManager, …).
#[derive(Debug, Clone)]
pub struct ExtensionObject {
    pub kind: String,
    pub package: String,
    pub class: String,
    pub variable: Option<String>,
    pub site: Site,
    /// `constructor` or `init_app`, with the app it was wired to.
    pub wiring: Vec<(String, Option<ObjId>, Site)>,
}

#[derive(Debug, Clone)]
pub enum Object {
    App(AppObject),
    Blueprint(BlueprintObject),
    Api(ApiObject),
    Namespace(NamespaceObject),
    Admin(AdminObject),
    Extension(ExtensionObject),
    /// `app.config` of an app.
    Config(ObjId),
}

/// All objects, with their creation sites.
#[derive(Debug, Default)]
pub struct Objects {
    pub items: Vec<(Object, Site)>,
}

impl Objects {
    pub fn push(&mut self, object: Object, site: Site) -> ObjId {
        self.items.push((object, site));
        self.items.len() - 1
    }

    pub fn get(&self, id: ObjId) -> &Object {
        &self.items[id].0
    }

    /// How many rules, resources, blueprint registrations and admin views
    /// all objects hold: grows whenever anything is registered.
    pub fn registration_count(&self) -> usize {
        self.items
            .iter()
            .map(|(object, _)| match object {
                Object::App(app) => app.rules.len() + app.blueprints.len(),
                Object::Blueprint(bp) => bp.rules.len() + bp.children.len(),
                Object::Api(api) => api.resources.len() + api.namespaces.len(),
                Object::Namespace(ns) => ns.resources.len(),
                Object::Admin(admin) => admin.views.len(),
                Object::Extension(_) | Object::Config(_) => 0,
            })
            .sum()
    }

    /// The project's app when exactly one has been made so far.
    pub fn sole_app(&self) -> Option<ObjId> {
        let mut apps = self.items.iter().enumerate().filter(|(_, (object, _))| matches!(object, Object::App(_)));
        match (apps.next(), apps.next()) {
            (Some((id, _)), None) => Some(id),
            _ => None,
        }
    }

    pub fn get_mut(&mut self, id: ObjId) -> &mut Object {
        &mut self.items[id].0
    }

    pub fn site(&self, id: ObjId) -> Site {
        self.items[id].1
    }

    pub fn app_mut(&mut self, id: ObjId) -> Option<&mut AppObject> {
        match self.get_mut(id) {
            Object::App(app) => Some(app),
            _ => None,
        }
    }

    /// Adds a rule to an app or blueprint.
    pub fn add_rule(&mut self, target: ObjId, record: RuleRecord) {
        match self.get_mut(target) {
            Object::App(app) => app.rules.push(record),
            Object::Blueprint(bp) => bp.rules.push(record),
            _ => {}
        }
    }

    /// Adds a hook or error handler to an app or blueprint, once: code
    /// that the interpreter runs more than once (a helper called from
    /// several factories building the same app) registers it again.
    pub fn add_handler(&mut self, target: ObjId, record: HandlerRecord) {
        let handlers = match self.get_mut(target) {
            Object::App(app) => &mut app.handlers,
            Object::Blueprint(bp) => &mut bp.handlers,
            _ => return,
        };
        if !handlers.contains(&record) {
            handlers.push(record);
        }
    }
}

fn unnamed() -> Result<String, Unknown> {
    Err(Unknown::new("no name given"))
}

impl Default for BlueprintObject {
    fn default() -> Self {
        Self {
            name: unnamed(),
            import_name: None,
            url_prefix: None,
            subdomain: None,
            static_folder: None,
            static_url_path: None,
            class: String::new(),
            variable: None,
            rules: Vec::new(),
            children: Vec::new(),
            handlers: Vec::new(),
        }
    }
}

impl Default for ApiObject {
    fn default() -> Self {
        Self {
            flavor: ApiFlavor::default(),
            prefix: Ok(String::new()),
            attached: Vec::new(),
            doc: None,
            site: None,
            resources: Vec::new(),
            namespaces: Vec::new(),
        }
    }
}
