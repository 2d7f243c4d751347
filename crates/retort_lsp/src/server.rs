//! The session: the LSP lifecycle, the open documents, when to check, and
//! publishing the findings.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Instant;

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument, LogMessage,
    Notification as _, PublishDiagnostics, ShowMessage,
};
use lsp_types::request::{Initialize, Request as _, Shutdown};
use lsp_types::{
    Diagnostic, DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DidSaveTextDocumentParams, InitializeParams, InitializeResult, LogMessageParams, MessageType, PositionEncodingKind,
    PublishDiagnosticsParams, SaveOptions, ServerCapabilities, ServerInfo, ShowMessageParams,
    TextDocumentContentChangeEvent, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions, Url,
};
use serde::de::DeserializeOwned;

use crate::diagnostic::to_diagnostics;
use crate::position::{byte_offset, Encoding};
use crate::root::{canonical, project_root};
use crate::transport::{read_incoming, write_error, write_message, Incoming, TransportError};
use crate::{CheckFn, Overlay, ServerOptions};

/// How a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// The client sent `exit`, after `shutdown` or not.
    Exit { after_shutdown: bool },
    /// The input ended without `exit` (the editor went away).
    ClientGone,
}

impl Ending {
    /// The process exit code the protocol asks for: 0 after
    /// `shutdown` then `exit`, 1 otherwise.
    pub fn exit_code(self) -> i32 {
        match self {
            Ending::Exit { after_shutdown: true } => 0,
            _ => 1,
        }
    }
}

/// Why a session could not go on.
#[derive(Debug, thiserror::Error)]
pub enum LspError {
    #[error(transparent)]
    Transport(#[from] TransportError),
    #[error("cannot write to the client: {0}")]
    Write(#[from] io::Error),
    #[error("cannot start the reader thread: {0}")]
    Thread(io::Error),
}

/// Serves one session on stdin and stdout.
pub fn serve_stdio(options: ServerOptions, check: &CheckFn) -> Result<Ending, LspError> {
    serve(io::BufReader::new(io::stdin()), io::stdout(), options, check)
}

/// Serves one session: reads framed messages from `input` (on a thread of
/// its own, so edits queue up while a check runs) and writes to `output`.
pub fn serve(
    input: impl BufRead + Send + 'static,
    output: impl Write,
    options: ServerOptions,
    check: &CheckFn,
) -> Result<Ending, LspError> {
    let (sender, receiver) = mpsc::channel();
    std::thread::Builder::new()
        .name("retort-lsp-reader".to_string())
        .spawn(move || {
            let mut input = input;
            loop {
                let next = read_incoming(&mut input);
                let stop = !matches!(next, Ok(Some(_)));
                if let Some(next) = next.transpose() {
                    if sender.send(next).is_err() {
                        return;
                    }
                }
                if stop {
                    return;
                }
            }
        })
        .map_err(LspError::Thread)?;
    let mut server = Server::new(output, options, check);
    loop {
        let next = match server.next_check() {
            None => receiver.recv().map_err(|_| RecvTimeoutError::Disconnected),
            // A check that is due waits only for what has already arrived.
            Some(due) => receiver.recv_timeout(due.saturating_duration_since(Instant::now())),
        };
        match next {
            Ok(Ok(Incoming::Message(message))) => {
                if let Some(ending) = server.handle(message)? {
                    return Ok(ending);
                }
            }
            Ok(Ok(Incoming::Malformed { id, code, message })) => write_error(&mut server.output, id, code, &message)?,
            Ok(Err(broken)) => return Err(broken.into()),
            Err(RecvTimeoutError::Timeout) => server.run_due_checks()?,
            Err(RecvTimeoutError::Disconnected) => return Ok(Ending::ClientGone),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Uninitialized,
    Running,
    ShutDown,
}

/// A Python file open in the editor.
struct Document {
    path: PathBuf,
    root: PathBuf,
    version: i32,
    text: String,
}

impl Document {
    /// The path relative to the root, as findings name files (`a/b.py`).
    fn relative(&self) -> Option<PathBuf> {
        self.path.strip_prefix(&self.root).ok().map(Path::to_path_buf)
    }
}

struct Server<'a, W: Write> {
    output: W,
    options: ServerOptions,
    check: &'a CheckFn,
    phase: Phase,
    encoding: Encoding,
    workspace_folders: Vec<PathBuf>,
    documents: BTreeMap<Url, Document>,
    /// What was last published per open document.
    published: HashMap<Url, Vec<Diagnostic>>,
    /// Projects to check again, and from when.
    due: BTreeMap<PathBuf, Instant>,
    /// The last check failure shown to the user (shown again only when it changes).
    last_failure: Option<String>,
}

impl<'a, W: Write> Server<'a, W> {
    fn new(output: W, options: ServerOptions, check: &'a CheckFn) -> Self {
        Self {
            output,
            options,
            check,
            phase: Phase::Uninitialized,
            encoding: Encoding::Utf16,
            workspace_folders: Vec::new(),
            documents: BTreeMap::new(),
            published: HashMap::new(),
            due: BTreeMap::new(),
            last_failure: None,
        }
    }

    fn next_check(&self) -> Option<Instant> {
        self.due.values().min().copied()
    }

    /// Handles one message; `Some` when the session is over.
    fn handle(&mut self, message: Message) -> Result<Option<Ending>, LspError> {
        match message {
            Message::Request(request) => self.handle_request(request)?,
            Message::Notification(notification) if notification.method == "exit" => {
                return Ok(Some(Ending::Exit { after_shutdown: self.phase == Phase::ShutDown }));
            }
            Message::Notification(notification) if self.phase == Phase::Running => {
                self.handle_notification(notification)?
            }
            // Before `initialize` and after `shutdown`, notifications are dropped.
            Message::Notification(_) => {}
            // We send no requests, so no response is awaited.
            Message::Response(_) => {}
        }
        Ok(None)
    }

    fn handle_request(&mut self, request: Request) -> Result<(), LspError> {
        let Request { id, method, params } = request;
        match (self.phase, method.as_str()) {
            (Phase::Uninitialized, Initialize::METHOD) => match serde_json::from_value::<InitializeParams>(params) {
                Ok(params) => {
                    let result = self.initialize(params);
                    self.phase = Phase::Running;
                    self.respond(Response::new_ok(id, result))
                }
                Err(err) => self.respond_error(id, ErrorCode::InvalidParams, format!("invalid `initialize`: {err}")),
            },
            (Phase::Uninitialized, _) => {
                self.respond_error(id, ErrorCode::ServerNotInitialized, "`initialize` must come first".into())
            }
            (Phase::Running, Initialize::METHOD) => {
                self.respond_error(id, ErrorCode::InvalidRequest, "already initialized".into())
            }
            (Phase::Running, Shutdown::METHOD) => {
                self.phase = Phase::ShutDown;
                self.due.clear();
                self.respond(Response::new_ok(id, ()))
            }
            (Phase::Running, _) => {
                self.respond_error(id, ErrorCode::MethodNotFound, format!("retort does not handle `{method}`"))
            }
            (Phase::ShutDown, _) => {
                self.respond_error(id, ErrorCode::InvalidRequest, "the server is shutting down".into())
            }
        }
    }

    fn initialize(&mut self, params: InitializeParams) -> InitializeResult {
        #[allow(deprecated)] // `root_uri` and `root_path` are how older clients name the project.
        let folders: Vec<PathBuf> = match (params.workspace_folders, params.root_uri, params.root_path) {
            (Some(folders), _, _) if !folders.is_empty() => {
                folders.iter().filter_map(|folder| folder.uri.to_file_path().ok()).collect()
            }
            (_, Some(uri), _) => uri.to_file_path().ok().into_iter().collect(),
            (_, _, Some(path)) => vec![PathBuf::from(path)],
            _ => Vec::new(),
        };
        self.workspace_folders = folders.iter().map(|folder| canonical(folder)).collect();
        let offers_utf32 = params
            .capabilities
            .general
            .and_then(|general| general.position_encodings)
            .is_some_and(|encodings| encodings.contains(&PositionEncodingKind::UTF32));
        self.encoding = if offers_utf32 { Encoding::Utf32 } else { Encoding::Utf16 };
        let position_encoding = match self.encoding {
            Encoding::Utf32 => PositionEncodingKind::UTF32,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        };
        InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(position_encoding),
                text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::FULL),
                    save: Some(SaveOptions { include_text: Some(false) }.into()),
                    ..Default::default()
                })),
                ..Default::default()
            },
            server_info: Some(ServerInfo {
                name: "retort".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
        }
    }

    fn handle_notification(&mut self, notification: Notification) -> Result<(), LspError> {
        let Notification { method, params } = notification;
        match method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Some(params) = self.params::<DidOpenTextDocumentParams>(&method, params)? {
                    self.open(params)?;
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Some(params) = self.params::<DidChangeTextDocumentParams>(&method, params)? {
                    self.change(params);
                }
            }
            DidSaveTextDocument::METHOD => {
                if let Some(params) = self.params::<DidSaveTextDocumentParams>(&method, params)? {
                    // Any saved file of a project counts (`pyproject.toml`, a CI file).
                    let path = params.text_document.uri.to_file_path().ok().map(|path| canonical(&path));
                    if let Some(root) = path.and_then(|path| project_root(&path, &self.workspace_folders)) {
                        self.due.insert(root, Instant::now());
                    }
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Some(params) = self.params::<DidCloseTextDocumentParams>(&method, params)? {
                    self.close(params.text_document.uri)?;
                }
            }
            // `initialized`, `$/cancelRequest`, `$/setTrace`, configuration
            // changes and the like need nothing from us.
            _ => {}
        }
        Ok(())
    }

    /// A notification's parameters; bad ones are logged (notifications get no answer).
    fn params<P: DeserializeOwned>(&mut self, method: &str, params: serde_json::Value) -> Result<Option<P>, LspError> {
        match serde_json::from_value(params) {
            Ok(params) => Ok(Some(params)),
            Err(err) => {
                self.log(MessageType::WARNING, format!("ignored `{method}` with invalid parameters: {err}"))?;
                Ok(None)
            }
        }
    }

    fn open(&mut self, params: DidOpenTextDocumentParams) -> Result<(), LspError> {
        let document = params.text_document;
        let Ok(path) = document.uri.to_file_path() else { return Ok(()) };
        let is_python = document.language_id == "python" || path.extension().is_some_and(|e| e == "py");
        if !is_python {
            return Ok(());
        }
        let path = canonical(&path);
        let Some(root) = project_root(&path, &self.workspace_folders) else {
            return self.log(MessageType::INFO, format!("{} is outside the workspace: not checked", path.display()));
        };
        self.due.insert(root.clone(), Instant::now());
        self.documents.insert(document.uri, Document { path, root, version: document.version, text: document.text });
        Ok(())
    }

    fn change(&mut self, params: DidChangeTextDocumentParams) {
        let Some(document) = self.documents.get_mut(&params.text_document.uri) else { return };
        for change in params.content_changes {
            apply_change(&mut document.text, change, self.encoding);
        }
        document.version = params.text_document.version;
        // The quiet period restarts with every edit.
        self.due.insert(document.root.clone(), Instant::now() + self.options.debounce);
    }

    fn close(&mut self, uri: Url) -> Result<(), LspError> {
        let Some(document) = self.documents.remove(&uri) else { return Ok(()) };
        self.published.remove(&uri);
        self.notify::<PublishDiagnostics>(PublishDiagnosticsParams { uri, diagnostics: Vec::new(), version: None })?;
        // The file on disk is the truth again; other open files may see it.
        let debounced = Instant::now() + self.options.debounce;
        self.due.entry(document.root).and_modify(|due| *due = (*due).min(debounced)).or_insert(debounced);
        Ok(())
    }

    fn run_due_checks(&mut self) -> Result<(), LspError> {
        let now = Instant::now();
        let roots: Vec<PathBuf> = self.due.iter().filter(|(_, due)| **due <= now).map(|(r, _)| r.clone()).collect();
        for root in roots {
            self.due.remove(&root);
            self.check_project(&root)?;
        }
        Ok(())
    }

    /// Checks one project with the open buffers and publishes the
    /// diagnostics of its open files that changed.
    fn check_project(&mut self, root: &Path) -> Result<(), LspError> {
        let open: Vec<(&Url, &Document)> = self.documents.iter().filter(|(_, d)| d.root == root).collect();
        if open.is_empty() {
            return Ok(());
        }
        let overlay: Overlay =
            open.iter().filter_map(|(_, d)| Some((d.relative()?, d.text.clone()))).collect::<HashMap<_, _>>();
        let started = Instant::now();
        let findings = match (self.check)(root, overlay) {
            Ok(findings) => findings,
            Err(failure) => return self.report_failure(root, failure),
        };
        let elapsed = started.elapsed();
        let mut updates = Vec::new();
        for (uri, document) in open {
            let file = document.relative().map(|relative| display_path(&relative)).unwrap_or_default();
            let in_file: Vec<_> = findings.iter().filter(|f| !file.is_empty() && f.file == file).collect();
            let diagnostics =
                to_diagnostics(&in_file, &document.text, root, self.encoding, self.options.rules_url.as_deref());
            if self.published.get(uri) != Some(&diagnostics) {
                updates.push(PublishDiagnosticsParams {
                    uri: uri.clone(),
                    diagnostics,
                    version: Some(document.version),
                });
            }
        }
        self.last_failure = None;
        self.log(
            MessageType::LOG,
            format!("checked {} in {} ms: {} findings", root.display(), elapsed.as_millis(), findings.len()),
        )?;
        for update in updates {
            self.published.insert(update.uri.clone(), update.diagnostics.clone());
            self.notify::<PublishDiagnostics>(update)?;
        }
        Ok(())
    }

    /// A check that could not run keeps the last diagnostics and tells the
    /// user why, once per distinct reason.
    fn report_failure(&mut self, root: &Path, failure: String) -> Result<(), LspError> {
        let message = format!("retort cannot check {}: {failure}", root.display());
        self.log(MessageType::ERROR, message.clone())?;
        if self.last_failure.as_ref() != Some(&message) {
            self.notify::<ShowMessage>(ShowMessageParams { typ: MessageType::ERROR, message: message.clone() })?;
            self.last_failure = Some(message);
        }
        Ok(())
    }

    fn log(&mut self, typ: MessageType, message: String) -> Result<(), LspError> {
        self.notify::<LogMessage>(LogMessageParams { typ, message })
    }

    fn notify<N: lsp_types::notification::Notification>(&mut self, params: N::Params) -> Result<(), LspError> {
        let notification = Notification::new(N::METHOD.to_string(), params);
        Ok(write_message(&mut self.output, notification.into())?)
    }

    fn respond(&mut self, response: Response) -> Result<(), LspError> {
        Ok(write_message(&mut self.output, response.into())?)
    }

    fn respond_error(&mut self, id: RequestId, code: ErrorCode, message: String) -> Result<(), LspError> {
        self.respond(Response::new_err(id, code as i32, message))
    }
}

/// Applies one change: the whole text (the sync we ask for), or a range
/// edit from a client that sends them anyway.
fn apply_change(text: &mut String, change: TextDocumentContentChangeEvent, encoding: Encoding) {
    match change.range {
        None => *text = change.text,
        Some(range) => {
            let start = byte_offset(text, range.start, encoding);
            let end = byte_offset(text, range.end, encoding).max(start);
            text.replace_range(start..end, &change.text);
        }
    }
}

fn display_path(relative: &Path) -> String {
    relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}
