//! Running git: finding the repository and streaming `git log`.
//!
//! Every child gets `GIT_NO_LAZY_FETCH=1` (a partial clone must not go to
//! the network for a missing blob: it is reported as missing instead),
//! `GIT_TERMINAL_PROMPT=0`, `LC_ALL=C` so its messages are stable, and
//! none of the variables that would point git at another repository than
//! the one holding PATH (`GIT_DIR`, `GIT_WORK_TREE`, … as set inside a git
//! hook).

use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;

use crate::error::HistoryError;
use crate::parse::{LogParser, RawCommit};

/// The last bytes of git's stderr that are kept (it can be long: one
/// warning per huge commit).
const STDERR_KEEP: usize = 16 * 1024;

const REPOSITORY_VARIABLES: [&str; 7] = [
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_COMMON_DIR",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_NAMESPACE",
];

pub fn git(dir: &Path) -> Command {
    let mut command = Command::new("git");
    command
        .arg("-C")
        .arg(dir)
        .env("GIT_NO_LAZY_FETCH", "1")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("LC_ALL", "C")
        .stdin(Stdio::null());
    for variable in REPOSITORY_VARIABLES {
        command.env_remove(variable);
    }
    command
}

/// Runs a short git command to completion: `Ok(stdout)` or `Err(stderr)`.
pub fn output(command: Command) -> Result<Result<String, String>, HistoryError> {
    Ok(output_bytes(command)?.map(|stdout| String::from_utf8_lossy(&stdout).into_owned()))
}

/// [`output`] for commands whose stdout is not text (`-z` lists of paths).
pub fn output_bytes(mut command: Command) -> Result<Result<Vec<u8>, String>, HistoryError> {
    let out = command.output().map_err(|e| HistoryError::GitNotFound(e.to_string()))?;
    if out.status.success() {
        Ok(Ok(out.stdout))
    } else {
        Ok(Err(String::from_utf8_lossy(&out.stderr).trim().to_string()))
    }
}

/// Where the history lives.
#[derive(Debug, Clone)]
pub struct Location {
    /// Work-tree root (the git directory when bare): git runs here.
    pub root: PathBuf,
    pub git_dir: PathBuf,
    /// Pathspec relative to `root`, if PATH is not the root.
    pub pathspec: Option<String>,
    pub shallow: bool,
}

pub fn locate(path: &Path) -> Result<Location, HistoryError> {
    if !path.exists() {
        return Err(HistoryError::PathNotFound(path.to_path_buf()));
    }
    let (dir, file_name) = if path.is_dir() {
        (path.to_path_buf(), None)
    } else {
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        (parent.to_path_buf(), path.file_name().map(|n| n.to_string_lossy().into_owned()))
    };
    let mut command = git(&dir);
    command.args(["rev-parse", "--is-bare-repository", "--is-shallow-repository", "--absolute-git-dir"]);
    let text = match output(command)? {
        Ok(text) => text,
        Err(message) if message.contains("not a git repository") => {
            return Err(HistoryError::NotARepository(path.to_path_buf()))
        }
        Err(message) => return Err(HistoryError::GitRefused { path: path.to_path_buf(), message }),
    };
    let mut lines = text.lines();
    let bare = lines.next() == Some("true");
    let shallow = lines.next() == Some("true");
    let git_dir = PathBuf::from(lines.next().unwrap_or_default());
    if bare {
        return Ok(Location { root: git_dir.clone(), git_dir, pathspec: None, shallow });
    }
    let mut command = git(&dir);
    command.args(["rev-parse", "--show-toplevel", "--show-prefix"]);
    let text = match output(command)? {
        Ok(text) => text,
        // Inside the .git directory itself, or a bare-like layout.
        Err(_) => return Ok(Location { root: git_dir.clone(), git_dir, pathspec: None, shallow }),
    };
    let mut lines = text.lines();
    let root = PathBuf::from(lines.next().unwrap_or_default());
    let mut prefix = lines.next().unwrap_or_default().to_string();
    if let Some(name) = file_name {
        prefix.push_str(&name);
    }
    let pathspec = (!prefix.is_empty()).then_some(prefix);
    Ok(Location { root, git_dir, pathspec, shallow })
}

/// How one `git log` run ended.
#[derive(Debug)]
pub struct RunEnd {
    pub success: bool,
    /// The end of git's stderr (warnings, or why it died).
    pub stderr: String,
    /// We stopped reading before git finished (the callback said so).
    pub stopped: bool,
}

/// Runs `git log` (already given its arguments), feeding `stdin_lines` if
/// any, and hands every parsed commit to `each` until it returns `false`.
pub fn stream_log(
    mut command: Command,
    stdin_lines: Option<Vec<String>>,
    mut each: impl FnMut(RawCommit) -> bool,
) -> Result<RunEnd, HistoryError> {
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    if stdin_lines.is_some() {
        command.stdin(Stdio::piped());
    }
    let mut child = command.spawn().map_err(|e| HistoryError::GitNotFound(e.to_string()))?;
    let writer = stdin_lines.zip(child.stdin.take()).map(|(lines, mut stdin)| {
        thread::spawn(move || {
            let mut text = lines.join("\n");
            text.push('\n');
            // git stops reading early only when it dies; its stderr says why.
            let _ = stdin.write_all(text.as_bytes());
        })
    });
    let stderr = child.stderr.take().map(|mut err| {
        thread::spawn(move || {
            let mut kept: Vec<u8> = Vec::new();
            let mut chunk = [0u8; 8192];
            while let Ok(n) = err.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                kept.extend_from_slice(&chunk[..n]);
                if kept.len() > 2 * STDERR_KEEP {
                    kept.drain(..kept.len() - STDERR_KEEP);
                }
            }
            String::from_utf8_lossy(&kept).into_owned()
        })
    });
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut parser = LogParser::new(BufReader::with_capacity(1 << 16, stdout));
    let mut stopped = false;
    let parsed: Result<(), HistoryError> = (|| {
        while let Some(commit) = parser.next_commit()? {
            if !each(commit) {
                stopped = true;
                break;
            }
        }
        Ok(())
    })();
    if stopped || parsed.is_err() {
        kill(&mut child);
    }
    drop(parser);
    let status = child.wait()?;
    if let Some(writer) = writer {
        let _ = writer.join();
    }
    let stderr = stderr.and_then(|t| t.join().ok()).unwrap_or_default();
    parsed?;
    Ok(RunEnd { success: status.success(), stderr: stderr.trim().to_string(), stopped })
}

fn kill(child: &mut Child) {
    let _ = child.kill();
}
