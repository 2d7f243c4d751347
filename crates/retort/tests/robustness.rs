//! Robustness of `retort scan` on hostile trees: syntax errors, bad
//! encodings, huge and binary files, symlink loops, unreadable folders,
//! FIFOs, pathological nesting and import cycles. Every case must end
//! with exit code 0, valid JSON, a partial catalog (the good files' routes)
//! and one diagnostic per bad file — never a panic, a hang or a stack
//! overflow. Bad command lines must end with exit code 2 and an `error:`
//! line, not a backtrace.

use std::fs::File;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;

/// Generous bound after which a run counts as hung (debug builds of the
/// deepest inputs take a few seconds). Not a speed check.
const HANG_LIMIT: Duration = Duration::from_secs(300);

/// A well-formed app whose route must survive whatever else is in the tree.
const GOOD_APP: &str =
    "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route(\"/good\")\ndef good():\n    return \"ok\"\n";

fn write(root: &Path, relative: &str, contents: impl AsRef<[u8]>) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, contents).unwrap();
}

/// A tree holding the good app, to which a test adds its bad files.
fn tree_with_good_app() -> TempDir {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "good.py", GOOD_APP);
    dir
}

/// Runs the binary, output captured in files so a chatty child cannot
/// block on a full pipe while we wait; killed and failed if it hangs.
fn run_retort(args: &[&str], wrapper: &[&str]) -> Output {
    let capture = TempDir::new().unwrap();
    let stdout_path = capture.path().join("stdout");
    let stderr_path = capture.path().join("stderr");
    let binary = env!("CARGO_BIN_EXE_retort");
    let mut command = match wrapper.split_first() {
        Some((program, wrapper_args)) => {
            let mut command = Command::new(program);
            command.args(wrapper_args).arg(binary);
            command
        }
        None => Command::new(binary),
    };
    let mut child = command
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(File::create(&stdout_path).unwrap())
        .stderr(File::create(&stderr_path).unwrap())
        .spawn()
        .expect("start retort");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > HANG_LIMIT {
            child.kill().ok();
            child.wait().ok();
            panic!("retort {args:?} hung (killed after {HANG_LIMIT:?})");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output { status, stdout: std::fs::read(stdout_path).unwrap(), stderr: std::fs::read(stderr_path).unwrap() }
}

/// `retort scan DIR --format json`: exit 0, no panic, valid JSON whose
/// summary agrees with its lists. `retort check` on the same tree must
/// survive it too.
fn scan_json_with(dir: &Path, wrapper: &[&str]) -> Value {
    check_survives(dir, wrapper);
    let output = run_retort(&["scan", dir.to_str().unwrap(), "--format", "json"], wrapper);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "retort scan exited with {:?} (a signal means a crash such as a stack overflow)\nstderr:\n{stderr}",
        output.status
    );
    assert!(!stderr.contains("panicked"), "panic on stderr:\n{stderr}");
    let catalog: Value = serde_json::from_slice(&output.stdout).expect("stdout is valid JSON");
    assert_eq!(catalog["summary"]["routes"].as_u64().unwrap() as usize, catalog["routes"].as_array().unwrap().len());
    assert_eq!(
        catalog["summary"]["diagnostics"].as_u64().unwrap() as usize,
        catalog["diagnostics"].as_array().unwrap().len()
    );
    catalog
}

/// `retort check DIR --format json`: exit 0 (no findings) or 1 (findings),
/// never a crash, a panic or a hang; valid JSON.
fn check_survives(dir: &Path, wrapper: &[&str]) {
    let output = run_retort(&["check", dir.to_str().unwrap(), "--format", "json", "--fail-on", "error"], wrapper);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "retort check exited with {:?} (a signal means a crash such as a stack overflow)\nstderr:\n{stderr}",
        output.status
    );
    assert!(!stderr.contains("panicked"), "panic on stderr:\n{stderr}");
    let report: Value = serde_json::from_slice(&output.stdout).expect("check's stdout is valid JSON");
    assert!(report["findings"].is_array());
}

fn scan_json(dir: &Path) -> Value {
    scan_json_with(dir, &[])
}

fn rules(catalog: &Value) -> Vec<String> {
    catalog["routes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|route| route["rule"].as_str().map(str::to_string))
        .collect()
}

fn assert_has_rule(catalog: &Value, rule: &str) {
    let rules = rules(catalog);
    assert!(rules.iter().any(|r| r == rule), "route {rule} missing; routes: {rules:?}");
}

/// The kinds of the diagnostics reported for `file`.
fn diagnostic_kinds(catalog: &Value, file: &str) -> Vec<String> {
    catalog["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"] == file)
        .map(|d| d["kind"].as_str().unwrap().to_string())
        .collect()
}

/// Exactly one diagnostic for `file`, of the given kind.
fn assert_one_diagnostic(catalog: &Value, file: &str, kind: &str) {
    assert_eq!(diagnostic_kinds(catalog, file), [kind], "diagnostics: {:#}", catalog["diagnostics"]);
}

fn assert_no_diagnostics(catalog: &Value) {
    assert_eq!(catalog["diagnostics"].as_array().unwrap().len(), 0, "diagnostics: {:#}", catalog["diagnostics"]);
}

#[test]
fn syntax_error_keeps_the_rest_of_the_file() {
    let dir = tree_with_good_app();
    write(
        dir.path(),
        "broken.py",
        "from good import app\n\n\n@app.route(\"/before\")\ndef before():\n    return 1\n\n\
         def broken(:\n    return 1\n\nx = = 2\n\n\
         @app.route(\"/after\")\ndef after():\n    return 1\n",
    );
    let catalog = scan_json(dir.path());
    assert_has_rule(&catalog, "/good");
    assert_has_rule(&catalog, "/before");
    // The parser recovers after the bad lines, so later routes still count.
    assert_has_rule(&catalog, "/after");
    assert_one_diagnostic(&catalog, "broken.py", "syntax");
    let diagnostic = &catalog["diagnostics"][0];
    assert_eq!(diagnostic["line"], 8, "first error is on the `def broken(:` line");
}

#[test]
fn non_utf8_without_cookie_is_a_decode_diagnostic() {
    let dir = tree_with_good_app();
    write(dir.path(), "latin.py", b"from good import app\nname = \"caf\xe9\"\n");
    write(dir.path(), "klingon.py", b"# coding: klingon\nx = 1\n");
    let catalog = scan_json(dir.path());
    assert_has_rule(&catalog, "/good");
    assert_one_diagnostic(&catalog, "latin.py", "decode");
    assert_one_diagnostic(&catalog, "klingon.py", "decode");
}

#[test]
fn latin1_with_coding_cookie_parses() {
    let dir = TempDir::new().unwrap();
    let mut source = b"# -*- coding: latin-1 -*-\n".to_vec();
    source.extend_from_slice(GOOD_APP.replace("/good", "/caf\u{e9}").as_bytes());
    // Re-encode the only non-ASCII character as the single latin-1 byte.
    let source: Vec<u8> = String::from_utf8(source).unwrap().chars().map(|c| c as u32 as u8).collect();
    assert!(std::str::from_utf8(&source).is_err(), "the file really is latin-1, not UTF-8");
    write(dir.path(), "app.py", source);
    let catalog = scan_json(dir.path());
    assert_has_rule(&catalog, "/caf\u{e9}");
    assert_no_diagnostics(&catalog);
}

#[test]
fn utf8_bom_is_accepted() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "app.py", [b"\xEF\xBB\xBF".as_slice(), GOOD_APP.as_bytes()].concat());
    let catalog = scan_json(dir.path());
    assert_has_rule(&catalog, "/good");
    assert_no_diagnostics(&catalog);
}

#[test]
fn twenty_megabyte_file_is_skipped_as_too_large() {
    let dir = tree_with_good_app();
    // Valid Python, so only the size check can reject it.
    let line = "x = 1\n";
    write(dir.path(), "huge.py", line.repeat(20 * 1024 * 1024 / line.len() + 1));
    let catalog = scan_json(dir.path());
    assert_has_rule(&catalog, "/good");
    assert_one_diagnostic(&catalog, "huge.py", "too-large");
}

#[test]
fn binary_file_named_py_is_reported_as_binary() {
    let dir = tree_with_good_app();
    let mut elf = b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00".to_vec();
    elf.extend((0..=255u8).cycle().take(64 * 1024));
    write(dir.path(), "x.py", elf);
    let catalog = scan_json(dir.path());
    assert_has_rule(&catalog, "/good");
    assert_one_diagnostic(&catalog, "x.py", "binary");
}

#[test]
fn symlink_loops_are_reported_not_followed_forever() {
    let dir = tree_with_good_app();
    write(dir.path(), "pkg/__init__.py", "");
    std::os::unix::fs::symlink("..", dir.path().join("pkg/back")).unwrap();
    std::os::unix::fs::symlink(".", dir.path().join("self")).unwrap();
    let catalog = scan_json(dir.path());
    assert_eq!(rules(&catalog).iter().filter(|r| *r == "/good").count(), 1, "the good file is read once");
    assert_one_diagnostic(&catalog, "pkg/back", "walk");
    assert_one_diagnostic(&catalog, "self", "walk");
}

#[test]
fn dangling_symlink_is_unreadable() {
    let dir = tree_with_good_app();
    std::os::unix::fs::symlink("missing.py", dir.path().join("gone.py")).unwrap();
    let catalog = scan_json(dir.path());
    assert_has_rule(&catalog, "/good");
    assert_one_diagnostic(&catalog, "gone.py", "unreadable");
}

/// A FIFO named like a source file or a manifest would block `read`
/// forever, a link to `/dev/zero` would fill memory; they must be
/// reported and skipped.
#[test]
fn fifos_and_devices_are_not_read() {
    let dir = tree_with_good_app();
    for name in ["pipe.py", "requirements.txt"] {
        let status = Command::new("mkfifo").arg(dir.path().join(name)).status().expect("mkfifo");
        assert!(status.success());
    }
    // A link to a device reports size 0 and never ends.
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.py")).unwrap();
    let catalog = scan_json(dir.path());
    assert_has_rule(&catalog, "/good");
    for file in ["pipe.py", "requirements.txt", "zero.py"] {
        assert_one_diagnostic(&catalog, file, "unreadable");
    }
}

/// `chmod 000` does not stop root (CAP_DAC_OVERRIDE), and tests often run
/// as root. Then the scan is repeated as `nobody` through `setpriv`; when
/// that is impossible too, only "no crash, good routes kept" is checked
/// and a note is printed.
#[test]
fn unreadable_folder_is_a_diagnostic() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tree_with_good_app();
    write(dir.path(), "secret/views.py", "from good import app\n");
    let secret = dir.path().join("secret");
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
    let privileged = std::fs::read_dir(&secret).is_ok();

    let catalog = scan_json(dir.path());
    assert_has_rule(&catalog, "/good");
    if !privileged {
        assert_one_diagnostic(&catalog, "secret", "unreadable");
    } else {
        // Let an unprivileged user reach the tree (TempDir is 0700).
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let as_nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"];
        let can_drop = Command::new(as_nobody[0])
            .args(&as_nobody[1..])
            .arg("true")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if can_drop {
            let catalog = scan_json_with(dir.path(), &as_nobody);
            assert_has_rule(&catalog, "/good");
            assert_one_diagnostic(&catalog, "secret", "unreadable");
        } else {
            eprintln!("note: running privileged and cannot drop to `nobody`; unreadable-folder diagnostic not checked");
        }
    }
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Scans the good app followed by `tail` and a second route in the same
/// module: the file must be analysed (the late route is found) with no
/// diagnostic, however deep the AST of `tail` is.
fn assert_deep_source_is_analysed(tail: &str) {
    let dir = TempDir::new().unwrap();
    let source = format!("{GOOD_APP}\n{tail}\n\n@app.route(\"/late\")\ndef late():\n    return 1\n");
    write(dir.path(), "app.py", source);
    let catalog = scan_json(dir.path());
    assert_has_rule(&catalog, "/good");
    assert_has_rule(&catalog, "/late");
    assert_no_diagnostics(&catalog);
}

#[test]
fn hundred_thousand_nested_parentheses_are_too_deep() {
    let dir = tree_with_good_app();
    let depth = 100_000;
    write(dir.path(), "deep.py", format!("x = {}1{}\n", "(".repeat(depth), ")".repeat(depth)));
    let catalog = scan_json(dir.path());
    assert_has_rule(&catalog, "/good");
    assert_one_diagnostic(&catalog, "deep.py", "too-deep");
}

#[test]
fn bracket_limit_is_two_hundred() {
    // 200 nested lists/dicts is what CPython accepts; one more is refused.
    let nested = |depth: usize| format!("x = {}1{}\n", "[{1: ".repeat(depth / 2), "}]".repeat(depth / 2));
    assert_deep_source_is_analysed(&nested(200));
    let dir = tree_with_good_app();
    write(dir.path(), "deeper.py", nested(202));
    let catalog = scan_json(dir.path());
    assert_has_rule(&catalog, "/good");
    assert_one_diagnostic(&catalog, "deeper.py", "too-deep");
}

#[test]
fn hundred_thousand_term_addition_chain() {
    assert_deep_source_is_analysed(&format!("x = {}", vec!["a"; 100_000].join(" + ")));
}

#[test]
fn hundred_thousand_term_string_concatenation() {
    // Strings are folded by the interpreter, not only parsed.
    assert_deep_source_is_analysed(&format!("x = {}", vec!["\"/a\""; 100_000].join(" + ")));
}

#[test]
fn fifty_thousand_lists_and_dicts_within_the_bracket_limit() {
    // 50 000 containers, each shallow: wide rather than deep.
    let items = vec!["[{\"k\": [1, {2: 3}]}]"; 50_000].join(", ");
    assert_deep_source_is_analysed(&format!(
        "x = [{items}]\ny = {{{}}}",
        (0..50_000).map(|i| format!("{i}: [{i}]")).collect::<Vec<_>>().join(", ")
    ));
}

#[test]
fn deep_asts_without_brackets() {
    // Each of these is one bracket deep at most, yet nests the AST
    // 50 000-100 000 levels: recursion over them must not overflow.
    let n = 50_000;
    let shapes = [
        // Prefix operators up to the limit (CPython itself stops near 3000).
        format!("x = {}a", "not ".repeat(2000)),
        format!("x = {}a", "- ~".repeat(1600)),
        format!("x = a{}", ".b".repeat(2 * n)),
        format!("x = a{}", "[0]".repeat(2 * n)),
        format!("x = f{}", "()".repeat(n)),
        format!("x = {}a", "lambda: ".repeat(n / 5)),
        format!("x = {}a", "a if b else ".repeat(n)),
        format!("x = {}", vec!["a"; n].join(" ** ")),
        format!("x = {}", vec!["a"; n].join(" < ")),
        format!("x = {}", vec!["a"; n].join(" and ")),
        format!("x = {}", "\"a\" ".repeat(n)),
        format!("x{} = 1", " = x".repeat(n)),
    ];
    for shape in &shapes {
        assert_deep_source_is_analysed(shape);
    }
}

/// Runs of prefix operators nest the AST without brackets and cost the
/// parser about 1 KB each (8 MB of `-` took 8 GB and 25 s); beyond 5000 in a
/// row the file is refused like CPython refuses it.
#[test]
fn long_prefix_operator_runs_are_too_deep() {
    let dir = tree_with_good_app();
    write(dir.path(), "minus.py", format!("x = {}a\n", "-".repeat(100_000)));
    write(dir.path(), "nots.py", format!("x = {}a\n", "not ".repeat(50_000)));
    write(dir.path(), "mixed.py", format!("async def f():\n    return {}a\n", "await ~+".repeat(20_000)));
    let catalog = scan_json(dir.path());
    assert_has_rule(&catalog, "/good");
    for file in ["minus.py", "nots.py", "mixed.py"] {
        assert_one_diagnostic(&catalog, file, "too-deep");
    }
}

#[test]
fn nested_calls_within_the_bracket_limit() {
    let depth = 199;
    assert_deep_source_is_analysed(&format!(
        "def f(x):\n    return x\n\n\ny = {}\"/x\"{}",
        "f(".repeat(depth),
        ")".repeat(depth)
    ));
}

#[test]
fn five_thousand_deep_call_chain_between_functions() {
    // f4999() -> f4998() -> ... -> f0(), which registers a route.
    let dir = tree_with_good_app();
    let mut source = String::from(
        "from good import app\n\n\ndef f0():\n    @app.route(\"/deep\")\n    def deep():\n        return 1\n",
    );
    for i in 1..5000 {
        source.push_str(&format!("\n\ndef f{i}():\n    return f{}()\n", i - 1));
    }
    source.push_str("\n\nf4999()\n");
    write(dir.path(), "chain.py", source);
    let catalog = scan_json(dir.path());
    assert_has_rule(&catalog, "/good");
    assert_has_rule(&catalog, "/deep");
    assert_no_diagnostics(&catalog);
}

#[test]
fn taint_through_five_thousand_helpers_and_recursive_helpers_terminates() {
    // A request value passed down a 5000-deep chain of helpers (each calling
    // the next twice), and helpers that call themselves and each other: the
    // taint summaries must stay bounded (each is computed once per module)
    // and still carry the flow to `os.system` in f0.
    let mut source = String::from(
        "import os\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n\n\
         def f0(x):\n    os.system(x)\n    return x\n",
    );
    for i in 1..5000 {
        source.push_str(&format!("\n\ndef f{i}(x):\n    return f{}(x) + f{}(x)\n", i - 1, i - 1));
    }
    source.push_str(
        "\n\ndef ping(x):\n    return pong(x) + ping(x)\n\n\ndef pong(x):\n    return ping(x)\n\n\n\
         @app.route(\"/run\")\ndef run():\n    q = request.args[\"q\"]\n    return f4999(q) + ping(q) + f3(q)\n",
    );
    let dir = TempDir::new().unwrap();
    write(dir.path(), "app.py", source);
    let output = run_retort(&["check", dir.path().to_str().unwrap(), "--format", "json", "--select", "SEC005"], &[]);
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    // Reported once, at the sink in f0 (flows through f4999 and through f3
    // both reach it), with a path of bounded length: the middle of a long
    // helper chain is named in one step, not listed 10,000 steps long.
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["line"], 8, "{findings:#?}");
    let steps = findings[0]["flow"].as_array().map_or(0, Vec::len);
    assert!((2..=40).contains(&steps), "a bounded path, not {steps} steps");
}

#[test]
fn unbounded_recursion_and_cyclic_classes_terminate() {
    assert_deep_source_is_analysed(
        "def f(n):\n    return f(n + 1)\n\n\nf(0)\n\n\n\
         def register(bp):\n    app.register_blueprint(bp)\n    register(bp)\n\n\n\
         class A(A):\n    pass\n\n\nclass B(C):\n    pass\n\n\nclass C(B):\n    pass\n",
    );
}

#[test]
fn self_referential_containers() {
    // `d = d[0] = {}` and `l.append(l)` build cycles; formatting, comparing
    // or iterating them must not recurse forever.
    assert_deep_source_is_analysed(
        "d = d[0] = {}\nl = [1]\nl.append(l)\nm = [1]\nm.append(m)\n\n\n\
         app.add_url_rule(\"/%s\" % d, \"d\", print)\n\
         app.add_url_rule(str(l) + f\"/{l}\" + repr(l), \"l\", print, defaults=d, methods=l)\n\
         if l == m:\n    pass\nfor x in l:\n    pass\n",
    );
}

/// Found by the fuzzer (reduced by hand): parser recovery put a
/// registration loop inside the function it calls. Each call registers
/// rules and recurses more than once, so without a guard the work grows
/// exponentially until the interpreter's budget (it hung for minutes).
#[test]
fn recursive_registration_terminates() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "app.py",
        "from flask import Flask\n\napp = Flask(__name__)\n\n\n\
         def f(name):\n    app.add_url_rule(\"/\" + name, view_func=f(name + \"a\"))\n\
         \x20   app.add_url_rule(\"/\" + name, view_func=f(name + \"b\"))\n\n\nf(\"x\")\n\n\n\
         def g(n):\n    g(1)\n    g(2)\n    g(3)\n\n\ng(0)\n",
    );
    let catalog = scan_json(dir.path());
    assert_no_diagnostics(&catalog);
}

/// Found by the fuzzer (reduced by hand): default arguments are evaluated
/// on every call, before the recursion guard, so a function whose
/// defaults call itself branched three ways per level (it hung for
/// minutes). Calls now count against the step budget, which this module
/// exhausts; the other module is still analysed.
#[test]
fn recursive_default_arguments_terminate() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "bad.py", "def f(a=f(), b=f(), c=f()):\n    pass\n\n\nf()\n");
    write(dir.path(), "app.py", GOOD_APP);
    let catalog = scan_json(dir.path());
    assert_has_rule(&catalog, "/good");
    assert_eq!(catalog["summary"]["budget_exhausted"], true);
}

/// Nested generators multiply: three over a 1000-character string are a
/// billion items (it ran out of time before comprehension items counted
/// against the step budget).
#[test]
fn billion_item_comprehension_terminates() {
    let dir = TempDir::new().unwrap();
    let text = "x".repeat(1000);
    write(dir.path(), "bad.py", format!("s = \"{text}\"\nt = [a + b + c for a in s for b in s for c in s]\n"));
    write(dir.path(), "app.py", GOOD_APP);
    let catalog = scan_json(dir.path());
    assert_has_rule(&catalog, "/good");
    assert_eq!(catalog["summary"]["budget_exhausted"], true);
}

#[test]
fn module_importing_itself() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "app.py", format!("import app\nfrom app import *\nfrom app import app as again\n{GOOD_APP}"));
    let catalog = scan_json(dir.path());
    assert_eq!(rules(&catalog).iter().filter(|r| *r == "/good").count(), 1);
    assert_no_diagnostics(&catalog);
}

#[test]
fn modules_importing_each_other() {
    // The classic Flask cycle: the app module imports its views at the
    // bottom, the views import the app back.
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "shop/__init__.py",
        format!("{GOOD_APP}\nfrom shop import views  # noqa: E402\nfrom . import views as again  # noqa: E402\n"),
    );
    write(dir.path(), "shop/views.py", "from shop import app\nfrom . import views\nimport shop\nimport shop.views\n\n\n@app.route(\"/views\")\ndef listing():\n    return 1\n");
    // And a pair of plain modules with star imports both ways.
    write(dir.path(), "a.py", "from b import *\nimport b\n\nA = 1\n");
    write(dir.path(), "b.py", "from a import *\nimport a\n\nB = 2\n");
    let catalog = scan_json(dir.path());
    assert_eq!(rules(&catalog).iter().filter(|r| *r == "/good").count(), 1);
    assert_eq!(rules(&catalog).iter().filter(|r| *r == "/views").count(), 1);
    assert_no_diagnostics(&catalog);
}

/// Usage errors: exit code 2, one `error:` line naming the problem once,
/// nothing on stdout, no panic.
fn assert_usage_error(args: &[&str], expected: &str) -> String {
    let output = run_retort(args, &[]);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "stderr:\n{stderr}");
    assert!(stderr.starts_with("error: "), "stderr:\n{stderr}");
    assert!(stderr.contains(expected), "expected {expected:?} in stderr:\n{stderr}");
    assert_eq!(stderr.matches(expected).count(), 1, "cause repeated in stderr:\n{stderr}");
    assert!(!stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"), "stderr:\n{stderr}");
    assert!(output.stdout.is_empty());
    stderr
}

#[test]
fn nonexistent_root_is_a_usage_error() {
    let dir = TempDir::new().unwrap();
    let missing = dir.path().join("no/such/folder");
    let stderr =
        assert_usage_error(&["scan", missing.to_str().unwrap(), "--format", "json"], "No such file or directory");
    assert!(stderr.contains("no/such/folder"), "the path is named:\n{stderr}");
}

#[test]
fn file_as_root_is_a_usage_error() {
    let dir = tree_with_good_app();
    let file = dir.path().join("good.py");
    assert_usage_error(&["scan", file.to_str().unwrap(), "--format", "json"], "is not a folder");
}

#[test]
fn invalid_exclude_glob_is_a_usage_error() {
    let dir = tree_with_good_app();
    let stderr = assert_usage_error(
        &["scan", dir.path().to_str().unwrap(), "--exclude", "src/[a-", "--format", "json"],
        "unclosed character class",
    );
    assert!(stderr.contains("invalid exclude pattern \"src/[a-\""), "stderr:\n{stderr}");
}
