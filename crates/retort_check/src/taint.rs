//! The taint rules' client of the data-flow engine ([`retort_dataflow`]):
//! each rule names the kind of sink it is about (and, for sinks whose
//! shape a model table cannot say, a function that finds the argument);
//! the engine answers which request data reaches them, by which path, and
//! how sure it is. Findings are reported at the sink.

use retort_dataflow::{Analysis, CustomSink, Flow, Root, SinkKind};
use ruff_python_ast::{Expr, ExprCall, Stmt, StmtFunctionDef};

use crate::checker::Checker;
use crate::finding::FlowStep;
use crate::handlers::HandlerInfo;
use crate::registry::Rule;
use crate::templates::Templates;

pub use retort_dataflow::imports_flask_request;

/// A rule's own sink finder: the argument of `call` that must stay clean.
pub type SinkFn = for<'a, 't> fn(&SinkSite<'a, 't>) -> Option<&'a Expr>;

/// A sink finder for calls where several arguments must stay clean (a log
/// message and its `%s` arguments).
pub type SinkArgumentsFn = for<'a, 't> fn(&SinkSite<'a, 't>) -> Vec<&'a Expr>;

/// How a rule finds its own sinks.
#[derive(Clone, Copy)]
pub enum SinkFinder {
    One(SinkFn),
    Many(SinkArgumentsFn),
}

/// What a taint rule asks the engine about.
#[derive(Clone, Copy)]
pub struct TaintCheck {
    /// The kind of sink: the engine's model sinks of this kind are the rule's.
    pub kind: SinkKind,
    /// Sinks the models cannot describe (conditions on other arguments,
    /// templates), found by the rule.
    pub sink: Option<SinkFinder>,
}

/// A call a sink is asked about, with what sinks may look up.
pub struct SinkSite<'a, 't> {
    pub call: &'a ExprCall,
    /// The project's Jinja templates (for `render_template` sinks).
    pub templates: &'t Templates,
}

/// The engine of one traversal, with the rules its flows are reported under.
pub(crate) struct TaintClient<'a> {
    analysis: Analysis<'a>,
    /// The rule of each custom sink, by index.
    custom_rules: Vec<&'static Rule>,
    /// The rule of each kind.
    kind_rules: Vec<(SinkKind, &'static Rule)>,
}

impl<'a> TaintClient<'a> {
    pub(crate) fn new(checker: &Checker<'a>, checks: &[(&'static Rule, TaintCheck)]) -> TaintClient<'a> {
        let templates = &checker.memo.templates;
        let mut custom = Vec::new();
        let mut custom_rules = Vec::new();
        for (rule, check) in checks {
            if let Some(sink) = check.sink {
                let arguments: retort_dataflow::SinkArguments<'a> = match sink {
                    SinkFinder::One(sink) => {
                        Box::new(move |call: &ExprCall| sink(&SinkSite { call, templates }).into_iter().collect())
                    }
                    SinkFinder::Many(sinks) => Box::new(move |call: &ExprCall| sinks(&SinkSite { call, templates })),
                };
                custom.push(CustomSink { kind: check.kind, arguments });
                custom_rules.push(*rule);
            }
        }
        let kinds: Vec<SinkKind> = checks.iter().map(|(_, c)| c.kind).collect();
        let mut extra = checker.config.extra_sanitisers.clone();
        extra.extend(checker.config.dataflow.sanitisers.iter().filter(|s| s.kinds.is_empty()).map(|s| s.call.clone()));
        TaintClient {
            analysis: Analysis::new(
                checker.project,
                &checker.memo.models,
                &checker.memo.dataflow_facts,
                &kinds,
                custom,
                extra,
            ),
            custom_rules,
            kind_rules: checks.iter().map(|(rule, check)| (check.kind, *rule)).collect(),
        }
    }

    fn rule_of(&self, flow: &Flow) -> Option<&'static Rule> {
        match flow.custom {
            Some(index) => self.custom_rules.get(index).copied(),
            None => self.kind_rules.iter().find(|(kind, _)| *kind == flow.kind).map(|(_, rule)| *rule),
        }
    }
}

/// Runs the taint rules over one function: a request handler (`info`, whose
/// URL parameters are tainted) or another function that reads the request.
pub(crate) fn check_function<'a>(checker: &mut Checker<'a>, function: &'a StmtFunctionDef, info: Option<&HandlerInfo>) {
    let Some(module) = checker.module else { return };
    let Some(module_id) = checker.project.module_by_path(&module.path) else { return };
    let Some(client) = checker.taint.as_ref() else { return };
    // `self.helper(x)` in a class-based view reaches the class's own methods.
    let class = checker.class_stack.last().and_then(|name| {
        module.ast.body.iter().find_map(|stmt| match stmt {
            Stmt::ClassDef(class) if class.name.as_str() == *name => Some(class),
            _ => None,
        })
    });
    let tainted_params = match info {
        Some(info) => function
            .parameters
            .iter_non_variadic_params()
            .map(|p| p.name().as_str())
            .filter(|name| *name != "self" && *name != "cls" && !info.typed_params.iter().any(|p| p == name))
            .filter(|name| info.url_params.as_ref().is_none_or(|known| known.iter().any(|p| p == name)))
            .map(str::to_string)
            .collect(),
        None => Vec::new(),
    };
    let segment_params = info.map(|info| info.segment_params.clone()).unwrap_or_default();
    let root = Root { module: module_id, function, class, tainted_params, segment_params, handler: info.is_some() };
    let flows = client.analysis.flows(&root);
    let reports: Vec<_> = flows.into_iter().filter_map(|flow| Some((client.rule_of(&flow)?, flow))).collect();
    for (rule, flow) in reports {
        checker.report_flow(rule, flow);
    }
}

/// Whether a function receives the request object as a parameter (session
/// interfaces, hooks and wrappers): its `request.…` reads are sources.
pub(crate) fn takes_request(function: &StmtFunctionDef) -> bool {
    function.parameters.iter_non_variadic_params().any(|p| p.name().as_str() == "request")
}

/// The message of a flow: where the data comes from, and the sink.
pub(crate) fn message(rule: &Rule, flow: &Flow) -> String {
    let from = match flow.steps.first() {
        Some(step) if step.location.file != flow.sink.file => {
            format!(" ({}:{})", step.location.file, step.location.line)
        }
        _ => String::new(),
    };
    format!("{}: {}{} reaches {}", rule.summary, flow.source, from, flow.sink_name)
}

/// The steps of a flow, for findings.
pub(crate) fn steps(flow: &Flow) -> Vec<FlowStep> {
    flow.steps
        .iter()
        .map(|s| FlowStep {
            file: s.location.file.clone(),
            line: s.location.line,
            column: s.location.column,
            end_line: s.location.end_line,
            end_column: s.location.end_column,
            note: s.note.clone(),
        })
        .collect()
}
