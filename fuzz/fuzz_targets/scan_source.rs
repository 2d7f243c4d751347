//! Arbitrary bytes as one Python module, through the whole extractor:
//! parsing, the Flask abstract interpreter and JSON serialisation of the
//! catalog. Any panic, hang or stack overflow is a bug: `retort scan`
//! promises diagnostics and a partial catalog for every input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let source = String::from_utf8_lossy(data);
    let project = retort_python::Project::from_sources(&[("app.py", &source)]);
    let catalog = retort_flask::build_catalog(&project, &Default::default());
    serde_json::to_vec(&catalog).expect("a catalog always serialises");
});
