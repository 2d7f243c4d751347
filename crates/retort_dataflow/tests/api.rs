//! The engine on its own, as any client would ask it: which source values
//! reach sinks of a kind, by which path, with which confidence.

use retort_dataflow::{Analysis, Confidence, CustomSink, DataflowConfig, Models, ProjectFacts, Root, SinkKind};
use retort_python::Project;
use ruff_python_ast::{Expr, Stmt};

const VIEWS: &str = r#"from flask import request
from .store import save

def upload():
    name = request.args["name"]
    save(name, request.get_data())
    return eval(request.args["expr"])
"#;

const STORE: &str = r#"import os

def save(name, data):
    path = os.path.join("/srv", name)
    with open(path, "wb") as f:
        f.write(data)
"#;

fn flows(kinds: &[SinkKind], custom: Vec<CustomSink<'_>>) -> Vec<String> {
    let project = Project::from_sources(&[("app/__init__.py", ""), ("app/views.py", VIEWS), ("app/store.py", STORE)]);
    let models = Models::new(&DataflowConfig::default()).unwrap();
    let facts = ProjectFacts::default();
    let analysis = Analysis::new(&project, &models, &facts, kinds, custom, Vec::new());
    let module = project.modules.iter().find(|m| m.display_path() == "app/views.py").unwrap();
    let id = project.module_by_path(&module.path).unwrap();
    let Some(Stmt::FunctionDef(function)) = module.ast.body.iter().find(|s| matches!(s, Stmt::FunctionDef(_))) else {
        panic!("no function")
    };
    let root = Root {
        module: id,
        function,
        class: None,
        tainted_params: Vec::new(),
        segment_params: Vec::new(),
        handler: true,
    };
    analysis
        .flows(&root)
        .iter()
        .map(|f| {
            format!(
                "{} {}:{} {} via {} steps [{}]",
                f.kind.as_str(),
                f.sink.file,
                f.sink.line,
                f.source,
                f.steps.len(),
                f.confidence.as_str()
            )
        })
        .collect()
}

#[test]
fn flows_of_the_kinds_asked_for_are_reported_at_their_sinks() {
    assert_eq!(flows(&[SinkKind::Path], Vec::new()), ["path app/store.py:5 `request.args` via 7 steps [medium]"]);
    assert_eq!(flows(&[SinkKind::Code], Vec::new()), ["code app/views.py:7 `request.args` via 2 steps [high]"]);
    assert!(flows(&[SinkKind::Sql], Vec::new()).is_empty());
}

#[test]
fn a_client_can_add_its_own_sinks() {
    // `f.write(data)`: the data written, as a custom sink of a kind.
    let write = CustomSink {
        kind: SinkKind::Xss,
        arguments: Box::new(|call: &ruff_python_ast::ExprCall| match &*call.func {
            Expr::Attribute(a) if a.attr.as_str() == "write" => call.arguments.args.first().into_iter().collect(),
            _ => Vec::new(),
        }),
    };
    let found = flows(&[], vec![write]);
    assert_eq!(found, ["xss app/store.py:6 `request.get_data()` via 4 steps [medium]"]);
    assert!(Confidence::High > Confidence::Medium && Confidence::Medium > Confidence::Low);
}
