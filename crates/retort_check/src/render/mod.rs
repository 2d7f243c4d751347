//! Report formats. Every renderer returns a `String`; printing is the
//! binary's job.

mod ci;
mod gitlab;
mod json;
mod sarif;
mod text;

use std::collections::HashMap;

use retort_python::Project;

pub use ci::{render_github, render_junit, render_markdown};
pub use gitlab::render_gitlab;
pub use json::render_json;
pub use sarif::render_sarif;
pub use text::{render_concise, render_text};

/// Source lines of checked files: Python modules from memory, other files
/// (Dockerfiles, CI files) read once from the project root.
pub(crate) struct SourceFiles<'a> {
    project: &'a Project,
    others: HashMap<String, Option<String>>,
}

impl<'a> SourceFiles<'a> {
    pub fn new(project: &'a Project) -> Self {
        SourceFiles { project, others: HashMap::new() }
    }

    /// The text of 1-based `line` of `file`, without its line ending.
    pub fn line(&mut self, file: &str, line: u32) -> Option<String> {
        if line == 0 {
            return None;
        }
        let index = line as usize - 1;
        if let Some(module) = self.project.module_by_display_path(file) {
            return module.source.lines().nth(index).map(str::to_string);
        }
        let root = &self.project.root;
        let text = self.others.entry(file.to_string()).or_insert_with(|| std::fs::read_to_string(root.join(file)).ok());
        text.as_ref()?.lines().nth(index).map(str::to_string)
    }
}
