//! Turns the interpreter's objects into catalog entries, applying Flask's
//! registration logic: blueprint prefixes (registration wins), nested
//! blueprints (dotted names, joined prefixes), subdomains, default
//! endpoints and methods, the built-in static routes, and the routes the
//! API and admin extensions add.

use std::collections::{BTreeMap, HashMap, HashSet};

use retort_python::Project;

use crate::catalog::{self, Guard, Location, Route, Unresolved};
use crate::interp::Interpreter;
use crate::objects::*;
use crate::value::{DecoratorInfo, Site, Unknown};

/// Registration context of a blueprint, as Flask's `BlueprintSetupState`.
#[derive(Clone)]
struct SetupState {
    url_prefix: Option<String>,
    subdomain: Option<String>,
    /// The full registered name (`parent.child`).
    name: String,
    conditions: Vec<String>,
    /// `before_request` hooks of the app and enclosing blueprints.
    hooks: Vec<Guard>,
    unresolved: Option<Unresolved>,
    /// A `url_prefix` here or above could not be determined: rules lack it.
    prefix_unknown: bool,
    /// The blueprint class's own `make_setup_state` (`Class.make_setup_state`
    /// at file:line): project code decides how rules are prefixed.
    custom_setup: Option<String>,
}

pub struct Flattened {
    pub apps: Vec<catalog::App>,
    pub blueprints: Vec<catalog::Blueprint>,
    pub routes: Vec<Route>,
    pub error_handlers: Vec<catalog::Handler>,
    pub hooks: Vec<catalog::Handler>,
    pub extensions: Vec<catalog::Extension>,
}

const AUTH_WORDS: &[&str] = &[
    "login_required",
    "auth",
    "jwt_required",
    "token_required",
    "roles_required",
    "roles_accepted",
    "permission",
    "admin_required",
    "has_access",
    "requires_",
    "require_login",
    "verify_jwt",
    "protect",
    "fresh_jwt",
];

/// Whether a decorator name looks like an authentication guard.
pub fn is_auth_decorator(name: &str, extra: &[String]) -> bool {
    let last = name.rsplit('.').next().unwrap_or(name).to_ascii_lowercase();
    let full = name.to_ascii_lowercase();
    extra.iter().any(|e| e == name || e == &last)
        || AUTH_WORDS.iter().any(|w| last.contains(w) || full.starts_with("auth."))
}

struct Flattener<'a, 'p> {
    interp: &'a Interpreter<'p>,
    project: &'p Project,
    extra_auth: &'a [String],
    out: Flattened,
    seen_routes: HashSet<String>,
    registered_blueprints: HashSet<ObjId>,
    /// Blueprints registered on throwaway apps, with the function that built the app.
    on_throwaway_apps: HashMap<ObjId, String>,
}

pub fn flatten(interp: &Interpreter<'_>, extra_auth: &[String]) -> Flattened {
    let mut flattener = Flattener {
        interp,
        project: interp.project,
        extra_auth,
        out: Flattened {
            apps: Vec::new(),
            blueprints: Vec::new(),
            routes: Vec::new(),
            error_handlers: Vec::new(),
            hooks: Vec::new(),
            extensions: Vec::new(),
        },
        seen_routes: HashSet::new(),
        registered_blueprints: HashSet::new(),
        on_throwaway_apps: HashMap::new(),
    };
    flattener.run();
    flattener.out
}

impl<'a, 'p> Flattener<'a, 'p> {
    fn loc(&self, site: Site) -> (String, u32) {
        (self.project.module(site.module).display_path(), site.line)
    }

    fn app_id(&self, id: ObjId) -> String {
        let Object::App(app) = self.interp.objects.get(id) else { return String::new() };
        let module = &self.project.module(self.interp.objects.site(id).module).name;
        match (&app.factory, &app.variable) {
            (Some(factory), _) => format!("{module}:{factory}()"),
            (None, Some(var)) => format!("{module}:{var}"),
            (None, None) => format!("{module}:<app at line {}>", self.interp.objects.site(id).line),
        }
    }

    fn run(&mut self) {
        let objects = &self.interp.objects;
        let app_ids: Vec<ObjId> =
            (0..objects.items.len()).filter(|&i| matches!(objects.get(i), Object::App(_))).collect();
        for &id in &app_ids {
            self.flatten_app(id);
        }
        self.report_unregistered();
        self.collect_extensions();
        self.out.routes.sort_by(|a, b| {
            (&a.app, &a.file, a.line, &a.rule, &a.endpoint).cmp(&(&b.app, &b.file, b.line, &b.rule, &b.endpoint))
        });
    }

    fn hook_guards(&self, handlers: &[HandlerRecord]) -> Vec<Guard> {
        handlers
            .iter()
            .filter(|h| matches!(h.kind.as_str(), "before_request" | "before_app_request"))
            .map(|h| {
                let (file, line) = self.loc(h.site);
                Guard { kind: "before_request".into(), name: h.function.clone(), file, line, auth: h.auth_like }
            })
            .collect()
    }

    fn flatten_app(&mut self, id: ObjId) {
        let Object::App(app) = self.interp.objects.get(id).clone() else { return };
        let app_id = self.app_id(id);
        let site = self.interp.objects.site(id);
        let (file, line) = self.loc(site);
        let throwaway = match &app.built_in {
            Some((_, function)) if !app.escapes => Some(function.clone()),
            _ => None,
        };
        self.out.apps.push(catalog::App {
            throwaway: throwaway.as_ref().map(|function| {
                format!("built inside `{function}()` and never returned, stored, passed to library code or run there")
            }),
            id: app_id.clone(),
            class: app.class.clone(),
            import_name: app.import_name.clone(),
            factory: app.factory.clone(),
            variable: app.variable.clone(),
            file: file.clone(),
            line,
            static_folder: app.static_folder.as_deref().map(crate::paths::relative_to_root),
            static_url_path: app.static_url_path.clone(),
            config_sources: app
                .config_sources
                .iter()
                .map(|(how, s)| {
                    let (file, line) = self.loc(*s);
                    catalog::ConfigSource { how: how.clone(), file, line }
                })
                .collect(),
        });
        if let Some(function) = throwaway {
            // Its routes are not served; its blueprints count as unregistered.
            for registration in &app.blueprints {
                self.on_throwaway_apps.entry(registration.blueprint).or_insert_with(|| function.clone());
            }
            return;
        }
        self.push_handlers(&app.handlers, Some(&app_id), None);
        let app_hooks =
            self.hook_guards(&app.handlers.iter().filter(|h| h.kind == "before_request").cloned().collect::<Vec<_>>());
        // `before_app_request` on any blueprint registered in this app applies app-wide.
        let root = SetupState {
            url_prefix: None,
            subdomain: None,
            name: String::new(),
            conditions: Vec::new(),
            hooks: app_hooks.clone(),
            unresolved: None,
            prefix_unknown: false,
            custom_setup: None,
        };
        if let Some(folder) = &app.static_folder {
            let path = app
                .static_url_path
                .clone()
                .unwrap_or_else(|| format!("/{}", folder.trim_end_matches('/').rsplit('/').next().unwrap_or(folder)));
            let record = builtin_rule(format!("{}/<path:filename>", path.trim_end_matches('/')), "static", site);
            let mut record = record;
            record.host = app.static_host.clone();
            self.emit(&app_id, None, &root, &record, true);
        }
        if let Some(unknown) = &app.unresolved_static {
            let (file, line) = self.loc(site);
            self.out.routes.push(unresolved_route(Some(app_id.clone()), None, &file, line, &unknown.reason));
        }
        for record in &app.rules {
            self.emit(&app_id, None, &root, record, false);
        }
        self.flatten_apis_on(id, &app_id, &root);
        for registration in &app.blueprints {
            self.register_blueprint(&app_id, registration, &root, None);
        }
        self.flatten_admins_on(id, &app_id, &root);
        self.add_restx_doc_static(id, &app_id, &root);
    }

    fn push_handlers(&mut self, handlers: &[HandlerRecord], app: Option<&str>, blueprint: Option<&str>) {
        for handler in handlers {
            let (file, line) = self.loc(handler.site);
            let entry = catalog::Handler {
                kind: handler.kind.clone(),
                arg: handler.arg.clone(),
                function: handler.function.clone(),
                app: app.map(str::to_string),
                blueprint: blueprint.map(str::to_string),
                file,
                line,
            };
            if handler.kind.contains("errorhandler") {
                self.out.error_handlers.push(entry);
            } else {
                self.out.hooks.push(entry);
            }
        }
    }

    /// Flask's `Blueprint.register` for one registration.
    fn register_blueprint(
        &mut self,
        app_id: &str,
        registration: &BlueprintRegistration,
        parent: &SetupState,
        parent_name: Option<&str>,
    ) {
        let Object::Blueprint(bp) = self.interp.objects.get(registration.blueprint).clone() else { return };
        self.registered_blueprints.insert(registration.blueprint);
        let mut unresolved = parent.unresolved.clone();
        let mut prefix_unknown = parent.prefix_unknown;
        let (reg_file, reg_line) = self.loc(registration.site);
        let self_name = match registration.name.clone().unwrap_or_else(|| bp.name.clone()) {
            Ok(name) => name,
            Err(unknown) => {
                unresolved.get_or_insert(Unresolved {
                    reason: format!("blueprint name: {}", unknown.reason),
                    file: reg_file.clone(),
                    line: reg_line,
                });
                "<unknown>".to_string()
            }
        };
        let name = if parent.name.is_empty() { self_name.clone() } else { format!("{}.{self_name}", parent.name) };
        // url_prefix: the registration's wins over the blueprint's; nested ones join the parent's.
        let own_prefix = match registration.url_prefix.clone().or_else(|| bp.url_prefix.clone()) {
            Some(Ok(prefix)) => Some(prefix),
            Some(Err(unknown)) => {
                unresolved.get_or_insert(Unresolved {
                    reason: format!("url_prefix: {}", unknown.reason),
                    file: reg_file.clone(),
                    line: reg_line,
                });
                prefix_unknown = true;
                Some(String::new())
            }
            None => None,
        };
        let url_prefix = match (&parent.url_prefix, own_prefix) {
            (Some(outer), Some(inner)) => {
                Some(format!("{}/{}", outer.trim_end_matches('/'), inner.trim_start_matches('/')))
            }
            (None, Some(inner)) => Some(inner),
            (Some(outer), None) => Some(outer.clone()),
            (None, None) => None,
        };
        let own_subdomain = registration.subdomain.clone().or_else(|| bp.subdomain.clone());
        let subdomain = match (own_subdomain, &parent.subdomain) {
            (Some(inner), Some(outer)) => Some(format!("{inner}.{outer}")),
            (Some(inner), None) => Some(inner),
            (None, outer) => outer.clone(),
        };
        let mut conditions = parent.conditions.clone();
        conditions.extend(registration.conditions.iter().cloned());
        let mut hooks = parent.hooks.clone();
        hooks.extend(self.hook_guards(&bp.handlers));
        let state = SetupState {
            url_prefix: url_prefix.clone(),
            subdomain: subdomain.clone(),
            name: name.clone(),
            conditions: conditions.clone(),
            hooks,
            unresolved,
            prefix_unknown,
            custom_setup: self.custom_setup_state(registration.blueprint),
        };
        let site = self.interp.objects.site(registration.blueprint);
        let (file, line) = self.loc(site);
        self.out.blueprints.push(catalog::Blueprint {
            name: name.clone(),
            defined_name: bp.name.clone().ok(),
            app: Some(app_id.to_string()),
            parent: parent_name.map(str::to_string),
            class: bp.class.clone(),
            variable: bp.variable.clone(),
            file,
            line,
            url_prefix,
            subdomain,
            registered_at: Some(Location { file: reg_file, line: reg_line }),
            conditions,
        });
        self.push_handlers(&bp.handlers, Some(app_id), Some(&name));
        if let Some(folder) = &bp.static_folder {
            let path = bp
                .static_url_path
                .clone()
                .unwrap_or_else(|| format!("/{}", folder.trim_end_matches('/').rsplit('/').next().unwrap_or(folder)));
            let record = builtin_rule(format!("{}/<path:filename>", path.trim_end_matches('/')), "static", site);
            self.emit(app_id, Some(&name), &state, &record, true);
        }
        for record in &bp.rules {
            self.emit(app_id, Some(&name), &state, record, false);
        }
        self.flatten_apis_on(registration.blueprint, app_id, &state);
        for child in &bp.children {
            self.register_blueprint(app_id, child, &state, Some(&name));
        }
    }

    /// Flask-RESTful/RESTX APIs attached to an app or blueprint.
    fn flatten_apis_on(&mut self, target: ObjId, app_id: &str, state: &SetupState) {
        let objects = &self.interp.objects;
        let apis: Vec<ApiObject> = (0..objects.items.len())
            .filter_map(|i| match objects.get(i) {
                Object::Api(api) if api.attached.contains(&target) => Some(api.clone()),
                _ => None,
            })
            .collect();
        let blueprint = if state.name.is_empty() { None } else { Some(state.name.clone()) };
        for api in apis {
            let prefix = match &api.prefix {
                Ok(p) => p.clone(),
                Err(_) => String::new(),
            };
            let mut resources: Vec<RuleRecord> = api.resources.iter().map(|r| prefixed(r, &prefix)).collect();
            for (ns_id, path_override) in &api.namespaces {
                let Object::Namespace(ns) = self.interp.objects.get(*ns_id) else { continue };
                // Flask-RESTX: `api.get_ns_path(ns) or ns._path or "/" + ns.name`,
                // so an empty path falls through like a missing one.
                let given = |path: &Option<Result<String, Unknown>>| {
                    path.clone().filter(|p| !matches!(p, Ok(text) if text.is_empty()))
                };
                let path = match given(path_override).or_else(|| given(&ns.path)) {
                    Some(Ok(p)) => p,
                    Some(Err(_)) => String::new(),
                    None => match &ns.name {
                        Ok(name) => format!("/{name}"),
                        Err(_) => String::new(),
                    },
                };
                let ns_prefix = format!("{prefix}{}", path.trim_end_matches('/'));
                resources.extend(ns.resources.iter().map(|r| prefixed(r, &ns_prefix)));
            }
            if api.flavor == ApiFlavor::Restx {
                let site = api.site.unwrap_or(Site { module: 0, line: 0 });
                if let Some(doc) = &api.doc {
                    let mut record = builtin_rule(doc.clone(), "doc", site);
                    record.via = Some("flask-restx".into());
                    resources.push(record);
                }
                let mut root = builtin_rule(if prefix.is_empty() { "/".into() } else { prefix.clone() }, "root", site);
                root.via = Some("flask-restx".into());
                resources.push(root);
                let mut specs = builtin_rule(format!("{prefix}/swagger.json"), "specs", site);
                specs.via = Some("flask-restx".into());
                resources.push(specs);
            }
            // On a blueprint, both libraries patch the setup state so that
            // a resource's rule is the registration prefix and the rule
            // concatenated, not joined (`"/" + "/health"` is `//health`).
            let concatenated = SetupState { url_prefix: None, ..state.clone() };
            for record in &resources {
                match &state.url_prefix {
                    Some(url_prefix) if blueprint.is_some() && record.view.is_some() && !url_prefix.is_empty() => {
                        let record = prefixed(record, url_prefix);
                        self.emit(app_id, blueprint.as_deref(), &concatenated, &record, false);
                    }
                    _ => self.emit(app_id, blueprint.as_deref(), state, record, record.view.is_none()),
                }
            }
        }
    }

    fn add_restx_doc_static(&mut self, app: ObjId, app_id: &str, root: &SetupState) {
        let uses_doc = self.out.routes.iter().any(|r| {
            r.app.as_deref() == Some(app_id)
                && r.via.as_deref() == Some("flask-restx")
                && r.endpoint.as_deref().is_some_and(|e| e == "doc" || e.ends_with(".doc"))
        });
        if uses_doc {
            let site = self.interp.objects.site(app);
            let record = builtin_rule("/swaggerui/<path:filename>".into(), "static", site);
            let state = SetupState {
                url_prefix: None,
                subdomain: None,
                name: "restx_doc".into(),
                conditions: Vec::new(),
                hooks: root.hooks.clone(),
                unresolved: None,
                prefix_unknown: false,
                custom_setup: None,
            };
            self.emit(app_id, Some("restx_doc"), &state, &record, true);
        }
    }

    fn flatten_admins_on(&mut self, app: ObjId, app_id: &str, root: &SetupState) {
        let objects = &self.interp.objects;
        let admins: Vec<AdminObject> = (0..objects.items.len())
            .filter_map(|i| match objects.get(i) {
                Object::Admin(admin) if admin.attached.contains(&app) => Some(admin.clone()),
                _ => None,
            })
            .collect();
        for admin in admins {
            let site = admin.site.unwrap_or(Site { module: 0, line: 0 });
            if !admin.appbuilder && !admin.custom_index {
                let index = BlueprintObject {
                    name: Ok(admin.endpoint.clone()),
                    url_prefix: Some(Ok(admin.url.clone())),
                    class: "flask_admin.AdminIndexView".into(),
                    rules: vec![RuleRecord {
                        via: Some("flask-admin".into()),
                        ..builtin_rule("/".into(), "index", site)
                    }],
                    ..Default::default()
                };
                self.emit_admin_blueprint(app_id, &index, site, root);
            }
            for view in &admin.views {
                self.registered_blueprints.insert(*view);
                if let Object::Blueprint(bp) = self.interp.objects.get(*view).clone() {
                    self.emit_admin_blueprint(app_id, &bp, site, root);
                }
            }
        }
    }

    fn emit_admin_blueprint(&mut self, app_id: &str, bp: &BlueprintObject, site: Site, root: &SetupState) {
        let name = bp.name.clone().unwrap_or_default();
        let prefix = bp.url_prefix.clone().and_then(Result::ok);
        let state = SetupState {
            url_prefix: prefix.clone(),
            subdomain: None,
            name: name.clone(),
            conditions: Vec::new(),
            hooks: root.hooks.clone(),
            unresolved: None,
            prefix_unknown: false,
            custom_setup: None,
        };
        let (file, line) = self.loc(site);
        self.out.blueprints.push(catalog::Blueprint {
            name: name.clone(),
            defined_name: Some(name.clone()),
            app: Some(app_id.to_string()),
            parent: None,
            class: bp.class.clone(),
            variable: None,
            file: file.clone(),
            line,
            url_prefix: prefix,
            subdomain: None,
            registered_at: Some(Location { file, line }),
            conditions: Vec::new(),
        });
        if let Some(folder) = &bp.static_folder {
            let path = bp.static_url_path.clone().unwrap_or_else(|| format!("/{folder}"));
            let record = builtin_rule(format!("{path}/<path:filename>"), "static", site);
            self.emit(app_id, Some(&name), &state, &record, true);
        }
        for record in &bp.rules {
            self.emit(app_id, Some(&name), &state, record, record.view.is_none());
        }
    }

    /// Where a blueprint's class overrides `make_setup_state`, if it does.
    fn custom_setup_state(&self, blueprint: ObjId) -> Option<String> {
        let class = self.interp.object_class.get(&blueprint)?;
        let crate::value::Value::Function(method) = class.lookup("make_setup_state")? else { return None };
        let module = self.interp.project.module(method.module);
        let line = module.line_of(ruff_text_size::Ranged::range(method.def).start());
        Some(format!("`{}` ({}:{line})", method.qualname, module.display_path()))
    }

    /// `BlueprintSetupState.add_url_rule` + `Flask.add_url_rule`.
    fn emit(&mut self, app_id: &str, blueprint: Option<&str>, state: &SetupState, record: &RuleRecord, builtin: bool) {
        let (file, line) = self.loc(record.site);
        let mut unresolved = state.unresolved.clone();
        let note = |reason: String, unresolved: &mut Option<Unresolved>| {
            unresolved.get_or_insert(Unresolved { reason, file: file.clone(), line });
        };
        let rule = match &record.rule {
            // Flask would join it to the prefix; the project's own setup
            // state may do anything with it (indico drops the prefix for `!/`).
            Ok(rule) if !rule.is_empty() && !rule.starts_with('/') && state.custom_setup.is_some() => {
                let setup = state.custom_setup.as_deref().unwrap_or_default();
                note(format!("rule `{rule}` is not a path: the blueprint's {setup} decides its URL"), &mut unresolved);
                None
            }
            Ok(rule) => {
                let joined = match &state.url_prefix {
                    Some(prefix) if !rule.is_empty() => {
                        format!("{}/{}", prefix.trim_end_matches('/'), rule.trim_start_matches('/'))
                    }
                    Some(prefix) => prefix.clone(),
                    None => rule.clone(),
                };
                Some(joined)
            }
            Err(unknown) => {
                note(format!("rule: {}", unknown.reason), &mut unresolved);
                None
            }
        };
        let own_endpoint = match &record.endpoint {
            Some(Ok(endpoint)) => Some(endpoint.clone()),
            Some(Err(unknown)) => {
                note(format!("endpoint: {}", unknown.reason), &mut unresolved);
                None
            }
            None => match record.view.as_ref().map(|v| &v.name) {
                Some(Ok(name)) => Some(name.clone()),
                Some(Err(unknown)) => {
                    note(format!("endpoint: {}", unknown.reason), &mut unresolved);
                    None
                }
                None => {
                    note("endpoint: the view function could not be resolved".into(), &mut unresolved);
                    None
                }
            },
        };
        let endpoint = own_endpoint.map(|e| if state.name.is_empty() { e } else { format!("{}.{e}", state.name) });
        let mut methods_unknown = false;
        let methods = match &record.methods {
            Some(Ok(methods)) => methods.clone(),
            Some(Err(unknown)) => {
                note(format!("methods: {}", unknown.reason), &mut unresolved);
                methods_unknown = true;
                Vec::new()
            }
            None => record.view.as_ref().and_then(|v| v.methods.clone()).unwrap_or_else(|| vec!["GET".to_string()]),
        };
        let mut methods: Vec<String> = methods.into_iter().map(|m| m.to_ascii_uppercase()).collect();
        methods.sort();
        methods.dedup();
        let mut guards: Vec<Guard> = Vec::new();
        let mut decorators = Vec::new();
        if let Some(view) = &record.view {
            for decorator in &view.decorators {
                let gate = self.interp.gate_sites.contains(&(decorator.module, decorator.line));
                if gate || is_auth_decorator(&decorator.name, self.extra_auth) {
                    guards.push(self.decorator_guard(decorator));
                } else {
                    decorators.push(decorator.name.clone());
                }
            }
        }
        if !builtin {
            guards.extend(state.hooks.iter().cloned());
        }
        let mut conditions = state.conditions.clone();
        conditions.extend(record.conditions.iter().cloned());
        // A rule of a blueprint made and registered under the same condition.
        let mut seen_conditions = HashSet::new();
        conditions.retain(|condition| seen_conditions.insert(condition.clone()));
        let subdomain = record.subdomain.clone().or_else(|| state.subdomain.clone());
        // A rule whose prefix is unknown is not the same route as that rule
        // registered with a known empty prefix (a factory called twice).
        let prefix_unknown = state.prefix_unknown;
        let key = format!("{app_id}|{rule:?}|{prefix_unknown}|{endpoint:?}|{methods:?}|{file}|{line}|{subdomain:?}");
        if !self.seen_routes.insert(key) {
            return;
        }
        let view_location = record.view.as_ref().and_then(|v| v.site).map(|s| {
            let (file, line) = self.loc(s);
            Location { file, line }
        });
        let rule_known = rule.is_some();
        self.out.routes.push(Route {
            rule,
            methods,
            endpoint,
            app: Some(app_id.to_string()),
            blueprint: blueprint.map(str::to_string),
            view: record.view.as_ref().map(|v| v.display.clone()),
            file,
            line,
            view_location,
            subdomain,
            host: record.host.clone(),
            defaults: record.defaults.clone(),
            strict_slashes: record.strict_slashes,
            guards,
            decorators,
            conditions,
            via: record.via.clone(),
            doc: record.view.as_ref().and_then(|v| v.doc.clone()),
            rule_prefix_unknown: state.prefix_unknown && rule_known,
            methods_unknown,
            unresolved,
        });
    }

    fn decorator_guard(&self, decorator: &DecoratorInfo) -> Guard {
        Guard {
            kind: "decorator".into(),
            name: decorator.name.clone(),
            file: self.project.module(decorator.module).display_path(),
            line: decorator.line,
            auth: true,
        }
    }

    /// Blueprints, APIs and namespaces that never reach an app: their routes
    /// are reported as unresolved instead of being dropped.
    fn report_unregistered(&mut self) {
        let objects = &self.interp.objects;
        let mut pending = Vec::new();
        for id in 0..objects.items.len() {
            if let Object::Blueprint(bp) = objects.get(id) {
                if self.registered_blueprints.contains(&id) || bp.class == "flask_admin.AdminIndexView" {
                    continue;
                }
                let is_admin_view = (0..objects.items.len())
                    .any(|i| matches!(objects.get(i), Object::Admin(a) if a.views.contains(&id)));
                if is_admin_view {
                    continue;
                }
                let (name, reason) = match &bp.name {
                    Ok(name) => match self.on_throwaway_apps.get(&id) {
                        Some(function) => (
                            name.clone(),
                            format!(
                                "blueprint `{name}` is only registered on a throwaway app built inside `{function}()`"
                            ),
                        ),
                        None => (
                            name.clone(),
                            format!("blueprint `{name}` is never registered on an app in the scanned code"),
                        ),
                    },
                    Err(unknown) => (
                        "<unknown>".to_string(),
                        format!(
                            "blueprint with an unknown name ({}) is never registered on an app in the scanned code",
                            unknown.reason
                        ),
                    ),
                };
                for record in &bp.rules {
                    pending.push((record.clone(), Some(name.clone()), reason.clone()));
                }
            }
        }
        let loose: Vec<_> = self.interp.loose.clone();
        for (record, blueprint, reason) in pending {
            let (file, line) = self.loc(record.site);
            let mut route = unresolved_route(None, blueprint, &file, line, &reason);
            route.rule = record.rule.clone().ok();
            // The blueprint's prefix (from its registration) is unknown.
            route.rule_prefix_unknown = route.rule.is_some();
            route.endpoint = record
                .endpoint
                .clone()
                .and_then(Result::ok)
                .or_else(|| record.view.as_ref().and_then(|v| v.name.clone().ok()));
            route.view = record.view.as_ref().map(|v| v.display.clone());
            // Methods as declared; Flask's default (GET) when none are.
            match &record.methods {
                Some(Ok(methods)) => route.methods = methods.clone(),
                Some(Err(_)) => route.methods_unknown = true,
                None => {
                    route.methods =
                        record.view.as_ref().and_then(|v| v.methods.clone()).unwrap_or_else(|| vec!["GET".into()])
                }
            }
            self.out.routes.push(route);
        }
        for registration in loose {
            let (file, line) = self.loc(registration.site);
            let mut route = unresolved_route(None, None, &file, line, &registration.reason);
            route.rule = registration.rule.clone();
            route.rule_prefix_unknown = route.rule.is_some();
            route.methods_unknown = true;
            route.view = registration.view.clone();
            let key = format!("loose|{file}|{line}|{:?}", route.rule);
            if self.seen_routes.insert(key) {
                self.out.routes.push(route);
            }
        }
    }

    fn collect_extensions(&mut self) {
        let objects = &self.interp.objects;
        for id in 0..objects.items.len() {
            let Object::Extension(ext) = objects.get(id) else { continue };
            let (file, line) = self.loc(ext.site);
            let wiring = ext
                .wiring
                .iter()
                .map(|(how, app, site)| {
                    let (file, line) = self.loc(*site);
                    catalog::Wiring { how: how.clone(), app: app.map(|a| self.app_id(a)), file, line }
                })
                .collect();
            self.out.extensions.push(catalog::Extension {
                kind: ext.kind.clone(),
                package: ext.package.clone(),
                class: ext.class.clone(),
                variable: ext.variable.clone(),
                file,
                line,
                wiring,
            });
        }
    }
}

fn prefixed(record: &RuleRecord, prefix: &str) -> RuleRecord {
    let mut record = record.clone();
    if let Ok(rule) = &record.rule {
        record.rule = Ok(format!("{prefix}{rule}"));
    }
    record
}

pub(crate) fn builtin_rule(rule: String, endpoint: &str, site: Site) -> RuleRecord {
    RuleRecord {
        rule: Ok(rule),
        endpoint: Some(Ok(endpoint.to_string())),
        view: None,
        methods: None,
        subdomain: None,
        host: None,
        defaults: BTreeMap::new(),
        strict_slashes: None,
        site,
        conditions: Vec::new(),
        via: None,
    }
}

fn unresolved_route(app: Option<String>, blueprint: Option<String>, file: &str, line: u32, reason: &str) -> Route {
    Route {
        rule: None,
        methods: Vec::new(),
        endpoint: None,
        app,
        blueprint,
        view: None,
        file: file.to_string(),
        line,
        view_location: None,
        subdomain: None,
        host: None,
        defaults: BTreeMap::new(),
        strict_slashes: None,
        guards: Vec::new(),
        decorators: Vec::new(),
        conditions: Vec::new(),
        via: None,
        doc: None,
        rule_prefix_unknown: false,
        methods_unknown: false,
        unresolved: Some(Unresolved { reason: reason.to_string(), file: file.to_string(), line }),
    }
}

#[allow(dead_code)]
fn unknown_reason(unknown: &Unknown) -> &str {
    &unknown.reason
}
