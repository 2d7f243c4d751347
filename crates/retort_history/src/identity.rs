//! From raw `(name, e-mail)` signatures (already through git's `.mailmap`
//! via `%aN`/`%aE`) to developers.
//!
//! The rule (docs/history.md, "Identities"): two signatures are one
//! developer when they share a lower-cased e-mail address or a normalised
//! name, transitively, except through the generic names and e-mails of
//! [`IdentityOptions`]; explicit aliases are applied last. A bot signature
//! never merges with a human one.

use std::collections::HashMap;

use crate::model::{DevId, Developer};
use crate::options::IdentityOptions;

/// Signatures seen while reading, interned, with commit counts.
#[derive(Debug, Default)]
pub struct Signatures {
    /// `name NUL email` → index (NUL cannot occur in either).
    index: HashMap<String, u32>,
    key: String,
    list: Vec<(String, String)>,
    authored: Vec<u32>,
}

impl Signatures {
    pub fn intern(&mut self, name: &str, email: &str) -> u32 {
        self.key.clear();
        self.key.push_str(name);
        self.key.push('\0');
        self.key.push_str(email);
        if let Some(&id) = self.index.get(self.key.as_str()) {
            return id;
        }
        let id = self.list.len() as u32;
        self.list.push((name.to_string(), email.to_string()));
        self.index.insert(self.key.clone(), id);
        self.authored.push(0);
        id
    }

    pub fn count_authored(&mut self, signature: u32) {
        self.authored[signature as usize] += 1;
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

/// Lower-cased; every run of characters that are not letters or digits
/// becomes one space; trimmed. `"John.Smith"` and `"john  smith"` agree.
pub fn normalise_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut space = false;
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        } else {
            space = true;
        }
    }
    out
}

/// A GitHub app account (`name[bot]`) or a name or e-mail containing one
/// of the configured bot patterns.
pub fn is_bot(name: &str, email: &str, options: &IdentityOptions) -> bool {
    let name = name.to_lowercase();
    let email = email.to_lowercase();
    if name.trim_end().ends_with("[bot]") || email.contains("[bot]") {
        return true;
    }
    options.bot_patterns.iter().any(|pattern| {
        let pattern = pattern.to_lowercase();
        !pattern.is_empty() && (name.contains(&pattern) || email.contains(&pattern))
    })
}

struct UnionFind(Vec<u32>);

impl UnionFind {
    fn find(&mut self, mut x: u32) -> u32 {
        while self.0[x as usize] != x {
            let parent = self.0[x as usize];
            self.0[x as usize] = self.0[parent as usize];
            x = parent;
        }
        x
    }
    fn union(&mut self, a: u32, b: u32) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            // The lower index (seen first, i.e. newest) stays the root.
            let (low, high) = if a < b { (a, b) } else { (b, a) };
            self.0[high as usize] = low;
        }
    }
}

/// Developers and, for every signature, its developer.
pub fn resolve(signatures: &Signatures, options: &IdentityOptions) -> (Vec<Developer>, Vec<DevId>) {
    let count = signatures.len();
    let mut sets = UnionFind((0..count as u32).collect());
    let bots: Vec<bool> = signatures.list.iter().map(|(n, e)| is_bot(n, e, options)).collect();
    let generic_names: Vec<String> = options.generic_names.iter().map(|n| normalise_name(n)).collect();
    let generic_emails: Vec<String> = options.generic_emails.iter().map(|e| e.trim().to_lowercase()).collect();

    let mut first_with_key: HashMap<(bool, u8, String), u32> = HashMap::new();
    for (id, (name, email)) in signatures.list.iter().enumerate() {
        let id = id as u32;
        let mut keys = Vec::with_capacity(2);
        if options.merge_by_email {
            let email = email.trim().to_lowercase();
            if email.contains('@') && !generic_emails.contains(&email) {
                keys.push((bots[id as usize], 0u8, email));
            }
        }
        if options.merge_by_name {
            let name = normalise_name(name);
            if !name.is_empty() && !generic_names.contains(&name) {
                keys.push((bots[id as usize], 1u8, name));
            }
        }
        for key in keys {
            match first_with_key.get(&key) {
                Some(&other) => sets.union(id, other),
                None => {
                    first_with_key.insert(key, id);
                }
            }
        }
    }
    let mut forced_name: HashMap<u32, String> = HashMap::new();
    for alias in &options.aliases {
        let wanted: Vec<String> = alias.identities.iter().map(|i| i.trim().to_lowercase()).collect();
        let members: Vec<u32> = (0..count as u32)
            .filter(|&id| {
                let (name, email) = &signatures.list[id as usize];
                wanted.contains(&name.to_lowercase()) || wanted.contains(&email.to_lowercase())
            })
            .collect();
        for pair in members.windows(2) {
            sets.union(pair[0], pair[1]);
        }
        if let Some(&first) = members.first() {
            let root = sets.find(first);
            forced_name.insert(root, alias.name.clone());
        }
    }
    // Aliases may have joined sets after their name was recorded.
    let forced_name: HashMap<u32, String> =
        forced_name.into_iter().map(|(root, name)| (sets.find(root), name)).collect();

    let mut developer_of_root: HashMap<u32, DevId> = HashMap::new();
    let mut members: Vec<Vec<u32>> = Vec::new();
    let mut of_signature = Vec::with_capacity(count);
    for id in 0..count as u32 {
        let root = sets.find(id);
        let dev = *developer_of_root.entry(root).or_insert_with(|| {
            members.push(Vec::new());
            DevId(members.len() as u32 - 1)
        });
        members[dev.0 as usize].push(id);
        of_signature.push(dev);
    }
    let developers = members
        .iter()
        .enumerate()
        .map(|(index, ids)| {
            let mut names: Vec<(String, u32)> = Vec::new();
            let mut emails: Vec<(String, u32)> = Vec::new();
            let mut authored = 0;
            for &id in ids {
                let (name, email) = &signatures.list[id as usize];
                let n = signatures.authored[id as usize];
                authored += n;
                tally(&mut names, name, n);
                tally(&mut emails, email, n);
            }
            // Most used first; ties keep the order seen (newest first).
            names.sort_by_key(|entry| std::cmp::Reverse(entry.1));
            emails.sort_by_key(|entry| std::cmp::Reverse(entry.1));
            let root = sets.find(ids[0]);
            let name = forced_name.get(&root).cloned().unwrap_or_else(|| names[0].0.clone());
            Developer {
                id: DevId(index as u32),
                name,
                names: names.into_iter().map(|(n, _)| n).collect(),
                emails: emails.into_iter().filter(|(e, _)| !e.is_empty()).map(|(e, _)| e).collect(),
                bot: ids.iter().any(|&id| bots[id as usize]),
                authored_commits: authored,
            }
        })
        .collect();
    (developers, of_signature)
}

fn tally(list: &mut Vec<(String, u32)>, value: &str, count: u32) {
    match list.iter_mut().find(|(v, _)| v == value) {
        Some(entry) => entry.1 += count,
        None => list.push((value.to_string(), count)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::Alias;

    fn developers(sigs: &[(&str, &str)], options: &IdentityOptions) -> (Vec<Developer>, Vec<DevId>) {
        let mut signatures = Signatures::default();
        for (name, email) in sigs {
            let id = signatures.intern(name, email);
            signatures.count_authored(id);
        }
        resolve(&signatures, options)
    }

    #[test]
    fn names_are_normalised() {
        assert_eq!(normalise_name("  John.SMITH-jr "), "john smith jr");
        assert_eq!(normalise_name("Zoë  Ünal"), "zoë ünal");
        assert_eq!(normalise_name("..."), "");
    }

    #[test]
    fn merges_by_email_and_name_transitively() {
        let sigs = [
            ("Ann Lee", "ann@work.org"),
            ("ann.lee", "ann@home.org"),
            ("A. L.", "ANN@home.org"),
            ("Bob", "bob@work.org"),
        ];
        let (devs, of) = developers(&sigs, &IdentityOptions::default());
        assert_eq!(devs.len(), 2);
        assert_eq!(of[0], of[1]);
        assert_eq!(of[1], of[2]);
        assert_ne!(of[0], of[3]);
        assert_eq!(devs[of[0].0 as usize].authored_commits, 3);
    }

    #[test]
    fn generic_keys_and_switched_off_rules_do_not_merge() {
        let sigs =
            [("root", "a@x.org"), ("root", "b@x.org"), ("Ann", "noreply@github.com"), ("Bo", "noreply@github.com")];
        let (devs, _) = developers(&sigs, &IdentityOptions::default());
        assert_eq!(devs.len(), 4);
        let options = IdentityOptions { merge_by_name: false, ..Default::default() };
        let (devs, _) = developers(&[("Ann Lee", "a@x.org"), ("Ann Lee", "b@x.org")], &options);
        assert_eq!(devs.len(), 2);
    }

    #[test]
    fn bots_are_flagged_and_never_merged_with_humans() {
        let sigs = [
            ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"),
            ("Renovate Bot", "bot@renovateapp.com"),
            ("pre-commit-ci[bot]", "66853113+pre-commit-ci[bot]@users.noreply.github.com"),
            ("Ann", "ann@x.org"),
            ("Ann", "bot@renovateapp.com"),
        ];
        let (devs, of) = developers(&sigs, &IdentityOptions::default());
        assert!(devs[of[0].0 as usize].bot);
        assert!(devs[of[1].0 as usize].bot);
        assert!(devs[of[2].0 as usize].bot);
        assert!(!devs[of[3].0 as usize].bot);
        // "Ann" with renovate's address is a bot signature: it stays apart.
        assert_ne!(of[3], of[4]);
        let options = IdentityOptions { bot_patterns: vec!["ci-robot".into()], ..Default::default() };
        let (devs, _) = developers(&[("Release CI-Robot", "r@x.org")], &options);
        assert!(devs[0].bot);
    }

    #[test]
    fn aliases_merge_and_name() {
        let options = IdentityOptions {
            aliases: vec![Alias { name: "Ann Lee".into(), identities: vec!["al@old.org".into(), "annie".into()] }],
            ..Default::default()
        };
        let (devs, of) = developers(&[("annie", "x@y.org"), ("Lee", "al@old.org"), ("Bob", "b@x.org")], &options);
        assert_eq!(of[0], of[1]);
        assert_eq!(devs[of[0].0 as usize].name, "Ann Lee");
        assert_eq!(devs.len(), 2);
    }
}
