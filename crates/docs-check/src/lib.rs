//! # docs-check: the pages cannot drift from the code
//!
//! The pages in `docs/` (an mdBook, `docs/book.toml`) and the README quote
//! the code and link into the repository. Copies drift: a function is
//! renamed, a file moves, and the page goes on showing what is no longer
//! there. This crate's tests (`cargo test -p docs-check`) read every page
//! and fail on:
//! - a link (or picture) to a file that does not exist, or to an anchor
//!   (`page.md#a-heading`) that no heading of that page makes;
//! - a Rust or Python code block that does not say which file it quotes
//!   (`<!-- excerpt: crates/fsm/src/faithful.rs -->` on the line before the
//!   fence; `<!-- sketch -->` for code written for the page alone), or
//!   whose lines are not in that file, in that order (a line `// ...` or
//!   `# ...` in the block skips over source lines);
//! - a page of `docs/` that the book's `SUMMARY.md` does not list.
//!
//! Excerpts compare lines with their indentation trimmed and blank lines
//! left out, so a page may quote a method without its `impl` indentation.

use std::fmt;
use std::path::{Component, Path, PathBuf};

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// One thing wrong with a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The page, relative to the repository's root.
    pub page: PathBuf,
    /// What is wrong, in a sentence.
    pub what: String,
}

impl Problem {
    fn new(page: impl Into<PathBuf>, what: String) -> Self {
        let page = page.into();
        Self { page, what }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.page.display(), self.what)
    }
}

/// The pages checked: the README and every Markdown page of `docs/`.
pub fn pages(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut pages = vec![PathBuf::from("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .filter_map(|path| path.strip_prefix(root).ok().map(Path::to_path_buf))
        .collect();
    docs.sort();
    pages.extend(docs);
    Ok(pages)
}

/// Everything wrong with every page under `root` (a repository checkout).
pub fn check_all(root: &Path) -> Vec<Problem> {
    let pages = match pages(root) {
        Ok(pages) => pages,
        Err(error) => {
            return vec![Problem::new(
                "docs",
                format!("cannot list the pages: {error}"),
            )];
        }
    };
    let mut problems = check_summary(root, &pages);
    for page in &pages {
        match std::fs::read_to_string(root.join(page)) {
            Ok(text) => problems.extend(check_page(root, page, &text)),
            Err(error) => problems.push(Problem::new(page, format!("cannot read it: {error}"))),
        }
    }
    problems
}

/// What one Markdown page says: its links, its code blocks, its headings.
#[derive(Debug, Default)]
struct Parsed {
    /// Link and picture targets, as written.
    links: Vec<String>,
    /// Fenced code blocks: language, the marker before it, the code.
    blocks: Vec<Block>,
    /// The anchors its headings make (`#the-heading`).
    anchors: Vec<String>,
}

/// A fenced code block and the excerpt marker before it, if any.
#[derive(Debug)]
struct Block {
    /// The fence's language (`rust`, `python`, `text`, ...).
    language: String,
    /// `Some(path)` after `<!-- excerpt: path -->`, `Some("")` after
    /// `<!-- sketch -->`, `None` without a marker.
    source: Option<String>,
    /// The code itself.
    code: String,
}

fn parse(text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let mut marker: Option<String> = None;
    let mut block: Option<Block> = None;
    let mut heading: Option<String> = None;
    let mut seen: Vec<String> = Vec::new();
    for event in Parser::new_ext(text, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                parsed.links.push(dest_url.to_string());
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                marker = excerpt_marker(&html).or(marker.take());
                parsed.links.extend(html_sources(&html));
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(language))) => {
                let language = language.split([',', ' ']).next().unwrap_or("").to_owned();
                block = Some(Block {
                    language,
                    source: marker.take(),
                    code: String::new(),
                });
            }
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1 | HeadingLevel::H2 | HeadingLevel::H3 | HeadingLevel::H4,
                ..
            }) => heading = Some(String::new()),
            Event::Text(text) | Event::Code(text) => {
                if let Some(block) = block.as_mut() {
                    block.code.push_str(&text);
                } else if let Some(heading) = heading.as_mut() {
                    heading.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => parsed.blocks.extend(block.take()),
            Event::End(TagEnd::Heading(_)) => {
                if let Some(text) = heading.take() {
                    let slug = slug(&text);
                    // A repeated heading gets -1, -2, ... (as GitHub and
                    // mdBook number them).
                    let n = seen.iter().filter(|s| **s == slug).count();
                    seen.push(slug.clone());
                    parsed
                        .anchors
                        .push(if n == 0 { slug } else { format!("{slug}-{n}") });
                }
            }
            // A marker applies to the very next block only.
            Event::Start(Tag::Paragraph) => marker = None,
            _ => {}
        }
    }
    parsed
}

/// `crates/x.rs` from `<!-- excerpt: crates/x.rs -->`, `""` from
/// `<!-- sketch -->`.
fn excerpt_marker(html: &str) -> Option<String> {
    let inner = html
        .trim()
        .strip_prefix("<!--")?
        .strip_suffix("-->")?
        .trim();
    if let Some(path) = inner.strip_prefix("excerpt:") {
        return Some(path.trim().to_owned());
    }
    inner.starts_with("sketch").then(String::new)
}

/// The `src="..."` targets of HTML tags (`<img src="...">`).
fn html_sources(html: &str) -> Vec<String> {
    html.split("src=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

/// The anchor a heading makes: lower case, spaces to hyphens, letters,
/// digits, `-` and `_` kept, everything else dropped.
pub fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// Everything wrong with one page (`page` relative to `root`).
pub fn check_page(root: &Path, page: &Path, text: &str) -> Vec<Problem> {
    let parsed = parse(text);
    let here = page.parent().unwrap_or(Path::new(""));
    let links = parsed
        .links
        .iter()
        .filter_map(|link| check_link(root, here, link, &parsed.anchors));
    let blocks = parsed
        .blocks
        .iter()
        .filter_map(|block| check_block(root, block));
    links
        .chain(blocks)
        .map(|what| Problem::new(page, what))
        .collect()
}

/// What is wrong with `link` on a page in `here`, if anything.
fn check_link(root: &Path, here: &Path, link: &str, own_anchors: &[String]) -> Option<String> {
    if link.contains("://") || link.starts_with("mailto:") {
        return None; // outside the repository: not checked offline
    }
    let (path, anchor) = match link.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor)),
        None => (link, None),
    };
    let anchors = if path.is_empty() {
        own_anchors.to_vec()
    } else {
        let target = normalize(&here.join(path));
        if target.starts_with("..") {
            return Some(format!("link {link:?} leaves the repository"));
        }
        let full = root.join(&target);
        if !full.exists() {
            return Some(format!("link {link:?}: no such file {}", target.display()));
        }
        match anchor {
            Some(_) if full.extension().is_some_and(|ext| ext == "md") => {
                let text = std::fs::read_to_string(&full).unwrap_or_default();
                parse(&text).anchors
            }
            // Anchors into source files (`#L10`) are the code host's.
            _ => return None,
        }
    };
    match anchor {
        Some(anchor) if !anchors.iter().any(|a| a == anchor) => Some(format!(
            "link {link:?}: no heading makes the anchor #{anchor}"
        )),
        _ => None,
    }
}

/// `a/b/../c` as `a/c`, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// What is wrong with a code block, if anything.
fn check_block(root: &Path, block: &Block) -> Option<String> {
    if block.language != "rust" && block.language != "python" {
        return None; // shell commands and outputs are not copies of files
    }
    let first = block.code.lines().next().unwrap_or("").trim();
    let Some(source) = &block.source else {
        return Some(format!(
            "a {} block ({first:?}...) does not say what it quotes: put \
             <!-- excerpt: path --> (or <!-- sketch -->) on the line before it",
            block.language
        ));
    };
    if source.is_empty() {
        return None; // a sketch
    }
    let text = match std::fs::read_to_string(root.join(source)) {
        Ok(text) => text,
        Err(error) => return Some(format!("excerpt of {source}: cannot read it: {error}")),
    };
    match find_excerpt(&block.code, &text) {
        Ok(()) => None,
        Err(line) => Some(format!(
            "excerpt of {source} ({first:?}...) has drifted: {line:?} is not where the page says"
        )),
    }
}

/// The lines that matter: trimmed, blank ones left out.
fn significant(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect()
}

/// Whether a block line stands for skipped source lines.
fn is_gap(line: &str) -> bool {
    matches!(line, "..." | "// ..." | "# ...")
}

/// Checks that `excerpt`'s lines stand in `source` in order, each run
/// between gap lines contiguous. `Err` names the first line not found.
pub fn find_excerpt(excerpt: &str, source: &str) -> Result<(), String> {
    let source = significant(source);
    let lines = significant(excerpt);
    let mut from = 0;
    for run in lines
        .split(|line| is_gap(line))
        .filter(|run| !run.is_empty())
    {
        // The source after the previous run; `from` never passes its end.
        let rest = source.get(from..).unwrap_or_default();
        match rest.windows(run.len()).position(|window| window == run) {
            Some(start) => from += start + run.len(),
            None => {
                // Name the first line of the run that breaks the match.
                let found = |n: usize| rest.windows(n).any(|window| window == &run[..n]);
                let bad = (1..=run.len())
                    .find(|&n| !found(n))
                    .map_or(run[0], |n| run[n - 1]);
                return Err(bad.to_owned());
            }
        }
    }
    Ok(())
}

/// The book's summary (`docs/SUMMARY.md`) lists every page of `docs/`.
pub fn check_summary(root: &Path, pages: &[PathBuf]) -> Vec<Problem> {
    let page = PathBuf::from("docs/SUMMARY.md");
    let text = match std::fs::read_to_string(root.join(&page)) {
        Ok(text) => text,
        Err(error) => {
            return vec![Problem::new(
                page,
                format!("the book has no summary: {error}"),
            )];
        }
    };
    let listed = parse(&text).links;
    pages
        .iter()
        .filter(|p| p.starts_with("docs") && p.file_name() != Some("SUMMARY.md".as_ref()))
        .filter_map(|p| p.file_name().and_then(|name| name.to_str()))
        .filter(|name| !listed.iter().any(|link| link == name))
        .map(|name| Problem::new(&page, format!("the summary does not list {name}")))
        .collect()
}
