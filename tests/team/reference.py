"""An independent implementation of the published truck-factor algorithm,
written from the papers, for comparison with `retort team`:

- degree of authorship: Fritz et al. (ICSE 2010) as used by Avelino et al.,
  "A novel approach for estimating truck factors" (ICPC 2016):
  DOA = 3.293 + 1.098*FA + 0.164*DL - 0.321*ln(1 + AC); authors have
  normalised DOA > 0.75 and DOA >= 3.293;
- truck factor: remove the author of most files (ties: name) until fewer
  than 50 % of the files keep an author; the value is the number removed.

It reads git itself (`git log -M --name-status`), follows renames by path
chains, merges identities sharing a lower-cased e-mail or a normalised
name (the rule of docs/history.md), drops bots, and considers the files
alive at HEAD. Recency: developers whose last commit is more than
`inactive_days` before the newest commit are removed before the loop.
"""

import math
import re
import subprocess
from collections import defaultdict

BOT_MARKERS = ("dependabot", "renovate", "github-actions", "pre-commit-ci")


def is_bot(name, email):
    low = (name + " " + email).lower()
    return name.lower().endswith("[bot]") or any(m in low for m in BOT_MARKERS)


def norm_name(name):
    return re.sub(r"[^0-9a-z]+", " ", name.lower()).strip()


class Identities:
    def __init__(self):
        self.parent = {}

    def find(self, x):
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def read_commits(repo):
    out = subprocess.run(
        ["git", "-C", str(repo), "log", "--reverse", "-M", "--name-status", "--no-merges",
         "--format=%x01%H%x09%an%x09%ae%x09%at"],
        capture_output=True, text=True, check=True).stdout
    commits = []
    for block in out.split("\x01")[1:]:
        lines = [l for l in block.splitlines() if l.strip()]
        sha, name, email, time = lines[0].split("\t")
        changes = []
        for line in lines[1:]:
            parts = line.split("\t")
            changes.append((parts[0][0], parts[1:]))
        commits.append({"sha": sha, "name": name, "email": email, "time": int(time), "changes": changes})
    return commits


def analyse(repo, inactive_days=182):
    commits = [c for c in read_commits(repo) if not is_bot(c["name"], c["email"])]
    ids = Identities()
    for c in commits:
        key = ("sig", c["name"], c["email"].lower())
        ids.union(key, ("email", c["email"].lower()))
        ids.union(key, ("name", norm_name(c["name"])))
    # A developer's display name: its most frequent name (ties: the newest,
    # as docs/history.md states).
    names_seen = defaultdict(lambda: defaultdict(int))
    order = {}
    for i, c in enumerate(commits):
        dev = ids.find(("sig", c["name"], c["email"].lower()))
        c["dev"] = dev
        names_seen[dev][c["name"]] += 1
        order[(dev, c["name"])] = i
    display = {dev: max(counts, key=lambda n: (counts[n], order[(dev, n)])) for dev, counts in names_seen.items()}
    # File identities follow renames.
    identity_of_path = {}
    next_id = [0]
    creator, changes_by = {}, defaultdict(lambda: defaultdict(int))
    for c in commits:
        for status, paths in c["changes"]:
            if status == "R":
                old, new = paths
                fid = identity_of_path.pop(old, None)
                if fid is None:
                    fid = next_id[0]; next_id[0] += 1
                identity_of_path[new] = fid
                path = new
            else:
                path = paths[0]
                if path not in identity_of_path:
                    identity_of_path[path] = next_id[0]; next_id[0] += 1
                    if status == "A":
                        creator[identity_of_path[path]] = c["dev"]
            fid = identity_of_path[path]
            changes_by[fid][c["dev"]] += 1
    alive = subprocess.run(["git", "-C", str(repo), "ls-files"], capture_output=True, text=True,
                           check=True).stdout.split("\n")
    alive = [p for p in alive if p]
    files = {}
    for path in alive:
        fid = identity_of_path.get(path)
        if fid is None:
            continue
        by = changes_by[fid]
        total = sum(by.values())
        devs = set(by) | ({creator[fid]} if fid in creator else set())
        doa = {d: 3.293 + 1.098 * (creator.get(fid) == d) + 0.164 * by.get(d, 0)
               - 0.321 * math.log(1 + total - by.get(d, 0)) for d in devs}
        top = max(doa.values())
        files[path] = sorted(display[d] for d, v in doa.items() if v / top > 0.75 and v >= 3.293)
    newest = max(c["time"] for c in commits)
    last = {}
    for c in commits:
        last[display[c["dev"]]] = max(last.get(display[c["dev"]], 0), c["time"])
    inactive = {d for d, t in last.items() if t < newest - inactive_days * 86400}
    return files, truck_factor(files, set()), truck_factor(files, inactive)


def truck_factor(files, gone):
    authors = {p: [a for a in a_list] for p, a_list in files.items()}
    count = defaultdict(int)
    for a_list in authors.values():
        for a in a_list:
            if a not in gone:
                count[a] += 1
    ranking = sorted(count, key=lambda a: (-count[a], a))
    removed = set(gone)
    order = []
    total = len(authors)

    def coverage():
        return sum(1 for a_list in authors.values() if any(a not in removed for a in a_list)) / total

    for dev in ranking:
        if total == 0 or coverage() < 0.5:
            break
        removed.add(dev)
        order.append(dev)
    return order
