//! Every way a user points Retort at code gives the same catalog: the
//! repository root, a `src/` layout, the package folder itself (as an
//! installed package in `site-packages`), and a namespace package declared
//! by `pyproject.toml`. Partial routes are marked, never passed off as
//! resolved.

use std::path::Path;

use retort_flask::catalog::Route;
use retort_flask::{build_catalog, Catalog, ScanOptions};
use retort_python::{load_project, ProjectOptions};

fn write(root: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

fn scan(root: &Path) -> Catalog {
    let project = load_project(root, &ProjectOptions::default(), &|_| {}).unwrap();
    build_catalog(&project, &ScanOptions::default())
}

/// (rule, endpoint, methods, unresolved) of a route.
type RouteKey = (Option<String>, Option<String>, Vec<String>, bool);

fn keys(catalog: &Catalog) -> Vec<RouteKey> {
    let mut keys: Vec<_> = catalog
        .routes
        .iter()
        .map(|r: &Route| (r.rule.clone(), r.endpoint.clone(), r.methods.clone(), r.unresolved.is_some()))
        .collect();
    keys.sort();
    keys
}

/// A package whose modules import each other by absolute name.
const SHOP: &[(&str, &str)] = &[
    (
        "shop/__init__.py",
        "from flask import Flask\nfrom shop.views import bp\nfrom shop.api import register_api\n\n\
         def create_app():\n    app = Flask(__name__)\n    app.register_blueprint(bp, url_prefix='/store')\n    \
         register_api(app)\n    return app\n",
    ),
    (
        "shop/views.py",
        "from flask import Blueprint\nbp = Blueprint('store', __name__)\n\n@bp.route('/items/<int:item_id>', \
         methods=['GET', 'POST'])\ndef item(item_id):\n    return ''\n",
    ),
    (
        "shop/api/__init__.py",
        "from flask import Blueprint\nfrom shop.api.routes import ROUTES\n\ndef register_api(app):\n    \
         api = Blueprint('api', __name__, url_prefix='/api')\n    for rule, view in ROUTES:\n        \
         api.add_url_rule(rule, view_func=view)\n    app.register_blueprint(api)\n",
    ),
    ("shop/api/routes.py", "def ping():\n    return 'pong'\n\nROUTES = [('/ping', ping)]\n"),
];

#[test]
fn the_package_folder_and_its_parent_give_the_same_routes() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), SHOP);
    let from_parent = scan(dir.path());
    let from_package = scan(&dir.path().join("shop"));
    let expected = vec![
        (Some("/api/ping".to_string()), Some("api.ping".to_string()), vec!["GET".to_string()], false),
        (Some("/static/<path:filename>".into()), Some("static".into()), vec!["GET".into()], false),
        (
            Some("/store/items/<int:item_id>".into()),
            Some("store.item".into()),
            vec!["GET".into(), "POST".into()],
            false,
        ),
    ];
    assert_eq!(keys(&from_parent), expected);
    assert_eq!(keys(&from_package), expected);
    assert_eq!(from_package.summary.import_root.package.as_deref(), Some("shop"));
    assert_eq!(from_package.summary.import_root.path, "..");
    assert_eq!(from_parent.summary.import_root.package, None);
    // The app is named as Flask's CLI would name it from either root.
    assert_eq!(from_package.apps[0].id, from_parent.apps[0].id);
    // Paths stay relative to the folder the user scanned.
    assert!(from_package.routes.iter().all(|r| !r.file.starts_with("shop/")));
}

#[test]
fn a_subpackage_folder_knows_its_full_name() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), SHOP);
    let catalog = scan(&dir.path().join("shop/api"));
    assert_eq!(catalog.summary.import_root.package.as_deref(), Some("shop.api"));
    assert_eq!(catalog.summary.import_root.path, "../..");
}

#[test]
fn site_packages_and_src_layouts() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("lib/python3.11/site-packages");
    write(&site, SHOP);
    // Other distributions next to it are not part of the scan.
    write(&site, &[("other/__init__.py", "import flask\n")]);
    let installed = scan(&site.join("shop"));
    let repo = dir.path().join("repo");
    let src: Vec<(String, &str)> = SHOP.iter().map(|(p, t)| (format!("src/{p}"), *t)).collect();
    let src: Vec<(&str, &str)> = src.iter().map(|(p, t)| (p.as_str(), *t)).collect();
    write(&repo, &src);
    let from_repo = scan(&repo);
    let from_src = scan(&repo.join("src"));
    let from_src_package = scan(&repo.join("src/shop"));
    assert_eq!(keys(&installed), keys(&from_repo));
    assert_eq!(keys(&from_src), keys(&from_repo));
    assert_eq!(keys(&from_src_package), keys(&from_repo));
    assert_eq!(from_repo.summary.import_root.source_roots, vec!["src".to_string()]);
    assert_eq!(from_repo.summary.resolved_routes, 3);
}

#[test]
fn namespace_packages_declared_by_pyproject() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("pyproject.toml", "[tool.setuptools.packages.find]\nwhere = [\"lib\"]\n"),
            // `acme` has no __init__.py: a PEP 420 namespace package.
            (
                "lib/acme/web/__init__.py",
                "from flask import Flask\nfrom acme.web.views import bp\napp = Flask(__name__)\n\
                 app.register_blueprint(bp)\n",
            ),
            (
                "lib/acme/web/views.py",
                "from flask import Blueprint\nbp = Blueprint('b', __name__)\n\n@bp.get('/x')\ndef x():\n    pass\n",
            ),
        ],
    );
    let catalog = scan(dir.path());
    assert_eq!(catalog.apps[0].id, "acme.web:app");
    let route = catalog.routes.iter().find(|r| r.endpoint.as_deref() == Some("b.x")).expect("b.x");
    assert_eq!(route.view.as_deref(), Some("acme.web.views:x"));
}

#[test]
fn partial_routes_say_what_is_unknown() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[(
            "app.py",
            "import os\nfrom flask import Flask, Blueprint\napp = Flask(__name__)\n\
             orphan = Blueprint('orphan', __name__)\n\n@orphan.route('/lost', methods=['POST'])\ndef lost():\n    pass\n\n\
             dyn = Blueprint('dyn', __name__)\n\n@dyn.route('/d', methods=os.environ['M'].split(','))\ndef d():\n    pass\n\n\
             app.register_blueprint(dyn, url_prefix=os.environ['PREFIX'])\n",
        )],
    );
    let catalog = scan(dir.path());
    let lost = catalog.routes.iter().find(|r| r.rule.as_deref() == Some("/lost")).expect("/lost kept");
    assert!(lost.rule_prefix_unknown && lost.unresolved.is_some());
    assert_eq!(lost.methods, vec!["POST".to_string()], "methods as declared");
    assert!(!lost.methods_unknown);
    let d = catalog.routes.iter().find(|r| r.view.as_deref() == Some("app:d")).expect("dyn.d kept");
    assert!(d.rule_prefix_unknown, "{d:#?}");
    assert!(d.methods_unknown && d.methods.is_empty(), "{d:#?}");
    assert_eq!(catalog.summary.resolved_routes + catalog.summary.unresolved_routes, catalog.summary.routes);
    assert_eq!(catalog.summary.resolved_routes, 1, "only the static route is resolved");
}

/// A Flask-AppBuilder `ModelView` has `RestCRUDView`'s `/api/...` routes
/// only before Flask-AppBuilder 5: the version the project declares (or has
/// installed beside it) decides, and without one they are unresolved.
#[test]
fn flask_appbuilder_rest_crud_routes_follow_the_declared_version() {
    const VIEWS: &[(&str, &str)] = &[(
        "crm/__init__.py",
        "from flask import Flask\nfrom flask_appbuilder import AppBuilder, ModelView\n\n\
         class ContactView(ModelView):\n    route_base = '/contacts'\n\n\
         def create_app():\n    app = Flask(__name__)\n    appbuilder = AppBuilder(app)\n    \
         appbuilder.add_view(ContactView, 'Contacts')\n    return app\n",
    )];
    let api_read = |catalog: &Catalog| {
        catalog
            .routes
            .iter()
            .filter(|r| {
                r.endpoint.as_deref() == Some("ContactView.api_read")
                    || r.view.as_deref().is_some_and(|v| v.ends_with(".api_read"))
            })
            .map(|r| (r.rule.clone(), r.unresolved.as_ref().map(|u| u.reason.clone())))
            .collect::<Vec<_>>()
    };
    for (manifest, expected) in [
        (Some(("requirements.txt", "flask-appbuilder==4.5.3\n")), Some(true)),
        (
            Some(("pyproject.toml", "[project]\nname = 'crm'\ndependencies = ['Flask-AppBuilder>=5.0.2,<6']\n")),
            Some(false),
        ),
        (None, None),
    ] {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), VIEWS);
        if let Some((name, text)) = manifest {
            write(dir.path(), &[(name, text)]);
        }
        for root in [dir.path().to_path_buf(), dir.path().join("crm")] {
            let catalog = scan(&root);
            let found = api_read(&catalog);
            assert!(catalog.routes.iter().any(|r| r.rule.as_deref() == Some("/contacts/list/")), "{root:?}");
            match expected {
                Some(true) => assert_eq!(found, vec![(Some("/contacts/api/read".to_string()), None)], "{root:?}"),
                Some(false) => assert!(found.is_empty(), "{root:?}: {found:?}"),
                None => {
                    assert_eq!(found.len(), 1, "{root:?}: {found:?}");
                    assert!(found[0].1.as_deref().is_some_and(|r| r.contains("before 5.0")), "{found:?}");
                }
            }
        }
    }
    // An installed package in site-packages: the dist-info beside it says.
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site-packages");
    write(&site, VIEWS);
    std::fs::create_dir_all(site.join("Flask_AppBuilder-4.5.3.dist-info")).unwrap();
    let found = api_read(&scan(&site.join("crm")));
    assert_eq!(found, vec![(Some("/contacts/api/read".to_string()), None)]);
    // Without Flask-AppBuilder's own dist-info, what the installed
    // distribution beside the package requires says; an extra's requirement
    // does not count.
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site-packages");
    write(&site, VIEWS);
    write(
        &site,
        &[(
            "crm-1.0.dist-info/METADATA",
            "Metadata-Version: 2.1\nName: crm\nRequires-Dist: Flask-AppBuilder (==4.5.3)\n\
             Requires-Dist: flask-appbuilder>=5; extra == \"next\"\n\nRequires-Dist: described, not a header\n",
        )],
    );
    for root in [site.clone(), site.join("crm")] {
        assert_eq!(api_read(&scan(&root)), vec![(Some("/contacts/api/read".to_string()), None)], "{root:?}");
    }
}
