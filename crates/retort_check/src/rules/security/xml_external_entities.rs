//! SEC020: the documentation is [`DOC`].

use ruff_python_ast::{Expr, ExprCall};
use ruff_text_size::Ranged;

use crate::checker::helpers::{dotted, is_false, is_true, method_name, string_value};
use crate::checker::Checker;
use retort_dataflow::SinkKind;

use crate::finding::{Category, Severity};
use crate::registry::Rule;
use crate::taint::{SinkFinder, SinkSite, TaintCheck};

pub const RULE: Rule = Rule {
    code: "SEC020",
    name: "xml-external-entities",
    category: Category::Security,
    severity: Severity::Error,
    cwe: Some(611),
    summary: "XML parsed with external entity resolution enabled",
    doc: DOC,
};

/// The engine's `xxe` sinks, and those [`sink`] finds.
pub const TAINT: TaintCheck = TaintCheck { kind: SinkKind::Xxe, sink: Some(SinkFinder::One(sink)) };

pub const DOC: &str = r#"
## What it does
Flags XML parsers configured to resolve external entities:

- lxml's `XMLParser`, `XMLPullParser`, `ETCompatXMLParser` and `iterparse`
  with `resolve_entities=True`, or with `no_network=False` together with
  `load_dtd=True`, `dtd_validation=True` or `attribute_defaults=True`
  (the parser then fetches DTDs from any URL in the document);
- SAX parsers (`xml.sax`, and `xml.dom.pulldom`, which parses through SAX)
  given `setFeature(feature_external_ges, True)` or
  `setFeature(feature_external_pes, True)`;
- request data (the body, uploads, form fields; followed through variables,
  `io.BytesIO` and project helpers like the other taint rules) reaching
  lxml's `etree.iterparse()` without `resolve_entities=False`: before lxml 6.1.0
  `iterparse()` and `ETCompatXMLParser()` still default to
  `resolve_entities=True` (CVE-2026-41066, GHSA-vfmq-68hx-4jfw).

Not flagged, deliberately:

- `lxml.etree.fromstring()`, `XML()` and `parse()` with lxml's default
  parser. Since lxml 5.0 (2023) the default `XMLParser` and `HTMLParser`
  use `resolve_entities='internal'`: entities declared inside the document
  are expanded, external (`SYSTEM`) ones are not, and `no_network=True` is
  the default. Projects on lxml 4.x resolve external entities with the
  default parser and should upgrade or pass a hardened parser.
- `xml.etree.ElementTree`, `xml.dom.minidom` and `xml.dom.expatbuilder`:
  they never load external entities (expat is given no external entity
  loader), whatever the Python version; `xml.sax` has not resolved them by
  default since Python 3.7.1.
- `defusedxml.*`, which refuses external entities and DTDs.

Internal-entity expansion ("billion laughs") is a denial of service, not
an XXE, and is out of scope here; `defusedxml` also stops it.

## Why is this bad?
An external entity (`<!ENTITY x SYSTEM "file:///etc/passwd">`) makes the
parser read a local file or fetch a URL and splice the result into the
document: whoever supplies the XML reads the server's files (secrets,
configuration, keys) or makes it call internal services (SSRF).

## Example
```python
from lxml import etree

PARSER = etree.XMLParser(resolve_entities=True)

@app.post("/import")
def import_feed():
    feed = etree.fromstring(request.data, PARSER)
```

Use instead:
```python
from defusedxml.lxml import fromstring  # or:
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)

@app.post("/import")
def import_feed():
    feed = fromstring(request.data)
```

## References
- [lxml 5.0 changes: `resolve_entities='internal'` by default](https://lxml.de/5.0/changes-5.0.0.html)
- [GHSA-vfmq-68hx-4jfw: lxml `iterparse()` and `ETCompatXMLParser()` default to resolving entities](https://github.com/advisories/GHSA-vfmq-68hx-4jfw)
- [Python: XML vulnerabilities](https://docs.python.org/3/library/xml.html#xml-vulnerabilities)
- [OWASP: XML External Entity Prevention Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/XML_External_Entity_Prevention_Cheat_Sheet.html)
- [CWE-611: Improper Restriction of XML External Entity Reference](https://cwe.mitre.org/data/definitions/611.html)
"#;

/// lxml constructors and functions that take parser options.
const LXML_PARSERS: &[&str] = &["XMLParser", "XMLPullParser", "ETCompatXMLParser", "iterparse"];
/// lxml options that make a parser load external DTDs.
const DTD_LOADING: &[&str] = &["load_dtd", "dtd_validation", "attribute_defaults"];
/// SAX features that turn on external entities.
const EXTERNAL_FEATURES: &[&str] = &[
    "feature_external_ges",
    "feature_external_pes",
    "http://xml.org/sax/features/external-general-entities",
    "http://xml.org/sax/features/external-parameter-entities",
];

pub fn check(checker: &mut Checker, expr: &Expr) {
    let Expr::Call(call) = expr else { return };
    let Some(method) = method_name(call) else { return };
    if dotted(&call.func).is_some_and(|d| d.starts_with("defusedxml")) {
        return;
    }
    if method == "setFeature" {
        check_sax_feature(checker, call);
    } else if LXML_PARSERS.contains(&method) {
        check_lxml_options(checker, call, method);
    }
}

fn check_sax_feature(checker: &mut Checker, call: &ExprCall) {
    let [feature, value] = &call.arguments.args[..] else { return };
    let name = string_value(feature).map(str::to_string).or_else(|| dotted(feature)).unwrap_or_default();
    let feature_name = name.rsplit('.').next().unwrap_or(&name);
    let on = is_true(value) || matches!(value, Expr::NumberLiteral(_)) && checker.source(value.range()) == "1";
    if on && EXTERNAL_FEATURES.iter().any(|f| name == *f || feature_name == *f) {
        checker.report(
            &RULE,
            call.range(),
            format!(
                "`setFeature({}, True)` makes the SAX parser load external entities",
                checker.source(feature.range())
            ),
        );
    }
}

fn check_lxml_options(checker: &mut Checker, call: &ExprCall, method: &str) {
    let keyword = |name: &str| call.arguments.find_keyword(name).map(|k| &k.value);
    if keyword("resolve_entities").is_some_and(is_true) {
        checker.report(
            &RULE,
            call.range(),
            format!("`{method}(resolve_entities=True)` expands external entities: the document can read local files"),
        );
        return;
    }
    let loads_dtd = DTD_LOADING.iter().any(|o| keyword(o).is_some_and(is_true));
    if loads_dtd && keyword("no_network").is_some_and(is_false) {
        checker.report(
            &RULE,
            call.range(),
            format!("`{method}(no_network=False)` with DTD loading fetches any URL the document names"),
        );
    }
}

/// Taint sink: the source of lxml's `iterparse()`, which resolves external
/// entities by default before lxml 6.1.0, unless the call turns that off.
pub fn sink<'a>(site: &SinkSite<'a, '_>) -> Option<&'a Expr> {
    let call = site.call;
    let callee = dotted(&call.func)?;
    if callee != "etree.iterparse" && callee != "lxml.etree.iterparse" {
        return None;
    }
    let keyword = |name: &str| call.arguments.find_keyword(name).map(|k| &k.value);
    let safe_setting = keyword("resolve_entities").is_some_and(|v| is_false(v) || string_value(v) == Some("internal"));
    if safe_setting || keyword("html").is_some_and(is_true) {
        return None;
    }
    call.arguments.find_argument_value("source", 0)
}
