//! The project's Jinja templates, for sinks that depend on how a template
//! prints a variable (`{{ bio|safe }}`).

use std::collections::HashMap;

use retort_python::Project;

/// Jinja templates of the project (files under a `templates/` folder),
/// read on demand: which variables each renders without escaping.
pub struct Templates {
    root: std::path::PathBuf,
    files: Vec<std::path::PathBuf>,
    unescaped: std::sync::Mutex<HashMap<String, Vec<String>>>,
}

impl Templates {
    pub(crate) fn new(project: &Project) -> Templates {
        let files = project
            .other_files
            .iter()
            .filter(|f| f.components().any(|c| c.as_os_str() == "templates"))
            .cloned()
            .collect();
        Templates { root: project.root.clone(), files, unescaped: Default::default() }
    }

    /// Variables the template `name` (as `render_template` names it)
    /// renders with `|safe` or inside `{% autoescape false %}`.
    pub fn unescaped_variables(&self, name: &str) -> Vec<String> {
        let mut cache = self.unescaped.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        cache
            .entry(name.to_string())
            .or_insert_with(|| {
                let wanted = format!("templates/{}", name.trim_start_matches('/'));
                let file = self.files.iter().find(|f| f.to_string_lossy().replace('\\', "/").ends_with(&wanted));
                file.and_then(|f| std::fs::read_to_string(self.root.join(f)).ok())
                    .map(|text| unescaped_in(&text))
                    .unwrap_or_default()
            })
            .clone()
    }
}

/// The root names of `{{ … }}` expressions rendered without escaping.
fn unescaped_in(template: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut autoescape_off = false;
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let tail = &rest[open..];
        if let Some(body) = tail.strip_prefix("{%") {
            let end = body.find("%}").unwrap_or(body.len());
            let tag: String = body[..end].split_whitespace().collect::<Vec<_>>().join(" ");
            let tag = tag.trim_matches('-').trim();
            if tag.starts_with("autoescape") {
                autoescape_off = tag.contains("false");
            } else if tag == "endautoescape" {
                autoescape_off = false;
            }
            rest = &body[end.min(body.len())..];
        } else if let Some(body) = tail.strip_prefix("{{") {
            let end = body.find("}}").unwrap_or(body.len());
            let expression = &body[..end];
            let compact: String = expression.chars().filter(|c| !c.is_whitespace()).collect();
            // `|tojson|safe` is escaped for HTML by `tojson` itself.
            if (autoescape_off || compact.contains("|safe")) && !compact.contains("|tojson") {
                let root: String = expression
                    .trim_start_matches(['-', ' ', '\t', '('])
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !root.is_empty() && !names.contains(&root) {
                    names.push(root);
                }
            }
            rest = &body[end.min(body.len())..];
        } else {
            rest = &tail[1..];
        }
    }
    names
}
