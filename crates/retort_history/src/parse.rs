//! Streaming parser of `git log --raw --numstat -z` output in the format
//! of [`LOG_FORMAT`]: one commit at a time from any reader, so memory does
//! not grow with the length of git's output.
//!
//! Layout (NUL-separated tokens): a header of [`HEADER_FIELDS`] tokens, the
//! first starting with U+001E; then per file a raw token
//! `:oldmode newmode oldsha newsha STATUS` followed by its path (two paths
//! for renames and copies); then per file a numstat token `added\tremoved\tpath`
//! (`added\tremoved\t` followed by two path tokens for renames and copies;
//! `-\t-` for binary files). git may put a newline before a token.

use std::io::BufRead;

use crate::error::HistoryError;
use crate::model::ChangeKind;

/// `--format` of every `git log` the reader runs.
pub const LOG_FORMAT: &str = "--format=%x1e%H%x00%P%x00%aN%x00%aE%x00%at%x00%cN%x00%cE%x00%ct";
const HEADER_FIELDS: usize = 8;
const COMMIT_MARK: u8 = 0x1e;

/// One commit as git printed it, before identities and files are resolved.
#[derive(Debug, Clone, Default)]
pub struct RawCommit {
    pub hash: String,
    pub parents: Vec<String>,
    pub author_name: String,
    pub author_email: String,
    pub author_time: i64,
    pub committer_name: String,
    pub committer_email: String,
    pub commit_time: i64,
    pub entries: Vec<RawEntry>,
    /// All header fields were printed (git was not cut off inside it).
    pub header_complete: bool,
    /// How many numstat records were seen (all entries have counts when it
    /// equals `entries.len()`).
    pub counted: usize,
}

/// One changed file of a [`RawCommit`].
#[derive(Debug, Clone)]
pub struct RawEntry {
    pub kind: ChangeKind,
    pub old_path: Option<String>,
    pub path: String,
    pub added: Option<u32>,
    pub removed: Option<u32>,
    pub binary: bool,
}

/// Reads commits one by one.
pub struct LogParser<R> {
    reader: R,
    token: Vec<u8>,
    peeked: Option<Vec<u8>>,
}

impl<R: BufRead> LogParser<R> {
    pub fn new(reader: R) -> Self {
        LogParser { reader, token: Vec::with_capacity(256), peeked: None }
    }

    /// The next token without its NUL and any leading newlines; `None` at
    /// the end of the output.
    fn next_token(&mut self) -> Result<Option<Vec<u8>>, HistoryError> {
        if let Some(token) = self.peeked.take() {
            return Ok(Some(token));
        }
        loop {
            self.token.clear();
            let read = self.reader.read_until(0, &mut self.token)?;
            if read == 0 {
                return Ok(None);
            }
            if self.token.last() == Some(&0) {
                self.token.pop();
            }
            let start = self.token.iter().take_while(|&&b| b == b'\n').count();
            if start == self.token.len() {
                continue; // a separator only
            }
            return Ok(Some(self.token[start..].to_vec()));
        }
    }

    fn path_token(&mut self) -> Result<String, HistoryError> {
        match self.next_token()? {
            Some(token) => Ok(String::from_utf8_lossy(&token).into_owned()),
            None => Err(HistoryError::UnexpectedOutput("a path was cut off".into())),
        }
    }

    /// The next commit, `None` at the end. An output cut in the middle of
    /// a commit (git died) gives that commit with what was printed of it.
    pub fn next_commit(&mut self) -> Result<Option<RawCommit>, HistoryError> {
        let Some(first) = self.next_token()? else {
            return Ok(None);
        };
        if first.first() != Some(&COMMIT_MARK) {
            return Err(HistoryError::UnexpectedOutput(format!(
                "expected a commit header, found {:?}",
                String::from_utf8_lossy(&first[..first.len().min(60)])
            )));
        }
        let mut fields = Vec::with_capacity(HEADER_FIELDS);
        fields.push(String::from_utf8_lossy(&first[1..]).into_owned());
        while fields.len() < HEADER_FIELDS {
            match self.next_token_raw()? {
                Some(token) => fields.push(String::from_utf8_lossy(&token).into_owned()),
                None => break,
            }
        }
        let mut commit = RawCommit::default();
        if fields.len() < HEADER_FIELDS {
            // Cut inside the header: only the hash is trustworthy.
            commit.hash = fields.swap_remove(0);
            return Ok(Some(commit));
        }
        commit.header_complete = true;
        let mut fields = fields.into_iter();
        let mut next = || fields.next().unwrap_or_default();
        commit.hash = next();
        commit.parents = next().split_whitespace().map(str::to_string).collect();
        commit.author_name = next();
        commit.author_email = next();
        commit.author_time = next().trim().parse().unwrap_or(0);
        commit.committer_name = next();
        commit.committer_email = next();
        commit.commit_time = next().trim().parse().unwrap_or(0);

        while let Some(token) = self.next_token()? {
            match token.first() {
                Some(&COMMIT_MARK) => {
                    self.peeked = Some(token);
                    break;
                }
                Some(b':') => {
                    let status = token.rsplit(|&b| b == b' ').next().unwrap_or(b"M");
                    let kind = match status.first() {
                        Some(b'A') => ChangeKind::Added,
                        Some(b'D') => ChangeKind::Deleted,
                        Some(b'R') => ChangeKind::Renamed,
                        Some(b'C') => ChangeKind::Copied,
                        Some(b'T') => ChangeKind::TypeChanged,
                        _ => ChangeKind::Modified,
                    };
                    let first_path = self.path_token()?;
                    let (old_path, path) = if matches!(kind, ChangeKind::Renamed | ChangeKind::Copied) {
                        (Some(first_path), self.path_token()?)
                    } else {
                        (None, first_path)
                    };
                    commit.entries.push(RawEntry { kind, old_path, path, added: None, removed: None, binary: false });
                }
                Some(_) => self.numstat(&token, &mut commit)?,
                None => {}
            }
        }
        Ok(Some(commit))
    }

    /// Header fields may be empty (an empty parent list, an empty e-mail):
    /// they are read as they are, without skipping anything.
    fn next_token_raw(&mut self) -> Result<Option<Vec<u8>>, HistoryError> {
        self.token.clear();
        let read = self.reader.read_until(0, &mut self.token)?;
        if read == 0 {
            return Ok(None);
        }
        if self.token.last() == Some(&0) {
            self.token.pop();
        }
        Ok(Some(self.token.clone()))
    }

    fn numstat(&mut self, token: &[u8], commit: &mut RawCommit) -> Result<(), HistoryError> {
        let mut parts = token.splitn(3, |&b| b == b'\t');
        let (Some(added), Some(removed), Some(rest)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(HistoryError::UnexpectedOutput(format!(
                "expected a numstat record, found {:?}",
                String::from_utf8_lossy(&token[..token.len().min(60)])
            )));
        };
        let path = if rest.is_empty() {
            let _old = self.path_token()?;
            self.path_token()?
        } else {
            String::from_utf8_lossy(rest).into_owned()
        };
        let number = |bytes: &[u8]| std::str::from_utf8(bytes).ok().and_then(|s| s.parse::<u32>().ok());
        let binary = added == b"-" && removed == b"-";
        let index = commit.counted;
        commit.counted += 1;
        // numstat follows the raw records in the same order; fall back to
        // the path if git ever differs.
        let entry = match commit.entries.get_mut(index) {
            Some(entry) if entry.path == path => Some(entry),
            _ => commit.entries.iter_mut().find(|e| e.path == path),
        };
        if let Some(entry) = entry {
            entry.binary = binary;
            if !binary {
                entry.added = number(added);
                entry.removed = number(removed);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(hash: &str, parents: &str) -> String {
        format!("\x1e{hash}\0{parents}\0Ann\0ann@x.org\01700000000\0Bob\0bob@x.org\01700000100\0")
    }

    #[test]
    fn parses_raw_and_numstat_with_renames_and_binaries() {
        let mut out = header("c2", "c1");
        out.push_str("\n:100644 100644 aa bb M\0a.py\0:100644 100644 cc cc R100\0old.py\0new.py\0");
        out.push_str(":000000 100644 00 dd A\0logo.png\0");
        out.push_str("3\t1\ta.py\0");
        out.push_str("0\t0\t\0old.py\0new.py\0-\t-\tlogo.png\0");
        out.push_str(&header("c1", ""));
        out.push_str("\n:000000 100644 00 aa A\0a.py\0");
        out.push_str("5\t0\ta.py\0");
        let mut parser = LogParser::new(out.as_bytes());
        let c2 = parser.next_commit().unwrap().unwrap();
        assert_eq!(c2.hash, "c2");
        assert_eq!(c2.parents, vec!["c1"]);
        assert_eq!(c2.author_time, 1_700_000_000);
        assert_eq!(c2.entries.len(), 3);
        assert_eq!(c2.counted, 3);
        assert_eq!((c2.entries[0].added, c2.entries[0].removed), (Some(3), Some(1)));
        assert_eq!(c2.entries[1].kind, ChangeKind::Renamed);
        assert_eq!(c2.entries[1].old_path.as_deref(), Some("old.py"));
        assert_eq!(c2.entries[1].path, "new.py");
        assert!(c2.entries[2].binary && c2.entries[2].added.is_none());
        let c1 = parser.next_commit().unwrap().unwrap();
        assert!(c1.parents.is_empty());
        assert_eq!(c1.entries[0].kind, ChangeKind::Added);
        assert!(parser.next_commit().unwrap().is_none());
    }

    #[test]
    fn a_merge_without_diff_and_a_cut_output_are_read() {
        let mut out = header("m", "a b");
        out.push_str(&header("a", "z"));
        out.push_str("\n:100644 100644 aa bb M\0x.py\0");
        let mut parser = LogParser::new(out.as_bytes());
        let merge = parser.next_commit().unwrap().unwrap();
        assert_eq!(merge.parents.len(), 2);
        assert!(merge.entries.is_empty());
        let cut = parser.next_commit().unwrap().unwrap();
        assert_eq!((cut.entries.len(), cut.counted), (1, 0));
        assert!(cut.header_complete);
        let mut parser = LogParser::new(&b"\x1eabc\0parent"[..]);
        let header_cut = parser.next_commit().unwrap().unwrap();
        assert_eq!(header_cut.hash, "abc");
        assert!(!header_cut.header_complete);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let mut parser = LogParser::new(&b"hello\0world"[..]);
        assert!(matches!(parser.next_commit(), Err(HistoryError::UnexpectedOutput(_))));
    }
}
