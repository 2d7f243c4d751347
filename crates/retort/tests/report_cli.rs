//! `retort report` end to end: a page for a project with and without git
//! history, hostile text from the code shown as text, the SLO input, and
//! exit code 2 with a message for bad input.

use std::path::Path;
use std::process::{Command, Output};

fn retort(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_retort")).args(args).output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Route rule, docstring and endpoint with markup, quotes and a bidi
/// override; a second app in a file whose name does the same.
fn hostile_project(dir: &Path) {
    std::fs::write(
        dir.join("app.py"),
        "from flask import Flask\n\napp = Flask(__name__)\n\n\n\
         @app.route('/<script>window.pwned=1</script>', endpoint='\"><img src=x onerror=alert(1)>')\n\
         def hostile():\n    \"\"\"<!-- \"quoted\" 'single' & \u{202e}gnp.exe\"\"\"\n    return 'x'\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("x\"><img src=x onerror=alert(2)>\u{202e}.py"),
        "from flask import Flask\n\napp = Flask(__name__)\napp.run(debug=True)\n",
    )
    .unwrap();
}

fn page_outside_own_script(page: &str) -> String {
    let start = page.find("<script>").expect("the report's script");
    let end = start + page[start..].find("</script>").unwrap() + "</script>".len();
    format!("{}{}", &page[..start], &page[end..])
}

#[test]
fn hostile_project_without_history() {
    let dir = tempfile::tempdir().unwrap();
    hostile_project(dir.path());
    let html = dir.path().join("out.html");
    let out = retort(&["report", dir.path().to_str().unwrap(), "-o", html.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = std::fs::read_to_string(&html).unwrap();
    let outside = page_outside_own_script(&page);
    assert!(!outside.contains("<script"), "markup from the code reached the page");
    assert!(!outside.contains("<img"), "markup from the code reached the page");
    assert!(!outside.contains("<!--"));
    assert!(!page.contains('\u{202e}'), "a bidi override reached the page");
    // Shown as text: the rule, the endpoint, the docstring and the file name.
    assert!(page.contains("/&lt;script&gt;window.pwned=1&lt;/script&gt;"));
    assert!(page.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    assert!(page.contains("&lt;!-- &quot;quoted&quot; &#39;single&#39; &amp; [U+202E]gnp.exe"));
    assert!(page.contains("x&quot;&gt;&lt;img src=x onerror=alert(2)&gt;[U+202E].py"), "file name");
    // The finding in the hostile file has its code frame.
    assert!(page.contains("app.run(debug=True)"));
    assert!(page.contains("Not available: no git history"), "team without history says why");
    assert!(page.contains("<svg id=\"component-graph\""));
}

fn git(dir: &Path, args: &[&str], author: (&str, &str)) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", author.0)
        .env("GIT_AUTHOR_EMAIL", author.1)
        .env("GIT_COMMITTER_NAME", author.0)
        .env("GIT_COMMITTER_EMAIL", author.1)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
}

#[test]
fn project_with_history_has_team_and_hotspots() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    hostile_project(root);
    let alice = ("Alice Example", "alice@example.org");
    let bob = ("Bob \u{202e}Mallory", "bob@example.org");
    git(root, &["init", "-q", "-b", "main"], alice);
    let out = retort(&["report", root.to_str().unwrap(), "-o", "-"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(
        page.contains("Not available: no git history: no commit touches this folder"),
        "a repository without commits"
    );
    git(root, &["add", "app.py"], alice);
    git(root, &["commit", "-q", "-m", "app"], alice);
    git(root, &["add", "."], bob);
    git(root, &["commit", "-q", "-m", "second app"], bob);
    std::fs::write(root.join("app.py"), std::fs::read_to_string(root.join("app.py")).unwrap() + "# more\n").unwrap();
    git(root, &["commit", "-q", "-am", "more"], alice);
    let html = root.join("out.html");
    let out = retort(&["report", root.to_str().unwrap(), "-o", html.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = std::fs::read_to_string(&html).unwrap();
    let team = &page[page.find("<section id=\"team\">").unwrap()..page.find("<section id=\"load\">").unwrap()];
    assert!(!team.contains("Not available"), "{team}");
    assert!(team.contains("Alice Example"));
    assert!(team.contains("Bob [U+202E]Mallory"), "author names are escaped too");
    assert!(page.contains("<svg id=\"hotspot-chart\""));
    assert!(page.contains("History: 3 commits"), "arch used the history");

    let out = retort(&["report", root.to_str().unwrap(), "--anonymize", "-o", "-"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(!page.contains("Alice") && !page.contains("Mallory"), "--anonymize leaves no name");
    assert!(page.contains("dev-"), "pseudonyms instead");

    let out = retort(&["report", root.to_str().unwrap(), "--no-history", "-o", "-"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"), "-o - writes the page to stdout");
    assert!(page.contains("Not available: --no-history was given"));
    assert!(!page.contains("<svg id=\"hotspot-chart\""));
}

#[test]
fn slo_report_is_shown() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    hostile_project(root);
    std::fs::write(
        root.join("slo.toml"),
        "service = \"shop\"\n[[objectives]]\nname = \"<b>avail</b>\"\navailability = \"99%\"\n",
    )
    .unwrap();
    let mut log = String::new();
    for m in 0..60 {
        let status = if m % 10 == 0 { 500 } else { 200 };
        log.push_str(&format!(
            "127.0.0.1 - - [06/Dec/2026:10:{m:02}:00 +0000] \"GET /x HTTP/1.1\" {status} 3 \"-\" \"t\"\n"
        ));
    }
    std::fs::write(root.join("access.log"), log).unwrap();
    let slo_json = root.join("slo.json");
    let out = retort(&[
        "slo",
        "report",
        "--spec",
        root.join("slo.toml").to_str().unwrap(),
        "--access-log",
        root.join("access.log").to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1), "10% errors violate 99%: {}", stderr(&out));
    std::fs::write(&slo_json, &out.stdout).unwrap();
    let out = retort(&["report", root.to_str().unwrap(), "--slo", slo_json.to_str().unwrap(), "-o", "-"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = String::from_utf8(out.stdout).unwrap();
    let slo = &page[page.find("<section id=\"slo\">").unwrap()..page.find("<section id=\"rules\">").unwrap()];
    assert!(slo.contains("&lt;b&gt;avail&lt;/b&gt;"));
    assert!(slo.contains("90.000%"), "the SLI: {slo}");
    assert!(slo.contains("violated"));
}

#[test]
fn bad_input_exits_2_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    hostile_project(root);
    let missing = root.join("missing");
    let out = retort(&["report", missing.to_str().unwrap(), "-o", "-"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("does not exist"), "{}", stderr(&out));

    let out = retort(&["report", root.join("app.py").to_str().unwrap(), "-o", "-"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out).matches("is not a folder").count(), 1, "{}", stderr(&out));

    let garbage = root.join("garbage.json");
    std::fs::write(&garbage, "{\"not\": \"a result\"}").unwrap();
    for flag in ["--load", "--slo"] {
        let out = retort(&["report", root.to_str().unwrap(), flag, garbage.to_str().unwrap(), "-o", "-"]);
        assert_eq!(out.status.code(), Some(2), "{flag}");
        assert!(stderr(&out).contains(flag), "{flag}: {}", stderr(&out));
        assert!(out.stdout.is_empty(), "{flag}: no page on a usage error");
        let out = retort(&["report", root.to_str().unwrap(), flag, missing.to_str().unwrap(), "-o", "-"]);
        assert_eq!(out.status.code(), Some(2), "{flag} of a missing file");
    }

    let out = retort(&["report", root.to_str().unwrap(), "-o", missing.join("sub/out.html").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot write"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"));
}

/// Files that cannot be parsed, decoded or read, and a symlink loop: the
/// page is still written, and says what could not be read.
#[cfg(unix)]
#[test]
fn unreadable_and_broken_files_still_give_a_page() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    hostile_project(root);
    std::fs::write(root.join("broken.py"), "def broken(:\n    pass\n").unwrap();
    std::fs::write(root.join("latin.py"), b"x = '\xe9\xff'\n").unwrap();
    std::fs::create_dir(root.join("loop")).unwrap();
    std::os::unix::fs::symlink("..", root.join("loop/up")).unwrap();
    let fifo = root.join("pipe.py");
    // A FIFO must not be read (it would block): where mkfifo exists.
    let _ = Command::new("mkfifo").arg(&fifo).status();
    let out = retort(&["report", root.to_str().unwrap(), "-o", "-"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"));
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.ends_with("</html>\n"));
    assert!(page.contains("files could not be read or parsed"), "the summary counts the unreadable files");
}
